/**
 * HTTP routes of extension requests: an executor asks, supervisors decide from their queue. Handlers authorise,
 * call a use case and present; no SQL here.
 */
import { z } from 'zod';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import type { StaffRole, WorkingCalendar } from '@shaar/contracts';
import type { RouteOptions } from '../../app.js';
import { commonErrors, decodeCursor, encodeCursor, IdParams, IsoDate, LocalizedText, MunicipalityParams } from '../../platform/http/schemas.js';
import { AppError, errors } from '../../platform/http/errors.js';
import { requireStaff } from '../auth/principal.js';
import { loadAppeal } from '../appeals/appeals.queries.js';
import type { Directory } from '../directory/directory.cache.js';
import {
  checkAppealAccess, decideExtension, EXTENSION_REQUEST_STATUSES, listExtensionRequests, requestExtension, type ExtensionRequestRow,
} from './extension-requests.js';
import type { DeadlineRule } from './working-time.js';

/** Who decides: the roles the lifecycle lets extend. */
const DECIDERS: readonly StaffRole[] = ['supervisor', 'admin'];

const reason = z.string().trim().max(2000);
const RequestBody = z.object({
  days: z.number().int().min(1).max(60).describe('Working days to add to the due date'),
  reason: reason.min(3).describe('Why more time is needed (shown to the supervisor; on approval, to the resident too)'),
}).strict();
const ApproveBody = z.object({ reason: reason.min(1).optional().describe("The supervisor's note to the requester") }).strict();
const RejectBody = z.object({ reason: reason.min(3).describe('Why the request is refused (told to the requester)') }).strict();

const Person = z.object({ id: z.uuid(), name: z.string().nullable() });
const ExtensionRequestOut = z.object({
  id: z.uuid(),
  appealId: z.uuid(),
  registrationNumber: z.string(),
  subject: z.string(),
  appealStatus: z.string(),
  service: z.object({ id: z.uuid(), name: LocalizedText }).nullable(),
  dueDate: IsoDate.describe("The appeal's due date now (after an approval: the extended one)"),
  dueDateIfApproved: IsoDate.nullable().describe('While pending: the due date an approval would set'),
  extensionDaysLeft: z.number().int().describe('Working days the rule still allows to add'),
  days: z.number().int(),
  reason: z.string(),
  status: z.enum(EXTENSION_REQUEST_STATUSES),
  requestedBy: Person,
  createdAt: z.string(),
  decidedBy: Person.nullable(),
  decidedAt: z.string().nullable(),
  decisionReason: z.string().nullable(),
});
const Cursor = z.tuple([z.iso.datetime({ offset: true }), z.uuid()]);
const QueueQuery = z.object({
  status: z.enum(EXTENSION_REQUEST_STATUSES).default('pending'),
  cursor: z.string().max(500).optional(),
  limit: z.coerce.number().int().min(1).max(200).default(50),
}).strict();

const tag = <S extends object>(summary: string, schema: S) => ({ tags: ['extension requests'], summary, security: [{ session: [] }], ...schema });

function present(r: ExtensionRequestRow, dir: Directory, calendar: WorkingCalendar, rules: DeadlineRule[]) {
  const q = r.request;
  const service = r.appeal.serviceId ? dir.services.get(r.appeal.serviceId) : undefined;
  const max = rules.find((x) => x.id === r.appeal.deadlineRuleId)?.maxExtensionDays ?? 0;
  return {
    id: q.id, appealId: q.appealId, registrationNumber: r.appeal.registrationNumber, subject: r.appeal.subject, appealStatus: r.appeal.status,
    service: service ? { id: service.id, name: service.name } : null,
    dueDate: r.appeal.dueDate,
    dueDateIfApproved: q.status === 'pending' ? calendar.addWorkingDays(r.appeal.dueDate, q.days) : null,
    extensionDaysLeft: Math.max(0, max - r.appeal.extensionDays),
    days: q.days, reason: q.reason, status: q.status as (typeof EXTENSION_REQUEST_STATUSES)[number],
    requestedBy: { id: q.requestedById, name: r.requesterName },
    createdAt: q.createdAt.toISOString(),
    decidedBy: q.decidedById ? { id: q.decidedById, name: r.deciderName } : null,
    decidedAt: q.decidedAt ? q.decidedAt.toISOString() : null,
    decisionReason: q.decisionReason,
  };
}

