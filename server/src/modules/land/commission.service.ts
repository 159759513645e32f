/**
 * The land commission: meetings, their agenda (items waiting since a proposal reached its supports, an
 * announcement's period ended, or staff added them), and a decision per item with its reasons and the vote.
 * A decision moves its subject and plot in the same transaction, writes the plot passport's line, and tells the
 * proposal's author, supporters and commenters (or the announcement's commenters).
 * Postponed: the subject stays on the agenda and a new waiting item is made for a later meeting; the decided item
 * keeps the record of the postponement.
 */
import { and, asc, desc, eq, inArray, isNotNull, isNull, sql, type SQL } from 'drizzle-orm';
import type { Locale } from '@shaar/contracts';
import type { LocalizedText } from '../../platform/db/schema.js';
import type { Db, DbOrTx, Tx } from '../../platform/db/database.js';
import { commissionAgendaItems, commissionMeetings, landAnnouncements, landPlots, landProposals } from '../../platform/db/schema.js';
import { changedFields, writeAudit } from '../../platform/audit.js';
import { AppError, errors } from '../../platform/http/errors.js';
import type { Clock } from '../../platform/clock.js';
import type { Municipality } from '../municipalities/municipalities.service.js';
import type { StaffPrincipal } from '../auth/principal.js';
import { recordPlotEvent } from './plot-events.js';
import { queueLandNotice } from './land-notify.js';
import { loadPlot, proposalLink, type PlotRow } from './proposals.service.js';

export const DECISIONS = ['approved', 'rejected', 'postponed'] as const;
export type Decision = (typeof DECISIONS)[number];
export const MEETING_STATUSES = ['planned', 'held', 'cancelled'] as const;
export type AgendaSubject = 'proposal' | 'announcement';

export interface CommissionDeps { db: Db; clock: Clock }
export type MeetingRow = typeof commissionMeetings.$inferSelect;
export type ItemRow = typeof commissionAgendaItems.$inferSelect;

const actor = (s: StaffPrincipal) => ({ kind: 'staff' as const, id: s.id });
const meetingWhere = (m: string, id: string) => and(eq(commissionMeetings.municipalityId, m), eq(commissionMeetings.id, id));
const itemWhere = (m: string, id: string) => and(eq(commissionAgendaItems.municipalityId, m), eq(commissionAgendaItems.id, id));
const meetingClosed = (status: string) => new AppError(409, 'meeting_closed', 'error.land_meeting_closed', {}, { status });

export async function loadMeeting(db: DbOrTx, municipalityId: string, id: string, lock = false): Promise<MeetingRow | null> {
  const q = db.select().from(commissionMeetings).where(meetingWhere(municipalityId, id)).limit(1);
  const [row] = lock ? await q.for('update') : await q;
  return row ?? null;
}

// ---- meetings ---------------------------------------------------------------------------------------------

export async function createMeeting(deps: CommissionDeps, m: Municipality, staff: StaffPrincipal, input: { title: string; startsAt: string; place?: string | undefined }) {
  const now = deps.clock.now();
  return deps.db.transaction(async (tx) => {
    const [row] = await tx.insert(commissionMeetings).values({ municipalityId: m.id, title: input.title, startsAt: new Date(input.startsAt), place: input.place ?? null, createdAt: now })
      .returning();
    await writeAudit(tx, { municipalityId: m.id, actor: actor(staff), entityType: 'commission_meeting', entityId: row!.id, action: 'create',
      after: { title: row!.title, startsAt: row!.startsAt.toISOString(), place: row!.place }, at: now });
    return row!;
  });
}

export interface MeetingChange { title?: string | undefined; startsAt?: string | undefined; place?: string | null | undefined; status?: 'held' | 'cancelled' | undefined; minutes?: string | null | undefined }

