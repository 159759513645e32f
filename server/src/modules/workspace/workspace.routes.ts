/**
 * The staff workspace API: the staff list for assignment pickers, answer templates, saved inbox filters, bulk
 * assignment and duplicate hints for reception. Staff of the city only; handlers authorise, call a use case and
 * present.
 */
import { z } from 'zod';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import type { FastifyRequest } from 'fastify';
import type { StaffRole } from '@shaar/contracts';
import type { RouteOptions } from '../../app.js';
import { commonErrors, IdParams, MunicipalityParams, Ok } from '../../platform/http/schemas.js';
import { AppError } from '../../platform/http/errors.js';
import { translate } from '../../platform/i18n/messages.js';
import { actorOf, requireStaff, type StaffPrincipal } from '../auth/principal.js';
import {
  AnswerTemplateCreate, AnswerTemplateOut, AnswerTemplatePatch, AnswerTemplateQuery, BulkAssignBody, BulkAssignResult, DuplicateHintsOut,
  DuplicateHintsQuery, SavedFilterCreate, SavedFilterOut, StaffMemberOut, StaffQuery,
} from './workspace.schemas.js';
import {
  createAnswerTemplate, deleteAnswerTemplate, deleteSavedFilter, duplicateHints, languagesOf, listActiveStaff, listAnswerTemplates,
  listSavedFilters, saveFilter, updateAnswerTemplate, type AnswerTemplate, type SavedFilter, type WorkspaceContext,
} from './workspace.service.js';

/** Who manages answer templates. */
const TEMPLATE_EDITORS: readonly StaffRole[] = ['admin', 'supervisor'];
/** Who registers appeals at reception, and so may see duplicate hints (they match on phone and e-mail). */
const RECEPTION: readonly StaffRole[] = ['operator', 'admin', 'supervisor'];

const templateOut = (t: AnswerTemplate) => ({
  id: t.id, serviceId: t.serviceId, categoryId: t.categoryId, title: t.title, body: t.body, languages: languagesOf(t),
  createdAt: t.createdAt.toISOString(), updatedAt: t.updatedAt.toISOString(),
});
const filterOut = (f: SavedFilter) => ({ id: f.id, name: f.name, query: f.query, createdAt: f.createdAt.toISOString() });
const items = <T extends z.ZodType>(item: T) => z.object({ items: z.array(item) });

/** Every route here: tagged 'workspace', signed in by a staff session. */
const ws = <S extends object>(summary: string, schema: S) => ({ tags: ['workspace'], summary, security: [{ session: [] }], ...schema });

