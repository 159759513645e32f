/**
 * 'Is it still solved?': some days after a 'solved' verdict (config.followUpDays) a durable job asks the resident.
 * 'No' reopens the appeal as the resident's own act (a fresh legal term); 'yes' is recorded.
 */
import { and, eq } from 'drizzle-orm';
import type { AppealStatus, Locale } from '@shaar/contracts';
import { answerRatings, appeals } from '../../platform/db/schema.js';
import { writeAudit, SYSTEM_ACTOR } from '../../platform/audit.js';
import { AppError } from '../../platform/http/errors.js';
import { translate } from '../../platform/i18n/messages.js';
import type { ClaimedJob, JobRunner } from '../../platform/jobs/job-queue.js';
import { announceAppealEvent } from '../notifications/appeal-events.js';
import { markScorecardsStale } from '../scorecards/scorecard-staleness.js';
import { applyAppealAction, loadActionReference } from '../appeals/change-appeal-status.js';
import { FOLLOW_UP_JOB, REVIEWABLE_STATUSES } from './rating-rules.js';
import { latestAnswerId, ownAnswer, ratingOf } from './ratings.queries.js';
import type { Place, RatingsDeps } from './rate-answer.js';

export function registerFollowUpJob(jobs: JobRunner, d: RatingsDeps): void {
  jobs.register(FOLLOW_UP_JOB, (job) => askFollowUp(d, job));
}

/**
 * The job: asks only if the verdict is still 'solved', nobody asked yet, and the answer still stands (the latest
 * answer of an answered or closed appeal). Idempotent: a second run finds the question asked.
 */
export async function askFollowUp(d: RatingsDeps, job: Pick<ClaimedJob, 'municipalityId' | 'payload'>): Promise<void> {
  const m = job.municipalityId;
  const answerId = String(job.payload.answerId ?? '');
  await d.db.transaction(async (tx) => {
    const rating = await ratingOf(tx, m, answerId, true);
    if (!rating || rating.solved !== 'yes' || rating.followUpAskedAt) return;
    const [appeal] = await tx.select({ status: appeals.status }).from(appeals)
      .where(and(eq(appeals.municipalityId, m), eq(appeals.id, rating.appealId))).limit(1);
    if (!appeal || !(REVIEWABLE_STATUSES as readonly string[]).includes(appeal.status)) return;
    if ((await latestAnswerId(tx, m, rating.appealId)) !== answerId) return;
    const now = d.clock.now();
    await tx.update(answerRatings).set({ followUpAskedAt: now }).where(and(eq(answerRatings.municipalityId, m), eq(answerRatings.id, rating.id)));
    await writeAudit(tx, {
      municipalityId: m, actor: SYSTEM_ACTOR, entityType: 'appeal', entityId: rating.appealId, action: 'ask_follow_up', after: { answerId }, at: now,
    });
    await announceAppealEvent(tx, {
      municipalityId: m, appealId: rating.appealId, event: 'follow_up_question', key: answerId, at: now, details: { answerId },
    });
  });
}

/** The resident's answer, once, and only after the question was asked. */
export async function answerFollowUp(d: RatingsDeps, at: Place, citizenId: string, appealId: string, answerId: string, stillSolved: boolean) {
  const m = at.municipalityId;
  const ref = stillSolved ? null : await loadActionReference(d, m);
  return d.db.transaction(async (tx) => {
    const { appeal } = await ownAnswer(tx, m, citizenId, appealId, answerId, true);
    const rating = await ratingOf(tx, m, answerId, true);
    if (!rating?.followUpAskedAt) throw new AppError(409, 'follow_up_not_asked', 'error.follow_up_not_asked');
    if (rating.stillSolved !== null) throw new AppError(409, 'follow_up_already_answered', 'error.follow_up_already_answered');
    const now = d.clock.now();
    const [updated] = await tx.update(answerRatings).set({ stillSolved, followUpAnsweredAt: now })
      .where(and(eq(answerRatings.municipalityId, m), eq(answerRatings.id, rating.id))).returning();
    await writeAudit(tx, {
      municipalityId: m, actor: { kind: 'citizen', id: citizenId }, entityType: 'appeal', entityId: appealId, action: 'answer_follow_up',
      after: { answerId, stillSolved }, at: now,
    });
    let status = appeal.status as AppealStatus;
    let dueDate = appeal.dueDate;
    // Reopen only what stands as answered or closed; an appeal already back in work just gets the verdict recorded.
    if (!stillSolved && REVIEWABLE_STATUSES.includes(status)) {
      const reason = translate(appeal.language as Locale, 'rating.follow_up_reopen_reason');
      status = (await applyAppealAction(tx, ref!, d.clock, m, at.timezone, appealId, { kind: 'resident', citizenId }, { action: 'reopen', reason })).status;
      const [after] = await tx.select({ dueDate: appeals.dueDate }).from(appeals).where(and(eq(appeals.municipalityId, m), eq(appeals.id, appealId))).limit(1);
      dueDate = after!.dueDate;
    }
    await markScorecardsStale(tx, m, now);
    return {
      askedAt: updated!.followUpAskedAt!.toISOString(), stillSolved: updated!.stillSolved, answeredAt: updated!.followUpAnsweredAt!.toISOString(),
      appealStatus: status, dueDate,
    };
  });
}
