/**
 * Webhooks to integrators: each appeal event becomes one `webhook_deliveries` row per matching subscription and one
 * durable job per row, written in the transaction of the change itself (announceAppealEvent calls
 * queueWebhookDeliveries; the 'registered' event, which registration writes in its single SQL statement, is fanned
 * out by the notifications event job that statement writes). (subscription, event key) is unique and the job's dedupe
 * key is the delivery id, so an event is never queued twice however often this runs.
 *
 * Which events an integrator hears of: those of the appeals its own key submitted, and, when the key has the
 * appeals:read scope, those of every appeal of its city. Revoked subscriptions and revoked keys hear nothing.
 *
 * The payload carries public fields only (registration number, status, category and service codes, due date):
 * never the applicant, the text of the appeal or any other personal data.
 *
 * Sending: POST of the JSON payload with X-Shaar-Event, X-Shaar-Delivery (the delivery id: the receiver's idempotency
 * key, the same on every retry), X-Shaar-Timestamp (unix seconds) and X-Shaar-Signature:
 * `sha256=` + hex HMAC-SHA256(secret, `${timestamp}.${body}`). A receiver verifies by computing the same HMAC over the
 * raw body it received, comparing in constant time, and refusing timestamps far from its clock (e.g. > 5 minutes).
 * A 2xx answer (within 10 s) marks the row delivered; anything else throws, and the job queue retries with backoff
 * (30 s, 1 min, 2 min, … 8 attempts); after the last attempt the row becomes 'failed'.
 *
 * Delivery is at least once: if the process dies between the receiver's 2xx and the row's update, the same delivery
 * id is sent again, and the receiver drops it as already seen.
 */
import { createHmac, timingSafeEqual } from 'node:crypto';
import { sql } from 'drizzle-orm';
import type { Db, DbOrTx } from '../../platform/db/database.js';
import { queryRows } from '../../platform/db/database.js';
import type { Clock } from '../../platform/clock.js';
import type { ClaimedJob, JobRunner } from '../../platform/jobs/job-queue.js';
import { BlockedAddressError, guardedPost, type AddressPolicy } from '../../platform/http/outbound-guard.js';

export const WEBHOOK_DELIVER_JOB = 'webhooks.deliver';
export const WEBHOOK_TIMEOUT_MS = 10_000;
export const WEBHOOK_MAX_ATTEMPTS = 8;

export interface WebhookEventInput {
  municipalityId: string;
  appealId: string;
  event: string;
  /** Unique per occurrence of the event (the appeal event's own key). */
  key: string;
  /** When it happened; by default the appeal's registration (for 'registered'). */
  occurredAt?: Date;
  /** When the deliveries may be sent. */
  now: Date;
}

/** Queues one delivery per matching subscription, in the caller's transaction. Returns how many were new. */
export async function queueWebhookDeliveries(tx: DbOrTx, e: WebhookEventInput): Promise<number> {
  const eventKey = `${e.event}:${e.key}`;
  const now = e.now.toISOString();
  const occurredAt = e.occurredAt ? e.occurredAt.toISOString() : null;
  const rows = await queryRows<{ n: number }>(tx, sql`
    with src as (
      select gen_random_uuid() as id, s.municipality_id, s.id as subscription_id, a.id as appeal_id,
        jsonb_build_object(
          'event', ${e.event}::text,
          'occurredAt', to_char(coalesce(${occurredAt}::timestamptz, a.registered_at) at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"'),
          'municipality', mu.slug,
          'appeal', jsonb_build_object(
            'id', a.id, 'registrationNumber', a.registration_number,
            'status', case when ${e.event}::text = 'registered' then 'registered' else a.status end,
            'kind', a.kind, 'channel', a.channel, 'category', c.code, 'service', sv.code, 'dueDate', a.due_date::text)) as body
      from webhook_subscriptions s
      join api_keys k on k.municipality_id = s.municipality_id and k.id = s.api_key_id and k.revoked_at is null
      join appeals a on a.municipality_id = s.municipality_id and a.id = ${e.appealId}::uuid
      join municipalities mu on mu.id = s.municipality_id
      left join categories c on c.municipality_id = a.municipality_id and c.id = a.category_id
      left join services sv on sv.municipality_id = a.municipality_id and sv.id = a.service_id
      where s.municipality_id = ${e.municipalityId}::uuid and s.revoked_at is null
        and (cardinality(s.events) = 0 or ${e.event}::text = any(s.events))
        and ('appeals:read' = any(k.scopes) or (a.submitted_by_kind = 'integrator' and a.submitted_by_id = k.id))
    ), ins as (
      insert into webhook_deliveries (municipality_id, id, subscription_id, event, event_key, appeal_id, payload, created_at)
      select municipality_id, id, subscription_id, ${e.event}, ${eventKey}, appeal_id, body || jsonb_build_object('id', id), ${now}::timestamptz
      from src
      on conflict do nothing
      returning municipality_id, id
    ), job as (
      insert into jobs (municipality_id, kind, payload, run_at, dedupe_key, max_attempts, created_at)
      select municipality_id, ${WEBHOOK_DELIVER_JOB}, jsonb_build_object('deliveryId', id), ${now}::timestamptz,
        'webhook:' || id::text, ${WEBHOOK_MAX_ATTEMPTS}::int, ${now}::timestamptz
      from ins
      on conflict do nothing
    )
    select count(*)::int as n from ins`);
  return rows[0]?.n ?? 0;
}

/** The signature header's value for a body sent at `timestamp` (unix seconds). */
export function signWebhook(secret: string, timestamp: number | string, body: string): string {
  return `sha256=${createHmac('sha256', secret).update(`${timestamp}.${body}`).digest('hex')}`;
}

