/**
 * Admins register the Tunduk consumer subsystems allowed to call the city's X-Road services, each mapped to an
 * integrator key whose scopes say what it may do (appeals:write submits, appeals:read reads). Every change is audited.
 */
import { z } from 'zod';
import { and, asc, eq, isNull } from 'drizzle-orm';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { API_KEY_SCOPES } from '@shaar/contracts';
import type { RouteOptions } from '../../app.js';
import { commonErrors, IdParams, MunicipalityParams } from '../../platform/http/schemas.js';
import { errors } from '../../platform/http/errors.js';
import { writeAudit } from '../../platform/audit.js';
import { apiKeys, xroadConsumers } from '../../platform/db/schema.js';
import { actorOf, requireStaff } from '../auth/principal.js';
import { publicKey } from '../auth/staff.admin.js';
import { parseClientId } from './xroad-headers.js';

const ConsumerCreate = z.object({
  clientId: z.string().trim().min(5).max(1000).refine((v) => parseClientId(v) !== null, 'INSTANCE/CLASS/MEMBER/SUBSYSTEM')
    .describe('The X-Road client, as in its X-Road-Client header: INSTANCE/CLASS/MEMBER/SUBSYSTEM, e.g. KG/GOV/70000001/portal'),
  apiKeyId: z.uuid().optional().describe('An existing integrator key of the city whose scopes this consumer gets'),
  newKey: z.object({
    name: z.string().trim().min(2).max(100),
    scopes: z.array(z.enum(API_KEY_SCOPES)).min(1).max(API_KEY_SCOPES.length),
  }).strict().optional().describe('Or: a new integrator key for this consumer alone (its secret is never shown: X-Road authenticates the consumer)'),
  mayListByPersonalNumber: z.boolean().default(false).describe("May list a person's appeals by personal number (a state portal acting for the person)"),
}).strict().refine((b) => (b.apiKeyId === undefined) !== (b.newKey === undefined), { message: 'apiKeyId or newKey, one of them', path: ['apiKeyId'] });

const ConsumerOut = z.object({
  id: z.uuid(), clientId: z.string(), apiKeyId: z.uuid(), apiKeyName: z.string(), scopes: z.array(z.enum(API_KEY_SCOPES)),
  mayListByPersonalNumber: z.boolean(), createdAt: z.string(), revokedAt: z.string().nullable(),
});

const admin = <S extends object>(summary: string, schema: S) => ({ tags: ['admin'], summary, security: [{ session: [] }], ...schema });

export const xroadConsumerRoutes: FastifyPluginAsyncZod<RouteOptions> = async (app, { services }) => {
  const { municipalities, database, auth, clock } = services;
  const db = database.db;
  const base = '/api/v1/m/:municipality/admin/xroad/consumers';

  const list = async (municipalityId: string, id?: string) => {
    const rows = await db.select({ c: xroadConsumers, keyName: apiKeys.name, scopes: apiKeys.scopes }).from(xroadConsumers)
      .innerJoin(apiKeys, and(eq(apiKeys.municipalityId, xroadConsumers.municipalityId), eq(apiKeys.id, xroadConsumers.apiKeyId)))
      .where(and(eq(xroadConsumers.municipalityId, municipalityId), id ? eq(xroadConsumers.id, id) : undefined))
      .orderBy(asc(xroadConsumers.clientId));
    return rows.map(({ c, keyName, scopes }) => ({
      id: c.id, clientId: c.clientId, apiKeyId: c.apiKeyId, apiKeyName: keyName, scopes: scopes as (typeof API_KEY_SCOPES)[number][],
      mayListByPersonalNumber: c.mayListByPersonalNumber, createdAt: c.createdAt.toISOString(), revokedAt: c.revokedAt?.toISOString() ?? null,
    }));
  };

  app.get(base, {
    schema: admin('Tunduk (X-Road) consumers allowed to call the city\'s services, revoked ones too', {
      params: MunicipalityParams, response: { 200: z.object({ items: z.array(ConsumerOut) }), ...commonErrors },
    }),
  }, async (req) => {
    const m = await municipalities.bySlug(req.params.municipality);
    requireStaff(req, m.id, ['admin']);
    return { items: await list(m.id) };
  });

  app.post(base, {
    schema: admin('Register a Tunduk consumer subsystem, mapped to an integrator key (existing or new)', {
      params: MunicipalityParams, body: ConsumerCreate, response: { 201: ConsumerOut, ...commonErrors },
    }),
  }, async (req, reply) => {
    const m = await municipalities.bySlug(req.params.municipality);
    const actor = actorOf(requireStaff(req, m.id, ['admin']));
    const b = req.body;
    const clientId = parseClientId(b.clientId)!.canonical;
    const id = await db.transaction(async (tx) => {
      const [taken] = await tx.select({ id: xroadConsumers.id }).from(xroadConsumers)
        .where(and(eq(xroadConsumers.municipalityId, m.id), eq(xroadConsumers.clientId, clientId), isNull(xroadConsumers.revokedAt))).limit(1);
      // A revoked mapping does not hold the client id: the subsystem may be registered again (a new key, say).
      if (taken) throw errors.conflict(`X-Road client ${clientId}`);
      let apiKeyId = b.apiKeyId;
      if (apiKeyId) {
        const [key] = await tx.select({ id: apiKeys.id }).from(apiKeys)
          .where(and(eq(apiKeys.municipalityId, m.id), eq(apiKeys.id, apiKeyId), isNull(apiKeys.revokedAt))).limit(1);
        if (!key) throw errors.invalidReference('apiKeyId');
      } else {
        const created = await auth.createApiKey(m.id, b.newKey!.name, [...new Set(b.newKey!.scopes)], tx);
        apiKeyId = created.row.id;
        await writeAudit(tx, { municipalityId: m.id, actor, entityType: 'api_key', entityId: apiKeyId, action: 'create', after: publicKey(created.row) });
      }
      const [row] = await tx.insert(xroadConsumers).values({ municipalityId: m.id, clientId, apiKeyId, mayListByPersonalNumber: b.mayListByPersonalNumber }).returning();
      await writeAudit(tx, { municipalityId: m.id, actor, entityType: 'xroad_consumer', entityId: row!.id, action: 'create',
        after: { clientId, apiKeyId, mayListByPersonalNumber: b.mayListByPersonalNumber } });
      return row!.id;
    });
    return reply.status(201).send((await list(m.id, id))[0]!);
  });

  app.post(`${base}/:id/revoke`, {
    schema: admin('Revoke a Tunduk consumer: its requests are refused at once', { params: IdParams, response: { 200: ConsumerOut, ...commonErrors } }),
  }, async (req) => {
    const m = await municipalities.bySlug(req.params.municipality);
    const actor = actorOf(requireStaff(req, m.id, ['admin']));
    await db.transaction(async (tx) => {
      const key = and(eq(xroadConsumers.municipalityId, m.id), eq(xroadConsumers.id, req.params.id));
      const [before] = await tx.select().from(xroadConsumers).where(key).for('update');
      if (!before) throw errors.notFound('X-Road consumer');
      if (before.revokedAt) return;
      const now = clock.now();
      await tx.update(xroadConsumers).set({ revokedAt: now }).where(key);
      await writeAudit(tx, { municipalityId: m.id, actor, entityType: 'xroad_consumer', entityId: before.id, action: 'revoke',
        before: { revokedAt: null }, after: { revokedAt: now.toISOString() } });
    });
    return (await list(m.id, req.params.id))[0]!;
  });
};
