/**
 * Announcements: the city's notice, before the commission decides on a plot, with a public comment period.
 *
 * Rules (README):
 * - Titles and descriptions are given in one to three languages; a missing language is filled, when written, with
 *   the first given one in the order ky, ru, en — so every stored text has all three and every reader gets one.
 * - The comment period is the half-open interval [commentOpensAt, commentClosesAt): a comment at the closing instant
 *   is late. By default it opens now and closes at the end of the N-th local day after the opening day (N =
 *   land_settings.comment_period_days), i.e. at 00:00 city time of day N+1: opened on 27 April at 10:00 with N = 14,
 *   comments are accepted until 11 May 23:59:59 and refused from 12 May 00:00.
 * - Publishing moves the plot to 'proposed_for_lease' for the lease kinds (temporary_lease, lease) and to
 *   'under_discussion' for the others; withdrawing moves it back to the status it had, if nothing moved it since.
 * - One announcement per plot at a time: a new one waits until the last is decided or withdrawn.
 */
import { and, eq, inArray, isNull } from 'drizzle-orm';
import { addCalendarDays, localDate, parseIsoDate, type IsoDate } from '@shaar/contracts';
import type { Db, DbOrTx } from '../../platform/db/database.js';
import { commissionAgendaItems, landAnnouncements, landPlotEvents, landPlots, type LocalizedText } from '../../platform/db/schema.js';
import { writeAudit, type Actor } from '../../platform/audit.js';
import { AppError, errors } from '../../platform/http/errors.js';
import type { Clock } from '../../platform/clock.js';
import type { Municipality } from '../municipalities/municipalities.service.js';
import { recordPlotEvent } from './plot-events.js';
import { queueLandNotice } from './land-notify.js';
import { loadPlot, type PlotStatus } from './plots.service.js';
import { readLandSettings } from './land-settings.routes.js';

export const ANNOUNCEMENT_KINDS = ['temporary_lease', 'lease', 'change_of_use', 'public_use', 'other'] as const;
export type AnnouncementKind = (typeof ANNOUNCEMENT_KINDS)[number];
export const ANNOUNCEMENT_STATUSES = ['published', 'closed', 'decided', 'withdrawn'] as const;
export type AnnouncementStatus = (typeof ANNOUNCEMENT_STATUSES)[number];
const LEASE_KINDS: readonly string[] = ['temporary_lease', 'lease'];
/** Announcements still before the commission: a plot has at most one. */
const ACTIVE: AnnouncementStatus[] = ['published', 'closed'];

export type AnnouncementRow = typeof landAnnouncements.$inferSelect;
export interface AnnouncementDeps { db: Db; clock: Clock }

/** Comments are accepted while the announcement is published and opensAt <= now < closesAt. */
export function commentWindowOpen(a: { status: string; commentOpensAt: Date; commentClosesAt: Date }, now: Date): boolean {
  return a.status === 'published' && a.commentOpensAt.getTime() <= now.getTime() && now.getTime() < a.commentClosesAt.getTime();
}

export const plotStatusFor = (kind: string): PlotStatus => (LEASE_KINDS.includes(kind) ? 'proposed_for_lease' : 'under_discussion');

/** All three languages, the missing ones filled from the first given (ky, ru, en); null when none is given. */
export function fillLocalized(t: Partial<Record<keyof LocalizedText, string | undefined>> | undefined): LocalizedText | null {
  const given = (['ky', 'ru', 'en'] as const).map((l) => t?.[l]?.trim() ?? '');
  const first = given.find((s) => s.length > 0);
  if (!first) return null;
  return { ky: given[0] || first, ru: given[1] || first, en: given[2] || first };
}

const formatters = new Map<string, Intl.DateTimeFormat>();
/** The time zone's offset from UTC at an instant, in ms. */
function offsetMs(instant: number, timeZone: string): number {
  let f = formatters.get(timeZone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', { timeZone, hourCycle: 'h23', year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', second: '2-digit' });
    formatters.set(timeZone, f);
  }
  const p = Object.fromEntries(f.formatToParts(new Date(instant)).map((x) => [x.type, x.value]));
  return Date.UTC(+p.year!, +p.month! - 1, +p.day!, +p.hour!, +p.minute!, +p.second!) - Math.floor(instant / 1000) * 1000;
}

/** 00:00 of a local date in a time zone, as an instant. */
export function startOfLocalDay(date: IsoDate, timeZone: string): Date {
  const wall = parseIsoDate(date);
  const first = wall - offsetMs(wall, timeZone);
  return new Date(wall - offsetMs(first, timeZone));
}

/** The default end of the comment period (see the rules above). */
export function defaultClosesAt(opensAt: Date, days: number, timeZone: string): Date {
  return startOfLocalDay(addCalendarDays(localDate(opensAt, timeZone), days + 1), timeZone);
}

