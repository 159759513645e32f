/**
 * Sign-in for mobile apps: the same one-time code as the web, answered with a short-lived access token and a
 * rotating refresh token instead of a cookie; refresh, sign-out, and the citizen's list of signed-in devices.
 */
import { z } from 'zod';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import type { FastifyRequest } from 'fastify';
import { LOCALES } from '@shaar/contracts';
import type { RouteOptions } from '../../app.js';
import { commonErrors, ErrorResponse, Ok } from '../../platform/http/schemas.js';
import { errors } from '../../platform/http/errors.js';
import { requireCitizen } from './principal.js';
import { AppTokens, type TokenPair } from './app-tokens.js';

const BEARER = [{ bearer: [] }];

const Tokens = z.object({
  accessToken: z.string().describe('Send as Authorization: Bearer <accessToken> on every citizen endpoint'),
  accessTokenExpiresAt: z.iso.datetime({ offset: true }),
  refreshToken: z.string().describe('Keep in secure storage; spend it at /api/v1/app/auth/refresh. Single use'),
  refreshTokenExpiresAt: z.iso.datetime({ offset: true }),
  tokenType: z.literal('Bearer'),
}).describe('A token pair of a mobile app');

const RefreshBody = z.object({ refreshToken: z.string().trim().min(20).max(200) }).strict();

// Printable text only: the name is shown back to the citizen in their device list.
// eslint-disable-next-line no-control-regex
const DeviceName = z.string().trim().min(1).max(100).regex(/^[^\u0000-\u001f\u007f]+$/).describe("The device's name as the citizen will see it in their device list, e.g. 'Aigul's phone'");

const Device = z.object({
  id: z.uuid().describe('The sign-in (token family); DELETE /api/v1/app/sessions/{id} signs it out'),
  deviceName: z.string().nullable(),
  signedInAt: z.iso.datetime({ offset: true }),
  lastRefreshAt: z.iso.datetime({ offset: true }),
  current: z.boolean().describe('The device making this request'),
});

const presentPair = (p: TokenPair) => ({
  accessToken: p.accessToken, accessTokenExpiresAt: p.accessTokenExpiresAt.toISOString(),
  refreshToken: p.refreshToken, refreshTokenExpiresAt: p.refreshTokenExpiresAt.toISOString(), tokenType: 'Bearer' as const,
});

/** The bearer token of this request, if it came as one. */
const bearerOf = (req: FastifyRequest) => {
  const authz = req.headers.authorization;
  return authz?.startsWith('Bearer ') ? authz.slice(7).trim() : null;
};

export const appAuthRoutes: FastifyPluginAsyncZod<RouteOptions> = async (app, { services }) => {
  const { auth, config, database, clock, logger } = services;
  const tokens = new AppTokens({ db: database.db, clock, logger, ...config.appTokens });
  // A fresh object per route: the plugin keeps per-route state on it (as on the web's sign-in routes).
  const limited = () => ({ rateLimit: { max: config.rateLimitAuthPerMinute, timeWindow: 60_000 } });

  app.post('/api/v1/app/auth/code/request', {
    config: limited(),
    schema: {
      tags: ['app'], summary: 'An app asks for a one-time sign-in code for its user by e-mail or SMS',
      body: z.object({ destination: z.string().trim().min(3).max(200).describe('E-mail or phone (+996…)'), locale: z.enum(LOCALES).optional() }).strict(),
      response: { 202: Ok, ...commonErrors, 429: ErrorResponse },
    },
  }, async (req, reply) => {
    await auth.requestCode(req.body.destination, req.body.locale ?? req.locale);
    return reply.status(202).send({ ok: true as const });
  });

  app.post('/api/v1/app/auth/code/verify', {
    config: limited(),
    schema: {
      tags: ['app'], summary: 'Sign in with the code: a token pair (no cookie); the account is created on first sign-in',
      body: z.object({ destination: z.string().trim().min(3).max(200), code: z.string().trim().regex(/^\d{6}$/), deviceName: DeviceName.optional() }).strict(),
      response: { 200: Tokens, ...commonErrors, 429: ErrorResponse },
    },
  }, async (req) => {
    const { citizen, session } = await auth.verifyCode(req.body.destination, req.body.code, req.locale);
    // The code check opens a web session too; an app never sees its token, so it is ended at once.
    await auth.endSession(session.token);
    return presentPair(await tokens.signIn(citizen.id, req.body.deviceName ?? null));
  });

  app.post('/api/v1/app/auth/refresh', {
    schema: {
      tags: ['app'], summary: 'Spend the refresh token for a new pair; the old access token stops working',
      description: 'A refresh token works once. Presenting a spent one again ends the whole sign-in on every copy (401 refresh_token_reused): sign in again.',
      body: RefreshBody,
      response: { 200: Tokens, ...commonErrors },
    },
  }, async (req) => presentPair(await tokens.refresh(req.body.refreshToken)));

  app.post('/api/v1/app/auth/logout', {
    schema: {
      tags: ['app'], summary: 'Sign this device out: its access and refresh tokens stop working', security: [...BEARER, {}],
      description: 'Authenticate with the access token and send `{}`, or (when it has expired) send `{"refreshToken": …}`.',
      body: z.object({ refreshToken: RefreshBody.shape.refreshToken.optional() }).strict(),
      response: { 200: Ok, ...commonErrors },
    },
  }, async (req) => {
    const accessToken = req.principal?.kind === 'citizen' ? bearerOf(req) : null;
    const refreshToken = req.body.refreshToken;
    if (!accessToken && !refreshToken) throw errors.unauthorized();
    if (accessToken) await tokens.logout(accessToken);
    if (refreshToken) await tokens.logoutByRefreshToken(refreshToken);
    return { ok: true as const };
  });

  app.get('/api/v1/app/sessions', {
    schema: {
      tags: ['app'], summary: "The citizen's signed-in app devices, most recently refreshed first", security: BEARER,
      response: { 200: z.object({ items: z.array(Device) }), ...commonErrors },
    },
  }, async (req) => {
    const citizen = requireCitizen(req);
    const items = await tokens.devices(citizen.id, bearerOf(req));
    return {
      items: items.map((d) => ({ ...d, signedInAt: d.signedInAt.toISOString(), lastRefreshAt: d.lastRefreshAt.toISOString() })),
    };
  });

  app.delete('/api/v1/app/sessions/:id', {
    schema: {
      tags: ['app'], summary: 'Sign one of your devices out (a lost phone)', security: BEARER,
      params: z.object({ id: z.uuid() }), response: { 200: Ok, ...commonErrors },
    },
  }, async (req) => {
    const citizen = requireCitizen(req);
    if (!(await tokens.revokeDevice(citizen.id, req.params.id))) throw errors.notFound('app_session');
    return { ok: true as const };
  });
};