export const extensionRequestRoutes: FastifyPluginAsyncZod<RouteOptions> = async (app, { services }) => {
  const { municipalities, database, directory, workingTime, clock } = services;
  const db = database.db;
  const deps = { db, clock, workingTime, directory };

  const presenter = async (municipalityId: string) => {
    const [dir, { calendar, rules }] = await Promise.all([directory.get(municipalityId), workingTime.snapshot(municipalityId)]);
    return (r: ExtensionRequestRow) => present(r, dir, calendar, rules);
  };
  const one = async (municipalityId: string, id: string) => {
    const [row] = await listExtensionRequests(db, municipalityId, { id });
    if (!row) throw errors.notFound('extension_request');
    return (await presenter(municipalityId))(row);
  };

  app.post('/api/v1/m/:municipality/appeals/:id/extension-requests', {
    schema: tag("Ask a supervisor for more working days (the appeal's executor or service head; one pending request per appeal)", {
      params: IdParams, body: RequestBody, response: { 201: ExtensionRequestOut, ...commonErrors },
    }),
  }, async (req, reply) => {
    const m = await municipalities.bySlug(req.params.municipality);
    const staff = requireStaff(req, m.id);
    const id = await requestExtension(deps, m, req.params.id, staff, req.body);
    return reply.status(201).send(await one(m.id, id));
  });

  app.get('/api/v1/m/:municipality/appeals/:id/extension-requests', {
    schema: tag("An appeal's extension requests, newest first", {
      params: IdParams, response: { 200: z.object({ items: z.array(ExtensionRequestOut) }), ...commonErrors },
    }),
  }, async (req) => {
    const m = await municipalities.bySlug(req.params.municipality);
    const staff = requireStaff(req, m.id);
    const appeal = await loadAppeal(db, m.id, req.params.id);
    if (!appeal) throw errors.notFound('appeal');
    checkAppealAccess(staff, appeal);
    const show = await presenter(m.id);
    return { items: (await listExtensionRequests(db, m.id, { appealId: appeal.id, order: 'newest' })).map(show) };
  });

  app.get('/api/v1/m/:municipality/extension-requests', {
    schema: tag('The queue of extension requests (supervisors and admins), oldest first', {
      params: MunicipalityParams, querystring: QueueQuery,
      response: { 200: z.object({ items: z.array(ExtensionRequestOut), nextCursor: z.string().nullable() }), ...commonErrors },
    }),
  }, async (req) => {
    const m = await municipalities.bySlug(req.params.municipality);
    requireStaff(req, m.id, DECIDERS);
    const after = decodeCursor(req.query.cursor, Cursor);
    if (req.query.cursor && !after) throw new AppError(400, 'validation_failed', 'error.validation_failed', {}, [{ in: 'querystring', path: 'cursor', code: 'invalid' }]);
    const limit = req.query.limit;
    const rows = await listExtensionRequests(db, m.id, { status: req.query.status, after, limit: limit + 1, order: 'oldest' });
    const page = rows.slice(0, limit);
    const last = page[page.length - 1];
    const show = await presenter(m.id);
    return {
      items: page.map(show),
      nextCursor: rows.length > limit && last ? encodeCursor([last.request.createdAt.toISOString(), last.request.id]) : null,
    };
  });

  app.post('/api/v1/m/:municipality/extension-requests/:id/approve', {
    schema: tag('Approve: the appeal is extended by the requested days with the request\'s reason, and the resident told', {
      params: IdParams, body: ApproveBody, response: { 200: ExtensionRequestOut, ...commonErrors },
    }),
  }, async (req) => {
    const m = await municipalities.bySlug(req.params.municipality);
    const staff = requireStaff(req, m.id, DECIDERS);
    await decideExtension(deps, m, req.params.id, staff, 'approve', req.body.reason);
    return one(m.id, req.params.id);
  });

  app.post('/api/v1/m/:municipality/extension-requests/:id/reject', {
    schema: tag('Refuse, with a reason told to the requester; the due date stays', {
      params: IdParams, body: RejectBody, response: { 200: ExtensionRequestOut, ...commonErrors },
    }),
  }, async (req) => {
    const m = await municipalities.bySlug(req.params.municipality);
    const staff = requireStaff(req, m.id, DECIDERS);
    await decideExtension(deps, m, req.params.id, staff, 'refuse', req.body.reason);
    return one(m.id, req.params.id);
  });
};
