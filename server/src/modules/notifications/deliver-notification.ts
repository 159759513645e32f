/**
 * The `notifications.deliver` job: hands one e-mail or SMS to the deliverer, then marks it sent.
 *
 * A crash between "handed over" and "marked sent" makes the job run again (its lease runs out). The message goes
 * with its notification's id as key, so a receiver that honours keys keeps it once: the dev outbox ignores the second
 * insert, the SMS gateway gets the same Idempotency-Key, the e-mail the same Message-ID. A failure is recorded on the
 * row and thrown, so the queue retries after its backoff; after the last attempt the row is 'failed'.
 */
import { and, eq } from 'drizzle-orm';
import { z } from 'zod';
import type { Db } from '../../platform/db/database.js';
import { notifications } from '../../platform/db/schema.js';
import type { Clock } from '../../platform/clock.js';
import { maskAddress, type Deliverer } from '../../platform/delivery/delivery.js';
import type { ClaimedJob } from '../../platform/jobs/job-queue.js';

export interface DeliverDeps {
  db: Db;
  clock: Clock;
  /** Read at each delivery (the deliverer of a running application can be replaced, e.g. in tests of failures). */
  deliverer: () => Deliverer;
}

const Payload = z.object({ notificationId: z.uuid() });

/** Errors of mail servers and gateways may quote the address; nothing stored or logged may. */
export function scrubAddresses(message: string): string {
  return message
    .replace(/[^\s<>"'(),;:]+@[^\s<>"'(),;:]+\.[^\s<>"'(),;:]+/g, (m) => maskAddress(m))
    .replace(/\+?\d[\d\s()-]{7,}\d/g, (m) => maskAddress(m.replace(/[\s()-]/g, '')));
}

/** A delivery job was given up: a row still pending is 'failed' (one already sent stays sent). */
export async function markUndelivered(db: Db, job: ClaimedJob, error: string): Promise<void> {
  const parsed = Payload.safeParse(job.payload);
  if (!parsed.success) return;
  await db.update(notifications).set({ status: 'failed', lastError: scrubAddresses(error).slice(0, 500) })
    .where(and(eq(notifications.municipalityId, job.municipalityId), eq(notifications.id, parsed.data.notificationId), eq(notifications.status, 'pending')));
}

export type DeliveryOutcome = 'sent' | 'already_done' | 'retry' | 'failed';

export async function deliverNotification(deps: DeliverDeps, job: ClaimedJob): Promise<DeliveryOutcome> {
  const parsed = Payload.safeParse(job.payload);
  if (!parsed.success) return 'already_done';
  const where = and(eq(notifications.municipalityId, job.municipalityId), eq(notifications.id, parsed.data.notificationId));
  const [n] = await deps.db.select().from(notifications).where(where).limit(1);
  // Sent before (a retry after a crash), skipped by preference, failed for good, or an in-app row: nothing to do.
  if (!n || n.status !== 'pending' || !n.address || (n.channel !== 'email' && n.channel !== 'sms')) return 'already_done';

  try {
    await deps.deliverer().send({ channel: n.channel, to: n.address, subject: n.subject, body: n.body, key: n.id });
  } catch (err) {
    const last = job.attempt >= job.maxAttempts;
    const message = scrubAddresses(err instanceof Error ? err.message : String(err)).slice(0, 500);
    await deps.db.update(notifications)
      .set({ attempts: job.attempt, lastError: message, ...(last ? { status: 'failed' } : {}) })
      .where(and(where, eq(notifications.status, 'pending')));
    // The queue logs the job's error: it must carry no address either.
    throw new Error(`delivery by ${n.channel} failed: ${message}`);
  }
  await deps.db.update(notifications)
    .set({ status: 'sent', sentAt: deps.clock.now(), attempts: job.attempt, lastError: null })
    .where(and(where, eq(notifications.status, 'pending')));
  return 'sent';
}
