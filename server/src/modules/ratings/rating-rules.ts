/**
 * The rules of the resident's rating, in one place: the routes, the use cases and the appeal presenters all ask
 * the same questions (is this rating low? may it still be changed? is a review on offer?).
 */
import type { AppealStatus } from '@shaar/contracts';

export const SOLVED_VALUES = ['yes', 'partly', 'no'] as const;
export type Solved = (typeof SOLVED_VALUES)[number];

export const FOLLOW_UP_JOB = 'ratings.follow_up';
const DAY_MS = 86_400_000;

/** A low rating offers the resident a review: overall 1–2, or "not solved". */
export function isLowRating(r: { overall: number; solved: string }): boolean {
  return r.overall <= 2 || r.solved === 'no';
}

/** The resident may change their rating until this instant: `editDays` days after they first gave it. */
export function ratingEditableUntil(firstRatedAt: Date, editDays: number): Date {
  return new Date(firstRatedAt.getTime() + editDays * DAY_MS);
}

export function followUpDueAt(ratedAt: Date, followUpDays: number): Date {
  return new Date(ratedAt.getTime() + followUpDays * DAY_MS);
}

/** A review can be asked of the answer that stands: the latest one, on an appeal that was answered or closed. */
export const REVIEWABLE_STATUSES: readonly AppealStatus[] = ['answered', 'closed'];

export function reviewOffered(o: {
  rating: { overall: number; solved: string } | null; hasReview: boolean; isLatestAnswer: boolean; appealStatus: string;
}): boolean {
  return o.rating !== null && isLowRating(o.rating) && !o.hasReview && o.isLatestAnswer
    && (REVIEWABLE_STATUSES as readonly string[]).includes(o.appealStatus);
}
