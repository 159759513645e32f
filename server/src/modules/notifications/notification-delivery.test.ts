/**
 * Delivering e-mail and SMS through the durable queue, with the clock moved by hand: a deliverer that fails twice
 * delivers once after the backoff; one that always fails leaves the notification 'failed' and its job dead; a
 * process that dies between handing a message over and marking it sent does not make the message arrive twice.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { and, eq, inArray } from 'drizzle-orm';
import { createTestApp, json, type Ids, type Session, type TestApp } from '../../test-support/test-app.js';
import { devOutbox, jobs, notifications } from '../../platform/db/schema.js';
import type { Deliverer, OutgoingMessage } from '../../platform/delivery/delivery.js';
import { JobRunner, backoffMs } from '../../platform/jobs/job-queue.js';
import { createLogger } from '../../platform/logger.js';
import { DELIVER_JOB } from './notify-appeal-event.js';

let t: TestApp;
let ids: Ids;
let operator: Session;
let realDeliverer: Deliverer;
const M = '/api/v1/m/bishkek';

const db = () => t.services.database.db;

/** Fails the first `failures` hand-overs, then passes messages on to the dev outbox; counts every attempt. */
class FlakyDeliverer implements Deliverer {
  attempts: OutgoingMessage[] = [];
  constructor(private failures: number, private readonly next: Deliverer) {}
  async send(m: OutgoingMessage) {
    this.attempts.push(m);
    if (this.failures-- > 0) throw new Error(`550 mailbox of ${m.to} is unavailable`);
    await this.next.send(m);
  }
}

/** Files an appeal at reception with an e-mail only and turns its registration into a pending e-mail. */
async function pendingEmail(email: string) {
  const res = await t.app.inject({
    method: 'POST', url: `${M}/reception/appeals`, headers: operator.headers, payload: {
      kind: 'complaint', channel: 'letter', categoryId: ids.category('roads.pothole'), language: 'en',
      subject: 'Pothole on Chui avenue', body: 'A deep pothole near the Philharmonic stop; cars swerve into the oncoming lane.',
      applicant: { fullName: 'Asel Bekova', email },
    },
  });
  expect(res.statusCode, res.body).toBe(201);
  const appealId = json<{ id: string }>(res).id;
  // One round: the event job makes the notification and queues its delivery (claimed in the next round).
  await t.services.jobs.runDue({ maxRounds: 1 });
  const [n] = await db().select().from(notifications).where(and(eq(notifications.appealId, appealId), eq(notifications.channel, 'email')));
  expect(n).toMatchObject({ status: 'pending', address: email });
  const [job] = await db().select().from(jobs).where(and(eq(jobs.kind, DELIVER_JOB), eq(jobs.dedupeKey, `deliver:${n!.id}`)));
  expect(job).toMatchObject({ status: 'queued', attempts: 0 });
  return { notificationId: n!.id, jobId: job!.id };
}
const notification = async (id: string) => (await db().select().from(notifications).where(eq(notifications.id, id)))[0]!;
const job = async (id: number) => (await db().select().from(jobs).where(eq(jobs.id, id)))[0]!;
const outboxOf = (id: string) => db().select().from(devOutbox).where(eq(devOutbox.messageKey, id));

beforeAll(async () => {
  t = await createTestApp({ env: { SESSION_DAYS: '90' } });
  ids = await t.ids();
  operator = await t.staff('operator');
  realDeliverer = t.services.deliverer;
  await t.services.jobs.runDue();
});
beforeEach(() => { t.services.deliverer = realDeliverer; });
afterAll(async () => { await t?.close(); });

