/**
 * Webhook subscriptions: integrators create, list and revoke their own (API key); admins see and revoke all of the
 * city's, with each one's delivery log. Every change is audited.
 */
import { randomBytes } from 'node:crypto';
import { and, count, desc, eq, isNull, lt, or, sql } from 'drizzle-orm';
import type { Db, DbOrTx } from '../../platform/db/database.js';
import { apiKeys, webhookDeliveries, webhookSubscriptions } from '../../platform/db/schema.js';
import { writeAudit, type Actor } from '../../platform/audit.js';
import { AppError, errors } from '../../platform/http/errors.js';
import { translate } from '../../platform/i18n/messages.js';
import type { Locale } from '@shaar/contracts';
import { isIP } from 'node:net';
import { addressAllowed } from '../../platform/http/outbound-guard.js';
import { enqueueJob } from '../../platform/jobs/job-queue.js';
import { WEBHOOK_DELIVER_JOB, WEBHOOK_MAX_ATTEMPTS } from './webhook-deliveries.js';

/** Active subscriptions one API key may hold. */
export const MAX_SUBSCRIPTIONS_PER_KEY = 20;

const LOCAL_HOSTS = new Set(['localhost', '127.0.0.1', '[::1]']);

/**
 * https only; plain http for localhost outside production, or anywhere when WEBHOOKS_ALLOW_HTTP is set. An address
 * that is plainly not public (an IP literal in a private range, localhost in production) is refused here, so the
 * integrator hears of it at once; names that resolve to such addresses are refused when delivering (outbound-guard).
 */
export function checkWebhookUrl(raw: string, o: { production: boolean; allowHttp: boolean; allowPrivate: boolean; locale: Locale }): string {
  let url: URL | null = null;
  try { url = new URL(raw); } catch { url = null; }
  const refuse = (key: 'issue.webhook_url' | 'issue.webhook_private') => new AppError(400, 'validation_failed', 'error.validation_failed', {}, [
    { in: 'body', path: 'url', code: key === 'issue.webhook_url' ? 'webhook_url' : 'webhook_private_address', message: translate(o.locale, key) },
  ]);
  const ok = url !== null && !url.username && !url.password && (
    url.protocol === 'https:' || (url.protocol === 'http:' && (o.allowHttp || (!o.production && LOCAL_HOSTS.has(url.hostname)))));
  if (!ok) throw refuse('issue.webhook_url');
  if (!o.allowPrivate) {
    const host = url!.hostname.replace(/^\[|\]$/g, '');
    const policy = o.production ? 'public-only' : 'public-and-loopback';
    const literalBlocked = isIP(host) !== 0 && !addressAllowed(host, policy);
    const localName = o.production && (host === 'localhost' || host.endsWith('.localhost') || host.endsWith('.local') || host.endsWith('.internal'));
    if (literalBlocked || localName) throw refuse('issue.webhook_private');
  }
  return url!.toString();
}

export interface SubscriptionOut {
  id: string; apiKeyId: string; url: string; events: string[]; createdAt: Date; revokedAt: Date | null;
}

const present = (r: typeof webhookSubscriptions.$inferSelect): SubscriptionOut => ({
  id: r.id, apiKeyId: r.apiKeyId, url: r.url, events: r.events, createdAt: r.createdAt, revokedAt: r.revokedAt,
});

export interface WebhookContext { db: Db; municipalityId: string; actor: Actor; now: Date }

export async function createSubscription(c: WebhookContext, apiKeyId: string, input: { url: string; events: string[] }) {
  const secret = `whsec_${randomBytes(32).toString('base64url')}`;
  return c.db.transaction(async (tx) => {
    // One key's subscriptions are counted under a lock on the key, so two parallel creates cannot pass the cap.
    await tx.execute(sql`select 1 from api_keys where municipality_id = ${c.municipalityId}::uuid and id = ${apiKeyId}::uuid for update`);
    const [active] = await tx.select({ n: count() }).from(webhookSubscriptions).where(and(
      eq(webhookSubscriptions.municipalityId, c.municipalityId), eq(webhookSubscriptions.apiKeyId, apiKeyId), isNull(webhookSubscriptions.revokedAt)));
    if ((active?.n ?? 0) >= MAX_SUBSCRIPTIONS_PER_KEY) throw errors.conflict('webhook subscriptions limit');
    const [row] = await tx.insert(webhookSubscriptions).values({
      municipalityId: c.municipalityId, apiKeyId, url: input.url, secret, events: [...new Set(input.events)], createdAt: c.now,
    }).returning();
    // The audit keeps the receiver's host, not its full address (which may carry a token) nor the secret.
    await writeAudit(tx, {
      municipalityId: c.municipalityId, actor: c.actor, entityType: 'webhook_subscription', entityId: row!.id, action: 'create',
      after: { host: new URL(row!.url).host, events: row!.events, apiKeyId }, at: c.now,
    });
    return { ...present(row!), secret };
  });
}

