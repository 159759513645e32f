import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import type { RouteOptions } from '../../app.js';

export const staffRoutes: FastifyPluginAsyncZod<RouteOptions> = async () => {};
