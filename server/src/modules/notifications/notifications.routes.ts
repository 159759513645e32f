/**
 * The notifications API: each person's in-app feed and preferences (citizens across cities, staff in their city),
 * what an appeal's people were told (staff, addresses masked), and the dev outbox for demos (admins, outbox mode
 * only). Handlers authorise, call a query or use case and present.
 */
import { createHash } from 'node:crypto';
import { z } from 'zod';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import type { StaffRole } from '@shaar/contracts';
import type { RouteOptions } from '../../app.js';
import { commonErrors, IdParams, MunicipalityParams } from '../../platform/http/schemas.js';
import { AppError, errors } from '../../platform/http/errors.js';
import { maskAddress } from '../../platform/delivery/delivery.js';
import { actorOf, requireCitizen, requireStaff } from '../auth/principal.js';
import { loadAppeal } from '../appeals/appeals.queries.js';
import { canActOn } from '../appeals/change-appeal-status.js';
import { readPreferences, savePreferences } from './notification-preferences.js';
import { feedVersion, latestOutbox, listAppealNotifications, listFeed, markRead, type FeedOwner } from './notifications.queries.js';
import {
  AppealNotification, Feed, FeedQuery, MarkReadBody, MarkReadResult, OutboxMessage, OutboxQuery, PreferencesBody,
} from './notifications.schemas.js';

/** Who may see what an appeal's people were told, across services (others: only their own service's appeals). */
const OVERSEERS: readonly StaffRole[] = ['admin', 'supervisor', 'operator'];

/** Apps fetch only what is new since the newest item they hold. */
const CitizenFeedQuery = FeedQuery.extend({
  since: z.iso.datetime({ offset: true }).optional().describe('Only items created after this instant (the createdAt of the newest item you have)'),
});

const CITIZEN_SECURITY: { [scheme: string]: string[] }[] = [{ session: [] }, { bearer: [] }];
const citizenRoute = <S extends object>(summary: string, schema: S) => ({ tags: ['notifications'], summary, security: CITIZEN_SECURITY, ...schema });
const staffRoute = <S extends object>(summary: string, schema: S) => ({ tags: ['notifications'], summary, security: [{ session: [] }], ...schema });

