/**
 * The X-Road message protocol for REST (r1), as the provider's information system sees it: the provider's security
 * server forwards `{service base URL}{path}` with X-Road-Client (INSTANCE/CLASS/MEMBER[/SUBSYSTEM], each part
 * percent-encoded UTF-8), X-Road-Service, X-Road-Id and optionally X-Road-UserId and X-Road-Issue.
 */
import { randomUUID } from 'node:crypto';

export const XROAD_HEADERS = {
  client: 'x-road-client',
  service: 'x-road-service',
  id: 'x-road-id',
  userId: 'x-road-userid',
  requestId: 'x-road-request-id',
} as const;

/**
 * Characters X-Road refuses in identifiers (the security server validates them the same way): the separators of
 * its encodings and control characters. Refusing them here keeps 'A/B/C/D' unambiguous as a stored client id.
 */
const FORBIDDEN = /[/\\:;%\u0000-\u001f\u007f]/;
const MAX_PART = 255;

export interface XRoadClientId {
  instance: string;
  memberClass: string;
  memberCode: string;
  subsystem: string | null;
  /** INSTANCE/CLASS/MEMBER/SUBSYSTEM decoded, as stored in xroad_consumers.client_id. */
  canonical: string;
}

/** Decodes and checks an X-Road-Client value (or a client id an admin types); null when malformed. */
export function parseClientId(value: string | undefined): XRoadClientId | null {
  if (!value || value.length > 4 * (3 * MAX_PART + 1)) return null;
  const raw = value.trim().split('/');
  // The protocol makes the subsystem optional: a member may call in its own name.
  if (raw.length < 3 || raw.length > 4) return null;
  const parts: string[] = [];
  for (const r of raw) {
    let p: string;
    try { p = decodeURIComponent(r); } catch { return null; }
    if (p.length === 0 || p.length > MAX_PART || FORBIDDEN.test(p) || p.trim() !== p) return null;
    parts.push(p);
  }
  const [instance, memberClass, memberCode, subsystem] = parts as [string, string, string, string | undefined];
  return { instance, memberClass, memberCode, subsystem: subsystem ?? null, canonical: parts.join('/') };
}

/** What every answer echoes; fixed when the request arrives, so errors carry the same ids as successes. */
export interface XRoadExchange {
  /** The X-Road-Client header as received (echoed even when malformed, so the consumer can match the answer). */
  clientHeader: string | null;
  serviceHeader: string | null;
  /** The consumer's message id, or one made here when it sent none. */
  messageId: string;
  /** Our id of this request: in the error body's detail, so a support call can find it. */
  requestId: string;
}

/** Printable ASCII of sane length: anything else is not echoed (a header value must be safe to send back). */
const echoable = (v: unknown, max: number): string | null =>
  typeof v === 'string' && v.length > 0 && v.length <= max && /^[\x20-\x7e]+$/.test(v) ? v : null;

export function exchangeOf(headers: Record<string, string | string[] | undefined>): XRoadExchange {
  return {
    clientHeader: echoable(headers[XROAD_HEADERS.client], 2000),
    serviceHeader: echoable(headers[XROAD_HEADERS.service], 2000),
    messageId: echoable(headers[XROAD_HEADERS.id], 200) ?? randomUUID(),
    requestId: randomUUID(),
  };
}

/**
 * The protocol says the provider's security server sets these on the answer and overwrites what the service sent;
 * the service sets them anyway so that a consumer talking to it directly (tests, a local gateway) sees the same.
 */
export function answerHeaders(x: XRoadExchange): Record<string, string> {
  const h: Record<string, string> = { [XROAD_HEADERS.id]: x.messageId, [XROAD_HEADERS.requestId]: x.requestId };
  if (x.clientHeader) h[XROAD_HEADERS.client] = x.clientHeader;
  if (x.serviceHeader) h[XROAD_HEADERS.service] = x.serviceHeader;
  return h;
}

/** '::ffff:127.0.0.1' → '127.0.0.1': the same address whether the socket is IPv4 or dual-stack. */
export const normalizeAddress = (ip: string) => (ip.startsWith('::ffff:') && ip.includes('.') ? ip.slice(7) : ip).toLowerCase();

export function addressAllowed(ip: string, allowed: readonly string[] | '*'): boolean {
  if (allowed === '*') return true;
  const a = normalizeAddress(ip);
  return allowed.some((x) => normalizeAddress(x) === a);
}
