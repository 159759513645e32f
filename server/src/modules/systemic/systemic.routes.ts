/**
 * Systemic problems over HTTP, for analysts, supervisors and admins only (others get 403): the list with filters and
 * as a file, one problem with its appeals, notes and monthly trend, the analysts' decisions, and a batch run of the
 * detector over all history (analysts and admins). Staff-only, never cached.
 */
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import type { StaffRole } from '@shaar/contracts';
import type { RouteOptions } from '../../app.js';
import { commonErrors, MunicipalityParams } from '../../platform/http/schemas.js';
import { ExportFileOut, sendTable } from '../../platform/export/table-export.js';
import { requireStaff } from '../auth/principal.js';
import type { SystemicDetection } from './systemic-jobs.js';
import { SystemicService } from './systemic.service.js';
import {
  ConfirmBody, DetectOut, DismissBody, IfMatchHeaders, MergeBody, NoteBody, SystemicDetailOut, SystemicExportQuery, SystemicListOut,
  SystemicListQuery, SystemicNoteOut, SystemicParams, SystemicProblemOut,
} from './systemic.schemas.js';

const READERS: readonly StaffRole[] = ['analyst', 'supervisor', 'admin'];
const DETECTORS: readonly StaffRole[] = ['analyst', 'admin'];

const versionOf = (ifMatch: string | undefined) => (ifMatch ? Number(ifMatch.replaceAll('"', '')) : undefined);

export const systemicRoutes: FastifyPluginAsyncZod<RouteOptions & { systemic: SystemicDetection }> = async (app, { services, systemic }) => {
  const { municipalities, database, clock, directory } = services;
  const service = new SystemicService({ db: database.db, clock, directory, detection: systemic });
  const base = '/api/v1/m/:municipality/systemic-problems';
  const tags = ['systemic problems'];
  const security = [{ session: [] }];

  // Registered as its own plugin, so the hook covers these routes only.
  app.addHook('onSend', async (_req, reply) => { reply.header('cache-control', 'private, no-store'); });

  app.get(base, {
    schema: {
      tags, summary: 'Systemic problems, highest score first, filtered and paged (analysts, supervisors, admins)',
      security, params: MunicipalityParams, querystring: SystemicListQuery, response: { 200: SystemicListOut, ...commonErrors },
    },
  }, async (req) => {
    const m = await municipalities.bySlug(req.params.municipality);
    requireStaff(req, m.id, READERS);
    const { limit, offset, ...filters } = req.query;
    return service.list(m, filters, limit, offset);
  });

  app.get(`${base}/export`, {
    schema: {
      tags, summary: 'The filtered list as CSV or XLSX, headers in the request language (analysts, supervisors, admins)',
      security, params: MunicipalityParams, querystring: SystemicExportQuery, response: { 200: ExportFileOut, ...commonErrors },
    },
  }, async (req, reply) => {
    const m = await municipalities.bySlug(req.params.municipality);
    requireStaff(req, m.id, READERS);
    const { format, lang, ...filters } = req.query;
    const table = await service.table(m, filters, lang ?? req.locale);
    return sendTable(reply, format, `${table.sheetName} ${m.slug} ${clock.now().toISOString().slice(0, 10)}`, table.columns, table.rows);
  });

  app.post(`${base}/detect`, {
    schema: {
      tags, summary: 'Run the detector over all history now and save its problems (analysts, admins); audited',
      security, params: MunicipalityParams, response: { 200: DetectOut, ...commonErrors },
    },
  }, async (req) => {
    const m = await municipalities.bySlug(req.params.municipality);
    const staff = requireStaff(req, m.id, DETECTORS);
    const r = await service.detect(m, staff);
    return { mode: r.mode, appeals: r.appeals, problems: r.problems, created: r.created, updated: r.updated, deactivated: r.deactivated, durationMs: r.durationMs };
  });

  app.get(`${base}/:id`, {
    schema: {
      tags, summary: 'One systemic problem: its appeals (no personal data), monthly trend, notes, what was merged into it',
      security, params: SystemicParams, response: { 200: SystemicDetailOut, ...commonErrors },
    },
  }, async (req) => {
    const m = await municipalities.bySlug(req.params.municipality);
    requireStaff(req, m.id, READERS);
    return service.detail(m, req.params.id);
  });

  app.post(`${base}/:id/confirm`, {
    schema: {
      tags, summary: 'Confirm a systemic problem (for the development programme), with an optional reason; audited',
      security, params: SystemicParams, headers: IfMatchHeaders, body: ConfirmBody, response: { 200: SystemicProblemOut, ...commonErrors },
    },
  }, async (req) => {
    const m = await municipalities.bySlug(req.params.municipality);
    const staff = requireStaff(req, m.id, READERS);
    return service.decide(m, req.params.id, staff, 'confirmed', req.body.reason ?? null, versionOf(req.headers['if-match']));
  });

  app.post(`${base}/:id/dismiss`, {
    schema: {
      tags, summary: 'Dismiss a problem (not systemic), with a required reason; the detector finding it again keeps it dismissed; audited',
      security, params: SystemicParams, headers: IfMatchHeaders, body: DismissBody, response: { 200: SystemicProblemOut, ...commonErrors },
    },
  }, async (req) => {
    const m = await municipalities.bySlug(req.params.municipality);
    const staff = requireStaff(req, m.id, READERS);
    return service.decide(m, req.params.id, staff, 'dismissed', req.body.reason, versionOf(req.headers['if-match']));
  });

  app.post(`${base}/:id/merge`, {
    schema: {
      tags, summary: 'Merge this problem into another: its appeals join that one, this one becomes merged; audited',
      security, params: SystemicParams, headers: IfMatchHeaders, body: MergeBody, response: { 200: SystemicProblemOut, ...commonErrors },
    },
  }, async (req) => {
    const m = await municipalities.bySlug(req.params.municipality);
    const staff = requireStaff(req, m.id, READERS);
    return service.merge(m, req.params.id, req.body.intoId, staff, versionOf(req.headers['if-match']));
  });

  app.post(`${base}/:id/notes`, {
    schema: {
      tags, summary: "Add an analyst's note to a problem; audited",
      security, params: SystemicParams, body: NoteBody, response: { 201: SystemicNoteOut, ...commonErrors },
    },
  }, async (req, reply) => {
    const m = await municipalities.bySlug(req.params.municipality);
    const staff = requireStaff(req, m.id, READERS);
    return reply.code(201).send(await service.addNote(m, req.params.id, staff, req.body.body));
  });
};
