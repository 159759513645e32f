/**
 * The admin API of a city's reference data: districts, categories, services and routing rules
 * (category × district → service). Any staff member of the city may read; only admins write. Nothing here is
 * hard-deleted except routing rules: districts, categories and services are deactivated (active: false), because
 * appeals keep pointing at them.
 */
import { z } from 'zod';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import type { FastifyRequest } from 'fastify';
import type { StaffRole } from '@shaar/contracts';
import type { RouteOptions } from '../../app.js';
import { commonErrors, IdParams, LocalizedText, MunicipalityParams, Ok, Uuid } from '../../platform/http/schemas.js';
import { errors } from '../../platform/http/errors.js';
import { actorOf, requireStaff } from '../auth/principal.js';
import { routeToService, type Category, type District, type RoutingRule, type Service } from './directory.cache.js';
import {
  CategoryCreate, CategoryPatch, createCategory, createDistrict, createRoutingRule, createService, deleteRoutingRule, DistrictCreate,
  DistrictPatch, listCategories, listDistricts, listRoutingRules, listServices, RoutingRuleCreate, ServiceCreate, ServicePatch,
  updateCategory, updateDistrict, updateService, type AdminContext,
} from './directory.admin.js';

const DistrictOut = z.object({
  id: z.uuid(), code: z.string(), name: LocalizedText, kind: z.string(), population: z.number().int().nullable(),
  boundary: z.unknown().describe('GeoJSON, or null'), active: z.boolean(), createdAt: z.string(),
});
const CategoryOut = z.object({
  id: z.uuid(), parentId: z.uuid().nullable(), code: z.string(), name: LocalizedText, keywords: z.array(z.string()),
  sortOrder: z.number().int(), requiresResultPhoto: z.boolean(), active: z.boolean(), createdAt: z.string(),
});
const ServiceOut = z.object({
  id: z.uuid(), code: z.string(), name: LocalizedText, kind: z.string(), email: z.string().nullable(), phone: z.string().nullable(),
  active: z.boolean(), createdAt: z.string(),
});
const RoutingRuleOut = z.object({
  id: z.uuid(), categoryId: z.uuid(), districtId: z.uuid().nullable().describe('null: any district'), serviceId: z.uuid(), createdAt: z.string(),
});
const Resolved = z.object({
  categoryId: z.uuid(), districtId: z.uuid().nullable(),
  service: z.object({ id: z.uuid(), code: z.string(), name: LocalizedText }).nullable().describe('null: no rule applies; the appeal waits for manual assignment'),
});
const items = <T extends z.ZodType>(item: T) => z.object({ items: z.array(item) });

// Rows → JSON: timestamps as ISO strings.
const out = <T extends { createdAt: Date }>(row: T) => ({ ...row, createdAt: row.createdAt.toISOString() });
const district = ({ municipalityId: _, ...d }: District) => out(d);
const category = ({ municipalityId: _, ...c }: Category) => out(c);
const service = ({ municipalityId: _, ...s }: Service) => out(s);
const rule = ({ municipalityId: _, ...r }: RoutingRule) => out(r);

/** Every route here: tagged 'admin', signed in by a staff session. */
const admin = <S extends object>(summary: string, schema: S) => ({ tags: ['admin'], summary, security: [{ session: [] }], ...schema });

