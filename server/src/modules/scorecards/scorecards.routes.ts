/**
 * Scorecards over HTTP: the public city page and service pages (no sign-in, no staff names — HTTP-cacheable for a
 * minute, as the roll-up itself is refreshed every minute), the staff page with executors, and an admin's rebuild.
 */
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import type { FastifyReply } from 'fastify';
import { SERVICE_ROLES, type StaffRole } from '@shaar/contracts';
import type { RouteOptions } from '../../app.js';
import { commonErrors, IdParams, MunicipalityParams } from '../../platform/http/schemas.js';
import { AppError, errors } from '../../platform/http/errors.js';
import { actorOf, requireStaff } from '../auth/principal.js';
import type { Municipality } from '../municipalities/municipalities.service.js';
import { isValidPeriod, MAX_PERIOD_MONTHS, resolvePeriod, type Period } from './scorecard-period.js';
import { rebuildAllScorecards } from './scorecard-refresh.js';
import { cityScorecard, serviceScorecard, staffScorecard, type ScorecardContext } from './scorecards.service.js';
import { CityScorecardOut, PeriodQuery, RebuildOut, ServiceScorecardOut, StaffScorecardOut, StaffScorecardQuery } from './scorecards.schemas.js';

/** Staff who see every service's scorecard; staff of one service (executors, heads) see only theirs. */
const CITY_WIDE: readonly StaffRole[] = ['admin', 'supervisor', 'analyst'];
const PUBLIC_CACHE = 'public, max-age=60';

export const scorecardRoutes: FastifyPluginAsyncZod<RouteOptions> = async (app, { services }) => {
  const { municipalities, directory, database, clock } = services;
  const db = database.db;

  const context = async (m: Municipality): Promise<ScorecardContext> => ({
    db, municipalityId: m.id, timezone: m.timezone, now: clock.now(), directory: await directory.get(m.id),
  });
  const periodOf = (m: Municipality, query: { from?: string | undefined; to?: string | undefined }): Period => {
    const period = resolvePeriod(query, clock.now(), m.timezone);
    if (!isValidPeriod(period)) throw new AppError(400, 'invalid_period', 'error.scorecard_period', { max: String(MAX_PERIOD_MONTHS) });
    return period;
  };
  const cachePublicly = (reply: FastifyReply) => reply.header('cache-control', PUBLIC_CACHE);

  app.get('/api/v1/m/:municipality/scorecards', {
    schema: {
      tags: ['scorecards'], summary: "Every service's scorecard over a period, ranked, and the city's totals (public)",
      params: MunicipalityParams, querystring: PeriodQuery, response: { 200: CityScorecardOut, ...commonErrors },
    },
  }, async (req, reply) => {
    const m = await municipalities.bySlug(req.params.municipality);
    const body = await cityScorecard(await context(m), periodOf(m, req.query));
    cachePublicly(reply);
    return body;
  });

  app.get('/api/v1/m/:municipality/scorecards/services/:id', {
    schema: {
      tags: ['scorecards'], summary: "One service's scorecard over a period with its monthly trend (public)",
      params: IdParams, querystring: PeriodQuery, response: { 200: ServiceScorecardOut, ...commonErrors },
    },
  }, async (req, reply) => {
    const m = await municipalities.bySlug(req.params.municipality);
    const body = await serviceScorecard(await context(m), req.params.id, periodOf(m, req.query));
    if (!body) throw errors.notFound('service');
    cachePublicly(reply);
    return body;
  });

  app.get('/api/v1/m/:municipality/staff-scorecards', {
    schema: {
      tags: ['scorecards'], summary: 'Scorecards per service and per executor (supervisors, admins, analysts: all services; staff of a service: their own)',
      security: [{ session: [] }], params: MunicipalityParams, querystring: StaffScorecardQuery,
      response: { 200: StaffScorecardOut, ...commonErrors },
    },
  }, async (req, reply) => {
    const m = await municipalities.bySlug(req.params.municipality);
    const staff = requireStaff(req, m.id);
    let only = req.query.serviceId ?? null;
    if (!staff.roles.some((r) => CITY_WIDE.includes(r))) {
      if (!staff.serviceId || !staff.roles.some((r) => SERVICE_ROLES.includes(r))) throw errors.forbidden();
      if (only && only !== staff.serviceId) throw new AppError(403, 'not_in_your_service', 'error.not_in_your_service');
      only = staff.serviceId;
    }
    const ctx = await context(m);
    if (only && !ctx.directory.services.has(only)) throw errors.invalidReference('serviceId');
    const body = await staffScorecard(ctx, periodOf(m, req.query), only);
    reply.header('cache-control', 'private, no-store');
    return body;
  });

  app.post('/api/v1/m/:municipality/admin/scorecards/rebuild', {
    schema: {
      tags: ['scorecards'], summary: 'Rebuild every month of the scorecards from the registry now (admins); audited',
      security: [{ session: [] }], params: MunicipalityParams, response: { 200: RebuildOut, ...commonErrors },
    },
  }, async (req) => {
    const m = await municipalities.bySlug(req.params.municipality);
    const staff = requireStaff(req, m.id, ['admin']);
    return rebuildAllScorecards(db, clock, m.id, m.timezone, { actor: actorOf(staff), at: clock.now() });
  });
};
