/**
 * Webhook subscriptions over HTTP. Integrators (X-Api-Key with appeals:read or appeals:write) manage their own under
 * /integrations/webhooks; admins see and revoke every subscription of the city and read each one's delivery log.
 * How deliveries are signed and retried: webhook-deliveries.ts.
 */
import { z } from 'zod';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import type { FastifyRequest } from 'fastify';
import type { RouteOptions } from '../../app.js';
import { commonErrors, decodeCursor, encodeCursor, IdParams, MunicipalityParams } from '../../platform/http/schemas.js';
import { AppError, errors } from '../../platform/http/errors.js';
import { actorOf, requireStaff, type IntegratorPrincipal } from '../auth/principal.js';
import { APPEAL_EVENTS } from '../notifications/appeal-events.js';
import {
  checkWebhookUrl, createSubscription, findSubscription, listDeliveries, listSubscriptions, resendDelivery, revokeSubscription,
  type DeliveryCursor, type SubscriptionOut,
} from './webhooks.service.js';

const SubscriptionBody = z.object({
  url: z.string().trim().min(8).max(2000).describe('The receiver: https:// (http only for localhost outside production)'),
  events: z.array(z.enum(APPEAL_EVENTS)).max(APPEAL_EVENTS.length).default([])
    .describe('Appeal events to receive; empty = all'),
}).strict();

const SubscriptionOutSchema = z.object({
  id: z.uuid(), url: z.string(), events: z.array(z.string()), createdAt: z.string(), revokedAt: z.string().nullable(),
});
const AdminSubscriptionOut = SubscriptionOutSchema.extend({ apiKeyId: z.uuid(), apiKeyName: z.string().nullable() });

const DeliveryOut = z.object({
  id: z.uuid().describe('Also the X-Shaar-Delivery header: the receiver\'s idempotency key'),
  event: z.string(), eventKey: z.string(), appealId: z.uuid().nullable(),
  status: z.enum(['pending', 'delivered', 'failed']), attempts: z.number().int(),
  lastStatusCode: z.number().int().nullable(), lastError: z.string().nullable(),
  createdAt: z.string(), deliveredAt: z.string().nullable(), payload: z.unknown().describe('The JSON body sent'),
});
const DeliveriesQuery = z.object({
  limit: z.coerce.number().int().min(1).max(200).default(50),
  cursor: z.string().max(500).optional(),
});
const CursorSchema = z.object({ t: z.iso.datetime(), id: z.uuid() });

const out = (s: SubscriptionOut) => ({
  id: s.id, url: s.url, events: s.events, createdAt: s.createdAt.toISOString(), revokedAt: s.revokedAt?.toISOString() ?? null,
});