export const directoryRoutes: FastifyPluginAsyncZod<RouteOptions> = async (app, { services: deps }) => {
  const { municipalities, database, directory } = deps;
  const db = database.db;
  const base = '/api/v1/m/:municipality/admin';

  /** The city, and the signed-in staff member allowed to act (writes: admins only). */
  const allowed = async (req: FastifyRequest & { params: { municipality: string } }, roles?: readonly StaffRole[]) => {
    const m = await municipalities.bySlug(req.params.municipality);
    const staff = requireStaff(req, m.id, roles);
    const ctx: AdminContext = { db, cache: directory, municipalityId: m.id, actor: actorOf(staff) };
    return { m, ctx };
  };
  const ADMIN = ['admin'] as const;

  // ---- districts ----------------------------------------------------------------------------------------

  app.get(`${base}/districts`, {
    schema: admin('Districts, inactive ones too', { params: MunicipalityParams, response: { 200: items(DistrictOut), ...commonErrors } }),
  }, async (req) => {
    const { m } = await allowed(req);
    return { items: (await listDistricts(db, m.id)).map(district) };
  });

  app.post(`${base}/districts`, {
    schema: admin('Add a district', { params: MunicipalityParams, body: DistrictCreate, response: { 201: DistrictOut, ...commonErrors } }),
  }, async (req, reply) => {
    const { ctx } = await allowed(req, ADMIN);
    return reply.status(201).send(district(await createDistrict(ctx, req.body)));
  });

  app.patch(`${base}/districts/:id`, {
    schema: admin('Change a district (boundary: null removes it; active: false deactivates)', {
      params: IdParams, body: DistrictPatch, response: { 200: DistrictOut, ...commonErrors },
    }),
  }, async (req) => {
    const { ctx } = await allowed(req, ADMIN);
    return district(await updateDistrict(ctx, req.params.id, req.body));
  });

  // ---- categories ---------------------------------------------------------------------------------------

  app.get(`${base}/categories`, {
    schema: admin('Categories (two levels), inactive ones too', { params: MunicipalityParams, response: { 200: items(CategoryOut), ...commonErrors } }),
  }, async (req) => {
    const { m } = await allowed(req);
    return { items: (await listCategories(db, m.id)).map(category) };
  });

  app.post(`${base}/categories`, {
    schema: admin('Add a category, or a subcategory of a top-level one', { params: MunicipalityParams, body: CategoryCreate, response: { 201: CategoryOut, ...commonErrors } }),
  }, async (req, reply) => {
    const { ctx } = await allowed(req, ADMIN);
    return reply.status(201).send(category(await createCategory(ctx, req.body)));
  });

  app.patch(`${base}/categories/:id`, {
    schema: admin('Change a category (active: false deactivates)', { params: IdParams, body: CategoryPatch, response: { 200: CategoryOut, ...commonErrors } }),
  }, async (req) => {
    const { ctx } = await allowed(req, ADMIN);
    return category(await updateCategory(ctx, req.params.id, req.body));
  });

  // ---- services -----------------------------------------------------------------------------------------

  app.get(`${base}/services`, {
    schema: admin('Services (departments, municipal enterprises…), inactive ones too', { params: MunicipalityParams, response: { 200: items(ServiceOut), ...commonErrors } }),
  }, async (req) => {
    const { m } = await allowed(req);
    return { items: (await listServices(db, m.id)).map(service) };
  });

  app.post(`${base}/services`, {
    schema: admin('Add a service', { params: MunicipalityParams, body: ServiceCreate, response: { 201: ServiceOut, ...commonErrors } }),
  }, async (req, reply) => {
    const { ctx } = await allowed(req, ADMIN);
    return reply.status(201).send(service(await createService(ctx, req.body)));
  });

  app.patch(`${base}/services/:id`, {
    schema: admin('Change a service (active: false deactivates; its routing rules then stop applying)', {
      params: IdParams, body: ServicePatch, response: { 200: ServiceOut, ...commonErrors },
    }),
  }, async (req) => {
    const { ctx } = await allowed(req, ADMIN);
    return service(await updateService(ctx, req.params.id, req.body));
  });

  // ---- routing rules ------------------------------------------------------------------------------------

  app.get(`${base}/routing/rules`, {
    schema: admin('Routing rules: category × district → service', {
      params: MunicipalityParams,
      querystring: z.object({ categoryId: Uuid.optional(), districtId: Uuid.optional(), serviceId: Uuid.optional() }).strict(),
      response: { 200: items(RoutingRuleOut), ...commonErrors },
    }),
  }, async (req) => {
    const { m } = await allowed(req);
    return { items: (await listRoutingRules(db, m.id, req.query)).map(rule) };
  });

  app.post(`${base}/routing/rules`, {
    schema: admin('Add a routing rule (one per category × district)', {
      params: MunicipalityParams, body: RoutingRuleCreate, response: { 201: RoutingRuleOut, ...commonErrors },
    }),
  }, async (req, reply) => {
    const { ctx } = await allowed(req, ADMIN);
    return reply.status(201).send(rule(await createRoutingRule(ctx, req.body)));
  });

  app.delete(`${base}/routing/rules/:id`, {
    schema: admin('Delete a routing rule (appeals already routed keep their service)', { params: IdParams, response: { 200: Ok, ...commonErrors } }),
  }, async (req) => {
    const { ctx } = await allowed(req, ADMIN);
    await deleteRoutingRule(ctx, req.params.id);
    return { ok: true as const };
  });

  app.get(`${base}/routing/resolve`, {
    schema: admin('Which service a new appeal of this category and district would go to', {
      params: MunicipalityParams,
      querystring: z.object({ categoryId: Uuid, districtId: Uuid.optional() }).strict(),
      response: { 200: Resolved, ...commonErrors },
    }),
  }, async (req) => {
    const { m } = await allowed(req);
    const dir = await directory.get(m.id);
    const { categoryId, districtId = null } = req.query;
    if (!dir.categories.has(categoryId)) throw errors.invalidReference('categoryId');
    if (districtId && !dir.districts.has(districtId)) throw errors.invalidReference('districtId');
    const s = dir.services.get(routeToService(dir, categoryId, districtId) ?? '');
    return { categoryId, districtId, service: s ? { id: s.id, code: s.code, name: s.name } : null };
  });
};