describe('delivery', () => {
  it('retries a failing delivery after the backoff and delivers it once', async () => {
    const { notificationId, jobId } = await pendingEmail('retry.once@example.kg');
    const flaky = new FlakyDeliverer(2, realDeliverer);
    t.services.deliverer = flaky;

    await t.services.jobs.runDue();
    expect(flaky.attempts).toHaveLength(1);
    expect(await notification(notificationId)).toMatchObject({ status: 'pending', attempts: 1 });
    // The address never reaches the stored error (nor the log line made from it).
    expect((await notification(notificationId)).lastError).toBe('550 mailbox of r***@example.kg is unavailable');
    expect((await job(jobId)).lastError).not.toContain('retry.once@');

    // Nothing happens before the backoff has passed.
    t.clock.advance(backoffMs(1) - 1_000);
    await t.services.jobs.runDue();
    expect(flaky.attempts).toHaveLength(1);

    t.clock.advance(1_000);
    await t.services.jobs.runDue();
    expect(flaky.attempts).toHaveLength(2);
    expect(await notification(notificationId)).toMatchObject({ status: 'pending', attempts: 2 });

    t.clock.advance(backoffMs(2));
    await t.services.jobs.runDue();
    expect(flaky.attempts).toHaveLength(3);
    const sent = await notification(notificationId);
    expect(sent).toMatchObject({ status: 'sent', attempts: 3, lastError: null });
    expect(sent.sentAt?.getTime()).toBe(t.clock.now().getTime());
    expect(await job(jobId)).toMatchObject({ status: 'done', attempts: 3 });
    // Every attempt carried the same key; the message arrived once.
    expect(new Set(flaky.attempts.map((m) => m.key))).toEqual(new Set([notificationId]));
    expect(await outboxOf(notificationId)).toHaveLength(1);

    t.clock.advance(24 * 3_600_000);
    await t.services.jobs.runDue();
    expect(flaky.attempts).toHaveLength(3);
  });

  it('gives up after the last attempt: the notification is failed and its job dead', async () => {
    const { notificationId, jobId } = await pendingEmail('never.delivered@example.kg');
    const broken = new FlakyDeliverer(Number.POSITIVE_INFINITY, realDeliverer);
    t.services.deliverer = broken;
    const maxAttempts = (await job(jobId)).maxAttempts;

    for (let i = 0; i < maxAttempts + 3; i++) {
      await t.services.jobs.runDue();
      t.clock.advance(3_600_000);
    }
    expect(broken.attempts).toHaveLength(maxAttempts);
    expect(await notification(notificationId)).toMatchObject({ status: 'failed', attempts: maxAttempts });
    expect(await job(jobId)).toMatchObject({ status: 'dead', attempts: maxAttempts });
    expect(await outboxOf(notificationId)).toEqual([]);
  });

  it('a process that dies after handing a message over but before marking it sent does not send it twice', async () => {
    const { notificationId, jobId } = await pendingEmail('crash.window@example.kg');
    // The "dying" process claims the delivery and hands the message to the deliverer, then dies before marking it.
    const dying = new JobRunner({ db: db(), clock: t.clock, logger: createLogger('silent'), workerId: 'dying', leaseMs: 30_000 });
    const claimed = await dying.claim(100);
    const mine = claimed.find((j) => j.id === jobId);
    expect(mine).toBeDefined();
    const [n] = await db().select().from(notifications).where(eq(notifications.id, notificationId));
    await realDeliverer.send({ channel: 'email', to: n!.address!, subject: n!.subject, body: n!.body, key: n!.id });
    expect(await outboxOf(notificationId)).toHaveLength(1);

    // While its lease holds, nobody touches the job; after it runs out, the job runs again.
    await t.services.jobs.runDue();
    expect(await notification(notificationId)).toMatchObject({ status: 'pending' });
    t.clock.advance(31_000);
    await t.services.jobs.runDue();

    expect(await notification(notificationId)).toMatchObject({ status: 'sent', attempts: 2 });
    expect(await job(jobId)).toMatchObject({ status: 'done', attempts: 2 });
    expect(await outboxOf(notificationId)).toHaveLength(1);
  });

  it('a process that dies during the last allowed attempt leaves the notification failed, not pending for ever', async () => {
    const { notificationId, jobId } = await pendingEmail('last.gasp@example.kg');
    await db().update(jobs).set({ maxAttempts: 1 }).where(eq(jobs.id, jobId));
    const dying = new JobRunner({ db: db(), clock: t.clock, logger: createLogger('silent'), workerId: 'dying-last', leaseMs: 30_000 });
    expect((await dying.claim(100)).map((j) => j.id)).toContain(jobId);
    t.clock.advance(31_000);
    await t.services.jobs.runDue();
    expect(await job(jobId)).toMatchObject({ status: 'dead', attempts: 2 });
    expect(await notification(notificationId)).toMatchObject({ status: 'failed', lastError: 'attempts exhausted (the process died while running it)' });
  });

  it('does not deliver a notification that is no longer pending (skipped, failed or already sent)', async () => {
    const { notificationId, jobId } = await pendingEmail('skipped.later@example.kg');
    await db().update(notifications).set({ status: 'skipped' }).where(eq(notifications.id, notificationId));
    const counting = new FlakyDeliverer(0, realDeliverer);
    t.services.deliverer = counting;
    await t.services.jobs.runDue();
    expect(counting.attempts).toEqual([]);
    expect(await job(jobId)).toMatchObject({ status: 'done' });
    const pending = await db().select().from(notifications).where(inArray(notifications.status, ['pending']));
    expect(pending).toEqual([]);
  });
});
