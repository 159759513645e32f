/**
 * Sign-in for staff (e-mail and password) and citizens (a one-time code by e-mail or SMS), sign-out and "me".
 * The session token travels in an httpOnly cookie; apps may send it as a bearer token instead.
 */
import { z } from 'zod';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { LOCALES, STAFF_ROLES } from '@shaar/contracts';
import type { RouteOptions } from '../../app.js';
import { commonErrors, ErrorResponse, Ok } from '../../platform/http/schemas.js';
import { errors } from '../../platform/http/errors.js';

export const SESSION_COOKIE = 'shaar_session';

const Me = z.discriminatedUnion('kind', [
  z.object({
    kind: z.literal('staff'), id: z.uuid(), municipality: z.string(), fullName: z.string(), email: z.string(),
    roles: z.array(z.enum(STAFF_ROLES)), serviceId: z.uuid().nullable(), locale: z.string(), csrfToken: z.string(),
  }),
  z.object({
    kind: z.literal('citizen'), id: z.uuid(), fullName: z.string().nullable(), email: z.string().nullable(),
    phone: z.string().nullable(), locale: z.string(), csrfToken: z.string(),
  }),
  z.object({ kind: z.literal('integrator'), id: z.uuid(), name: z.string() }),
]);

const SignedIn = z.object({
  token: z.string().describe('The session token (also set as an httpOnly cookie); apps send it as a bearer token'),
  csrfToken: z.string().describe('Send as X-CSRF-Token on unsafe requests authenticated by the cookie'),
  expiresAt: z.iso.datetime({ offset: true }),
});

export const authRoutes: FastifyPluginAsyncZod<RouteOptions> = async (app, { services }) => {
  const { auth, municipalities, config } = services;
  // Max-Age, not Expires: relative to the browser's own clock, so a skewed clock (or a demo's CLOCK_START) cannot
  // make the cookie arrive already expired. The session's real expiry is checked on the server.
  const setCookie = (reply: { setCookie: Function }, token: string, _expiresAt: Date) =>
    reply.setCookie(SESSION_COOKIE, token, { httpOnly: true, sameSite: 'lax', secure: config.cookieSecure, path: '/', maxAge: config.sessionDays * 86_400 });

  // A fresh object per route: the plugin keeps per-route state on it.
  const limited = () => ({ rateLimit: { max: config.rateLimitAuthPerMinute, timeWindow: 60_000 } });

  app.post('/api/v1/auth/staff/login', {
    config: limited(),
    schema: {
      tags: ['auth'], summary: 'Staff sign-in with e-mail and password',
      // strict() like every other body of the API: an unknown field is a client's mistake, said as such.
      body: z.object({ municipality: z.string().min(1).max(60), email: z.string().trim().min(3).max(200), password: z.string().min(1).max(200) }).strict(),
      response: { 200: SignedIn, ...commonErrors, 429: ErrorResponse },
    },
  }, async (req, reply) => {
    const m = await municipalities.bySlug(req.body.municipality);
    const { session } = await auth.staffLogin(m.id, req.body.email, req.body.password);
    setCookie(reply, session.token, session.expiresAt);
    return { token: session.token, csrfToken: session.csrfToken, expiresAt: session.expiresAt.toISOString() };
  });

  app.post('/api/v1/auth/code/request', {
    config: limited(),
    schema: {
      tags: ['auth'], summary: 'A citizen asks for a one-time sign-in code by e-mail or SMS',
      body: z.object({ destination: z.string().trim().min(3).max(200).describe('E-mail or phone (+996…)'), locale: z.enum(LOCALES).optional() }).strict(),
      response: { 202: Ok, ...commonErrors, 429: ErrorResponse },
    },
  }, async (req, reply) => {
    await auth.requestCode(req.body.destination, req.body.locale ?? req.locale);
    return reply.status(202).send({ ok: true as const });
  });

  app.post('/api/v1/auth/code/verify', {
    config: limited(),
    schema: {
      tags: ['auth'], summary: 'A citizen signs in with the code; the account is created on first sign-in',
      body: z.object({ destination: z.string().trim().min(3).max(200), code: z.string().trim().regex(/^\d{6}$/) }).strict(),
      response: { 200: SignedIn, ...commonErrors, 429: ErrorResponse },
    },
  }, async (req, reply) => {
    const { session } = await auth.verifyCode(req.body.destination, req.body.code, req.locale);
    setCookie(reply, session.token, session.expiresAt);
    return { token: session.token, csrfToken: session.csrfToken, expiresAt: session.expiresAt.toISOString() };
  });

  app.post('/api/v1/auth/logout', {
    schema: { tags: ['auth'], summary: 'Ends the current session', response: { 200: Ok, ...commonErrors } },
  }, async (req, reply) => {
    // The session that authenticated this request, found as onRequest finds it: the bearer first (trimmed), then
    // the cookie. Taking the cookie first, untrimmed, could end another session and leave this one open.
    const authz = req.headers.authorization;
    const token = authz?.startsWith('Bearer ') ? authz.slice(7).trim() : req.cookies[SESSION_COOKIE];
    if (token) await auth.endSession(token);
    reply.clearCookie(SESSION_COOKIE, { path: '/' });
    return { ok: true as const };
  });

  app.get('/api/v1/auth/me', {
    schema: { tags: ['auth'], summary: 'Who is signed in', response: { 200: Me, ...commonErrors } },
  }, async (req) => {
    const p = req.principal;
    if (!p) throw errors.unauthorized();
    if (p.kind === 'staff') {
      const all = await municipalities.list();
      const slug = all.find((m) => m.id === p.municipalityId)?.slug ?? '';
      return { kind: 'staff' as const, id: p.id, municipality: slug, fullName: p.fullName, email: p.email, roles: p.roles,
        serviceId: p.serviceId, locale: p.locale, csrfToken: p.csrfToken };
    }
    if (p.kind === 'citizen') {
      return { kind: 'citizen' as const, id: p.id, fullName: p.fullName, email: p.email, phone: p.phone, locale: p.locale, csrfToken: p.csrfToken };
    }
    return { kind: 'integrator' as const, id: p.id, name: p.name };
  });
};