/** Edits a meeting; a cancelled one is final. Cancelling sends its undecided items back to the waiting list. */
export async function updateMeeting(deps: CommissionDeps, m: Municipality, staff: StaffPrincipal, id: string, change: MeetingChange) {
  const now = deps.clock.now();
  return deps.db.transaction(async (tx) => {
    const meeting = await loadMeeting(tx, m.id, id, true);
    if (!meeting) throw errors.notFound('meeting');
    if (meeting.status === 'cancelled') throw meetingClosed(meeting.status);
    const next: Partial<MeetingRow> = {};
    if (change.title !== undefined) next.title = change.title;
    if (change.startsAt !== undefined) next.startsAt = new Date(change.startsAt);
    if (change.place !== undefined) next.place = change.place;
    if (change.status !== undefined) next.status = change.status;
    if (change.minutes !== undefined) next.minutes = change.minutes;
    const [row] = await tx.update(commissionMeetings).set(next).where(meetingWhere(m.id, id)).returning();
    let released: string[] = [];
    if (change.status === 'cancelled') {
      released = (await tx.update(commissionAgendaItems).set({ meetingId: null, position: 0 })
        .where(and(eq(commissionAgendaItems.municipalityId, m.id), eq(commissionAgendaItems.meetingId, id), isNull(commissionAgendaItems.decision)))
        .returning({ id: commissionAgendaItems.id })).map((r) => r.id);
    }
    const diff = changedFields(meeting as unknown as Record<string, unknown>, next as Record<string, unknown>);
    await writeAudit(tx, { municipalityId: m.id, actor: actor(staff), entityType: 'commission_meeting', entityId: id, action: 'update',
      before: diff.before, after: { ...diff.after, ...(released.length ? { itemsBackToWaiting: released } : {}) }, at: now });
    return row!;
  });
}

export async function publishMinutes(deps: CommissionDeps, m: Municipality, staff: StaffPrincipal, id: string) {
  const now = deps.clock.now();
  return deps.db.transaction(async (tx) => {
    const meeting = await loadMeeting(tx, m.id, id, true);
    if (!meeting) throw errors.notFound('meeting');
    if (meeting.status === 'cancelled') throw meetingClosed(meeting.status);
    if (!meeting.minutes?.trim()) throw new AppError(409, 'minutes_empty', 'error.land_minutes_empty');
    const [row] = await tx.update(commissionMeetings).set({ minutesPublishedAt: now }).where(meetingWhere(m.id, id)).returning();
    await writeAudit(tx, { municipalityId: m.id, actor: actor(staff), entityType: 'commission_meeting', entityId: id, action: 'publish_minutes',
      before: { minutesPublishedAt: meeting.minutesPublishedAt?.toISOString() ?? null }, after: { minutesPublishedAt: now.toISOString() }, at: now });
    return row!;
  });
}

// ---- agenda -----------------------------------------------------------------------------------------------

/** Staff put a proposal or an announcement before the commission themselves (one undecided item per subject). */
export async function addAgendaItem(deps: CommissionDeps, m: Municipality, staff: StaffPrincipal, subject: { type: AgendaSubject; id: string }) {
  const now = deps.clock.now();
  return deps.db.transaction(async (tx) => {
    let plotId: string | null;
    if (subject.type === 'proposal') {
      const [p] = await tx.select().from(landProposals).where(and(eq(landProposals.municipalityId, m.id), eq(landProposals.id, subject.id))).for('update').limit(1);
      if (!p) throw errors.invalidReference('subjectId');
      if (p.status !== 'open' && p.status !== 'on_agenda') throw new AppError(409, 'proposal_closed', 'error.land_proposal_closed', {}, { status: p.status });
      plotId = p.plotId;
      if (p.status === 'open') {
        await tx.update(landProposals).set({ status: 'on_agenda', onAgendaAt: now, updatedAt: now }).where(and(eq(landProposals.municipalityId, m.id), eq(landProposals.id, p.id)));
        if (p.plotId) {
          await recordPlotEvent(tx, { municipalityId: m.id, plotId: p.plotId, kind: 'proposal_on_agenda', details: { proposalId: p.id, title: p.title, supportCount: p.supportCount, addedBy: 'staff' },
            ref: { type: 'proposal', id: p.id }, at: now });
        }
      }
    } else {
      const [a] = await tx.select().from(landAnnouncements).where(and(eq(landAnnouncements.municipalityId, m.id), eq(landAnnouncements.id, subject.id))).limit(1);
      if (!a) throw errors.invalidReference('subjectId');
      if (a.status === 'withdrawn' || a.status === 'decided') throw new AppError(409, 'discussion_closed', 'error.land_discussion_closed', {}, { status: a.status });
      plotId = a.plotId;
    }
    const [open] = await tx.select({ id: commissionAgendaItems.id }).from(commissionAgendaItems).where(and(eq(commissionAgendaItems.municipalityId, m.id),
      eq(commissionAgendaItems.subjectType, subject.type), eq(commissionAgendaItems.subjectId, subject.id), isNull(commissionAgendaItems.decision))).limit(1);
    if (open) throw new AppError(409, 'already_on_agenda', 'error.land_already_on_agenda', {}, { itemId: open.id });
    const [item] = await tx.insert(commissionAgendaItems).values({ municipalityId: m.id, subjectType: subject.type, subjectId: subject.id, plotId, addedBy: 'staff', createdAt: now })
      .returning();
    await writeAudit(tx, { municipalityId: m.id, actor: actor(staff), entityType: 'commission_agenda_item', entityId: item!.id, action: 'create',
      after: { subjectType: subject.type, subjectId: subject.id, addedBy: 'staff' }, at: now });
    return item!;
  });
}

