import { z } from 'zod';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import type { RouteOptions } from '../../app.js';

/** /healthz: the process answers. /readyz: it can reach its database (load balancers route on this). */
export const healthRoutes: FastifyPluginAsyncZod<RouteOptions> = async (app, { services }) => {
  app.get('/healthz', { schema: { tags: ['health'], response: { 200: z.object({ status: z.literal('ok') }) } }, logLevel: 'warn' },
    async () => ({ status: 'ok' as const }));
  app.get('/readyz', {
    schema: { tags: ['health'], response: { 200: z.object({ status: z.literal('ready'), database: z.string() }), 503: z.object({ status: z.literal('unavailable') }) } },
    logLevel: 'warn',
  }, async (_req, reply) => {
    const ok = await services.database.ping().catch(() => false);
    if (!ok) return reply.status(503).send({ status: 'unavailable' as const });
    return { status: 'ready' as const, database: services.database.kind };
  });
};
