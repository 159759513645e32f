/**
 * Errors in the X-Road REST protocol's shape: `{type, message, detail}` with Content-Type application/json.
 *
 * The protocol's own types (Client.BadRequest, Server.ServerProxy.*) come from security servers, which also add
 * an X-Road-Error header; an answer of the provider's service must not carry that header (it tells the consumer
 * that X-Road itself failed). We use the same naming — Client.* for the consumer's fault, Server.* for ours — so
 * consumers can branch on it, and `detail` is our X-Road-Request-Id, as in the protocol's examples.
 */
import type { FastifyReply } from 'fastify';

export const XROAD_ERROR_TYPES = {
  400: 'Client.BadRequest',
  403: 'Client.AccessDenied',
  404: 'Client.NotFound',
  409: 'Client.Conflict',
  413: 'Client.BadRequest',
  415: 'Client.BadRequest',
  429: 'Client.TooManyRequests',
  500: 'Server.InternalError',
} as const;

export type XRoadErrorStatus = keyof typeof XROAD_ERROR_TYPES;

export class XRoadError extends Error {
  constructor(
    readonly status: XRoadErrorStatus,
    message: string,
    /** A more precise type than the status's default (Client.InvalidClientId). */
    readonly type: string = XROAD_ERROR_TYPES[status],
    readonly issues?: { path: string; message: string }[],
  ) {
    super(message);
  }
}

export interface XRoadErrorBody {
  type: string;
  message: string;
  detail: string;
  /** Our extension for validation errors: each field and what is wrong with it. */
  issues?: { path: string; message: string }[];
}

export function sendXRoadError(reply: FastifyReply, err: XRoadError, requestId: string) {
  const body: XRoadErrorBody = { type: err.type, message: err.message, detail: requestId };
  if (err.issues?.length) body.issues = err.issues;
  return reply.status(err.status).type('application/json; charset=utf-8').send(body);
}