export const notificationRoutes: FastifyPluginAsyncZod<RouteOptions> = async (app, { services }) => {
  const { municipalities, database, clock, config } = services;
  const db = database.db;

  // ---- the citizen's feed and preferences (one account across cities) -----------------------------------------

  app.get('/api/v1/my/notifications', {
    schema: citizenRoute("The signed-in citizen's in-app notifications from every city, newest first", {
      description: 'Apps poll with If-None-Match: the ETag of the last answer; 304 (no body) while nothing changed.',
      querystring: CitizenFeedQuery, response: { 200: Feed, 304: z.void().describe('Nothing changed since that ETag'), ...commonErrors },
    }),
  }, async (req, reply) => {
    const citizen = requireCitizen(req);
    const owner: FeedOwner = { kind: 'citizen', id: citizen.id };
    // The page asked for (the query) plus the state of the whole feed: a new item or a read mark changes it.
    const etag = `W/"${createHash('sha256').update(`${await feedVersion(db, owner)}|${req.url.split('?')[1] ?? ''}`).digest('base64url').slice(0, 27)}"`;
    reply.header('etag', etag).header('cache-control', 'private, no-cache');
    if (req.headers['if-none-match']?.split(',').some((t) => t.trim() === etag)) return reply.code(304).send();
    return listFeed(db, owner, req.query);
  });

  app.post('/api/v1/my/notifications/read', {
    schema: citizenRoute('Mark some (ids) or all (all: true) of your notifications read', {
      body: MarkReadBody, response: { 200: MarkReadResult, ...commonErrors },
    }),
  }, async (req) => {
    const citizen = requireCitizen(req);
    return markRead(db, clock, { kind: 'citizen', id: citizen.id }, req.body, actorOf(citizen));
  });

  app.get('/api/v1/my/notification-preferences', {
    schema: citizenRoute('Your choices: e-mail, SMS, and events you do not want by e-mail or SMS', { response: { 200: PreferencesBody, ...commonErrors } }),
  }, async (req) => readPreferences(db, { kind: 'citizen', id: requireCitizen(req).id }));

  app.put('/api/v1/my/notification-preferences', {
    schema: citizenRoute('Replace your choices (they apply to messages from every city)', { body: PreferencesBody, response: { 200: PreferencesBody, ...commonErrors } }),
  }, async (req) => {
    const citizen = requireCitizen(req);
    // The choices concern every city's messages, so every city's audit log records the change.
    const cities = (await municipalities.list()).map((m) => m.id);
    return savePreferences(db, clock, { kind: 'citizen', id: citizen.id }, req.body, cities, actorOf(citizen));
  });

  // ---- a staff member's feed and preferences ---------------------------------------------------------------

  const staffOwner = async (req: Parameters<typeof requireStaff>[0] & { params: { municipality: string } }) => {
    const m = await municipalities.bySlug(req.params.municipality);
    const staff = requireStaff(req, m.id);
    const owner: FeedOwner = { kind: 'staff', id: staff.id, municipalityId: m.id };
    return { m, staff, owner };
  };

  app.get('/api/v1/m/:municipality/notifications', {
    schema: staffRoute("The signed-in staff member's in-app notifications, newest first", {
      params: MunicipalityParams, querystring: FeedQuery, response: { 200: Feed, ...commonErrors },
    }),
  }, async (req) => {
    const { owner } = await staffOwner(req);
    return listFeed(db, owner, req.query);
  });

  app.post('/api/v1/m/:municipality/notifications/read', {
    schema: staffRoute('Mark some (ids) or all (all: true) of your notifications read', {
      params: MunicipalityParams, body: MarkReadBody, response: { 200: MarkReadResult, ...commonErrors },
    }),
  }, async (req) => {
    const { owner, staff } = await staffOwner(req);
    return markRead(db, clock, owner, req.body, actorOf(staff));
  });

  app.get('/api/v1/m/:municipality/notification-preferences', {
    schema: staffRoute('Your choices: e-mail, and events you do not want by e-mail', {
      params: MunicipalityParams, response: { 200: PreferencesBody, ...commonErrors },
    }),
  }, async (req) => {
    const { staff } = await staffOwner(req);
    return readPreferences(db, { kind: 'staff', id: staff.id });
  });

  app.put('/api/v1/m/:municipality/notification-preferences', {
    schema: staffRoute('Replace your choices', { params: MunicipalityParams, body: PreferencesBody, response: { 200: PreferencesBody, ...commonErrors } }),
  }, async (req) => {
    const { m, staff } = await staffOwner(req);
    return savePreferences(db, clock, { kind: 'staff', id: staff.id }, req.body, [m.id], actorOf(staff));
  });

  // ---- what an appeal's people were told ------------------------------------------------------------------

  app.get('/api/v1/m/:municipality/appeals/:id/notifications', {
    schema: staffRoute("Every message about an appeal: to whom (addresses masked), by which channel, and whether it went (admins, supervisors, operators, the appeal's service)", {
      params: IdParams, response: { 200: z.object({ items: z.array(AppealNotification) }), ...commonErrors },
    }),
  }, async (req) => {
    const m = await municipalities.bySlug(req.params.municipality);
    const staff = requireStaff(req, m.id);
    const appeal = await loadAppeal(db, m.id, req.params.id);
    if (!appeal) throw errors.notFound('appeal');
    if (!staff.roles.some((r) => OVERSEERS.includes(r))) {
      // Another service's appeal is "not found" for an executor, as on the appeal's own page.
      if (!canActOn(staff, appeal)) throw staff.serviceId ? errors.notFound('appeal') : errors.forbidden();
    }
    const rows = await listAppealNotifications(db, m.id, appeal.id);
    return {
      items: rows.map((n) => ({
        id: n.id, event: n.event, channel: n.channel as 'email' | 'sms' | 'in_app',
        recipientKind: n.recipientKind as 'citizen' | 'applicant' | 'staff',
        recipientStaffId: n.recipientKind === 'staff' ? n.recipientId : null,
        address: n.address ? maskAddress(n.address) : null, locale: n.locale,
        status: n.status as 'pending' | 'sent' | 'failed' | 'skipped', attempts: n.attempts,
        createdAt: n.createdAt.toISOString(), sentAt: n.sentAt?.toISOString() ?? null,
      })),
    };
  });

  // ---- the dev outbox (demo and development only) ----------------------------------------------------------

  app.get('/api/v1/dev/outbox', {
    schema: {
      tags: ['notifications'], summary: 'The latest messages kept in the dev outbox instead of being sent (DELIVERY=outbox only; admins)',
      security: [{ session: [] }], querystring: OutboxQuery,
      response: { 200: z.object({ items: z.array(OutboxMessage) }), ...commonErrors },
    },
  }, async (req) => {
    // With real delivery there is no outbox: the route does not exist.
    if (config.delivery.mode !== 'outbox') throw new AppError(404, 'route_not_found', 'error.route_not_found');
    const p = req.principal;
    if (!p) throw errors.unauthorized();
    if (p.kind !== 'staff' || !p.roles.includes('admin')) throw errors.forbidden();
    const rows = await latestOutbox(db, req.query.limit);
    return {
      items: rows.map((r) => ({ id: r.id, channel: r.channel, recipient: r.recipient, subject: r.subject, body: r.body, createdAt: r.createdAt.toISOString() })),
    };
  });
};
