/**
 * The plot registry's public reads: the list (the non-map alternative), the map's GeoJSON, and what the passport
 * gathers from the other tables of the land dialogue. Nothing here reads a person: no authors, no uploaders.
 */
import { and, asc, count, desc, eq, gte, ilike, lte, or, sql, type SQL } from 'drizzle-orm';
import type { DbOrTx } from '../../platform/db/database.js';
import {
  commissionAgendaItems, commissionMeetings, landAnnouncements, landPlots, landProposals, publicHearings,
} from '../../platform/db/schema.js';
import type { PlotRow, PlotStatus } from './plots.service.js';

export interface PlotFilters {
  status?: PlotStatus | undefined;
  districtId?: string | undefined;
  /** Part of the cadastral number or of the address. */
  q?: string | undefined;
  /** Plots whose box meets this window. */
  bbox?: { minLon: number; minLat: number; maxLon: number; maxLat: number } | undefined;
}

function where(municipalityId: string, f: PlotFilters): SQL {
  const conds: SQL[] = [eq(landPlots.municipalityId, municipalityId)];
  if (f.status) conds.push(eq(landPlots.status, f.status));
  if (f.districtId) conds.push(eq(landPlots.districtId, f.districtId));
  if (f.q) {
    const like = `%${f.q.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
    conds.push(or(ilike(landPlots.cadastralNumber, like), ilike(landPlots.address, like))!);
  }
  if (f.bbox) {
    conds.push(lte(landPlots.minLon, f.bbox.maxLon), gte(landPlots.maxLon, f.bbox.minLon), lte(landPlots.minLat, f.bbox.maxLat), gte(landPlots.maxLat, f.bbox.minLat));
  }
  return and(...conds)!;
}

export async function listPlots(db: DbOrTx, municipalityId: string, f: PlotFilters & { limit: number; offset: number }) {
  const w = where(municipalityId, f);
  const [rows, [total]] = await Promise.all([
    db.select().from(landPlots).where(w).orderBy(asc(landPlots.cadastralNumber)).limit(f.limit).offset(f.offset),
    db.select({ n: count() }).from(landPlots).where(w),
  ]);
  return { rows, total: total?.n ?? 0 };
}

/** For the map: at most `cap` plots, and whether more matched. */
export async function plotsForMap(db: DbOrTx, municipalityId: string, f: PlotFilters, cap: number): Promise<{ rows: PlotRow[]; truncated: boolean }> {
  const rows = await db.select().from(landPlots).where(where(municipalityId, f)).orderBy(asc(landPlots.cadastralNumber)).limit(cap + 1);
  return { rows: rows.slice(0, cap), truncated: rows.length > cap };
}

export async function announcementsOfPlot(db: DbOrTx, municipalityId: string, plotId: string) {
  return db.select().from(landAnnouncements).where(and(eq(landAnnouncements.municipalityId, municipalityId), eq(landAnnouncements.plotId, plotId)))
    .orderBy(desc(landAnnouncements.publishedAt), desc(landAnnouncements.createdAt));
}

export async function proposalsOfPlot(db: DbOrTx, municipalityId: string, plotId: string) {
  return db.select({ id: landProposals.id, title: landProposals.title, useKind: landProposals.useKind, status: landProposals.status,
    supportCount: landProposals.supportCount, createdAt: landProposals.createdAt })
    .from(landProposals).where(and(eq(landProposals.municipalityId, municipalityId), eq(landProposals.plotId, plotId)))
    .orderBy(desc(landProposals.createdAt));
}

/** The commission's items concerning the plot (waiting, scheduled and decided), oldest first, with their meetings. */
export async function agendaOfPlot(db: DbOrTx, municipalityId: string, plotId: string) {
  return db.select({ item: commissionAgendaItems, meeting: commissionMeetings }).from(commissionAgendaItems)
    .leftJoin(commissionMeetings, and(eq(commissionMeetings.municipalityId, commissionAgendaItems.municipalityId), eq(commissionMeetings.id, commissionAgendaItems.meetingId)))
    .where(and(eq(commissionAgendaItems.municipalityId, municipalityId), eq(commissionAgendaItems.plotId, plotId)))
    .orderBy(asc(commissionAgendaItems.createdAt), asc(commissionAgendaItems.id));
}

export async function hearingsOfPlot(db: DbOrTx, municipalityId: string, plotId: string) {
  return db.select().from(publicHearings).where(and(eq(publicHearings.municipalityId, municipalityId),
    or(eq(publicHearings.plotId, plotId), sql`${publicHearings.announcementId} in (select id from land_announcements where municipality_id = ${municipalityId}::uuid and plot_id = ${plotId}::uuid)`)))
    .orderBy(asc(publicHearings.startsAt));
}
