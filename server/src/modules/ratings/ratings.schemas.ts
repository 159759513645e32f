/** Request and response shapes of ratings, review requests and the follow-up; the OpenAPI document comes from these. */
import { z } from 'zod';
import { APPEAL_STATUSES } from '@shaar/contracts';
import { IdParams, MunicipalityParams, Uuid } from '../../platform/http/schemas.js';
import { SOLVED_VALUES } from './rating-rules.js';

const score = (what: string) => z.number().int().min(1).max(5).describe(`${what}, 1 (worst) to 5 (best)`);

export const AnswerParams = IdParams.extend({ answerId: Uuid });

export const RatingBody = z.object({
  overall: score('Overall'),
  solved: z.enum(SOLVED_VALUES).describe('Was the problem solved'),
  clarity: score('How clear the answer was'),
  accuracy: score('How accurate the answer was'),
  onTimeFelt: z.boolean().describe('Did the answer come in time, as the resident felt it'),
  comment: z.string().trim().max(2000).nullable().optional().describe('Optional; omitted or null clears it'),
}).strict();

export const RatingOut = z.object({
  overall: z.number().int(), solved: z.enum(SOLVED_VALUES), clarity: z.number().int(), accuracy: z.number().int(),
  onTimeFelt: z.boolean(), comment: z.string().nullable(), createdAt: z.string().describe('When first given'), updatedAt: z.string(),
});

/** The resident's view of their review request. */
export const ReviewOut = z.object({
  id: z.uuid(),
  status: z.enum(['pending', 'reopened', 'closure_confirmed']),
  reason: z.string().nullable().describe("The resident's own reason"),
  decisionReason: z.string().nullable().describe("The supervisor's reason for the decision"),
  createdAt: z.string(),
  decidedAt: z.string().nullable(),
});

export const FollowUpOut = z.object({
  askedAt: z.string(),
  stillSolved: z.boolean().nullable().describe('null: asked and not answered yet'),
  answeredAt: z.string().nullable(),
});

/** Per answer in the resident's appeal detail, and the answer to PUT …/rating. */
export const ResidentAnswerRating = z.object({
  rating: RatingOut.nullable(),
  ratingEditableUntil: z.string().nullable().describe('Until when the rating may be changed (null: not rated yet)'),
  ratingEditable: z.boolean().describe('Whether the resident may give or change the rating now (on the server clock)'),
  reviewOffered: z.boolean().describe('A low rating of the latest answer, no request yet: the resident may request a review'),
  review: ReviewOut.nullable(),
  followUp: FollowUpOut.nullable().describe("'Is it still solved?' once asked"),
});

/** Per answer in the staff appeal detail (read-only). */
export const StaffAnswerRating = z.object({
  rating: RatingOut.nullable(),
  review: ReviewOut.extend({ decidedById: z.uuid().nullable() }).nullable(),
  followUp: FollowUpOut.nullable(),
});

export const ReviewRequestBody = z.object({
  reason: z.string().trim().max(2000).optional().describe('Why the resident disagrees with the answer'),
}).strict();

export const FollowUpBody = z.object({ stillSolved: z.boolean() }).strict();
export const FollowUpResult = FollowUpOut.extend({ appealStatus: z.enum(APPEAL_STATUSES), dueDate: z.string() });

export const DecisionBody = z.object({ reason: z.string().trim().min(3).max(2000).describe('Told to the resident') }).strict();

export const ReviewRequestStatus = z.enum(['pending', 'reopened', 'closure_confirmed']);
export const ReviewRequestListQuery = z.object({
  status: ReviewRequestStatus.optional().describe('Default: every status'),
  cursor: z.string().max(500).optional(),
  limit: z.coerce.number().int().min(1).max(200).default(50),
}).strict();

export const ReviewRequestItem = z.object({
  id: z.uuid(),
  appealId: z.uuid(),
  answerId: z.uuid(),
  registrationNumber: z.string(),
  subject: z.string(),
  appealStatus: z.enum(APPEAL_STATUSES),
  serviceId: z.uuid().nullable(),
  status: ReviewRequestStatus,
  reason: z.string().nullable(),
  rating: RatingOut.omit({ createdAt: true, updatedAt: true }).nullable(),
  createdAt: z.string(),
  decidedAt: z.string().nullable(),
  decidedById: z.uuid().nullable(),
  decisionReason: z.string().nullable(),
});

export const DecisionResult = z.object({
  id: z.uuid(), status: ReviewRequestStatus, decisionReason: z.string(), decidedAt: z.string(),
  appeal: z.object({ id: z.uuid(), status: z.enum(APPEAL_STATUSES), version: z.number().int(), dueDate: z.string() }),
});

export const ReviewRequestParams = MunicipalityParams.extend({ id: Uuid });

export type RatingInput = z.infer<typeof RatingBody>;