export const workspaceRoutes: FastifyPluginAsyncZod<RouteOptions> = async (app, { services }) => {
  const { municipalities, database, directory, clock, appeals } = services;
  const db = database.db;
  const base = '/api/v1/m/:municipality/workspace';

  const allowed = async (req: FastifyRequest & { params: { municipality: string } }, roles?: readonly StaffRole[]) => {
    const m = await municipalities.bySlug(req.params.municipality);
    const staff: StaffPrincipal = requireStaff(req, m.id, roles);
    const ctx: WorkspaceContext = { db, clock, directory, municipalityId: m.id, actor: actorOf(staff) };
    return { m, staff, ctx };
  };

  // ---- staff for pickers ---------------------------------------------------------------------------------

  app.get(`${base}/staff`, {
    schema: ws('Active staff of the city, for assignment pickers (names, roles and services; no e-mails)', {
      params: MunicipalityParams, querystring: StaffQuery, response: { 200: items(StaffMemberOut), ...commonErrors },
    }),
  }, async (req) => {
    const { m } = await allowed(req);
    return { items: await listActiveStaff(db, m.id, req.query) };
  });

  // ---- answer templates ----------------------------------------------------------------------------------

  app.get(`${base}/answer-templates`, {
    schema: ws('Answer templates; with filters, those that apply to an appeal of this language, service and category', {
      params: MunicipalityParams, querystring: AnswerTemplateQuery, response: { 200: items(AnswerTemplateOut), ...commonErrors },
    }),
  }, async (req) => {
    const { m } = await allowed(req);
    return { items: (await listAnswerTemplates(db, directory, m.id, req.query)).map(templateOut) };
  });

  app.post(`${base}/answer-templates`, {
    schema: ws('Add an answer template (admins and supervisors)', {
      params: MunicipalityParams, body: AnswerTemplateCreate, response: { 201: AnswerTemplateOut, ...commonErrors },
    }),
  }, async (req, reply) => {
    const { ctx } = await allowed(req, TEMPLATE_EDITORS);
    return reply.status(201).send(templateOut(await createAnswerTemplate(ctx, req.body)));
  });

  app.patch(`${base}/answer-templates/:id`, {
    schema: ws('Change an answer template (admins and supervisors); title and body are replaced together', {
      params: IdParams, body: AnswerTemplatePatch, response: { 200: AnswerTemplateOut, ...commonErrors },
    }),
  }, async (req) => {
    const { ctx } = await allowed(req, TEMPLATE_EDITORS);
    return templateOut(await updateAnswerTemplate(ctx, req.params.id, req.body));
  });

  app.delete(`${base}/answer-templates/:id`, {
    schema: ws('Delete an answer template (admins and supervisors); answers already given keep their text', {
      params: IdParams, response: { 200: Ok, ...commonErrors },
    }),
  }, async (req) => {
    const { ctx } = await allowed(req, TEMPLATE_EDITORS);
    await deleteAnswerTemplate(ctx, req.params.id);
    return { ok: true as const };
  });

  // ---- saved filters -------------------------------------------------------------------------------------

  app.get(`${base}/saved-filters`, {
    schema: ws("The signed-in staff member's saved inbox filters", {
      params: MunicipalityParams, response: { 200: items(SavedFilterOut), ...commonErrors },
    }),
  }, async (req) => {
    const { m, staff } = await allowed(req);
    return { items: (await listSavedFilters(db, m.id, staff.id)).map(filterOut) };
  });

  app.post(`${base}/saved-filters`, {
    schema: ws('Save the current inbox filter under a name (the same name replaces it)', {
      params: MunicipalityParams, body: SavedFilterCreate, response: { 200: SavedFilterOut, 201: SavedFilterOut, ...commonErrors },
    }),
  }, async (req, reply) => {
    const { staff, ctx } = await allowed(req);
    const { row, created } = await saveFilter(ctx, staff.id, req.body);
    return reply.status(created ? 201 : 200).send(filterOut(row));
  });

  app.delete(`${base}/saved-filters/:id`, {
    schema: ws('Delete one of your saved filters', { params: IdParams, response: { 200: Ok, ...commonErrors } }),
  }, async (req) => {
    const { staff, ctx } = await allowed(req);
    await deleteSavedFilter(ctx, staff.id, req.params.id);
    return { ok: true as const };
  });

  // ---- bulk assignment -----------------------------------------------------------------------------------

  app.post(`${base}/appeals/bulk-assign`, {
    schema: ws('Assign up to 100 appeals to a service and/or an executor; each goes through the single assignment (state machine, rights, audit)', {
      params: MunicipalityParams, body: BulkAssignBody, response: { 200: BulkAssignResult, ...commonErrors },
    }),
  }, async (req) => {
    const { m, staff } = await allowed(req);
    const { appealIds, serviceId, executorId, reason } = req.body;
    const results: z.infer<typeof BulkAssignResult>['results'] = [];
    // One after another, each in its own transaction: one appeal's refusal never undoes another's assignment.
    for (const id of [...new Set(appealIds)]) {
      try {
        const r = await appeals.change(m, id, staff, { action: 'assign', serviceId, executorId, reason });
        results.push({ id, ok: true, status: r.status, version: r.version });
      } catch (err) {
        if (err instanceof AppError) {
          results.push({ id, ok: false, code: err.code, message: translate(req.locale, err.messageKey, err.params) });
        } else {
          req.log.error({ err: { type: (err as Error).name, message: (err as Error).message } }, 'bulk assignment of one appeal failed');
          results.push({ id, ok: false, code: 'internal', message: translate(req.locale, 'error.internal') });
        }
      }
    }
    const assigned = results.filter((r) => r.ok).length;
    return { results, assigned, failed: results.length - assigned };
  });

  // ---- duplicate hints -----------------------------------------------------------------------------------

  app.get(`${base}/duplicate-hints`, {
    schema: ws('For reception: open appeals of the same applicant, and open appeals of the same category nearby', {
      params: MunicipalityParams, querystring: DuplicateHintsQuery, response: { 200: DuplicateHintsOut, ...commonErrors },
    }),
  }, async (req) => {
    const { m } = await allowed(req, RECEPTION);
    const hints = await duplicateHints(db, m.id, req.query);
    const iso = <T extends { registeredAt: Date; status: string }>(r: T) => ({ ...r, registeredAt: r.registeredAt.toISOString(), status: r.status as never });
    return { sameApplicant: hints.sameApplicant.map(iso), nearby: hints.nearby.map(iso), nearbyBy: hints.nearbyBy };
  });
};
