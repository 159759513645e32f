/**
 * After a low rating the resident may ask for a review of the answer, once per answer. A supervisor then either
 * reopens the appeal (a fresh legal term, through the lifecycle's own 'reopen') or confirms the closure with a
 * reason the resident sees. The decision and the appeal's change are one transaction.
 */
import { and, eq } from 'drizzle-orm';
import type { AppealStatus } from '@shaar/contracts';
import type { Tx } from '../../platform/db/database.js';
import { appeals, reviewRequests } from '../../platform/db/schema.js';
import { writeAudit } from '../../platform/audit.js';
import { AppError, errors } from '../../platform/http/errors.js';
import { announceAppealEvent } from '../notifications/appeal-events.js';
import { markScorecardsStale } from '../scorecards/scorecard-staleness.js';
import { applyAppealAction, loadActionReference, type ActionReference } from '../appeals/change-appeal-status.js';
import type { StaffPrincipal } from '../auth/principal.js';
import { reviewOffered } from './rating-rules.js';
import { latestAnswerId, ownAnswer, ratingOf, reviewOf } from './ratings.queries.js';
import type { Place, RatingsDeps } from './rate-answer.js';

export async function requestReview(d: RatingsDeps, at: Place, citizenId: string, appealId: string, answerId: string, reason: string | undefined) {
  const m = at.municipalityId;
  return d.db.transaction(async (tx) => {
    // The appeal's row is locked: a supervisor reopening it meanwhile waits, so "answered or closed" holds.
    const { appeal, answer } = await ownAnswer(tx, m, citizenId, appealId, answerId, true);
    if (await reviewOf(tx, m, answerId)) throw new AppError(409, 'review_already_requested', 'error.review_already_requested');
    const rating = await ratingOf(tx, m, answerId);
    const offered = reviewOffered({
      rating, hasReview: false, isLatestAnswer: (await latestAnswerId(tx, m, appealId)) === answerId, appealStatus: appeal.status,
    });
    if (!offered) throw new AppError(409, 'review_not_offered', 'error.review_not_offered');
    const now = d.clock.now();
    const [review] = await tx.insert(reviewRequests).values({
      municipalityId: m, appealId, answerId, citizenId, serviceId: answer.serviceId, reason: reason ? reason : null, createdAt: now,
    }).returning();
    await writeAudit(tx, {
      municipalityId: m, actor: { kind: 'citizen', id: citizenId }, entityType: 'appeal', entityId: appealId, action: 'request_review',
      after: { answerId, reviewRequestId: review!.id }, reason: review!.reason, at: now,
    });
    await announceAppealEvent(tx, {
      municipalityId: m, appealId, event: 'review_requested', key: review!.id, at: now,
      details: { answerId, reviewRequestId: review!.id, serviceId: answer.serviceId, executorId: answer.authorId, overall: rating!.overall, solved: rating!.solved },
    });
    await markScorecardsStale(tx, m, now);
    return review!;
  });
}

export type ReviewDecision = 'reopened' | 'closure_confirmed';

/** A supervisor's decision on a pending review request. */
export async function decideReview(d: RatingsDeps, at: Place, staff: StaffPrincipal, reviewId: string, decision: ReviewDecision, reason: string) {
  const m = at.municipalityId;
  // Read before the transaction: these caches read through `db`, and PGlite has one connection.
  const ref = await loadActionReference(d, m);
  return d.db.transaction(async (tx) => {
    const [found] = await tx.select({ appealId: reviewRequests.appealId }).from(reviewRequests)
      .where(and(eq(reviewRequests.municipalityId, m), eq(reviewRequests.id, reviewId))).limit(1);
    if (!found) throw errors.notFound('review request');
    // Lock order appeal → request, as the resident's request takes them: two decisions never interleave.
    const [appeal] = await tx.select().from(appeals).where(and(eq(appeals.municipalityId, m), eq(appeals.id, found.appealId))).for('update').limit(1);
    const [review] = await tx.select().from(reviewRequests).where(and(eq(reviewRequests.municipalityId, m), eq(reviewRequests.id, reviewId))).for('update').limit(1);
    if (review!.status !== 'pending') throw new AppError(409, 'review_already_decided', 'error.review_already_decided');

    // The resident hears one message, the decision with its reason (review_decided below), not also 'reopened'/'closed'.
    if (decision === 'reopened') await applyAppealAction(tx, ref, d.clock, m, at.timezone, appeal!.id, staff, { action: 'reopen', reason }, undefined, { announce: false });
    else await confirmClosure(tx, d, ref, at, staff, appeal!, reason);
    const now = d.clock.now();
    const [decided] = await tx.update(reviewRequests).set({ status: decision, decidedById: staff.id, decidedAt: now, decisionReason: reason })
      .where(and(eq(reviewRequests.municipalityId, m), eq(reviewRequests.id, reviewId))).returning();
    await writeAudit(tx, {
      municipalityId: m, actor: { kind: 'staff', id: staff.id }, entityType: 'appeal', entityId: appeal!.id, action: 'decide_review',
      before: { reviewRequestId: reviewId, reviewStatus: 'pending' }, after: { reviewRequestId: reviewId, reviewStatus: decision, answerId: review!.answerId },
      reason, at: now,
    });
    await announceAppealEvent(tx, {
      municipalityId: m, appealId: appeal!.id, event: 'review_decided', key: reviewId, at: now,
      details: { decision, reason, reviewRequestId: reviewId, answerId: review!.answerId },
    });
    const [after] = await tx.select({ status: appeals.status, version: appeals.version, dueDate: appeals.dueDate }).from(appeals)
      .where(and(eq(appeals.municipalityId, m), eq(appeals.id, appeal!.id))).limit(1);
    return { review: decided!, appeal: { id: appeal!.id, status: after!.status as AppealStatus, version: after!.version, dueDate: after!.dueDate } };
  });
}

/** The answer stands: an answered appeal is closed with the supervisor's reason; a closed one stays closed. */
async function confirmClosure(
  tx: Tx, d: RatingsDeps, ref: ActionReference, at: Place, staff: StaffPrincipal,
  appeal: typeof appeals.$inferSelect, reason: string,
) {
  if (appeal.status === 'answered') return applyAppealAction(tx, ref, d.clock, at.municipalityId, at.timezone, appeal.id, staff, { action: 'close', reason }, undefined, { announce: false });
  if (appeal.status === 'closed') return null;
  // Reopened or redirected since the request: there is no closure left to confirm.
  throw new AppError(409, 'transition_not_allowed', 'error.transition_not_allowed', { status: appeal.status, action: 'close' });
}