/** The last local day on which comments are accepted (for messages: "comments until 11 May"). */
export const lastCommentDay = (closesAt: Date, timeZone: string): IsoDate => localDate(new Date(closesAt.getTime() - 1), timeZone);

export const announcementLink = (m: Municipality, id: string) => `/${m.slug}/land/announcements/${id}`;

export async function loadAnnouncement(db: DbOrTx, municipalityId: string, id: string, lock = false): Promise<AnnouncementRow | null> {
  const q = db.select().from(landAnnouncements).where(and(eq(landAnnouncements.municipalityId, municipalityId), eq(landAnnouncements.id, id))).limit(1);
  const [row] = lock ? await q.for('update') : await q;
  return row ?? null;
}

export interface NewAnnouncement {
  plotId: string;
  kind: AnnouncementKind;
  title: Partial<LocalizedText>;
  description?: Partial<LocalizedText> | undefined;
  proposedUse?: string | null | undefined;
  leaseUntil?: string | null | undefined;
  commentOpensAt?: string | undefined;
  commentClosesAt?: string | undefined;
}

export async function publishAnnouncement(deps: AnnouncementDeps, m: Municipality, actor: Actor, input: NewAnnouncement): Promise<AnnouncementRow> {
  const title = fillLocalized(input.title);
  if (!title) throw new AppError(400, 'title_required', 'error.land_title_required', {}, [{ in: 'body', path: 'title', code: 'required' }]);
  const description = fillLocalized(input.description) ?? { ky: '', ru: '', en: '' };
  if (input.kind === 'temporary_lease' && !input.leaseUntil) {
    throw new AppError(400, 'leased_until_required', 'error.land_leased_until_required', {}, [{ in: 'body', path: 'leaseUntil', code: 'required' }]);
  }
  if (input.leaseUntil && !LEASE_KINDS.includes(input.kind)) {
    throw new AppError(400, 'leased_until_not_allowed', 'error.land_leased_until_only_when_leased', {}, [{ in: 'body', path: 'leaseUntil', code: 'not_allowed' }]);
  }
  const now = deps.clock.now();
  const opensAt = input.commentOpensAt ? new Date(input.commentOpensAt) : now;
  const days = (await readLandSettings(deps.db, m.id)).commentPeriodDays;
  const closesAt = input.commentClosesAt ? new Date(input.commentClosesAt) : defaultClosesAt(opensAt, days, m.timezone);
  if (closesAt <= opensAt || closesAt <= now) {
    throw new AppError(400, 'comment_dates', 'error.land_comment_dates', {}, [{ in: 'body', path: 'commentClosesAt', code: 'too_early' }]);
  }
  return deps.db.transaction(async (tx) => {
    const plot = await loadPlot(tx, m.id, input.plotId, true);
    if (!plot) throw errors.invalidReference('plotId');
    const [open] = await tx.select({ id: landAnnouncements.id }).from(landAnnouncements)
      .where(and(eq(landAnnouncements.municipalityId, m.id), eq(landAnnouncements.plotId, plot.id), inArray(landAnnouncements.status, ACTIVE))).limit(1);
    if (open) throw new AppError(409, 'announcement_open', 'error.land_announcement_open', {}, { announcementId: open.id });
    const [a] = await tx.insert(landAnnouncements).values({
      municipalityId: m.id, plotId: plot.id, kind: input.kind, title, description, proposedUse: input.proposedUse ?? null, leaseUntil: input.leaseUntil ?? null,
      commentOpensAt: opensAt, commentClosesAt: closesAt, status: 'published', createdById: actor.kind === 'staff' ? actor.id : null, publishedAt: now, createdAt: now,
    }).returning();
    const ann = a!;
    const to = plotStatusFor(input.kind);
    await recordPlotEvent(tx, { municipalityId: m.id, plotId: plot.id, kind: 'announcement_published', ref: { type: 'announcement', id: ann.id }, at: now,
      details: { announcementId: ann.id, kind: ann.kind, title, commentOpensAt: opensAt.toISOString(), commentClosesAt: closesAt.toISOString(),
        // What withdrawing puts back.
        plotStatusBefore: plot.status, leasedUntilBefore: plot.leasedUntil } });
    if (plot.status !== to) {
      await tx.update(landPlots).set({ status: to, leasedUntil: null, updatedAt: now }).where(and(eq(landPlots.municipalityId, m.id), eq(landPlots.id, plot.id)));
      await recordPlotEvent(tx, { municipalityId: m.id, plotId: plot.id, kind: 'status_changed', ref: { type: 'announcement', id: ann.id }, at: now,
        details: { from: plot.status, to, announcementId: ann.id } });
      await writeAudit(tx, { municipalityId: m.id, actor, entityType: 'land_plot', entityId: plot.id, action: 'status_change', at: now,
        before: { status: plot.status, leasedUntil: plot.leasedUntil }, after: { status: to, leasedUntil: null, announcementId: ann.id } });
    }
    await writeAudit(tx, { municipalityId: m.id, actor, entityType: 'land_announcement', entityId: ann.id, action: 'publish', at: now,
      after: { plotId: plot.id, kind: ann.kind, status: 'published', commentOpensAt: opensAt.toISOString(), commentClosesAt: closesAt.toISOString() } });
    await queueLandNotice(tx, {
      municipalityId: m.id, event: 'land_announcement', audience: { kind: 'plot_area', plotId: plot.id },
      // Each reader gets the title in their language (all three are stored, filled from the one given).
      params: { title: title[(m.defaultLocale as keyof LocalizedText)] ?? title.ky, titles: title, plot: plot.cadastralNumber, ...(plot.address ? { address: plot.address } : {}),
        closesAt: lastCommentDay(closesAt, m.timezone) },
      link: announcementLink(m, ann.id), key: `announcement:${ann.id}`, now,
    });
    return ann;
  });
}

