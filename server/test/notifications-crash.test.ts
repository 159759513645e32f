/**
 * "Every notification is delivered exactly once, even across a crash": the real server is killed with SIGKILL while
 * it is delivering notifications, started again on the same data, and left to finish. Then every e-mail and SMS
 * notification must be 'sent', and the dev outbox (the receiver, which honours the message key) must hold exactly
 * one message per notification — none lost, none twice. Runs on embedded PGlite always and on PostgreSQL when
 * DATABASE_URL is set (a fresh database, dropped afterwards).
 *
 * The appeals are filed first with the job runner off, so that the second process starts with the whole batch to
 * deliver and the kill lands in the middle of it.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase } from '../src/platform/db/database.js';
import {
  createPostgresDatabase, ensureBuilt, someCategoryId, staffLogin, startServer, type ServerProcess,
} from './support/server-process.js';

const APPEALS = 100;
/** Each appeal has an e-mail and a phone and no citizen account: two messages each. */
const EXPECTED_MESSAGES = APPEALS * 2;
const JOB_ENV = { JOB_POLL_MS: '50' };

const servers: ServerProcess[] = [];
const cleanups: (() => Promise<void>)[] = [];

beforeAll(() => { ensureBuilt(); }, 300_000);
afterAll(async () => {
  for (const s of servers) await s.kill().catch(() => {});
  for (const c of cleanups.reverse()) await c().catch((err: unknown) => console.error('cleanup failed:', err));
}, 60_000);

interface Snapshot {
  notifications: number; pending: number; sent: number; failed: number;
  outbox: number; outboxKeyed: number; duplicates: number; missing: number; orphans: number; handedOverNotMarked: number;
  deliverJobs: Record<string, number>;
}

/** What the database holds, read directly (the server must not be running on PGlite). */
async function snapshot(dataDir: string, databaseUrl: string | undefined): Promise<Snapshot> {
  const queries = {
    counts: `select count(*)::int as notifications,
        count(*) filter (where status = 'pending')::int as pending, count(*) filter (where status = 'sent')::int as sent,
        count(*) filter (where status = 'failed')::int as failed
      from notifications where channel in ('email', 'sms')`,
    outbox: `select count(*)::int as outbox, count(message_key)::int as keyed from dev_outbox`,
    duplicates: `select count(*)::int as n from (select message_key from dev_outbox where message_key is not null group by message_key having count(*) > 1) d`,
    missing: `select count(*)::int as n from notifications n where n.channel in ('email', 'sms') and n.status = 'sent'
      and not exists (select 1 from dev_outbox o where o.message_key = n.id::text)`,
    orphans: `select count(*)::int as n from dev_outbox o where not exists (select 1 from notifications n where n.id::text = o.message_key)`,
    handedOver: `select count(*)::int as n from notifications n where n.status = 'pending' and exists (select 1 from dev_outbox o where o.message_key = n.id::text)`,
    jobs: `select status, count(*)::int as n from jobs where kind = 'notifications.deliver' group by status`,
  };
  let run: (q: string) => Promise<Record<string, any>[]>;
  let close: () => Promise<void>;
  if (databaseUrl) {
    const client = new pg.Client({ connectionString: databaseUrl });
    await client.connect();
    run = async (q) => (await client.query(q)).rows;
    close = () => client.end();
  } else {
    const database = await openDatabase({ pgliteDir: join(dataDir, 'pglite') });
    run = async (q) => ((await database.db.execute(q)) as unknown as { rows: Record<string, any>[] }).rows;
    close = () => database.close();
  }
  try {
    const [c] = await run(queries.counts);
    const [o] = await run(queries.outbox);
    const jobs = Object.fromEntries((await run(queries.jobs)).map((r) => [r.status as string, r.n as number]));
    return {
      notifications: c!.notifications, pending: c!.pending, sent: c!.sent, failed: c!.failed,
      outbox: o!.outbox, outboxKeyed: o!.keyed,
      duplicates: (await run(queries.duplicates))[0]!.n, missing: (await run(queries.missing))[0]!.n,
      orphans: (await run(queries.orphans))[0]!.n, handedOverNotMarked: (await run(queries.handedOver))[0]!.n,
      deliverJobs: jobs,
    };
  } finally {
    await close();
  }
}

async function fileAppeals(server: ServerProcess, headers: Record<string, string>, categoryId: string): Promise<string[]> {
  const ids: string[] = [];
  let next = 0;
  const worker = async () => {
    while (next < APPEALS) {
      const n = next++;
      const res = await fetch(`${server.baseUrl}/api/v1/m/bishkek/reception/appeals`, {
        method: 'POST', headers: { ...headers, 'content-type': 'application/json' },
        body: JSON.stringify({
          kind: 'complaint', channel: 'phone', categoryId, language: 'ru',
          subject: `Не горит фонарь № ${n}`, body: `Фонарь № ${n} у дома не горит уже неделю.`,
          applicant: { fullName: `Житель ${n}`, email: `resident${n}@example.kg`, phone: `+996700${String(n).padStart(6, '0')}` },
        }),
      });
      const text = await res.text();
      if (res.status !== 201) throw new Error(`filing appeal ${n}: ${res.status} ${text}`);
      ids.push((JSON.parse(text) as { id: string }).id);
    }
  };
  await Promise.all(Array.from({ length: 10 }, worker));
  return ids;
}

async function outboxCount(server: ServerProcess, headers: Record<string, string>): Promise<number> {
  const res = await fetch(`${server.baseUrl}/api/v1/dev/outbox?limit=500`, { headers });
  if (res.status !== 200) throw new Error(`dev outbox: ${res.status} ${await res.text()}`);
  return ((await res.json()) as { items: unknown[] }).items.length;
}

