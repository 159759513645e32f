/**
 * Closes comment periods: every minute, per city, announcements still 'published' whose period has ended
 * (commentClosesAt <= now) become 'closed', get their passport line, and wait for the commission as an agenda item
 * on no meeting yet. The switch is a conditional UPDATE … WHERE status = 'published' RETURNING, so two runs (or two
 * processes) close each announcement and create its item exactly once.
 */
import { and, eq, isNull, lte } from 'drizzle-orm';
import type { Db } from '../../platform/db/database.js';
import { commissionAgendaItems, landAnnouncements } from '../../platform/db/schema.js';
import { SYSTEM_ACTOR, writeAudit } from '../../platform/audit.js';
import type { Clock } from '../../platform/clock.js';
import type { JobRunner } from '../../platform/jobs/job-queue.js';
import { recordPlotEvent } from './plot-events.js';

export const COMMENT_PERIOD_JOB = 'land.comment_period';
export const COMMENT_PERIOD_EVERY_MS = 60_000;
const BATCH = 200;

export interface CommentPeriodDeps { db: Db; clock: Clock }

export function registerCommentPeriodJob(runner: JobRunner, deps: CommentPeriodDeps): void {
  runner.register(COMMENT_PERIOD_JOB, async (job) => { await closeEndedCommentPeriods(deps, job.municipalityId); });
  runner.every(COMMENT_PERIOD_JOB, COMMENT_PERIOD_EVERY_MS);
}

/** Returns how many announcements this run closed. */
export async function closeEndedCommentPeriods(deps: CommentPeriodDeps, municipalityId: string): Promise<number> {
  const now = deps.clock.now();
  let closed = 0;
  for (;;) {
    const due = await deps.db.select({ id: landAnnouncements.id }).from(landAnnouncements)
      .where(and(eq(landAnnouncements.municipalityId, municipalityId), eq(landAnnouncements.status, 'published'), lte(landAnnouncements.commentClosesAt, now)))
      .orderBy(landAnnouncements.commentClosesAt).limit(BATCH);
    for (const { id } of due) if (await closeOne(deps.db, municipalityId, id, now)) closed++;
    if (due.length < BATCH) return closed;
  }
}

async function closeOne(db: Db, municipalityId: string, id: string, now: Date): Promise<boolean> {
  return db.transaction(async (tx) => {
    const [a] = await tx.update(landAnnouncements).set({ status: 'closed' })
      .where(and(eq(landAnnouncements.municipalityId, municipalityId), eq(landAnnouncements.id, id), eq(landAnnouncements.status, 'published'), lte(landAnnouncements.commentClosesAt, now)))
      .returning();
    if (!a) return false;
    await recordPlotEvent(tx, { municipalityId, plotId: a.plotId, kind: 'comment_period_closed', ref: { type: 'announcement', id }, at: now,
      details: { announcementId: id, commentClosesAt: a.commentClosesAt.toISOString() } });
    await writeAudit(tx, { municipalityId, actor: SYSTEM_ACTOR, entityType: 'land_announcement', entityId: id, action: 'close_comments', at: now,
      before: { status: 'published' }, after: { status: 'closed' } });
    // Staff may have put it before the commission already: one undecided item per subject.
    const [waiting] = await tx.select({ id: commissionAgendaItems.id }).from(commissionAgendaItems).where(and(eq(commissionAgendaItems.municipalityId, municipalityId),
      eq(commissionAgendaItems.subjectType, 'announcement'), eq(commissionAgendaItems.subjectId, id), isNull(commissionAgendaItems.decision))).limit(1);
    if (!waiting) {
      const [item] = await tx.insert(commissionAgendaItems).values({
        municipalityId, meetingId: null, subjectType: 'announcement', subjectId: id, plotId: a.plotId, addedBy: 'comment_period', createdAt: now,
      }).returning({ id: commissionAgendaItems.id });
      await writeAudit(tx, { municipalityId, actor: SYSTEM_ACTOR, entityType: 'commission_agenda_item', entityId: item!.id, action: 'create', at: now,
        after: { subjectType: 'announcement', subjectId: id, addedBy: 'comment_period' } });
    }
    return true;
  });
}
