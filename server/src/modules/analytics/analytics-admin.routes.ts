/** An admin's "rebuild the analytics now" (after a bulk load, say); the minute job keeps the cube current otherwise. */
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { RouteOptions } from '../../app.js';
import { commonErrors, MunicipalityParams } from '../../platform/http/schemas.js';
import { actorOf, requireStaff } from '../auth/principal.js';
import { refreshAnalytics } from './analytics-refresh.js';

const RebuildOut = z.object({
  months: z.number().int().describe('Months rebuilt'), rows: z.number().int().describe('Cube rows written'), durationMs: z.number().int(),
});

export const analyticsAdminRoutes: FastifyPluginAsyncZod<RouteOptions> = async (app, { services }) => {
  const { municipalities, database, clock } = services;
  app.post('/api/v1/m/:municipality/admin/analytics/rebuild', {
    schema: {
      tags: ['analytics'], summary: 'Rebuild the whole analytics cube from the registry now (admins); audited',
      security: [{ session: [] }], params: MunicipalityParams, response: { 200: RebuildOut, ...commonErrors },
    },
  }, async (req) => {
    const m = await municipalities.bySlug(req.params.municipality);
    const staff = requireStaff(req, m.id, ['admin']);
    const result = await refreshAnalytics(database.db, clock, m.id, m.timezone, { full: true, audit: { actor: actorOf(staff) } });
    return { months: result.months.length, rows: result.rows, durationMs: result.durationMs };
  });
};