/** Puts a waiting item on a planned meeting's agenda, at the end unless a position is given. */
export async function scheduleItem(deps: CommissionDeps, m: Municipality, staff: StaffPrincipal, meetingId: string, itemId: string, position?: number) {
  const now = deps.clock.now();
  return deps.db.transaction(async (tx) => {
    const meeting = await loadMeeting(tx, m.id, meetingId, true);
    if (!meeting) throw errors.notFound('meeting');
    if (meeting.status !== 'planned') throw meetingClosed(meeting.status);
    const [item] = await tx.select().from(commissionAgendaItems).where(itemWhere(m.id, itemId)).for('update').limit(1);
    if (!item) throw errors.invalidReference('itemId');
    if (item.decision) throw new AppError(409, 'agenda_item_decided', 'error.land_agenda_item_decided');
    if (item.meetingId) throw new AppError(409, 'already_on_agenda', 'error.land_already_on_agenda', {}, { meetingId: item.meetingId });
    const [last] = await tx.select({ max: sql<number | null>`max(${commissionAgendaItems.position})` }).from(commissionAgendaItems)
      .where(and(eq(commissionAgendaItems.municipalityId, m.id), eq(commissionAgendaItems.meetingId, meetingId)));
    const pos = position ?? (last?.max ?? 0) + 1;
    const [row] = await tx.update(commissionAgendaItems).set({ meetingId, position: pos }).where(itemWhere(m.id, itemId)).returning();
    await writeAudit(tx, { municipalityId: m.id, actor: actor(staff), entityType: 'commission_agenda_item', entityId: itemId, action: 'schedule',
      before: { meetingId: null }, after: { meetingId, position: pos }, at: now });
    return row!;
  });
}

/** Takes an undecided item off a planned meeting's agenda: it waits again. */
export async function unscheduleItem(deps: CommissionDeps, m: Municipality, staff: StaffPrincipal, meetingId: string, itemId: string) {
  const now = deps.clock.now();
  return deps.db.transaction(async (tx) => {
    const meeting = await loadMeeting(tx, m.id, meetingId, true);
    if (!meeting) throw errors.notFound('meeting');
    if (meeting.status !== 'planned') throw meetingClosed(meeting.status);
    const [item] = await tx.select().from(commissionAgendaItems).where(itemWhere(m.id, itemId)).for('update').limit(1);
    if (!item || item.meetingId !== meetingId) throw errors.notFound('agenda_item');
    if (item.decision) throw new AppError(409, 'agenda_item_decided', 'error.land_agenda_item_decided');
    const [row] = await tx.update(commissionAgendaItems).set({ meetingId: null, position: 0 }).where(itemWhere(m.id, itemId)).returning();
    await writeAudit(tx, { municipalityId: m.id, actor: actor(staff), entityType: 'commission_agenda_item', entityId: itemId, action: 'unschedule',
      before: { meetingId, position: item.position }, after: { meetingId: null }, at: now });
    return row!;
  });
}

