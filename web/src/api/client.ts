/**
 * The typed API client. Its types are generated from the server's OpenAPI document (schema.d.ts, made by
 * `npm run api-types` during the build): no request or response type is written by hand.
 */
import createClient, { type Middleware } from 'openapi-fetch';
import type { paths, components } from './schema.js';
import i18n from '../i18n/index.js';

let csrfToken: string | null = null;
/** The session's CSRF token, echoed on every unsafe request (the session itself is an httpOnly cookie). */
export function setCsrfToken(token: string | null) { csrfToken = token; }

const headers: Middleware = {
  onRequest({ request }) {
    request.headers.set('accept-language', i18n.language || 'ky');
    if (csrfToken && request.method !== 'GET') request.headers.set('x-csrf-token', csrfToken);
    return request;
  },
};

export const api = createClient<paths>({ baseUrl: '', credentials: 'same-origin' });
api.use(headers);

export type Schemas = components['schemas'];

/** The server's error body: `{error: {code, message, details}}`, the message already in the user's language. */
export interface ApiError { error: { code: string; message: string; details?: { path?: string; message?: string }[] } }

export function errorMessage(error: unknown, fallback: string): string {
  const e = error as Partial<ApiError> | undefined;
  return e?.error?.message ?? fallback;
}

/** Field → message, from validation details, for showing errors beside the fields they belong to. */
export function fieldErrors(error: unknown): Record<string, string> {
  const out: Record<string, string> = {};
  const details = (error as Partial<ApiError> | undefined)?.error?.details;
  // Not every error has a list of field details (a 404 says {what}).
  for (const d of Array.isArray(details) ? details : []) {
    if (d.path && d.message) out[d.path] = d.message;
  }
  return out;
}
