/**
 * HTTP routes of the appeals registry. Handlers authorise, call a use case and present; no SQL here.
 */
import { z } from 'zod';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { isServiceScoped, localDate, type Locale } from '@shaar/contracts';
import type { RouteOptions } from '../../app.js';
import { commonErrors, ErrorResponse, IdParams, MunicipalityParams } from '../../platform/http/schemas.js';
import { AppError, errors } from '../../platform/http/errors.js';
import { translate } from '../../platform/i18n/messages.js';
import { actorOf, requireCitizen, requireStaff, type StaffPrincipal } from '../auth/principal.js';
import {
  AnswerBody, AppealDetail, AppealListQuery, AppealSummary, AssignBody, CloseBody, ExtendBody, LeaveBody, LinkBody, NoteBody,
  Page, ReceptionAppealBody, RedirectBody, ReopenBody, StaffAppealDetail, StartBody, SubmitAppealBody, AttachmentOut,
} from './appeals.schemas.js';
import { listAppeals, loadAppeal, loadAppealRecord } from './appeals.queries.js';
import { presentForResident, presentForStaff, presentSummary } from './appeals.presenter.js';
import { canActOn, type ActionPayload } from './change-appeal-status.js';
import { safeFileName } from '../../platform/files/file-name.js';

const Registered = z.object({
  id: z.uuid(), registrationNumber: z.string().describe('e.g. BSK-2026-000123'), dueDate: z.string().describe('The legal due date of the answer'),
  status: z.literal('registered'),
});
const IdempotencyHeaders = z.object({
  'idempotency-key': z.string().min(8).max(200).optional().describe('A retry with the same key returns the same appeal, never a second one'),
});
const ChangeResult = z.object({
  id: z.uuid(), status: z.string(), version: z.number().int(),
  answerId: z.uuid().optional().describe('After answer: the new answer, e.g. to attach files to it'),
});