/** Notifications of the appeals still pending, through the staff route (the database belongs to the server). */
async function pendingOf(server: ServerProcess, headers: Record<string, string>, appealIds: string[]): Promise<number> {
  let pending = 0;
  let next = 0;
  const worker = async () => {
    while (next < appealIds.length) {
      const id = appealIds[next++]!;
      const res = await fetch(`${server.baseUrl}/api/v1/m/bishkek/appeals/${id}/notifications`, { headers });
      if (res.status !== 200) throw new Error(`notifications of ${id}: ${res.status} ${await res.text()}`);
      const items = ((await res.json()) as { items: { channel: string; status: string }[] }).items;
      // An appeal whose event job has not run yet has no rows: still to come.
      const messages = items.filter((i) => i.channel !== 'in_app');
      pending += messages.length < 2 ? 2 - messages.length : 0;
      pending += messages.filter((i) => i.status === 'pending').length;
    }
  };
  await Promise.all(Array.from({ length: 8 }, worker));
  return pending;
}

const databases = ['pglite', ...(process.env.DATABASE_URL ? ['postgres'] : [])] as const;

describe('every notification is delivered exactly once across a crash', () => {
  for (const db of databases) {
    it(`SIGKILL while delivering, restart, finish: one outbox message per notification (${db})`, async () => {
      const dataDir = await mkdtemp(join(tmpdir(), 'shaar-notify-crash-'));
      cleanups.push(() => rm(dataDir, { recursive: true, force: true }));
      let databaseUrl: string | undefined;
      if (db === 'postgres') {
        const created = await createPostgresDatabase(process.env.DATABASE_URL!, 'shaar_ncr');
        cleanups.push(() => created.drop());
        databaseUrl = created.url;
      }

      // 1. The appeals are filed; nothing is told yet (the job runner is off).
      const intake = await startServer({ dataDir, databaseUrl, env: { JOBS_ENABLED: 'false' } });
      servers.push(intake);
      const operator = await staffLogin(intake.baseUrl, 'operator@bishkek.example');
      const appealIds = await fileAppeals(intake, operator.headers, await someCategoryId(intake.baseUrl));
      await intake.kill('SIGTERM');

      // 2. A server with the job runner starts on it, and is killed outright as soon as the first messages arrive.
      const worker = await startServer({ dataDir, databaseUrl, env: JOB_ENV });
      servers.push(worker);
      const admin = await staffLogin(worker.baseUrl, 'admin@bishkek.example');
      let seen = 0;
      const started = Date.now();
      while (seen === 0 && Date.now() - started < 60_000) {
        seen = await outboxCount(worker, admin.headers);
        if (seen === 0) await new Promise((r) => setTimeout(r, 5));
      }
      // A random moment within the next few batches, so the kill is not always in step with the poll.
      await new Promise((r) => setTimeout(r, Math.floor(Math.random() * 150)));
      await worker.kill('SIGKILL');
      const atKill = await snapshot(dataDir, databaseUrl);

      // 3. Started again on the same data: it finishes the work the dead process left (on PostgreSQL, once its leases run out).
      const again = await startServer({ dataDir, databaseUrl, env: JOB_ENV });
      servers.push(again);
      const headers = (await staffLogin(again.baseUrl, 'admin@bishkek.example')).headers;
      let pending = Number.POSITIVE_INFINITY;
      const deadline = Date.now() + 120_000;
      while (pending > 0 && Date.now() < deadline) {
        pending = await pendingOf(again, headers, appealIds);
        if (pending > 0) await new Promise((r) => setTimeout(r, 500));
      }
      await again.kill('SIGTERM');
      const end = await snapshot(dataDir, databaseUrl);

      const deliveredOnce = end.sent - end.missing;
      console.log(JSON.stringify({
        check: 'notifications_crash', db, appeals: APPEALS, notifications: end.notifications,
        delivered_at_kill: atKill.outboxKeyed, pending_at_kill: atKill.pending, handed_over_not_marked_at_kill: atKill.handedOverNotMarked,
        deliver_jobs_at_kill: atKill.deliverJobs, delivered_once: deliveredOnce, duplicates: end.duplicates + (end.outbox - end.outboxKeyed),
        missing: end.missing + end.pending + end.failed, orphans: end.orphans,
      }));

      expect(atKill.outboxKeyed, 'the kill should land after the first messages arrived').toBeGreaterThan(0);
      expect(atKill.outboxKeyed, 'the kill should land before the last message arrived').toBeLessThan(EXPECTED_MESSAGES);
      expect(pending, 'notifications still pending after the restart').toBe(0);
      expect(end.notifications).toBe(EXPECTED_MESSAGES);
      expect({ pending: end.pending, failed: end.failed }).toEqual({ pending: 0, failed: 0 });
      expect(end.sent).toBe(EXPECTED_MESSAGES);
      expect(end.missing, 'sent notifications without their message').toBe(0);
      expect(end.duplicates, 'messages kept twice').toBe(0);
      expect(end.outbox, 'every outbox message is one notification\'s').toBe(end.outboxKeyed);
      expect(end.orphans).toBe(0);
      expect(end.outbox).toBe(EXPECTED_MESSAGES);
      expect(deliveredOnce).toBe(EXPECTED_MESSAGES);
      // One delivery job per message, none dead. A job the dead process had finished but not yet marked done may still
      // be 'running' until its lease runs out; its message is sent, and it will end 'done' without sending again.
      expect(Object.values(end.deliverJobs).reduce((a, b) => a + b, 0)).toBe(EXPECTED_MESSAGES);
      expect(end.deliverJobs.dead ?? 0, 'delivery jobs that gave up').toBe(0);
      expect(end.deliverJobs.queued ?? 0).toBe(0);
    }, 300_000);
  }
});