export interface DecisionInput { decision: Decision; reasons: string; votesFor: number; votesAgainst: number; votesAbstained: number }

/** What an approval does to the plot: a temporary lease leases it until the announced date, a public use reserves it. */
function plotStatusAfter(decision: Decision, plot: PlotRow, subject: { type: AgendaSubject; kind?: string; leaseUntil?: string | null }) {
  if (decision === 'postponed') return null;
  if (decision === 'rejected') return plot.status === 'under_discussion' || plot.status === 'proposed_for_lease' ? { status: 'available', leasedUntil: null } : null;
  if (subject.type === 'proposal' || subject.kind === 'public_use') return { status: 'reserved_public', leasedUntil: null };
  if (subject.kind === 'temporary_lease' && subject.leaseUntil) return { status: 'leased_temporarily', leasedUntil: subject.leaseUntil };
  return { status: 'decided', leasedUntil: plot.leasedUntil };
}

export async function decideItem(deps: CommissionDeps, m: Municipality, staff: StaffPrincipal, itemId: string, input: DecisionInput) {
  const now = deps.clock.now();
  return deps.db.transaction(async (tx) => {
    const [item] = await tx.select().from(commissionAgendaItems).where(itemWhere(m.id, itemId)).for('update').limit(1);
    if (!item) throw errors.notFound('agenda_item');
    if (item.decision) throw new AppError(409, 'agenda_item_decided', 'error.land_agenda_item_decided');
    if (!item.meetingId) throw new AppError(409, 'agenda_item_not_scheduled', 'error.land_agenda_item_not_scheduled');
    const meeting = (await loadMeeting(tx, m.id, item.meetingId))!;
    if (meeting.status === 'cancelled') throw meetingClosed(meeting.status);
    const subjectType = item.subjectType as AgendaSubject;
    const subject = await loadSubject(tx, m, subjectType, item.subjectId);
    const votes = { for: input.votesFor, against: input.votesAgainst, abstained: input.votesAbstained };
    await tx.update(commissionAgendaItems).set({ decision: input.decision, reasons: input.reasons, votesFor: input.votesFor, votesAgainst: input.votesAgainst,
      votesAbstained: input.votesAbstained, decidedAt: now, decidedById: staff.id }).where(itemWhere(m.id, itemId));
    let nextItemId: string | null = null;
    if (input.decision === 'postponed') {
      const [copy] = await tx.insert(commissionAgendaItems).values({ municipalityId: m.id, subjectType, subjectId: item.subjectId, plotId: item.plotId, addedBy: item.addedBy, createdAt: now })
        .returning({ id: commissionAgendaItems.id });
      nextItemId = copy!.id;
    } else if (subjectType === 'proposal') {
      await tx.update(landProposals).set({ status: 'decided', updatedAt: now }).where(and(eq(landProposals.municipalityId, m.id), eq(landProposals.id, item.subjectId)));
    } else {
      await tx.update(landAnnouncements).set({ status: 'decided' }).where(and(eq(landAnnouncements.municipalityId, m.id), eq(landAnnouncements.id, item.subjectId)));
    }
    const plotId = item.plotId ?? subject.plotId;
    const plot = plotId ? await loadPlot(tx, m.id, plotId) : null;
    if (plot) {
      await recordPlotEvent(tx, { municipalityId: m.id, plotId: plot.id, kind: 'decided', ref: { type: 'agenda_item', id: itemId }, at: now, details: {
        decision: input.decision, reasons: input.reasons, votes, subjectType, subjectId: item.subjectId, title: subject.passportTitle, meetingId: meeting.id,
      } });
      const after = plotStatusAfter(input.decision, plot, { type: subjectType, kind: subject.kind, leaseUntil: subject.leaseUntil });
      if (after && (after.status !== plot.status || after.leasedUntil !== plot.leasedUntil)) await movePlot(tx, m, staff, plot, after, itemId, now);
    }
    await writeAudit(tx, { municipalityId: m.id, actor: actor(staff), entityType: 'commission_agenda_item', entityId: itemId, action: 'decide',
      before: { decision: null }, after: { decision: input.decision, votes, subjectType, subjectId: item.subjectId, ...(nextItemId ? { nextItemId } : {}) },
      reason: input.reasons, at: now });
    await queueLandNotice(tx, {
      municipalityId: m.id, event: 'land_decision',
      audience: subjectType === 'proposal' ? { kind: 'proposal', proposalId: item.subjectId } : { kind: 'announcement', announcementId: item.subjectId },
      params: { title: subject.titleText, decision: input.decision, reasons: input.reasons,
        ...(plot ? { plot: plot.cadastralNumber, ...(plot.address ? { address: plot.address } : {}) } : {}) },
      link: subjectType === 'proposal' ? proposalLink(m, item.subjectId) : `/${m.slug}/land/announcements/${item.subjectId}`,
      key: `decision:${itemId}`, now,
    });
    return { itemId, nextItemId };
  });
}

