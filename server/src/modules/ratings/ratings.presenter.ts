/**
 * How a rating, a review request and the follow-up look to the resident and to staff. The appeal presenters and
 * the rating routes both use these, so the resident sees one shape wherever it comes from.
 */
import type { answerRatings, reviewRequests } from '../../platform/db/schema.js';
import { ratingEditableUntil, reviewOffered, type Solved } from './rating-rules.js';

export type RatingRow = typeof answerRatings.$inferSelect;
export type ReviewRow = typeof reviewRequests.$inferSelect;
export type ReviewStatus = 'pending' | 'reopened' | 'closure_confirmed';

const iso = (d: Date | null) => (d ? d.toISOString() : null);

/** The figures and the comment, as staff see them in the review queue. */
export function ratingFigures(r: RatingRow) {
  return { overall: r.overall, solved: r.solved as Solved, clarity: r.clarity, accuracy: r.accuracy, onTimeFelt: r.onTimeFelt, comment: r.comment };
}

export function presentRating(r: RatingRow) {
  return { ...ratingFigures(r), createdAt: r.createdAt.toISOString(), updatedAt: r.updatedAt.toISOString() };
}

export function presentReview(v: ReviewRow) {
  return {
    id: v.id, status: v.status as ReviewStatus, reason: v.reason, decisionReason: v.decisionReason,
    createdAt: v.createdAt.toISOString(), decidedAt: iso(v.decidedAt),
  };
}

function presentFollowUp(r: RatingRow | null) {
  if (!r?.followUpAskedAt) return null;
  return { askedAt: r.followUpAskedAt.toISOString(), stillSolved: r.stillSolved, answeredAt: iso(r.followUpAnsweredAt) };
}

export interface AnswerRatingContext {
  rating: RatingRow | null;
  review: ReviewRow | null;
  isLatestAnswer: boolean;
  appealStatus: string;
  ratingEditDays: number;
  /** The server's now: whether the rating may still be changed is decided on the server's clock, not the browser's. */
  now: Date;
}

/** The resident's own rating of one answer and what they may do next. */
export function presentResidentAnswerRating(c: AnswerRatingContext) {
  return {
    rating: c.rating ? presentRating(c.rating) : null,
    ratingEditableUntil: c.rating ? ratingEditableUntil(c.rating.createdAt, c.ratingEditDays).toISOString() : null,
    ratingEditable: c.rating ? c.now < ratingEditableUntil(c.rating.createdAt, c.ratingEditDays) : true,
    reviewOffered: reviewOffered({ rating: c.rating, hasReview: c.review !== null, isLatestAnswer: c.isLatestAnswer, appealStatus: c.appealStatus }),
    review: c.review ? presentReview(c.review) : null,
    followUp: presentFollowUp(c.rating),
  };
}

/** Staff read the rating with its comment and the review request; they never write either. */
export function presentStaffAnswerRating(rating: RatingRow | null, review: ReviewRow | null) {
  return {
    rating: rating ? presentRating(rating) : null,
    review: review ? { ...presentReview(review), decidedById: review.decidedById } : null,
    followUp: presentFollowUp(rating),
  };
}
