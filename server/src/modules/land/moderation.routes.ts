/**
 * The moderators' routes: the queue of reported comments, hiding a comment with a public reason (its open reports
 * resolved as 'hidden'), keeping a reported one ('kept'), and restoring a hidden one. Moderators and admins only.
 */
import { z } from 'zod';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import type { StaffRole } from '@shaar/contracts';
import type { RouteOptions } from '../../app.js';
import { commonErrors, IdParams, MunicipalityParams, Ok } from '../../platform/http/schemas.js';
import { requireStaff } from '../auth/principal.js';
import { hideComment, keepReport, listReports, SUBJECT_TYPES, unhideComment } from './comments.service.js';

const MODERATORS: readonly StaffRole[] = ['moderator', 'admin'];

const ReportOut = z.object({
  id: z.uuid(), reason: z.string(), createdAt: z.string(),
  resolution: z.enum(['hidden', 'kept']).nullable(), resolvedAt: z.string().nullable(),
  comment: z.object({
    id: z.uuid(), subjectType: z.enum(SUBJECT_TYPES), subjectId: z.uuid(), parentId: z.uuid().nullable(),
    authorName: z.string(), authorKind: z.string(), body: z.string().describe('The full text, hidden or not (moderators only)'),
    official: z.boolean(), createdAt: z.string(), hidden: z.boolean(), hiddenReason: z.string().nullable(),
    openReports: z.number().int().describe('Open reports of this comment'),
  }),
});
const QueueQuery = z.object({
  status: z.enum(['open', 'resolved', 'all']).default('open'),
  limit: z.coerce.number().int().min(1).max(200).default(50), offset: z.coerce.number().int().min(0).max(100_000).default(0),
}).strict();
const HideBody = z.object({ reason: z.string().trim().min(3).max(500).describe('Shown publicly in place of the comment') }).strict();
const UnhideBody = z.object({ reason: z.string().trim().min(3).max(500).optional().describe('For the audit log') }).strict();

const tag = <S extends object>(summary: string, schema: S) => ({ tags: ['land moderation'], summary, security: [{ session: [] }], ...schema });

export const moderationRoutes: FastifyPluginAsyncZod<RouteOptions> = async (app, { services }) => {
  const { municipalities, database, clock } = services;
  const db = database.db;
  const deps = { db, clock };

  app.get('/api/v1/m/:municipality/admin/land/reports', {
    schema: tag('Reported comments: open ones first (oldest first), then resolved ones', {
      params: MunicipalityParams, querystring: QueueQuery, response: { 200: z.object({ items: z.array(ReportOut) }), ...commonErrors },
    }),
  }, async (req) => {
    const m = await municipalities.bySlug(req.params.municipality);
    requireStaff(req, m.id, MODERATORS);
    const rows = await listReports(db, m.id, req.query);
    return {
      items: rows.map(({ report: r, comment: c, openReportsOnComment }) => ({
        id: r.id, reason: r.reason, createdAt: r.createdAt.toISOString(), resolution: r.resolution as 'hidden' | 'kept' | null,
        resolvedAt: r.resolvedAt?.toISOString() ?? null,
        comment: {
          id: c.id, subjectType: c.subjectType as (typeof SUBJECT_TYPES)[number], subjectId: c.subjectId, parentId: c.parentId, authorName: c.authorName,
          authorKind: c.authorKind, body: c.body, official: c.official, createdAt: c.createdAt.toISOString(), hidden: c.hiddenAt !== null,
          hiddenReason: c.hiddenReason, openReports: openReportsOnComment,
        },
      })),
    };
  });

  app.post('/api/v1/m/:municipality/admin/land/comments/:id/hide', {
    schema: tag('Hide a comment with a public reason; its open reports are resolved as hidden', { params: IdParams, body: HideBody, response: { 200: Ok, ...commonErrors } }),
  }, async (req) => {
    const m = await municipalities.bySlug(req.params.municipality);
    await hideComment(deps, m, requireStaff(req, m.id, MODERATORS), req.params.id, req.body.reason);
    return { ok: true as const };
  });

  app.post('/api/v1/m/:municipality/admin/land/comments/:id/unhide', {
    schema: tag('Restore a hidden comment', { params: IdParams, body: UnhideBody, response: { 200: Ok, ...commonErrors } }),
  }, async (req) => {
    const m = await municipalities.bySlug(req.params.municipality);
    await unhideComment(deps, m, requireStaff(req, m.id, MODERATORS), req.params.id, req.body.reason);
    return { ok: true as const };
  });

  app.post('/api/v1/m/:municipality/admin/land/reports/:id/keep', {
    schema: tag('Resolve a report without hiding the comment', { params: IdParams, response: { 200: Ok, ...commonErrors } }),
  }, async (req) => {
    const m = await municipalities.bySlug(req.params.municipality);
    await keepReport(deps, m, requireStaff(req, m.id, MODERATORS), req.params.id);
    return { ok: true as const };
  });
};