async function movePlot(tx: Tx, m: Municipality, staff: StaffPrincipal, plot: PlotRow, to: { status: string; leasedUntil: string | null }, itemId: string, now: Date) {
  await tx.update(landPlots).set({ status: to.status, leasedUntil: to.leasedUntil, updatedAt: now }).where(and(eq(landPlots.municipalityId, m.id), eq(landPlots.id, plot.id)));
  await recordPlotEvent(tx, { municipalityId: m.id, plotId: plot.id, kind: 'status_changed', ref: { type: 'agenda_item', id: itemId }, at: now,
    details: { from: plot.status, to: to.status, ...(to.leasedUntil ? { leasedUntil: to.leasedUntil } : {}) } });
  await writeAudit(tx, { municipalityId: m.id, actor: actor(staff), entityType: 'land_plot', entityId: plot.id, action: 'status_change',
    before: { status: plot.status, leasedUntil: plot.leasedUntil }, after: { ...to, agendaItemId: itemId }, at: now });
}

interface Subject {
  plotId: string | null; titleText: string; kind?: string; leaseUntil?: string | null;
  /** As the passport's other lines carry it: a proposal's own text, an announcement's in three languages. */
  passportTitle: string | LocalizedText;
}

/** The subject of an item, its title in the city's default language for notices and the passport. */
async function loadSubject(tx: DbOrTx, m: Municipality, type: AgendaSubject, id: string): Promise<Subject> {
  if (type === 'proposal') {
    const [p] = await tx.select().from(landProposals).where(and(eq(landProposals.municipalityId, m.id), eq(landProposals.id, id))).for('update').limit(1);
    if (!p) throw errors.notFound('proposal');
    return { plotId: p.plotId, titleText: p.title, passportTitle: p.title };
  }
  const [a] = await tx.select().from(landAnnouncements).where(and(eq(landAnnouncements.municipalityId, m.id), eq(landAnnouncements.id, id))).for('update').limit(1);
  if (!a) throw errors.notFound('announcement');
  return { plotId: a.plotId, titleText: a.title[m.defaultLocale as Locale] ?? a.title.ru, passportTitle: a.title, kind: a.kind, leaseUntil: a.leaseUntil };
}

// ---- reading ----------------------------------------------------------------------------------------------

export interface SubjectInfo { title: string; plot: { id: string; cadastralNumber: string; address: string | null } | null; status: string }

/** Titles (in the asked language for announcements), statuses and plots of items' subjects. */
export async function subjectsOf(db: Db, municipalityId: string, items: ItemRow[], locale: Locale): Promise<Map<string, SubjectInfo>> {
  const ids = (type: string) => [...new Set(items.filter((i) => i.subjectType === type).map((i) => i.subjectId))];
  const [props, anns] = await Promise.all([
    ids('proposal').length ? db.select({ id: landProposals.id, title: landProposals.title, status: landProposals.status, plotId: landProposals.plotId }).from(landProposals)
      .where(and(eq(landProposals.municipalityId, municipalityId), inArray(landProposals.id, ids('proposal')))) : [],
    ids('announcement').length ? db.select({ id: landAnnouncements.id, title: landAnnouncements.title, status: landAnnouncements.status, plotId: landAnnouncements.plotId })
      .from(landAnnouncements).where(and(eq(landAnnouncements.municipalityId, municipalityId), inArray(landAnnouncements.id, ids('announcement')))) : [],
  ]);
  const plotIds = [...new Set([...props, ...anns].map((s) => s.plotId).filter((x): x is string => !!x))];
  const plots = plotIds.length ? await db.select({ id: landPlots.id, cadastralNumber: landPlots.cadastralNumber, address: landPlots.address }).from(landPlots)
    .where(and(eq(landPlots.municipalityId, municipalityId), inArray(landPlots.id, plotIds))) : [];
  const plotById = new Map(plots.map((p) => [p.id, p]));
  const out = new Map<string, SubjectInfo>();
  for (const p of props) out.set(p.id, { title: p.title, status: p.status, plot: p.plotId ? plotById.get(p.plotId) ?? null : null });
  for (const a of anns) out.set(a.id, { title: (a.title as LocalizedText)[locale], status: a.status, plot: plotById.get(a.plotId) ?? null });
  return out;
}

