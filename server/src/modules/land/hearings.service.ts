/**
 * Offline public hearings about a plot or an announcement: planned with a place, time and optional capacity,
 * residents register (one per account; the hearing's row lock keeps the capacity under concurrent registrations),
 * the secretary marks attendance and, after it, writes the summary of the positions heard (public). Registrants'
 * names are for the sign-in sheet only (staff); the public sees how many registered.
 */
import { and, asc, count, desc, eq, inArray, sql } from 'drizzle-orm';
import type { Db, DbOrTx } from '../../platform/db/database.js';
import { citizens, hearingRegistrations, landAnnouncements, publicHearings } from '../../platform/db/schema.js';
import { changedFields, writeAudit } from '../../platform/audit.js';
import { AppError, errors } from '../../platform/http/errors.js';
import type { Clock } from '../../platform/clock.js';
import type { Municipality } from '../municipalities/municipalities.service.js';
import type { CitizenPrincipal, StaffPrincipal } from '../auth/principal.js';
import { recordPlotEvent } from './plot-events.js';
import { queueLandNotice } from './land-notify.js';
import { loadPlot } from './proposals.service.js';
import { localDateTime } from './comments.service.js';

export const HEARING_STATUSES = ['planned', 'held', 'cancelled'] as const;
export interface HearingDeps { db: Db; clock: Clock }
export type HearingRow = typeof publicHearings.$inferSelect;

const where = (m: string, id: string) => and(eq(publicHearings.municipalityId, m), eq(publicHearings.id, id));
const regWhere = (m: string, hearingId: string, citizenId: string) =>
  and(eq(hearingRegistrations.municipalityId, m), eq(hearingRegistrations.hearingId, hearingId), eq(hearingRegistrations.citizenId, citizenId));
const hearingClosed = (status: string) => new AppError(409, 'hearing_closed', 'error.land_hearing_closed', {}, { status });
export const hearingLink = (m: Municipality, id: string) => `/${m.slug}/land/hearings/${id}`;

export async function loadHearing(db: DbOrTx, municipalityId: string, id: string, lock = false): Promise<HearingRow | null> {
  const q = db.select().from(publicHearings).where(where(municipalityId, id)).limit(1);
  const [row] = lock ? await q.for('update') : await q;
  return row ?? null;
}

export interface NewHearing { plotId?: string | undefined; announcementId?: string | undefined; title: string; startsAt: string; place: string; capacity?: number | undefined }

export async function planHearing(deps: HearingDeps, m: Municipality, staff: StaffPrincipal, input: NewHearing): Promise<HearingRow> {
  const now = deps.clock.now();
  return deps.db.transaction(async (tx) => {
    let plotId = input.plotId ?? null;
    if (input.announcementId) {
      const [a] = await tx.select({ plotId: landAnnouncements.plotId }).from(landAnnouncements)
        .where(and(eq(landAnnouncements.municipalityId, m.id), eq(landAnnouncements.id, input.announcementId))).limit(1);
      if (!a) throw errors.invalidReference('announcementId');
      if (plotId && plotId !== a.plotId) throw errors.invalidReference('plotId');
      plotId = a.plotId;
    }
    const plot = plotId ? await loadPlot(tx, m.id, plotId) : null;
    if (plotId && !plot) throw errors.invalidReference('plotId');
    const [row] = await tx.insert(publicHearings).values({
      municipalityId: m.id, plotId, announcementId: input.announcementId ?? null, title: input.title, startsAt: new Date(input.startsAt), place: input.place,
      capacity: input.capacity ?? null, createdAt: now,
    }).returning();
    const h = row!;
    await writeAudit(tx, { municipalityId: m.id, actor: { kind: 'staff', id: staff.id }, entityType: 'public_hearing', entityId: h.id, action: 'create',
      after: { plotId, announcementId: h.announcementId, title: h.title, startsAt: h.startsAt.toISOString(), place: h.place, capacity: h.capacity }, at: now });
    if (plot) {
      await recordPlotEvent(tx, { municipalityId: m.id, plotId: plot.id, kind: 'hearing_planned', ref: { type: 'hearing', id: h.id }, at: now,
        details: { hearingId: h.id, title: h.title, startsAt: h.startsAt.toISOString(), place: h.place } });
      await queueLandNotice(tx, {
        municipalityId: m.id, event: 'land_hearing', audience: { kind: 'plot_area', plotId: plot.id },
        params: { title: h.title, when: localDateTime(h.startsAt, m.timezone), place: h.place, plot: plot.cadastralNumber, ...(plot.address ? { address: plot.address } : {}) },
        link: hearingLink(m, h.id), key: `hearing:${h.id}`, now,
      });
    }
    return h;
  });
}

