/**
 * The plot passport's history lines (land_plot_events). Every module of the land dialogue that changes something
 * about a plot records a line here in the same transaction as the change, so the passport is complete and in order.
 * Lines are public: details carry ids, statuses, titles, decisions and reasons — never a person's name or contacts.
 */
import { and, asc, eq } from 'drizzle-orm';
import type { DbOrTx } from '../../platform/db/database.js';
import { landPlotEvents } from '../../platform/db/schema.js';

export const PLOT_EVENT_KINDS = [
  'imported', 'updated', 'status_changed', 'document_added',
  'announcement_published', 'announcement_withdrawn', 'comment_period_closed',
  'proposal_submitted', 'proposal_on_agenda', 'decided', 'hearing_planned', 'hearing_held',
] as const;
export type PlotEventKind = (typeof PLOT_EVENT_KINDS)[number];

export interface PlotEventInput {
  municipalityId: string;
  plotId: string;
  kind: PlotEventKind;
  details?: Record<string, unknown>;
  /** What the line is about (announcement, proposal, agenda_item, hearing, file), for a link on the passport. */
  ref?: { type: string; id: string };
  at: Date;
}

export async function recordPlotEvent(tx: DbOrTx, e: PlotEventInput): Promise<void> {
  await tx.insert(landPlotEvents).values({
    municipalityId: e.municipalityId, plotId: e.plotId, kind: e.kind, details: e.details ?? {},
    refType: e.ref?.type ?? null, refId: e.ref?.id ?? null, occurredAt: e.at,
  });
}

/** A plot's history in the order written (the order things happened: each line is written with its change). */
export async function plotHistory(db: DbOrTx, municipalityId: string, plotId: string) {
  const rows = await db.select().from(landPlotEvents)
    .where(and(eq(landPlotEvents.municipalityId, municipalityId), eq(landPlotEvents.plotId, plotId)))
    .orderBy(asc(landPlotEvents.seq));
  return rows.map((r) => ({
    id: r.id, kind: r.kind as PlotEventKind, details: r.details, refType: r.refType, refId: r.refId, occurredAt: r.occurredAt.toISOString(),
  }));
}