/** What a receiver does: true when the signature matches the raw body and the timestamp is within `toleranceS`. */
export function verifyWebhook(secret: string, headers: { timestamp: string; signature: string }, rawBody: string, nowS: number, toleranceS = 300): boolean {
  const ts = Number(headers.timestamp);
  if (!Number.isInteger(ts) || Math.abs(nowS - ts) > toleranceS) return false;
  const expected = Buffer.from(signWebhook(secret, headers.timestamp, rawBody));
  const given = Buffer.from(headers.signature);
  return expected.length === given.length && timingSafeEqual(expected, given);
}

export interface WebhookDeliverDeps {
  db: Db; clock: Clock; timeoutMs?: number;
  /** Which addresses receivers may have (platform/http/outbound-guard.ts): public ones only in production. */
  addressPolicy: AddressPolicy;
}

interface DeliveryRow {
  id: string; event: string; status: string; payload: Record<string, unknown>; url: string; secret: string;
  subscription_revoked: boolean;
}

/** The `webhooks.deliver` job: sends one delivery. Throws on a non-2xx answer or a network error (the queue retries). */
export async function deliverWebhook(deps: WebhookDeliverDeps, job: ClaimedJob): Promise<'delivered' | 'skipped'> {
  const deliveryId = typeof job.payload.deliveryId === 'string' ? job.payload.deliveryId : null;
  if (!deliveryId) return 'skipped';
  const { db, clock } = deps;
  const [row] = await queryRows<DeliveryRow>(db, sql`
    select d.id, d.event, d.status, d.payload, s.url, s.secret,
      (s.revoked_at is not null or k.id is null or k.revoked_at is not null) as subscription_revoked
    from webhook_deliveries d
    join webhook_subscriptions s on s.municipality_id = d.municipality_id and s.id = d.subscription_id
    left join api_keys k on k.municipality_id = s.municipality_id and k.id = s.api_key_id
    where d.municipality_id = ${job.municipalityId}::uuid and d.id = ${deliveryId}::uuid`);
  if (!row || row.status !== 'pending') return 'skipped';
  const where = sql`municipality_id = ${job.municipalityId}::uuid and id = ${deliveryId}::uuid and status = 'pending'`;
  if (row.subscription_revoked) {
    // Revoked after the event was queued: nothing is sent to a receiver that was let go.
    await db.execute(sql`update webhook_deliveries set status = 'failed', last_error = 'subscription revoked' where ${where}`);
    return 'skipped';
  }

  const body = JSON.stringify(row.payload);
  const timestamp = Math.floor(clock.now().getTime() / 1000);
  let statusCode: number | null = null;
  let error: string | null = null;
  try {
    const res = await guardedPost(row.url, body, {
      'content-type': 'application/json', 'user-agent': 'Shaar-Webhooks/1',
      'x-shaar-event': row.event, 'x-shaar-delivery': row.id, 'x-shaar-timestamp': String(timestamp),
      'x-shaar-signature': signWebhook(row.secret, timestamp, body),
    }, { timeoutMs: deps.timeoutMs ?? WEBHOOK_TIMEOUT_MS, policy: deps.addressPolicy });
    statusCode = res.status;
  } catch (err) {
    error = describeFetchError(err);
  }
  const now = clock.now().toISOString();
  if (statusCode !== null && statusCode >= 200 && statusCode < 300) {
    await db.execute(sql`update webhook_deliveries set status = 'delivered', attempts = attempts + 1, last_status_code = ${statusCode}::int,
      last_error = null, delivered_at = ${now}::timestamptz where ${where}`);
    return 'delivered';
  }
  const message = error ?? `HTTP ${statusCode}`;
  await db.execute(sql`update webhook_deliveries set attempts = attempts + 1, last_status_code = ${statusCode}::int, last_error = ${message}
    where ${where}`);
  throw new Error(`webhook not acknowledged: ${message}`);
}

/** Network errors name their cause (ECONNREFUSED, a timeout); never the URL, which may carry a token. */
function describeFetchError(err: unknown): string {
  if (err instanceof BlockedAddressError) return 'blocked: not a public address';
  if (err instanceof Error) {
    if (err.name === 'TimeoutError' || err.name === 'AbortError') return 'timeout';
    const code = (err as { code?: unknown }).code;
    if (typeof code === 'string' && code !== 'ABORT_ERR') return `network error: ${code}`;
    const cause = (err as { cause?: { code?: unknown; message?: unknown } }).cause;
    if (cause && typeof cause.code === 'string') return `network error: ${cause.code}`;
    return `network error: ${err.message}`.slice(0, 300);
  }
  return 'network error';
}

/** Given up: the row says 'failed' (with the last error) instead of staying 'pending' for ever. */
export async function markWebhookFailed(db: Db, job: ClaimedJob, error: string): Promise<void> {
  const deliveryId = typeof job.payload.deliveryId === 'string' ? job.payload.deliveryId : null;
  if (!deliveryId) return;
  await db.execute(sql`update webhook_deliveries set status = 'failed', last_error = coalesce(last_error, ${error.slice(0, 300)})
    where municipality_id = ${job.municipalityId}::uuid and id = ${deliveryId}::uuid and status = 'pending'`);
}

export function registerWebhookJobs(jobs: JobRunner, deps: WebhookDeliverDeps): void {
  jobs.register(WEBHOOK_DELIVER_JOB, async (job) => { await deliverWebhook(deps, job); },
    { onDead: (job, error) => markWebhookFailed(deps.db, job, error) });
}
