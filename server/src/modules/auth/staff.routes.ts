/**
 * The admin API of access: staff accounts, integrators' API keys, and the audit log. Staff accounts and keys:
 * any staff member of the city may read, only admins write. The audit log: admins and supervisors.
 */
import { z } from 'zod';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import type { FastifyRequest } from 'fastify';
import { API_KEY_SCOPES, LOCALES, STAFF_ROLES, type StaffRole } from '@shaar/contracts';
import type { RouteOptions } from '../../app.js';
import { commonErrors, IdParams, MunicipalityParams } from '../../platform/http/schemas.js';
import { actorOf, requireStaff } from './principal.js';
import {
  ApiKeyCreate, AuditQuery, createApiKey, createStaff, listApiKeys, listAudit, listStaff, publicKey, publicStaff, revokeApiKey,
  StaffCreate, StaffPatch, updateStaff, type AdminContext, type ApiKey, type StaffUser,
} from './staff.admin.js';

const StaffOut = z.object({
  id: z.uuid(), email: z.string(), fullName: z.string(), roles: z.array(z.enum(STAFF_ROLES)), serviceId: z.uuid().nullable(),
  locale: z.enum(LOCALES), active: z.boolean(), createdAt: z.string(),
});
const ApiKeyOut = z.object({
  id: z.uuid(), name: z.string(), prefix: z.string().describe('The public start of the key: shk_<prefix>_…'),
  scopes: z.array(z.enum(API_KEY_SCOPES)), createdAt: z.string(), revokedAt: z.string().nullable(),
});
const AuditEntryOut = z.object({
  id: z.number().int(), at: z.string(), actorKind: z.string(), actorId: z.string().nullable(), actorName: z.string().nullable(),
  entityType: z.string(), entityId: z.string(), action: z.string(), before: z.unknown(), after: z.unknown(),
  reason: z.string().nullable(), isPublic: z.boolean(),
});

const staffOut = (u: StaffUser) => {
  const p = publicStaff(u);
  return { ...p, roles: p.roles as StaffRole[], locale: p.locale as (typeof LOCALES)[number], createdAt: p.createdAt.toISOString() };
};
const keyOut = (k: ApiKey) => {
  const p = publicKey(k);
  return { ...p, scopes: p.scopes as (typeof API_KEY_SCOPES)[number][], createdAt: p.createdAt.toISOString(), revokedAt: p.revokedAt?.toISOString() ?? null };
};

/** Every route here: tagged 'admin', signed in by a staff session. */
const admin = <S extends object>(summary: string, schema: S) => ({ tags: ['admin'], summary, security: [{ session: [] }], ...schema });

export const staffRoutes: FastifyPluginAsyncZod<RouteOptions> = async (app, { services }) => {
  const { municipalities, database, auth, clock } = services;
  const db = database.db;
  const base = '/api/v1/m/:municipality/admin';

  /** The city, and the signed-in staff member allowed to act (writes: admins only). */
  const allowed = async (req: FastifyRequest & { params: { municipality: string } }, roles?: readonly StaffRole[]) => {
    const m = await municipalities.bySlug(req.params.municipality);
    const staff = requireStaff(req, m.id, roles);
    const ctx: AdminContext = { db, municipalityId: m.id, actor: actorOf(staff) };
    return ctx;
  };
  const ADMIN = ['admin'] as const;

  // ---- staff accounts -----------------------------------------------------------------------------------

  app.get(`${base}/staff`, {
    schema: admin('Staff accounts, inactive ones too', { params: MunicipalityParams, response: { 200: z.object({ items: z.array(StaffOut) }), ...commonErrors } }),
  }, async (req) => {
    const ctx = await allowed(req);
    return { items: (await listStaff(db, ctx.municipalityId)).map(staffOut) };
  });

  app.post(`${base}/staff`, {
    schema: admin('Add a staff account', { params: MunicipalityParams, body: StaffCreate, response: { 201: StaffOut, ...commonErrors } }),
  }, async (req, reply) => {
    const ctx = await allowed(req, ADMIN);
    return reply.status(201).send(staffOut(await createStaff(ctx, req.body)));
  });

  app.patch(`${base}/staff/:id`, {
    schema: admin('Change a staff account, set a new password, or deactivate it (ending its sessions)', {
      params: IdParams, body: StaffPatch, response: { 200: StaffOut, ...commonErrors },
    }),
  }, async (req) => {
    const ctx = await allowed(req, ADMIN);
    return staffOut(await updateStaff(ctx, req.params.id, req.body));
  });

  // ---- integrators' API keys ----------------------------------------------------------------------------

  app.get(`${base}/api-keys`, {
    schema: admin("Integrators' API keys (never their secrets)", { params: MunicipalityParams, response: { 200: z.object({ items: z.array(ApiKeyOut) }), ...commonErrors } }),
  }, async (req) => {
    const ctx = await allowed(req);
    return { items: (await listApiKeys(db, ctx.municipalityId)).map(keyOut) };
  });

  app.post(`${base}/api-keys`, {
    schema: admin('Create an API key: the full key is in this answer only, and cannot be shown again', {
      params: MunicipalityParams, body: ApiKeyCreate,
      response: { 201: ApiKeyOut.extend({ key: z.string().describe('Send as X-Api-Key; store it now') }), ...commonErrors },
    }),
  }, async (req, reply) => {
    const ctx = await allowed(req, ADMIN);
    const { key, row } = await createApiKey(ctx, auth, req.body);
    return reply.status(201).send({ ...keyOut(row), key });
  });

  app.post(`${base}/api-keys/:id/revoke`, {
    schema: admin('Revoke an API key: it stops working at once', { params: IdParams, response: { 200: ApiKeyOut, ...commonErrors } }),
  }, async (req) => {
    const ctx = await allowed(req, ADMIN);
    return keyOut(await revokeApiKey(ctx, auth, req.params.id, clock.now()));
  });

  // ---- the audit log ------------------------------------------------------------------------------------

  app.get(`${base}/audit`, {
    schema: admin('The audit log, newest first: who changed what, when, before and after (admins and supervisors)', {
      params: MunicipalityParams, querystring: AuditQuery,
      response: { 200: z.object({ items: z.array(AuditEntryOut), nextCursor: z.string().nullable() }), ...commonErrors },
    }),
  }, async (req) => {
    const ctx = await allowed(req, ['admin', 'supervisor']);
    const page = await listAudit(db, ctx.municipalityId, req.query);
    return {
      items: page.items.map(({ entry: { municipalityId: _, occurredAt, ...e }, actorName }) => ({ ...e, at: occurredAt.toISOString(), actorName })),
      nextCursor: page.nextCursor,
    };
  });
};