export async function listSubscriptions(db: Db, municipalityId: string, apiKeyId?: string) {
  const rows = await db.select({ s: webhookSubscriptions, keyName: apiKeys.name }).from(webhookSubscriptions)
    .leftJoin(apiKeys, and(eq(apiKeys.municipalityId, webhookSubscriptions.municipalityId), eq(apiKeys.id, webhookSubscriptions.apiKeyId)))
    .where(and(eq(webhookSubscriptions.municipalityId, municipalityId), apiKeyId ? eq(webhookSubscriptions.apiKeyId, apiKeyId) : undefined))
    .orderBy(desc(webhookSubscriptions.createdAt), desc(webhookSubscriptions.id));
  return rows.map((r) => ({ ...present(r.s), apiKeyName: r.keyName ?? null }));
}

/** The subscription, when it exists in the city (and belongs to `apiKeyId` when given); else 404. */
export async function findSubscription(db: DbOrTx, municipalityId: string, id: string, apiKeyId?: string) {
  const [row] = await db.select().from(webhookSubscriptions).where(and(
    eq(webhookSubscriptions.municipalityId, municipalityId), eq(webhookSubscriptions.id, id),
    apiKeyId ? eq(webhookSubscriptions.apiKeyId, apiKeyId) : undefined));
  if (!row) throw errors.notFound('webhook subscription');
  return row;
}

/** Revokes at once (idempotent): nothing more is queued for it, and its pending deliveries are not sent. */
export async function revokeSubscription(c: WebhookContext, id: string, apiKeyId?: string): Promise<SubscriptionOut> {
  return c.db.transaction(async (tx) => {
    const [row] = await tx.select().from(webhookSubscriptions).where(and(
      eq(webhookSubscriptions.municipalityId, c.municipalityId), eq(webhookSubscriptions.id, id),
      apiKeyId ? eq(webhookSubscriptions.apiKeyId, apiKeyId) : undefined)).for('update');
    if (!row) throw errors.notFound('webhook subscription');
    if (row.revokedAt) return present(row);
    const [updated] = await tx.update(webhookSubscriptions).set({ revokedAt: c.now })
      .where(and(eq(webhookSubscriptions.municipalityId, c.municipalityId), eq(webhookSubscriptions.id, id))).returning();
    await writeAudit(tx, {
      municipalityId: c.municipalityId, actor: c.actor, entityType: 'webhook_subscription', entityId: id, action: 'revoke', at: c.now,
    });
    return present(updated!);
  });
}

export interface DeliveryCursor { t: string; id: string }

/** A subscription's delivery log, newest first, `limit` at a time. */
export async function listDeliveries(db: Db, municipalityId: string, subscriptionId: string, limit: number, cursor: DeliveryCursor | null) {
  const d = webhookDeliveries;
  const rows = await db.select().from(d).where(and(
    eq(d.municipalityId, municipalityId), eq(d.subscriptionId, subscriptionId),
    cursor ? or(lt(d.createdAt, new Date(cursor.t)), and(eq(d.createdAt, new Date(cursor.t)), lt(d.id, cursor.id))) : undefined,
  )).orderBy(desc(d.createdAt), desc(d.id)).limit(limit + 1);
  const page = rows.slice(0, limit);
  const last = page[page.length - 1];
  return {
    items: page.map((r) => ({
      id: r.id, event: r.event, eventKey: r.eventKey, appealId: r.appealId, status: r.status, attempts: r.attempts,
      lastStatusCode: r.lastStatusCode, lastError: r.lastError, createdAt: r.createdAt, deliveredAt: r.deliveredAt, payload: r.payload,
    })),
    next: rows.length > limit && last ? { t: last.createdAt.toISOString(), id: last.id } : null,
  };
}

/**
 * An admin sends a failed delivery again (the receiver was down for longer than the retries lasted): the same
 * delivery id and body, a fresh round of attempts. Only failed deliveries of subscriptions still active: a pending
 * one is on its way, and a delivered one was acknowledged (the receiver would drop it as seen). Audited.
 */
export async function resendDelivery(c: WebhookContext, subscriptionId: string, deliveryId: string) {
  return c.db.transaction(async (tx) => {
    const sub = await findSubscription(tx, c.municipalityId, subscriptionId);
    const d = webhookDeliveries;
    const where = and(eq(d.municipalityId, c.municipalityId), eq(d.subscriptionId, subscriptionId), eq(d.id, deliveryId));
    const [row] = await tx.select().from(d).where(where).for('update');
    if (!row) throw errors.notFound('webhook delivery');
    if (sub.revokedAt) throw errors.conflict('webhook subscription revoked');
    if (row.status !== 'failed') throw errors.conflict(`webhook delivery ${row.status}`);
    const [updated] = await tx.update(d).set({ status: 'pending', lastError: null }).where(where).returning();
    // A new dedupe key per re-send (the first job's key is spent); the attempts so far make it unique.
    await enqueueJob(tx, {
      municipalityId: c.municipalityId, kind: WEBHOOK_DELIVER_JOB, payload: { deliveryId }, runAt: c.now,
      dedupeKey: `webhook:${deliveryId}:resend:${row.attempts}`, maxAttempts: WEBHOOK_MAX_ATTEMPTS,
    });
    await writeAudit(tx, {
      municipalityId: c.municipalityId, actor: c.actor, entityType: 'webhook_delivery', entityId: deliveryId, action: 'resend',
      before: { status: row.status, attempts: row.attempts }, after: { status: 'pending' }, at: c.now,
    });
    return updated!;
  });
}