export interface HearingChange {
  title?: string | undefined; startsAt?: string | undefined; place?: string | undefined; capacity?: number | null | undefined;
  status?: 'held' | 'cancelled' | undefined; summary?: string | null | undefined; attendedCount?: number | null | undefined;
}

/** Edits a hearing. Held: writes the passport line once; the summary may be corrected afterwards. Cancelled is final. */
export async function updateHearing(deps: HearingDeps, m: Municipality, staff: StaffPrincipal, id: string, change: HearingChange): Promise<HearingRow> {
  const now = deps.clock.now();
  return deps.db.transaction(async (tx) => {
    const h = await loadHearing(tx, m.id, id, true);
    if (!h) throw errors.notFound('hearing');
    if (h.status === 'cancelled') throw hearingClosed(h.status);
    if (h.status === 'held' && change.status === 'cancelled') throw hearingClosed(h.status);
    const next: Partial<HearingRow> = {};
    if (change.title !== undefined) next.title = change.title;
    if (change.startsAt !== undefined) next.startsAt = new Date(change.startsAt);
    if (change.place !== undefined) next.place = change.place;
    if (change.capacity !== undefined) next.capacity = change.capacity;
    if (change.status !== undefined) next.status = change.status;
    if (change.summary !== undefined) next.summary = change.summary;
    if (change.attendedCount !== undefined) next.attendedCount = change.attendedCount;
    const [row] = await tx.update(publicHearings).set(next).where(where(m.id, id)).returning();
    const updated = row!;
    const diff = changedFields(h as unknown as Record<string, unknown>, next as Record<string, unknown>);
    await writeAudit(tx, { municipalityId: m.id, actor: { kind: 'staff', id: staff.id }, entityType: 'public_hearing', entityId: id, action: 'update',
      before: diff.before, after: diff.after, at: now });
    if (updated.plotId && change.status === 'held' && h.status !== 'held') {
      await recordPlotEvent(tx, { municipalityId: m.id, plotId: updated.plotId, kind: 'hearing_held', ref: { type: 'hearing', id }, at: now,
        details: { hearingId: id, title: updated.title, attendedCount: updated.attendedCount, summary: updated.summary } });
    }
    return updated;
  });
}

/** Marks who came (the sign-in sheet). Only registrants can be marked; others are reported back as unknown. */
export async function markAttendance(deps: HearingDeps, m: Municipality, staff: StaffPrincipal, id: string, citizenIds: string[], attended: boolean) {
  const now = deps.clock.now();
  return deps.db.transaction(async (tx) => {
    const h = await loadHearing(tx, m.id, id, true);
    if (!h) throw errors.notFound('hearing');
    if (h.status === 'cancelled') throw hearingClosed(h.status);
    const marked = citizenIds.length === 0 ? [] : await tx.update(hearingRegistrations).set({ attended })
      .where(and(eq(hearingRegistrations.municipalityId, m.id), eq(hearingRegistrations.hearingId, id), inArray(hearingRegistrations.citizenId, citizenIds)))
      .returning({ citizenId: hearingRegistrations.citizenId });
    const done = new Set(marked.map((r) => r.citizenId));
    await writeAudit(tx, { municipalityId: m.id, actor: { kind: 'staff', id: staff.id }, entityType: 'public_hearing', entityId: id, action: 'attendance',
      after: { attended, citizenIds: [...done] }, at: now });
    return { marked: done.size, unknown: citizenIds.filter((c) => !done.has(c)) };
  });
}