export const webhookRoutes: FastifyPluginAsyncZod<RouteOptions> = async (app, { services }) => {
  const { municipalities, database, clock, config } = services;
  const db = database.db;
  const base = '/api/v1/m/:municipality/integrations/webhooks';
  const adminBase = '/api/v1/m/:municipality/admin/webhooks';
  const integratorDoc = { tags: ['integrations'], security: [{ apiKey: [] }] };
  const adminDoc = { tags: ['admin'], security: [{ session: [] }] };

  /** The calling integrator of this city, with a scope that may see appeals. */
  const integrator = async (req: FastifyRequest & { params: { municipality: string } }) => {
    const m = await municipalities.bySlug(req.params.municipality);
    const p = req.principal;
    if (!p) throw errors.unauthorized();
    if (p.kind !== 'integrator' || p.municipalityId !== m.id || !p.scopes.some((s) => s === 'appeals:read' || s === 'appeals:write')) {
      throw errors.forbidden();
    }
    return { m, p: p as IntegratorPrincipal };
  };

  const deliveriesPage = async (municipalityId: string, subscriptionId: string, q: z.infer<typeof DeliveriesQuery>) => {
    const cursor = q.cursor ? decodeCursor<DeliveryCursor>(q.cursor, CursorSchema) : null;
    if (q.cursor && !cursor) throw new AppError(400, 'validation_failed', 'error.validation_failed', {}, [{ in: 'querystring', path: 'cursor', code: 'invalid' }]);
    const page = await listDeliveries(db, municipalityId, subscriptionId, q.limit, cursor);
    return {
      items: page.items.map((d) => ({
        ...d, status: d.status as 'pending' | 'delivered' | 'failed',
        createdAt: d.createdAt.toISOString(), deliveredAt: d.deliveredAt?.toISOString() ?? null,
      })),
      nextCursor: page.next ? encodeCursor(page.next) : null,
    };
  };

  // ---- integrators ----------------------------------------------------------------------------------------

  app.post(base, {
    schema: {
      ...integratorDoc, summary: 'Subscribe to appeal events: the signing secret is in this answer only',
      params: MunicipalityParams, body: SubscriptionBody,
      response: { 201: SubscriptionOutSchema.extend({ secret: z.string().describe('HMAC-SHA256 key of X-Shaar-Signature; store it now') }), ...commonErrors },
    },
  }, async (req, reply) => {
    const { m, p } = await integrator(req);
    const url = checkWebhookUrl(req.body.url, { production: config.env === 'production', allowHttp: config.webhooksAllowHttp,
      allowPrivate: config.webhooksAllowPrivateNetworks, locale: req.locale });
    const created = await createSubscription({ db, municipalityId: m.id, actor: actorOf(p), now: clock.now() }, p.id, { url, events: req.body.events });
    return reply.status(201).send({ ...out(created), secret: created.secret });
  });

  app.get(base, {
    schema: { ...integratorDoc, summary: "The calling integrator's subscriptions (never their secrets)", params: MunicipalityParams, response: { 200: z.object({ items: z.array(SubscriptionOutSchema) }), ...commonErrors } },
  }, async (req) => {
    const { m, p } = await integrator(req);
    return { items: (await listSubscriptions(db, m.id, p.id)).map(out) };
  });

  app.delete(`${base}/:id`, {
    schema: { ...integratorDoc, summary: 'Revoke a subscription: nothing more is sent to it', params: IdParams, response: { 200: SubscriptionOutSchema, ...commonErrors } },
  }, async (req) => {
    const { m, p } = await integrator(req);
    return out(await revokeSubscription({ db, municipalityId: m.id, actor: actorOf(p), now: clock.now() }, req.params.id, p.id));
  });

  app.get(`${base}/:id/deliveries`, {
    schema: { ...integratorDoc, summary: "A subscription's delivery log, newest first", params: IdParams, querystring: DeliveriesQuery, response: { 200: z.object({ items: z.array(DeliveryOut), nextCursor: z.string().nullable() }), ...commonErrors } },
  }, async (req) => {
    const { m, p } = await integrator(req);
    await findSubscription(db, m.id, req.params.id, p.id);
    return deliveriesPage(m.id, req.params.id, req.query);
  });

  // ---- admins -----------------------------------------------------------------------------------------------

  app.get(adminBase, {
    schema: { ...adminDoc, summary: "The city's webhook subscriptions, of every integrator", params: MunicipalityParams, response: { 200: z.object({ items: z.array(AdminSubscriptionOut) }), ...commonErrors } },
  }, async (req) => {
    const m = await municipalities.bySlug(req.params.municipality);
    requireStaff(req, m.id, ['admin']);
    return { items: (await listSubscriptions(db, m.id)).map((s) => ({ ...out(s), apiKeyId: s.apiKeyId, apiKeyName: s.apiKeyName })) };
  });

  app.delete(`${adminBase}/:id`, {
    schema: { ...adminDoc, summary: 'Revoke a subscription', params: IdParams, response: { 200: SubscriptionOutSchema, ...commonErrors } },
  }, async (req) => {
    const m = await municipalities.bySlug(req.params.municipality);
    const staff = requireStaff(req, m.id, ['admin']);
    return out(await revokeSubscription({ db, municipalityId: m.id, actor: actorOf(staff), now: clock.now() }, req.params.id));
  });

  app.get(`${adminBase}/:id/deliveries`, {
    schema: { ...adminDoc, summary: "A subscription's delivery log, newest first", params: IdParams, querystring: DeliveriesQuery, response: { 200: z.object({ items: z.array(DeliveryOut), nextCursor: z.string().nullable() }), ...commonErrors } },
  }, async (req) => {
    const m = await municipalities.bySlug(req.params.municipality);
    requireStaff(req, m.id, ['admin']);
    await findSubscription(db, m.id, req.params.id);
    return deliveriesPage(m.id, req.params.id, req.query);
  });

  app.post(`${adminBase}/:id/deliveries/:deliveryId/resend`, {
    schema: {
      ...adminDoc, summary: 'Send a failed delivery again (same id and body, a fresh round of attempts); audited',
      params: IdParams.extend({ deliveryId: z.uuid() }), response: { 202: DeliveryOut, ...commonErrors },
    },
  }, async (req, reply) => {
    const m = await municipalities.bySlug(req.params.municipality);
    const staff = requireStaff(req, m.id, ['admin']);
    const d = await resendDelivery({ db, municipalityId: m.id, actor: actorOf(staff), now: clock.now() }, req.params.id, req.params.deliveryId);
    return reply.status(202).send({
      id: d.id, event: d.event, eventKey: d.eventKey, appealId: d.appealId, status: d.status as 'pending', attempts: d.attempts,
      lastStatusCode: d.lastStatusCode, lastError: d.lastError, createdAt: d.createdAt.toISOString(), deliveredAt: d.deliveredAt?.toISOString() ?? null,
      payload: d.payload,
    });
  });
};
