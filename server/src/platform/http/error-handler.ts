/**
 * Turns every failure into `{error: {code, message, details}}` with a 4xx or 5xx status, the message in the
 * request's language. Bad input never produces a 5xx; a 5xx is logged (without the body) and answered generically.
 */
import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { hasZodFastifySchemaValidationErrors } from 'fastify-type-provider-zod';
import { DrizzleQueryError } from 'drizzle-orm';
import type { Locale } from '@shaar/contracts';
import { negotiateLocale } from '../i18n/locale.js';
import { translate, type MessageKey, type MessageParams } from '../i18n/messages.js';
import { AppError } from './errors.js';
import { databaseErrorOf } from '../db/database-errors.js';

export interface ErrorBody {
  error: { code: string; message: string; details?: unknown };
}

export function sendError(reply: FastifyReply, locale: Locale, status: number, code: string, key: MessageKey,
  params: MessageParams = {}, details?: unknown) {
  const body: ErrorBody = { error: { code, message: translate(locale, key, params) } };
  if (details !== undefined) body.error.details = details;
  return reply.status(status).type('application/json; charset=utf-8').send(body);
}

interface ValidationIssue { keyword: string; instancePath: string; message: string; params: Record<string, unknown> }

function issueMessage(locale: Locale, issue: ValidationIssue): string {
  const p = issue.params;
  const origin = String(p.origin ?? '');
  switch (issue.keyword) {
    case 'invalid_type':
      // zod reports a missing field as "expected X, received undefined".
      return /received undefined/.test(issue.message)
        ? translate(locale, 'issue.required')
        : translate(locale, 'issue.invalid_type', { expected: String(p.expected) });
    case 'too_small':
      // "At least 1 character" means "fill this in".
      if (origin === 'string' && Number(p.minimum) === 1) return translate(locale, 'issue.required');
      return translate(locale, origin === 'string' ? 'issue.too_small_string' : origin === 'array' ? 'issue.too_small_array' : 'issue.too_small_number', { minimum: String(p.minimum) });
    case 'too_big':
      return translate(locale, origin === 'string' ? 'issue.too_big_string' : origin === 'array' ? 'issue.too_big_array' : 'issue.too_big_number', { maximum: String(p.maximum) });
    case 'invalid_format':
      // "regex" names our implementation, not something a person can act on; the field's documentation shows the form.
      if (p.format === 'regex') return translate(locale, 'issue.invalid_pattern');
      return translate(locale, 'issue.invalid_format', { format: String(p.format) });
    case 'invalid_value':
      return translate(locale, 'issue.invalid_value', { values: Array.isArray(p.values) ? p.values.join(', ') : '' });
    case 'unrecognized_keys':
      return translate(locale, 'issue.unrecognized_keys', { keys: Array.isArray(p.keys) ? p.keys.join(', ') : '' });
    default:
      return translate(locale, 'issue.invalid');
  }
}

/** Postgres error codes that mean the input, not the server, was wrong. */
const PG_CLIENT_ERRORS: Record<string, { status: number; code: string; key: MessageKey }> = {
  '23505': { status: 409, code: 'conflict', key: 'error.conflict' },
  '23503': { status: 400, code: 'invalid_reference', key: 'error.invalid_reference' },
  '23514': { status: 400, code: 'validation_failed', key: 'error.validation_failed' },
  '22P02': { status: 400, code: 'validation_failed', key: 'error.validation_failed' },
  '22001': { status: 400, code: 'validation_failed', key: 'error.validation_failed' },
  '22003': { status: 400, code: 'validation_failed', key: 'error.validation_failed' },
  '22007': { status: 400, code: 'validation_failed', key: 'error.validation_failed' },
  '22008': { status: 400, code: 'validation_failed', key: 'error.validation_failed' },
  // A NUL character (or one the database encoding lacks) in a string: the text sent was unusable, not the server.
  '22021': { status: 400, code: 'validation_failed', key: 'error.validation_failed' },
  '22P05': { status: 400, code: 'validation_failed', key: 'error.validation_failed' },
  '22009': { status: 400, code: 'validation_failed', key: 'error.validation_failed' },
};