/** A resident registers: while planned and not started, within the capacity (checked under the hearing's lock). */
export async function register(deps: HearingDeps, m: Municipality, citizen: CitizenPrincipal, id: string): Promise<void> {
  const now = deps.clock.now();
  await deps.db.transaction(async (tx) => {
    const h = await loadHearing(tx, m.id, id, true);
    if (!h) throw errors.notFound('hearing');
    if (h.status !== 'planned' || now >= h.startsAt) throw new AppError(409, 'hearing_registration_closed', 'error.land_hearing_registration_closed', {}, { status: h.status });
    const [mine] = await tx.select({ id: hearingRegistrations.citizenId }).from(hearingRegistrations).where(regWhere(m.id, id, citizen.id)).limit(1);
    if (mine) return; // already registered: nothing changes
    if (h.capacity !== null && (await registeredCount(tx, m.id, id)) >= h.capacity) {
      throw new AppError(409, 'hearing_full', 'error.land_hearing_full', { capacity: h.capacity });
    }
    await tx.insert(hearingRegistrations).values({ municipalityId: m.id, hearingId: id, citizenId: citizen.id, registeredAt: now });
    await writeAudit(tx, { municipalityId: m.id, actor: { kind: 'citizen', id: citizen.id }, entityType: 'public_hearing', entityId: id, action: 'register', at: now });
  });
}

export async function unregister(deps: HearingDeps, m: Municipality, citizen: CitizenPrincipal, id: string): Promise<void> {
  const now = deps.clock.now();
  await deps.db.transaction(async (tx) => {
    const h = await loadHearing(tx, m.id, id, true);
    if (!h) throw errors.notFound('hearing');
    if (h.status !== 'planned' || now >= h.startsAt) throw new AppError(409, 'hearing_registration_closed', 'error.land_hearing_registration_closed', {}, { status: h.status });
    const gone = await tx.delete(hearingRegistrations).where(regWhere(m.id, id, citizen.id)).returning({ id: hearingRegistrations.citizenId });
    if (gone.length === 0) throw errors.notFound('registration');
    await writeAudit(tx, { municipalityId: m.id, actor: { kind: 'citizen', id: citizen.id }, entityType: 'public_hearing', entityId: id, action: 'unregister', at: now });
  });
}

export async function registeredCount(db: DbOrTx, municipalityId: string, hearingId: string): Promise<number> {
  const [row] = await db.select({ n: count() }).from(hearingRegistrations)
    .where(and(eq(hearingRegistrations.municipalityId, municipalityId), eq(hearingRegistrations.hearingId, hearingId)));
  return row?.n ?? 0;
}

export async function isRegistered(db: Db, municipalityId: string, hearingId: string, citizenId: string): Promise<boolean> {
  const [row] = await db.select({ id: hearingRegistrations.citizenId }).from(hearingRegistrations).where(regWhere(municipalityId, hearingId, citizenId)).limit(1);
  return !!row;
}

/** The sign-in sheet (staff only): registrants' full names, nothing else of theirs. */
export async function registrations(db: Db, municipalityId: string, hearingId: string) {
  return db.select({ citizenId: hearingRegistrations.citizenId, fullName: citizens.fullName, registeredAt: hearingRegistrations.registeredAt, attended: hearingRegistrations.attended })
    .from(hearingRegistrations).innerJoin(citizens, eq(citizens.id, hearingRegistrations.citizenId))
    .where(and(eq(hearingRegistrations.municipalityId, municipalityId), eq(hearingRegistrations.hearingId, hearingId)))
    .orderBy(sql`${citizens.fullName} nulls last`, asc(hearingRegistrations.registeredAt));
}

/** Hearings, upcoming first (soonest first), then the rest newest first; with how many registered. */
export async function listHearings(db: Db, municipalityId: string, now: Date, f: { plotId?: string | undefined; limit: number; offset: number }) {
  const conds = [eq(publicHearings.municipalityId, municipalityId)];
  if (f.plotId) conds.push(eq(publicHearings.plotId, f.plotId));
  const upcoming = sql`(${publicHearings.status} = 'planned' and ${publicHearings.startsAt} >= ${now.toISOString()}::timestamptz)`;
  const rows = await db.select().from(publicHearings).where(and(...conds))
    .orderBy(desc(upcoming), sql`case when ${upcoming} then ${publicHearings.startsAt} end asc`, desc(publicHearings.startsAt), asc(publicHearings.id))
    .limit(f.limit).offset(f.offset);
  const counts = rows.length ? await db.select({ hearingId: hearingRegistrations.hearingId, n: count() }).from(hearingRegistrations)
    .where(and(eq(hearingRegistrations.municipalityId, municipalityId), inArray(hearingRegistrations.hearingId, rows.map((r) => r.id))))
    .groupBy(hearingRegistrations.hearingId) : [];
  const n = new Map(counts.map((c) => [c.hearingId, c.n]));
  return rows.map((h) => ({ hearing: h, registeredCount: n.get(h.id) ?? 0 }));
}