export const appealRoutes: FastifyPluginAsyncZod<RouteOptions> = async (app, { services }) => {
  const { municipalities, appeals: useCases, database, clock, workingTime } = services;
  const db = database.db;

  app.post('/api/v1/m/:municipality/appeals', {
    schema: {
      tags: ['appeals'], summary: 'File an appeal electronically (a signed-in citizen, or an integrator with appeals:write)',
      security: [{ session: [] }, { bearer: [] }, { apiKey: [] }],
      params: MunicipalityParams, headers: IdempotencyHeaders, body: SubmitAppealBody,
      response: { 200: Registered, 201: Registered, ...commonErrors },
    },
  }, async (req, reply) => {
    const m = await municipalities.bySlug(req.params.municipality);
    const p = req.principal;
    if (!p) throw errors.unauthorized();
    const b = req.body;
    let applicant = b.applicant;
    let citizenId: string | null = null;
    let channel = b.channel ?? 'web';
    if (p.kind === 'citizen') {
      citizenId = p.id;
      if (b.channel && b.channel !== 'web' && b.channel !== 'mobile_app') throw errors.forbidden();
      const fullName = applicant?.fullName ?? p.fullName;
      if (!fullName) throw new AppError(400, 'validation_failed', 'error.validation_failed', {}, [{ in: 'body', path: 'applicant.fullName', code: 'invalid_type', message: translate(req.locale, 'issue.required') }]);
      applicant = { ...applicant, fullName, email: applicant?.email ?? p.email ?? undefined, phone: applicant?.phone ?? p.phone ?? undefined };
    } else if (p.kind === 'integrator') {
      if (p.municipalityId !== m.id || !p.scopes.includes('appeals:write')) throw errors.forbidden();
      if (!applicant) throw new AppError(400, 'validation_failed', 'error.validation_failed', {}, [{ in: 'body', path: 'applicant', code: 'invalid_type', message: translate(req.locale, 'issue.required') }]);
      channel = b.channel ?? 'mobile_app';
    } else {
      throw errors.forbidden();
    }
    const result = await useCases.register(m, {
      ...b, channel, applicant: applicant!, language: b.language ?? req.locale, citizenId,
      idempotencyKey: req.headers['idempotency-key'], source: p.kind === 'integrator' ? `integrator:${p.name}` : undefined,
    }, actorOf(p));
    if (result.replayed) reply.header('idempotent-replayed', 'true');
    return reply.status(result.replayed ? 200 : 201).send({ id: result.id, registrationNumber: result.registrationNumber, dueDate: result.dueDate, status: 'registered' as const });
  });

  app.post('/api/v1/m/:municipality/reception/appeals', {
    schema: {
      tags: ['appeals'], summary: 'Register an appeal received in person, by phone or by letter (operators)',
      security: [{ session: [] }], params: MunicipalityParams, headers: IdempotencyHeaders, body: ReceptionAppealBody,
      response: { 200: Registered, 201: Registered, ...commonErrors },
    },
  }, async (req, reply) => {
    const m = await municipalities.bySlug(req.params.municipality);
    const staff = requireStaff(req, m.id, ['operator', 'admin', 'supervisor']);
    const b = req.body;
    const result = await useCases.register(m, {
      ...b, language: b.language ?? req.locale, receivedAt: b.receivedAt ? new Date(b.receivedAt) : undefined,
      idempotencyKey: req.headers['idempotency-key'],
    }, actorOf(staff));
    if (result.replayed) reply.header('idempotent-replayed', 'true');
    return reply.status(result.replayed ? 200 : 201).send({ id: result.id, registrationNumber: result.registrationNumber, dueDate: result.dueDate, status: 'registered' as const });
  });

  app.get('/api/v1/m/:municipality/appeals', {
    schema: {
      tags: ['appeals'], summary: "Staff inbox: appeals with filters (executors see their service's)",
      security: [{ session: [] }], params: MunicipalityParams, querystring: AppealListQuery,
      response: { 200: Page(AppealSummary), ...commonErrors },
    },
  }, async (req) => {
    const m = await municipalities.bySlug(req.params.municipality);
    const staff = requireStaff(req, m.id);
    const onlyExecutor = isServiceScoped(staff.roles);
    const page = await listAppeals(db, workingTime, { municipalityId: m.id, timezone: m.timezone, now: clock.now(), serviceId: onlyExecutor ? staff.serviceId ?? '00000000-0000-0000-0000-000000000000' : null }, req.query);
    return { items: page.items.map((r) => presentSummary(r, page.today)), nextCursor: page.nextCursor };
  });

  const staffAppeal = async (req: { params: { municipality: string; id: string } } & Parameters<typeof requireStaff>[0]) => {
    const m = await municipalities.bySlug(req.params.municipality);
    const staff = requireStaff(req, m.id);
    const row = await loadAppeal(db, m.id, req.params.id);
    if (!row) throw errors.notFound('appeal');
    if (isServiceScoped(staff.roles) && !canActOn(staff, row)) throw errors.notFound('appeal');
    return { m, staff, row };
  };

  app.get('/api/v1/m/:municipality/appeals/:id', {
    schema: { tags: ['appeals'], summary: 'An appeal with its applicant, answers, files, notes, timeline and allowed actions', security: [{ session: [] }], params: IdParams, response: { 200: StaffAppealDetail, ...commonErrors } },
  }, async (req) => {
    const { m, staff, row } = await staffAppeal(req);
    const rec = await loadAppealRecord(db, m.id, row.id);
    return presentForStaff(m.slug, row, rec, localDate(clock.now(), m.timezone), staff.roles);
  });

  app.get('/api/v1/m/:municipality/appeals/:id/audit', {
    schema: {
      tags: ['appeals'], summary: 'The audit log of an appeal: every step with actor, time, before, after and reason',
      security: [{ session: [] }], params: IdParams,
      response: { 200: z.object({ items: z.array(z.object({
        id: z.number().int(), at: z.string(), actorKind: z.string(), actorId: z.string().nullable(), actorName: z.string().nullable(),
        action: z.string(), before: z.unknown(), after: z.unknown(), reason: z.string().nullable(), isPublic: z.boolean(),
      })) }), ...commonErrors },
    },
  }, async (req) => {
    const { m, row } = await staffAppeal(req);
    const rec = await loadAppealRecord(db, m.id, row.id);
    return { items: rec.audit.map(({ entry, actorName }) => ({
      id: entry.id, at: entry.occurredAt.toISOString(), actorKind: entry.actorKind, actorId: entry.actorId, actorName,
      action: entry.action, before: entry.before, after: entry.after, reason: entry.reason, isPublic: entry.isPublic,
    })) };
  });

  // ---- the resident's "My appeals" --------------------------------------------------------------------------

  app.get('/api/v1/m/:municipality/my/appeals', {
    schema: {
      tags: ['my appeals'], summary: "A citizen's own appeals", security: [{ session: [] }, { bearer: [] }], params: MunicipalityParams,
      querystring: AppealListQuery.pick({ status: true, cursor: true, limit: true }),
      response: { 200: Page(AppealSummary), ...commonErrors },
    },
  }, async (req) => {
    const m = await municipalities.bySlug(req.params.municipality);
    const citizen = requireCitizen(req);
    const page = await listAppeals(db, workingTime, { municipalityId: m.id, timezone: m.timezone, now: clock.now(), citizenId: citizen.id }, req.query);
    return { items: page.items.map((r) => ({ ...presentSummary(r, page.today), executorId: null })), nextCursor: page.nextCursor };
  });

  app.get('/api/v1/m/:municipality/my/appeals/:id', {
    schema: {
      tags: ['my appeals'], summary: "A citizen's appeal: its public timeline and the Response (answers with files)",
      security: [{ session: [] }, { bearer: [] }], params: IdParams, response: { 200: AppealDetail, ...commonErrors },
    },
  }, async (req) => {
    const m = await municipalities.bySlug(req.params.municipality);
    const citizen = requireCitizen(req);
    const row = await loadAppeal(db, m.id, req.params.id);
    // Someone else's appeal is "not found", not "forbidden": its existence is nobody else's business.
    if (!row || row.citizenId !== citizen.id) throw errors.notFound('appeal');
    const rec = await loadAppealRecord(db, m.id, row.id);
    return { ...presentForResident(m.slug, row, rec, localDate(clock.now(), m.timezone), services.config.ratingEditDays, clock.now()), executorId: null };
  });

  // ---- lifecycle actions ------------------------------------------------------------------------------------

  const actions = [
    ['assign', AssignBody, 'Assign to a service and/or an executor'],
    ['start', StartBody, 'The executor starts work'],
    ['redirect', RedirectBody, 'Hand to another service or an outside body, with reason'],
    ['extend', ExtendBody, 'Extend the deadline by working days, with reason, within the limit'],
    ['answer', AnswerBody, 'Answer the resident (in the language of the appeal by default)'],
    ['close', CloseBody, 'Close an answered or redirected appeal'],
    ['reopen', ReopenBody, 'Reopen, with reason; a fresh legal term starts'],
    ['leave-without-consideration', LeaveBody, 'Leave without consideration, with the legal ground'],
  ] as const;
  for (const [path, body, summary] of actions) {
    app.post(`/api/v1/m/:municipality/appeals/:id/${path}`, {
      schema: {
        tags: ['appeal lifecycle'], summary, security: [{ session: [] }], params: IdParams, body,
        headers: z.object({ 'if-match': z.string().regex(/^"?\d+"?$/).optional().describe('The version you saw; 409 if the appeal changed since') }),
        response: { 200: ChangeResult, ...commonErrors },
      },
    }, async (req) => {
      const m = await municipalities.bySlug(req.params.municipality);
      const staff: StaffPrincipal = requireStaff(req, m.id);
      const action = path === 'leave-without-consideration' ? 'leave_without_consideration' : path;
      const ifMatch = req.headers['if-match'];
      const result = await useCases.change(m, req.params.id, staff, { action, ...(req.body as object) } as ActionPayload,
        ifMatch ? Number(ifMatch.replaceAll('"', '')) : undefined);
      return { id: req.params.id, ...result };
    });
  }

  app.post('/api/v1/m/:municipality/appeals/:id/notes', {
    schema: {
      tags: ['appeals'], summary: 'An internal note (never shown to the resident)', security: [{ session: [] }], params: IdParams, body: NoteBody,
      response: { 201: z.object({ id: z.uuid(), createdAt: z.string() }), ...commonErrors },
    },
  }, async (req, reply) => {
    const m = await municipalities.bySlug(req.params.municipality);
    const note = await useCases.addNote(m, req.params.id, requireStaff(req, m.id), req.body.body);
    return reply.status(201).send({ id: note.id, createdAt: note.createdAt.toISOString() });
  });

  app.post('/api/v1/m/:municipality/appeals/:id/links', {
    schema: {
      tags: ['appeals'], summary: 'Mark as a duplicate of, or a repeat of, another appeal (null clears)', security: [{ session: [] }],
      params: IdParams, body: LinkBody, response: { 200: ChangeResult, ...commonErrors },
    },
  }, async (req) => {
    const m = await municipalities.bySlug(req.params.municipality);
    const row = await useCases.link(m, req.params.id, requireStaff(req, m.id, ['admin', 'operator', 'supervisor', 'executor']), req.body);
    return { id: row.id, status: row.status, version: row.version };
  });

  // ---- files ------------------------------------------------------------------------------------------------

  app.post('/api/v1/m/:municipality/appeals/:id/attachments', {
    schema: {
      tags: ['appeals'], summary: 'Attach a file (multipart field "file"; optional field "answerId"): photo, scan or PDF',
      consumes: ['multipart/form-data'], security: [{ session: [] }, { bearer: [] }], params: IdParams,
      response: { 201: AttachmentOut, ...commonErrors, 413: ErrorResponse, 415: ErrorResponse },
    },
  }, async (req, reply) => {
    const m = await municipalities.bySlug(req.params.municipality);
    const p = req.principal;
    if (!p) throw errors.unauthorized();
    const row = await loadAppeal(db, m.id, req.params.id);
    if (!row) throw errors.notFound('appeal');
    if (p.kind === 'citizen') { if (row.citizenId !== p.id) throw errors.notFound('appeal'); }
    else if (p.kind === 'staff') { if (p.municipalityId !== m.id || !canActOn(p, row)) throw errors.forbidden(); }
    else throw errors.forbidden();
    if (!req.isMultipart()) throw new AppError(415, 'unsupported_media_type', 'error.unsupported_media_type');
    // A body that is not multipart at all (no boundary, garbage, cut short) makes the parser throw a plain Error:
    // that is bad input, not a server fault.
    const file = await req.file().catch((err: unknown) => { throw asClientUploadError(err) ?? err; });
    if (!file) throw new AppError(400, 'validation_failed', 'error.validation_failed', {}, [{ in: 'body', path: 'file', code: 'invalid_type' }]);
    const answerField = file.fields.answerId;
    const answerId = answerField && 'value' in answerField ? String(answerField.value) : undefined;
    if (answerId !== undefined) {
      // Only staff attach files to an answer, and only to an answer of this appeal (not any UUID-looking text).
      const isAnswer = p.kind === 'staff' && z.uuid().safeParse(answerId).success
        && (await loadAppealRecord(db, m.id, row.id)).answers.some((a) => a.id === answerId);
      if (!isAnswer) { file.file.resume(); throw errors.invalidReference('answerId'); }
    }
    const saved = await useCases.attach(m, row.id, actorOf(p), { fileName: safeFileName(file.filename, file.mimetype), contentType: file.mimetype, stream: file.file }, answerId)
      // The upload stream itself failed (the body was cut short…): the parser destroyed it with its error.
      .catch((err: unknown) => { throw (file.file.errored && asClientUploadError(err)) || err; });
    return reply.status(201).send({
      id: saved.id, fileName: saved.fileName, contentType: saved.contentType, sizeBytes: saved.sizeBytes, answerId: saved.answerId,
      url: `/api/v1/m/${m.slug}/attachments/${saved.id}`,
    });
  });

  app.get('/api/v1/m/:municipality/attachments/:id', {
    schema: {
      tags: ['appeals'], summary: 'Download a file (its appeal\'s resident, or staff)', security: [{ session: [] }, { bearer: [] }], params: IdParams,
      response: {
        // The file is not JSON: documented per content type, and sent as a stream (never serialised).
        200: { description: 'The file, with the content type it was accepted as', content: Object.fromEntries(
          ['image/jpeg', 'image/png', 'image/webp', 'image/heic', 'application/pdf'].map((type) => [type, { schema: z.string().describe('binary') }])) },
        ...commonErrors,
      },
    },
  }, async (req, reply) => {
    const m = await municipalities.bySlug(req.params.municipality);
    const p = req.principal;
    if (!p) throw errors.unauthorized();
    const file = await useCases.attachment(m, req.params.id);
    if (!file) throw errors.notFound('attachment');
    if (p.kind === 'citizen') {
      const row = await loadAppeal(db, m.id, file.appealId);
      if (row?.citizenId !== p.id) throw errors.notFound('attachment');
    } else if (p.kind !== 'staff' || p.municipalityId !== m.id) throw errors.forbidden();
    else if (isServiceScoped(p.roles)) {
      // An executor sees only their service's appeals (GET /appeals/:id answers 404); so with their files.
      const row = await loadAppeal(db, m.id, file.appealId);
      if (!row || !canActOn(p, row)) throw errors.notFound('attachment');
    }
    const stream = await useCases.openFile(file.storageKey);
    return reply
      .header('content-type', file.contentType)
      .header('content-length', String(file.sizeBytes))
      .header('content-disposition', `attachment; filename*=UTF-8''${encodeURIComponent(file.fileName)}`)
      .header('x-content-type-options', 'nosniff')
      .header('cache-control', 'private, max-age=0')
      // The 200 schema documents the bytes as a string; what is sent is the stream of them.
      .send(stream as unknown as string);
  });
};

/**
 * An error from reading a multipart body that the client caused: busboy throws plain Errors (no `code`, no
 * status) for a missing boundary, a malformed part header or a body cut short. Errors with a system `code`
 * (a full disk…) or an HTTP status are left alone.
 */
function asClientUploadError(err: unknown): AppError | null {
  if (!(err instanceof Error) || err instanceof AppError) return null;
  if ((err as { code?: unknown }).code !== undefined || (err as { statusCode?: unknown }).statusCode !== undefined) return null;
  return new AppError(400, 'validation_failed', 'error.validation_failed', {}, [{ in: 'body', path: 'file', code: 'malformed_multipart' }]);
}

export type { Locale };
