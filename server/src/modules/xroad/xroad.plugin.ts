/**
 * Shaar as a Tunduk (X-Road) service provider, REST protocol r1. One base URL per city, registered as the service
 * URL on the provider security server:  {PUBLIC_URL}/xroad/v1/{city slug}  (e.g. …/xroad/v1/bishkek).
 * The security server forwards {base URL}{path}: POST /appeals (submitAppeal), GET /appeals/{ref}
 * (getAppealStatus), POST /appeals/by-personal-number (listAppealsByPersonalNumber); GET /openapi.json describes them.
 *
 * Who calls: only addresses in XROAD_ALLOWED_ADDRESSES (the security server); the consumer is the X-Road-Client
 * subsystem, which must be a registered, active row of xroad_consumers of the city; its integrator key's scopes
 * decide what it may do, and the key is the actor of the audit log. Errors are X-Road-style {type, message, detail}.
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { hasZodFastifySchemaValidationErrors, type ZodTypeProvider } from 'fastify-type-provider-zod';
import { DrizzleQueryError } from 'drizzle-orm';
import type { ApiKeyScope, Locale } from '@shaar/contracts';
import type { RouteOptions } from '../../app.js';
import { AppError } from '../../platform/http/errors.js';
import { databaseErrorOf, uniqueViolation } from '../../platform/db/database-errors.js';
import { translate, type MessageKey } from '../../platform/i18n/messages.js';
import type { Municipality } from '../municipalities/municipalities.service.js';
import { addressAllowed, answerHeaders, exchangeOf, parseClientId, type XRoadExchange } from './xroad-headers.js';
import { sendXRoadError, XRoadError, type XRoadErrorStatus } from './xroad-errors.js';
import { xr } from './xroad.messages.js';
import { xroadOpenApi } from './xroad-openapi.js';
import { findAppeals, findByReference, findConsumer, sourceOf, type AppealView, type Consumer } from './xroad.queries.js';
import {
  AppealListResponse, AppealRefParams, AppealStatusResponse, CityParams, ListByPersonalNumberRequest, PERSONAL_NUMBER_ISSUE,
  SubmitAppealRequest, SubmitAppealResponse,
} from './xroad.schemas.js';

export const XROAD_PREFIX = '/xroad/v1';
const MAX_LIST = 100;

interface Exchange { x: XRoadExchange; m?: Municipality; consumer?: Consumer }
const exchanges = new WeakMap<FastifyRequest, Exchange>();
const exchange = (req: FastifyRequest): Exchange => {
  let e = exchanges.get(req);
  if (!e) { e = { x: exchangeOf(req.headers) }; exchanges.set(req, e); }
  return e;
};

/** The city and consumer resolved by the onRequest hook (every service route has them). */
const caller = (req: FastifyRequest) => {
  const e = exchange(req);
  return { m: e.m!, consumer: e.consumer!, x: e.x };
};

interface Issue { keyword: string; instancePath: string; message: string; params: Record<string, unknown> }

function issueText(locale: Locale, i: Issue): string {
  const p = i.params;
  const origin = String(p.origin ?? '');
  switch (i.keyword) {
    case 'custom': return i.message === PERSONAL_NUMBER_ISSUE ? xr(locale, 'personal_number') : translate(locale, 'issue.invalid');
    case 'invalid_type': return /received undefined/.test(i.message) ? translate(locale, 'issue.required') : translate(locale, 'issue.invalid_type', { expected: String(p.expected) });
    case 'too_small': return origin === 'string' && Number(p.minimum) === 1 ? translate(locale, 'issue.required')
      : translate(locale, origin === 'string' ? 'issue.too_small_string' : 'issue.too_small_number', { minimum: String(p.minimum) });
    case 'too_big': return translate(locale, origin === 'string' ? 'issue.too_big_string' : 'issue.too_big_number', { maximum: String(p.maximum) });
    case 'invalid_format': return p.format === 'regex' ? translate(locale, 'issue.invalid_pattern') : translate(locale, 'issue.invalid_format', { format: String(p.format) });
    case 'invalid_value': return translate(locale, 'issue.invalid_value', { values: Array.isArray(p.values) ? p.values.join(', ') : '' });
    case 'unrecognized_keys': return translate(locale, 'issue.unrecognized_keys', { keys: Array.isArray(p.keys) ? p.keys.join(', ') : '' });
    default: return translate(locale, 'issue.invalid');
  }
}

