/**
 * HTTP routes of the resident's rating of each answer, review requests and the 'still solved?' follow-up.
 * Only the resident writes a rating; staff read it and decide review requests. Handlers authorise, call a use
 * case and present.
 */
import { z } from 'zod';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import type { FastifyRequest } from 'fastify';
import type { AppealStatus, StaffRole } from '@shaar/contracts';
import type { RouteOptions } from '../../app.js';
import { commonErrors, MunicipalityParams } from '../../platform/http/schemas.js';
import { requireCitizen, requireStaff } from '../auth/principal.js';
import {
  AnswerParams, DecisionBody, DecisionResult, FollowUpBody, FollowUpResult, RatingBody, ResidentAnswerRating, ReviewOut,
  ReviewRequestBody, ReviewRequestItem, ReviewRequestListQuery, ReviewRequestParams,
} from './ratings.schemas.js';
import { rateAnswer, type RatingsDeps } from './rate-answer.js';
import { decideReview, requestReview, type ReviewDecision } from './review-requests.js';
import { answerFollowUp } from './follow-up.js';
import { listReviewRequests } from './ratings.queries.js';
import { presentReview, ratingFigures, type ReviewStatus } from './ratings.presenter.js';

/** Who decides review requests; service heads may follow their own service's queue. */
const DECIDERS: readonly StaffRole[] = ['supervisor', 'admin'];
const QUEUE_READERS: readonly StaffRole[] = [...DECIDERS, 'service_head'];

const iso = (d: Date | null) => (d ? d.toISOString() : null);

export function ratingsDeps(services: RouteOptions['services']): RatingsDeps {
  const { database, clock, workingTime, directory, config } = services;
  return { db: database.db, clock, workingTime, directory, ratingEditDays: config.ratingEditDays, followUpDays: config.followUpDays };
}

export const ratingRoutes: FastifyPluginAsyncZod<RouteOptions> = async (app, { services }) => {
  const { municipalities } = services;
  const deps = ratingsDeps(services);
  const my = '/api/v1/m/:municipality/my/appeals/:id/answers/:answerId';

  const resident = async (req: FastifyRequest & { params: { municipality: string } }) => {
    const m = await municipalities.bySlug(req.params.municipality);
    return { place: { municipalityId: m.id, timezone: m.timezone }, citizen: requireCitizen(req) };
  };

  app.put(`${my}/rating`, {
    schema: {
      tags: ['ratings'], summary: "The resident rates an answer of their appeal (201 first time, 200 on a change within the edit window)",
      security: [{ session: [] }, { bearer: [] }], params: AnswerParams, body: RatingBody,
      response: { 200: ResidentAnswerRating, 201: ResidentAnswerRating, ...commonErrors },
    },
  }, async (req, reply) => {
    const { place, citizen } = await resident(req);
    const { created, view } = await rateAnswer(deps, place, citizen.id, req.params.id, req.params.answerId, req.body);
    return reply.status(created ? 201 : 200).send(view);
  });

  app.post(`${my}/review-request`, {
    schema: {
      tags: ['ratings'], summary: 'After a low rating of the latest answer, the resident asks for a review (once per answer)',
      security: [{ session: [] }, { bearer: [] }], params: AnswerParams, body: ReviewRequestBody,
      response: { 201: ReviewOut, ...commonErrors },
    },
  }, async (req, reply) => {
    const { place, citizen } = await resident(req);
    const review = await requestReview(deps, place, citizen.id, req.params.id, req.params.answerId, req.body.reason);
    return reply.status(201).send(presentReview(review));
  });

  app.post(`${my}/follow-up`, {
    schema: {
      tags: ['ratings'], summary: "The resident's answer to 'is the problem still solved?' (once, after being asked); 'no' reopens the appeal",
      security: [{ session: [] }, { bearer: [] }], params: AnswerParams, body: FollowUpBody,
      response: { 200: FollowUpResult, ...commonErrors },
    },
  }, async (req) => {
    const { place, citizen } = await resident(req);
    return answerFollowUp(deps, place, citizen.id, req.params.id, req.params.answerId, req.body.stillSolved);
  });

  // ---- staff: the review queue and decisions ----------------------------------------------------------------

  app.get('/api/v1/m/:municipality/review-requests', {
    schema: {
      tags: ['ratings'], summary: "Residents' review requests, oldest first (supervisors and admins; service heads see their service's)",
      security: [{ session: [] }], params: MunicipalityParams, querystring: ReviewRequestListQuery,
      response: { 200: z.object({ items: z.array(ReviewRequestItem), nextCursor: z.string().nullable() }), ...commonErrors },
    },
  }, async (req) => {
    const m = await municipalities.bySlug(req.params.municipality);
    const staff = requireStaff(req, m.id, QUEUE_READERS);
    const seesAll = staff.roles.some((r) => DECIDERS.includes(r));
    const page = await listReviewRequests(deps.db, {
      municipalityId: m.id, status: req.query.status, cursor: req.query.cursor, limit: req.query.limit, ...(seesAll ? {} : { serviceId: staff.serviceId }),
    });
    return {
      items: page.items.map(({ request: r, registrationNumber, subject, appealStatus, rating }) => ({
        id: r.id, appealId: r.appealId, answerId: r.answerId, registrationNumber, subject, appealStatus: appealStatus as AppealStatus,
        serviceId: r.serviceId, status: r.status as ReviewStatus, reason: r.reason,
        rating: rating ? ratingFigures(rating) : null,
        createdAt: r.createdAt.toISOString(), decidedAt: iso(r.decidedAt), decidedById: r.decidedById, decisionReason: r.decisionReason,
      })),
      nextCursor: page.nextCursor,
    };
  });

  const decisions: [string, ReviewDecision, string][] = [
    ['reopen', 'reopened', 'Reopen the appeal with a fresh legal term (supervisors and admins)'],
    ['confirm-closure', 'closure_confirmed', 'Confirm the answer stands, with a reason the resident sees; an answered appeal is closed (supervisors and admins)'],
  ];
  for (const [path, decision, summary] of decisions) {
    app.post(`/api/v1/m/:municipality/review-requests/:id/${path}`, {
      schema: {
        tags: ['ratings'], summary, security: [{ session: [] }], params: ReviewRequestParams, body: DecisionBody,
        response: { 200: DecisionResult, ...commonErrors },
      },
    }, async (req) => {
      const m = await municipalities.bySlug(req.params.municipality);
      const staff = requireStaff(req, m.id, DECIDERS);
      const { review, appeal } = await decideReview(deps, { municipalityId: m.id, timezone: m.timezone }, staff, req.params.id, decision, req.body.reason);
      return { id: review.id, status: review.status as ReviewDecision, decisionReason: review.decisionReason!, decidedAt: review.decidedAt!.toISOString(), appeal };
    });
  }
};
