/**
 * The resident rates one answer of their appeal: one rating per answer, which they may change for a few days
 * (config.ratingEditDays) after first giving it. Staff never write it. A low rating tells the service; a 'solved'
 * one schedules the 'is it still solved?' question (config.followUpDays later).
 */
import { and, eq } from 'drizzle-orm';
import type { Db, Tx } from '../../platform/db/database.js';
import { answerRatings } from '../../platform/db/schema.js';
import { writeAudit } from '../../platform/audit.js';
import { AppError } from '../../platform/http/errors.js';
import type { Clock } from '../../platform/clock.js';
import { enqueueJob } from '../../platform/jobs/job-queue.js';
import { announceAppealEvent } from '../notifications/appeal-events.js';
import { markScorecardsStale } from '../scorecards/scorecard-staleness.js';
import type { WorkingTime } from '../deadlines/working-time.js';
import type { DirectoryCache } from '../directory/directory.cache.js';
import { FOLLOW_UP_JOB, followUpDueAt, isLowRating, ratingEditableUntil } from './rating-rules.js';
import { latestAnswerId, ownAnswer, ratingOf, reviewOf } from './ratings.queries.js';
import { presentResidentAnswerRating, type RatingRow } from './ratings.presenter.js';
import type { RatingInput } from './ratings.schemas.js';

export interface RatingsDeps {
  db: Db; clock: Clock; workingTime: WorkingTime; directory: DirectoryCache;
  ratingEditDays: number; followUpDays: number;
}

export interface Place { municipalityId: string; timezone: string }

/** The figures that go into the audit log: the comment is the resident's own words and stays out of it. */
const figures = (r: Pick<RatingRow, 'overall' | 'solved' | 'clarity' | 'accuracy' | 'onTimeFelt'> & { comment?: string | null }) => ({
  overall: r.overall, solved: r.solved, clarity: r.clarity, accuracy: r.accuracy, onTimeFelt: r.onTimeFelt, hasComment: Boolean(r.comment),
});

export async function rateAnswer(d: RatingsDeps, at: Place, citizenId: string, appealId: string, answerId: string, input: RatingInput) {
  const m = at.municipalityId;
  return d.db.transaction(async (tx) => {
    const { appeal, answer } = await ownAnswer(tx, m, citizenId, appealId, answerId);
    const now = d.clock.now();
    const values = {
      overall: input.overall, solved: input.solved, clarity: input.clarity, accuracy: input.accuracy, onTimeFelt: input.onTimeFelt,
      comment: input.comment ? input.comment : null,
    };
    let before = await ratingOf(tx, m, answerId, true);
    let rating: RatingRow | undefined;
    if (!before) {
      [rating] = await tx.insert(answerRatings).values({
        municipalityId: m, appealId, answerId, citizenId, serviceId: answer.serviceId, executorId: answer.authorId, ...values,
        createdAt: now, updatedAt: now,
      }).onConflictDoNothing().returning();
      // Two first ratings raced: the other one won, so this one is a change of it.
      if (!rating) before = await ratingOf(tx, m, answerId, true);
    }
    if (before) {
      if (now >= ratingEditableUntil(before.createdAt, d.ratingEditDays)) {
        throw new AppError(409, 'rating_window_closed', 'error.rating_window_closed', { days: d.ratingEditDays });
      }
      [rating] = await tx.update(answerRatings).set({ ...values, updatedAt: now })
        .where(and(eq(answerRatings.municipalityId, m), eq(answerRatings.id, before.id))).returning();
    }
    rating = await scheduleFollowUp(tx, d, rating!, now);
    await writeAudit(tx, {
      municipalityId: m, actor: { kind: 'citizen', id: citizenId }, entityType: 'appeal', entityId: appealId,
      action: before ? 'change_rating' : 'rate', before: before ? { answerId, ...figures(before) } : null,
      after: { answerId, ...figures(values) }, at: now,
    });
    if (isLowRating(values)) {
      // Once per answer: a resident who changes the rating back and forth does not page the service each time.
      await announceAppealEvent(tx, {
        municipalityId: m, appealId, event: 'low_rating', key: answerId, at: now,
        details: { answerId, executorId: answer.authorId, serviceId: answer.serviceId, overall: values.overall, solved: values.solved },
      });
    }
    await markScorecardsStale(tx, m, now);
    const view = presentResidentAnswerRating({
      rating, review: await reviewOf(tx, m, answerId), isLatestAnswer: (await latestAnswerId(tx, m, appealId)) === answerId,
      appealStatus: appeal.status, ratingEditDays: d.ratingEditDays, now,
    });
    return { created: !before, view };
  });
}

/**
 * The first 'solved' verdict schedules the follow-up question, once per answer. A later change away from 'solved'
 * leaves the job in place: it checks the rating when it runs and then does nothing.
 */
async function scheduleFollowUp(tx: Tx, d: RatingsDeps, rating: RatingRow, now: Date): Promise<RatingRow> {
  if (rating.solved !== 'yes' || rating.followUpDueAt) return rating;
  const dueAt = followUpDueAt(now, d.followUpDays);
  await enqueueJob(tx, {
    municipalityId: rating.municipalityId, kind: FOLLOW_UP_JOB, runAt: dueAt, dedupeKey: `${FOLLOW_UP_JOB}:${rating.answerId}`,
    payload: { answerId: rating.answerId },
  });
  const [updated] = await tx.update(answerRatings).set({ followUpDueAt: dueAt })
    .where(and(eq(answerRatings.municipalityId, rating.municipalityId), eq(answerRatings.id, rating.id))).returning();
  return updated!;
}
