/**
 * HTTP routes of the discussion: comments on plots, announcements and proposals (public reads with the city's
 * discussion rules; writes by signed-in residents and staff, never anonymous), and residents' reports of comments.
 */
import { z } from 'zod';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import type { RouteOptions } from '../../app.js';
import { AppError, errors } from '../../platform/http/errors.js';
import { commonErrors, decodeCursor, encodeCursor, IdParams, Uuid } from '../../platform/http/schemas.js';
import { requireCitizen } from '../auth/principal.js';
import { addComment, discussionRules, listComments, MAX_DEPTH, reportComment, type CommentRow, type SubjectType } from './comments.service.js';

const PATHS: Record<string, SubjectType> = { plots: 'plot', announcements: 'announcement', proposals: 'proposal' };

const CommentBody = z.object({
  body: z.string().trim().min(1).max(4000),
  parentId: Uuid.optional().describe(`A comment on the same subject to reply to (threads nest ${MAX_DEPTH} levels; deeper replies join the thread)`),
  authorName: z.string().trim().min(2).max(120).optional().describe("A resident's public name; defaults to the account's full name. Staff always show their full name"),
  official: z.boolean().optional().describe('Staff only: marks the comment as the city\'s official answer'),
}).strict();

export const CommentOut = z.object({
  id: z.uuid(), parentId: z.uuid().nullable(), createdAt: z.string(),
  hidden: z.boolean(),
  hiddenReason: z.string().nullable().describe("The moderator's public reason, when hidden"),
  body: z.string().nullable().describe('null when hidden'),
  authorName: z.string().nullable().describe('null when hidden'),
  authorKind: z.enum(['citizen', 'staff']).nullable().describe('null when hidden'),
  official: z.boolean().describe("The city's official answer"),
});
const CommentsPage = z.object({
  items: z.array(CommentOut).describe('Oldest first: a parent always comes before its replies'),
  total: z.number().int(), nextCursor: z.string().nullable(),
  rules: z.object({ ky: z.string(), ru: z.string(), en: z.string() }).describe("The city's discussion rules (the default ones until it writes its own)"),
});
const ListQuery = z.object({ cursor: z.string().max(500).optional(), limit: z.coerce.number().int().min(1).max(500).default(200) }).strict();
const Cursor = z.tuple([z.iso.datetime({ offset: true }), z.uuid()]);
const ReportBody = z.object({ reason: z.string().trim().min(3).max(500) }).strict();

/** Public view of a comment: a hidden one shows the placeholder and its reason, never its text or author. */
export function presentComment(c: CommentRow) {
  const hidden = c.hiddenAt !== null;
  return {
    id: c.id, parentId: c.parentId, createdAt: c.createdAt.toISOString(), hidden, hiddenReason: hidden ? c.hiddenReason : null,
    body: hidden ? null : c.body, authorName: hidden ? null : c.authorName, authorKind: hidden ? null : c.authorKind as 'citizen' | 'staff',
    official: !hidden && c.official,
  };
}

const CITIZEN_OR_STAFF: Array<Record<string, string[]>> = [{ session: [] }, { bearer: [] }];
const tag = <S extends object>(summary: string, schema: S) => ({ tags: ['land discussion'], summary, ...schema });

export const commentRoutes: FastifyPluginAsyncZod<RouteOptions> = async (app, { services }) => {
  const { municipalities, database, clock } = services;
  const db = database.db;
  const deps = { db, clock };

  for (const [path, type] of Object.entries(PATHS)) {
    app.post(`/api/v1/m/:municipality/land/${path}/:id/comments`, {
      schema: tag(`Comment on a ${type} (signed-in resident or staff; no anonymous comments)${type === 'announcement' ? ' while its comment period is open' : ''}`, {
        security: CITIZEN_OR_STAFF, params: IdParams, body: CommentBody, response: { 201: CommentOut, ...commonErrors },
      }),
    }, async (req, reply) => {
      const m = await municipalities.bySlug(req.params.municipality);
      const p = req.principal;
      if (!p) throw errors.unauthorized();
      if (p.kind === 'integrator') throw errors.forbidden();
      const row = await addComment(deps, m, p, { type, id: req.params.id }, req.body);
      return reply.status(201).send(presentComment(row));
    });

    app.get(`/api/v1/m/:municipality/land/${path}/:id/comments`, {
      schema: tag(`The discussion of a ${type} (public), with the city's rules`, { params: IdParams, querystring: ListQuery, response: { 200: CommentsPage, ...commonErrors } }),
    }, async (req) => {
      const m = await municipalities.bySlug(req.params.municipality);
      const after = decodeCursor(req.query.cursor, Cursor);
      if (req.query.cursor && !after) throw new AppError(400, 'validation_failed', 'error.validation_failed', {}, [{ in: 'querystring', path: 'cursor', code: 'invalid' }]);
      const { rows, total } = await listComments(db, m.id, { type, id: req.params.id }, { after, limit: req.query.limit + 1 });
      const page = rows.slice(0, req.query.limit);
      const last = page[page.length - 1];
      return {
        items: page.map(presentComment), total,
        nextCursor: rows.length > req.query.limit && last ? encodeCursor([last.createdAt.toISOString(), last.id]) : null,
        rules: await discussionRules(db, m.id),
      };
    });
  }

  app.post('/api/v1/m/:municipality/land/comments/:id/reports', {
    schema: tag('Report a comment to the moderators (signed-in resident; once per comment)', {
      security: CITIZEN_OR_STAFF, params: IdParams, body: ReportBody,
      response: { 201: z.object({ id: z.uuid() }), ...commonErrors },
    }),
  }, async (req, reply) => {
    const m = await municipalities.bySlug(req.params.municipality);
    const id = await reportComment(deps, m, requireCitizen(req), req.params.id, req.body.reason);
    return reply.status(201).send({ id });
  });
};