/**
 * Withdraws an announcement the commission has not decided on. The plot goes back to the status it had before the
 * announcement if it still has the one the announcement gave it; items waiting for the commission (on no meeting
 * yet) are removed, since there is nothing left to decide.
 */
export async function withdrawAnnouncement(deps: AnnouncementDeps, m: Municipality, actor: Actor, id: string, reason: string): Promise<AnnouncementRow> {
  const now = deps.clock.now();
  return deps.db.transaction(async (tx) => {
    const a = await loadAnnouncement(tx, m.id, id, true);
    if (!a) throw errors.notFound('announcement');
    if (!ACTIVE.includes(a.status as AnnouncementStatus)) {
      throw new AppError(409, 'announcement_not_withdrawable', 'error.land_announcement_not_withdrawable', {}, { status: a.status });
    }
    const [row] = await tx.update(landAnnouncements).set({ status: 'withdrawn' })
      .where(and(eq(landAnnouncements.municipalityId, m.id), eq(landAnnouncements.id, id))).returning();
    await recordPlotEvent(tx, { municipalityId: m.id, plotId: a.plotId, kind: 'announcement_withdrawn', ref: { type: 'announcement', id }, at: now,
      details: { announcementId: id, reason } });
    const plot = (await loadPlot(tx, m.id, a.plotId, true))!;
    const [published] = await tx.select({ details: landPlotEvents.details }).from(landPlotEvents)
      .where(and(eq(landPlotEvents.municipalityId, m.id), eq(landPlotEvents.plotId, a.plotId), eq(landPlotEvents.kind, 'announcement_published'), eq(landPlotEvents.refId, id))).limit(1);
    const back = { status: (published?.details.plotStatusBefore as string | undefined) ?? 'available', leasedUntil: (published?.details.leasedUntilBefore as string | null | undefined) ?? null };
    if (plot.status === plotStatusFor(a.kind) && plot.status !== back.status) {
      await tx.update(landPlots).set({ status: back.status, leasedUntil: back.leasedUntil, updatedAt: now }).where(and(eq(landPlots.municipalityId, m.id), eq(landPlots.id, plot.id)));
      await recordPlotEvent(tx, { municipalityId: m.id, plotId: plot.id, kind: 'status_changed', ref: { type: 'announcement', id }, at: now,
        details: { from: plot.status, to: back.status, announcementId: id, ...(back.leasedUntil ? { leasedUntil: back.leasedUntil } : {}) } });
      await writeAudit(tx, { municipalityId: m.id, actor, entityType: 'land_plot', entityId: plot.id, action: 'status_change', at: now,
        before: { status: plot.status, leasedUntil: plot.leasedUntil }, after: { ...back, announcementId: id } });
    }
    const removed = await tx.delete(commissionAgendaItems).where(and(eq(commissionAgendaItems.municipalityId, m.id), eq(commissionAgendaItems.subjectType, 'announcement'),
      eq(commissionAgendaItems.subjectId, id), isNull(commissionAgendaItems.meetingId), isNull(commissionAgendaItems.decision))).returning({ id: commissionAgendaItems.id });
    for (const item of removed) {
      await writeAudit(tx, { municipalityId: m.id, actor, entityType: 'commission_agenda_item', entityId: item.id, action: 'delete', reason, at: now,
        before: { subjectType: 'announcement', subjectId: id } });
    }
    await writeAudit(tx, { municipalityId: m.id, actor, entityType: 'land_announcement', entityId: id, action: 'withdraw', reason, at: now,
      before: { status: a.status }, after: { status: 'withdrawn' } });
    return row!;
  });
}