/**
 * The database error behind an error, if any. drizzle-orm (≥ 0.44) wraps every failed query in a DrizzleQueryError
 * whose `cause` is the driver's error: without looking there, no SQLSTATE was ever seen and input the database
 * refused (a NUL byte, an impossible date) became a 500.
 */

export function registerErrorHandlers(app: FastifyInstance, pageFallback?: (req: FastifyRequest, reply: FastifyReply) => boolean) {
  app.setErrorHandler((err: FastifyError, req: FastifyRequest, reply: FastifyReply) => {
    const locale = req.locale;
    if (err instanceof AppError) {
      if (err.status === 429 && err.params.seconds) reply.header('retry-after', String(err.params.seconds));
      return sendError(reply, locale, err.status, err.code, err.messageKey, err.params, err.details);
    }
    if (hasZodFastifySchemaValidationErrors(err)) {
      const where = err.validationContext ?? 'body';
      const details = err.validation.map((issue) => ({
        in: where,
        path: issue.instancePath.replace(/^\//, '').replaceAll('/', '.'),
        code: issue.keyword,
        message: issueMessage(locale, issue as unknown as ValidationIssue),
      }));
      return sendError(reply, locale, 400, 'validation_failed', 'error.validation_failed', {}, details);
    }
    const dbErr = databaseErrorOf(err);
    if (dbErr && PG_CLIENT_ERRORS[dbErr.code]) {
      const m = PG_CLIENT_ERRORS[dbErr.code]!;
      const what = dbErr.constraint ?? '';
      return sendError(reply, locale, m.status, m.code, m.key, { what, field: what });
    }
    const status = err.statusCode ?? 500;
    if (status === 413) {
      return sendError(reply, locale, 413, 'body_too_large', 'error.body_too_large', { limit: req.routeOptions.bodyLimit ?? app.initialConfig.bodyLimit ?? 0 });
    }
    if (status === 415) return sendError(reply, locale, 415, 'unsupported_media_type', 'error.unsupported_media_type');
    if (status === 429) return sendError(reply, locale, 429, 'rate_limited', 'error.rate_limited', { seconds: String(reply.getHeader('retry-after') ?? 60) });
    if (status >= 400 && status < 500) {
      // Fastify's own client errors: broken JSON, empty body with a JSON content type, bad content length…
      if (err.code?.startsWith('FST_ERR_CTP') || err instanceof SyntaxError) {
        return sendError(reply, locale, 400, 'malformed_json', 'error.malformed_json');
      }
      return sendError(reply, locale, status, 'bad_request', 'error.validation_failed');
    }
    // A DrizzleQueryError's message carries the query's parameters (names, e-mails, texts): log its cause instead.
    const logged = err instanceof DrizzleQueryError && err.cause instanceof Error ? err.cause as FastifyError : err;
    req.log.error({ err: { type: logged.name, message: logged.message, code: logged.code ?? dbErr?.code, stack: err.stack?.slice(Math.max(0, err.stack.indexOf('\n    at '))) } }, 'request failed');
    return sendError(reply, locale, 500, 'internal', 'error.internal');
  });

  app.setNotFoundHandler((req, reply) => {
    // A page address of the web app is answered with the app itself; everything else is a JSON 404.
    if (pageFallback?.(req, reply)) return reply;
    return sendError(reply, req.locale, 404, 'route_not_found', 'error.route_not_found');
  });
}

/**
 * Fastify's `frameworkErrors` option: a URL the router cannot even decode ('%E0%A4%A', '%zz') or a path parameter
 * longer than maxParamLength is refused before any hook runs, and without this Fastify answers with its own body
 * ({statusCode, error, message}) instead of ours. No onRequest hook ran, so the language is negotiated here.
 */
export function frameworkErrors(err: FastifyError, req: FastifyRequest, reply: FastifyReply) {
  const locale = negotiateLocale(req.headers['accept-language']);
  if (err.code === 'FST_ERR_MAX_PARAM_LENGTH') return sendError(reply, locale, 414, 'uri_too_long', 'error.route_not_found');
  if (err.code === 'FST_ERR_BAD_URL') return sendError(reply, locale, 400, 'bad_url', 'error.route_not_found');
  const status = err.statusCode && err.statusCode >= 400 && err.statusCode < 500 ? err.statusCode : 400;
  return sendError(reply, locale, status, 'bad_request', 'error.validation_failed');
}