/** Any failure as an X-Road error: bad input is a 4xx with a message in the caller's language, never a 500. */
function toXRoadError(err: unknown, req: FastifyRequest, reply: FastifyReply): XRoadError {
  const locale = req.locale;
  if (err instanceof XRoadError) return err;
  if (hasZodFastifySchemaValidationErrors(err)) {
    const where = err.validationContext === 'body' || !err.validationContext ? '' : `${err.validationContext}.`;
    const issues = err.validation.map((i) => ({
      path: where + i.instancePath.replace(/^\//, '').replaceAll('/', '.'),
      message: issueText(locale, i as unknown as Issue),
    }));
    return new XRoadError(400, `${xr(locale, 'validation')} ${issues.map((i) => `${i.path || '(body)'}: ${i.message}`).join('; ')}`, undefined, issues);
  }
  if (err instanceof AppError && err.status < 500) {
    if (err.status === 429 && err.params.seconds) reply.header('retry-after', String(err.params.seconds));
    const status = ([400, 403, 404, 409, 429] as const).find((s) => s === err.status) ?? 400;
    return new XRoadError(status, translate(locale, err.messageKey, err.params));
  }
  // Input the database refused (a NUL byte, a value out of range) is the consumer's error, not ours.
  const dbErr = databaseErrorOf(err);
  if (dbErr && /^2[23]/.test(dbErr.code)) return new XRoadError(400, xr(locale, 'validation'));
  const status = (err as { statusCode?: number }).statusCode;
  if (status && status >= 400 && status < 500) {
    const s: XRoadErrorStatus = status === 413 || status === 415 || status === 429 ? status : 400;
    const broken = (err as { code?: string }).code?.startsWith('FST_ERR_CTP') || err instanceof SyntaxError;
    const key: MessageKey = s === 413 ? 'error.body_too_large' : s === 415 ? 'error.unsupported_media_type' : broken ? 'error.malformed_json' : 'error.validation_failed';
    return new XRoadError(s, translate(locale, key, { limit: req.routeOptions.bodyLimit ?? 0, seconds: '60' }));
  }
  // A DrizzleQueryError's message carries the query's parameters (names, personal numbers): log its cause only.
  const logged = err instanceof DrizzleQueryError && err.cause instanceof Error ? err.cause : err instanceof Error ? err : new Error(String(err));
  req.log.error({ err: { type: logged.name, message: logged.message, code: dbErr?.code }, xroadRequestId: exchange(req).x.requestId }, 'xroad request failed');
  return new XRoadError(500, xr(locale, 'internal'));
}

const present = (a: AppealView, locale: Locale) => ({
  id: a.id,
  registrationNumber: a.registrationNumber,
  kind: a.kind,
  status: a.status,
  statusText: translate(locale, `status.${a.status}` as MessageKey),
  category: a.category,
  registeredAt: a.registeredAt.toISOString(),
  dueDate: a.dueDate,
  answered: a.answeredAt !== null,
  answeredAt: a.answeredAt?.toISOString() ?? null,
  closedAt: a.closedAt?.toISOString() ?? null,
  answer: a.answer ? { text: a.answer.text, language: a.answer.language, at: a.answer.at.toISOString() } : null,
});

declare module 'fastify' {
  interface FastifyContextConfig {
    /** An X-Road route that needs no X-Road-Client (the OpenAPI description). */
    xroadPublic?: boolean;
  }
}

export async function xroadPlugin(app: FastifyInstance, { services }: RouteOptions) {
  const { config, municipalities, directory, database, appeals: useCases, writeLimits } = services;
  const db = database.db;

  app.addHook('onRequest', async (req) => {
    const e = exchange(req);
    const locale = req.locale;
    if (!addressAllowed(req.ip, config.xroadAllowedAddresses)) throw new XRoadError(403, xr(locale, 'address_refused'));
    // Unknown paths get the 404 of the not-found handler, whoever asks.
    if (!req.routeOptions.url || req.routeOptions.config.xroadPublic) return;
    const raw = req.headers['x-road-client'];
    if (raw === undefined) throw new XRoadError(400, xr(locale, 'client_missing'), 'Client.InvalidClientId');
    const client = typeof raw === 'string' ? parseClientId(raw) : null;
    if (!client) throw new XRoadError(400, xr(locale, 'client_malformed'), 'Client.InvalidClientId');
    e.m = await city(req, locale);
    const consumer = await findConsumer(db, e.m.id, client.canonical);
    if (!consumer) throw new XRoadError(403, xr(locale, 'consumer_unknown', { client: client.canonical }));
    e.consumer = consumer;
  });

  // Set on every answer, errors included; the ids were fixed when the request arrived.
  app.addHook('onSend', async (req, reply, payload) => {
    reply.headers(answerHeaders(exchange(req).x));
    return payload;
  });

  app.setErrorHandler((err, req, reply) => sendXRoadError(reply, toXRoadError(err, req, reply), exchange(req).x.requestId));
  app.setNotFoundHandler((req, reply) => sendXRoadError(reply, new XRoadError(404, xr(req.locale, 'not_found')), exchange(req).x.requestId));

  async function city(req: FastifyRequest, locale: Locale): Promise<Municipality> {
    const slug = (req.params as { municipality?: string }).municipality ?? '';
    try {
      return await municipalities.bySlug(slug);
    } catch (err) {
      if (err instanceof AppError && err.status === 404) throw new XRoadError(404, xr(locale, 'municipality_unknown'));
      throw err;
    }
  }

  const need = (req: FastifyRequest, consumer: Consumer, scope: ApiKeyScope) => {
    if (!consumer.scopes.includes(scope)) throw new XRoadError(403, xr(req.locale, 'scope_missing', { client: consumer.clientId }));
  };

  /** A category by its code, or the subcategory whose names and keywords the text mentions most (by length). */
  async function categoryOf(m: Municipality, body: SubmitAppealRequest, locale: Locale) {
    const dir = await directory.get(m.id);
    const active = [...dir.categories.values()].filter((c) => c.active).sort((a, b) => a.sortOrder - b.sortOrder);
    const bad = (path: string, message: string) => new XRoadError(400, message, undefined, [{ path, message }]);
    if (body.category) {
      const c = active.find((x) => x.code === body.category);
      if (!c) throw bad('category', xr(locale, 'category_unknown', { value: body.category.slice(0, 60) }));
      return c;
    }
    if (!body.categoryText) throw bad('category', xr(locale, 'category_required'));
    const said = body.categoryText.toLocaleLowerCase();
    const words = (c: (typeof active)[number]) => [...Object.values(c.name), ...c.keywords].map((w) => String(w).toLocaleLowerCase()).filter((w) => w.length >= 3);
    const score = (c: (typeof active)[number]) => words(c).reduce((n, w) => n + (said.includes(w) ? w.length : w.includes(said) ? said.length : 0), 0);
    const found = active.filter((c) => c.parentId).map((c) => ({ c, n: score(c) })).filter((x) => x.n > 0)
      .reduce<{ c: (typeof active)[number]; n: number } | null>((best, x) => (!best || x.n > best.n ? x : best), null)?.c;
    if (!found) throw bad('categoryText', xr(locale, 'category_unresolved'));
    return found;
  }

  const typed = app.withTypeProvider<ZodTypeProvider>();
  const hide = { hide: true };

  typed.get('/:municipality/openapi.json', { schema: { ...hide, params: CityParams }, config: { xroadPublic: true } }, async (req) => {
    const m = await city(req, req.locale);
    const name = m.name as Record<Locale, string>;
    return xroadOpenApi({ baseUrl: `${config.publicUrl}${XROAD_PREFIX}/${m.slug}`, cityName: name.en || name.ru || m.slug, slug: m.slug });
  });

  typed.post('/:municipality/appeals', {
    schema: { ...hide, params: CityParams, body: SubmitAppealRequest, response: { 200: SubmitAppealResponse, 201: SubmitAppealResponse } },
  }, async (req, reply) => {
    const { m, consumer, x } = caller(req);
    need(req, consumer, 'appeals:write');
    // All of Tunduk arrives from one address: each consumer subsystem is limited on its own.
    writeLimits.hitCaller(`xroad:${m.id}:${consumer.clientId}`);
    const b = req.body;
    const source = sourceOf(consumer.clientId);
    // Without a reference of its own, the consumer's X-Road-Id identifies the message: a resent message is the same appeal.
    const externalId = b.reference ?? x.messageId;
    // (A Fastify reply is thenable: awaiting one waits for the response, so these return the data, not the reply.)
    const earlier = await findByReference(db, m.id, source, externalId);
    const replayed = (found: NonNullable<typeof earlier>) =>
      reply.status(200).header('idempotent-replayed', 'true').send({ ...found, replayed: true });
    if (earlier) return replayed(earlier);

    const category = await categoryOf(m, b, req.locale);
    const language = b.language ?? req.locale;
    const name = category.name as Record<Locale, string>;
    try {
      const registered = await useCases.register(m, {
        kind: b.kind,
        channel: 'tunduk',
        categoryId: category.id,
        subject: (b.subject ?? name[language] ?? name.ru ?? xr(language, 'placeholder_subject')).slice(0, 200),
        body: b.description,
        language,
        location: b.location,
        applicant: b.applicant,
        source,
        externalId,
      }, { kind: 'integrator', id: consumer.apiKeyId });
      return reply.status(201).send({ id: registered.id, registrationNumber: registered.registrationNumber, status: 'registered', dueDate: registered.dueDate, replayed: false });
    } catch (err) {
      // Two deliveries of one message raced: the second answers with the first one's appeal.
      if (uniqueViolation(err) !== null) {
        const raced = await findByReference(db, m.id, source, externalId);
        if (raced) return replayed(raced);
      }
      throw err;
    }
  });

  typed.get('/:municipality/appeals/:ref', {
    schema: { ...hide, params: AppealRefParams, response: { 200: AppealStatusResponse } },
  }, async (req) => {
    const { m, consumer } = caller(req);
    need(req, consumer, 'appeals:read');
    const ref = req.params.ref.trim();
    const [a] = await findAppeals(db, m.id, { source: sourceOf(consumer.clientId), identifiedToo: consumer.mayListByPersonalNumber, ref, limit: 1 });
    if (!a) throw new XRoadError(404, xr(req.locale, 'appeal_not_found', { ref: ref.slice(0, 60) }));
    return present(a, req.locale);
  });

  typed.post('/:municipality/appeals/by-personal-number', {
    schema: { ...hide, params: CityParams, body: ListByPersonalNumberRequest, response: { 200: AppealListResponse } },
  }, async (req) => {
    const { m, consumer } = caller(req);
    need(req, consumer, 'appeals:read');
    if (!consumer.mayListByPersonalNumber) throw new XRoadError(403, xr(req.locale, 'list_not_allowed', { client: consumer.clientId }));
    const items = await findAppeals(db, m.id, {
      source: sourceOf(consumer.clientId), identifiedToo: true, personalNumber: req.body.personalNumber, limit: MAX_LIST,
    });
    return { items: items.map((a) => present(a, req.locale)) };
  });
}