export async function waitingItems(db: Db, municipalityId: string) {
  return db.select().from(commissionAgendaItems).where(and(eq(commissionAgendaItems.municipalityId, municipalityId), isNull(commissionAgendaItems.meetingId),
    isNull(commissionAgendaItems.decision))).orderBy(asc(commissionAgendaItems.createdAt), asc(commissionAgendaItems.id));
}

export async function meetingItems(db: Db, municipalityId: string, meetingId: string) {
  return db.select().from(commissionAgendaItems).where(and(eq(commissionAgendaItems.municipalityId, municipalityId), eq(commissionAgendaItems.meetingId, meetingId)))
    .orderBy(asc(commissionAgendaItems.position), asc(commissionAgendaItems.createdAt));
}

/** Upcoming (planned, not yet started: soonest first) and past or cancelled meetings (newest first). */
export async function listMeetings(db: Db, municipalityId: string, now: Date, page: { limit: number; offset: number }) {
  const upcoming = sql`${commissionMeetings.status} = 'planned' and ${commissionMeetings.startsAt} >= ${now.toISOString()}::timestamptz`;
  const [soon, past] = await Promise.all([
    db.select().from(commissionMeetings).where(and(eq(commissionMeetings.municipalityId, municipalityId), upcoming)).orderBy(asc(commissionMeetings.startsAt)).limit(100),
    db.select().from(commissionMeetings).where(and(eq(commissionMeetings.municipalityId, municipalityId), sql`not (${upcoming})`))
      .orderBy(desc(commissionMeetings.startsAt)).limit(page.limit).offset(page.offset),
  ]);
  const ids = [...soon, ...past].map((x) => x.id);
  const counts = ids.length ? await db.select({ meetingId: commissionAgendaItems.meetingId, n: sql<number>`count(*)::int` }).from(commissionAgendaItems)
    .where(and(eq(commissionAgendaItems.municipalityId, municipalityId), inArray(commissionAgendaItems.meetingId, ids))).groupBy(commissionAgendaItems.meetingId) : [];
  const n = new Map(counts.map((c) => [c.meetingId, c.n]));
  return { upcoming: soon, past, itemCount: (id: string) => n.get(id) ?? 0 };
}

/** Decided items, newest first; for one plot when asked (the plot passport). */
export async function listDecisions(db: Db, municipalityId: string, f: { plotId?: string | undefined; itemId?: string; limit: number; offset: number }) {
  const where: SQL[] = [eq(commissionAgendaItems.municipalityId, municipalityId), isNotNull(commissionAgendaItems.decision)];
  if (f.plotId) where.push(eq(commissionAgendaItems.plotId, f.plotId));
  if (f.itemId) where.push(eq(commissionAgendaItems.id, f.itemId));
  return db.select({ item: commissionAgendaItems, meeting: commissionMeetings }).from(commissionAgendaItems)
    .leftJoin(commissionMeetings, and(eq(commissionMeetings.municipalityId, commissionAgendaItems.municipalityId), eq(commissionMeetings.id, commissionAgendaItems.meetingId)))
    .where(and(...where)).orderBy(desc(commissionAgendaItems.decidedAt), desc(commissionAgendaItems.id)).limit(f.limit).offset(f.offset);
}
