/**
 * "Webhooks survive a restart: no event lost, none sent twice to a receiver that acknowledged it." The real server is
 * killed with SIGKILL while it is delivering webhooks, started again on the same data and left to finish. Then every
 * appeal's event must have exactly one delivery (one delivery id), every delivery must be 'delivered', and the
 * receiver, which dedupes on X-Shaar-Delivery as receivers are told to, must have accepted each id once. A delivery
 * whose 2xx the dead process had received but not yet recorded is sent again with the same id: such raw re-sends are
 * counted and printed, and can only be deliveries that were in flight at the kill (at most one batch of jobs).
 * Runs on embedded PGlite always and on PostgreSQL when DATABASE_URL is set (a fresh database, dropped afterwards).
 */
import { createHmac } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  createPostgresDatabase, ensureBuilt, someCategoryId, staffLogin, startServer, type ServerProcess,
} from './support/server-process.js';

const APPEALS = 60;
/** The job runner's batch: at most this many deliveries are in flight when the process dies. */
const JOB_BATCH = 10;
// The receiver listens on 127.0.0.1 and the server runs as in production: its address must be allowed.
const JOB_ENV = { JOB_POLL_MS: '50', WEBHOOKS_ALLOW_HTTP: 'true', WEBHOOKS_ALLOW_PRIVATE_NETWORKS: 'true' };

const servers: ServerProcess[] = [];
const cleanups: (() => Promise<void>)[] = [];

beforeAll(() => { ensureBuilt(); }, 300_000);
afterAll(async () => {
  for (const s of servers) await s.kill().catch(() => {});
  for (const c of cleanups.reverse()) await c().catch((err: unknown) => console.error('cleanup failed:', err));
}, 60_000);

/** A receiver that verifies signatures, acknowledges after a short delay and dedupes on X-Shaar-Delivery. */
class Receiver {
  secret = '';
  /** Delivery id → times a request with it was answered 2xx. */
  readonly raw = new Map<string, number>();
  /** Delivery id → the payload, kept once (the receiver's dedupe). */
  readonly accepted = new Map<string, { event: string; appeal: { id: string } }>();
  badSignatures = 0;
  private server!: Server;
  url = '';

  async start(): Promise<void> {
    this.server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        const body = Buffer.concat(chunks).toString('utf8');
        const id = String(req.headers['x-shaar-delivery']);
        const ts = String(req.headers['x-shaar-timestamp']);
        const expected = `sha256=${createHmac('sha256', this.secret).update(`${ts}.${body}`).digest('hex')}`;
        if (req.headers['x-shaar-signature'] !== expected) {
          this.badSignatures++;
          res.statusCode = 401;
          res.end();
          return;
        }
        // Slow enough that the kill lands while deliveries are in flight.
        setTimeout(() => {
          this.raw.set(id, (this.raw.get(id) ?? 0) + 1);
          if (!this.accepted.has(id)) this.accepted.set(id, JSON.parse(body));
          res.statusCode = 204;
          res.end();
        }, 40);
      });
    });
    await new Promise<void>((r) => this.server.listen(0, '127.0.0.1', () => r()));
    this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}/shaar-hook`;
  }

  close(): Promise<void> {
    this.server.closeAllConnections();
    return new Promise((r) => this.server.close(() => r()));
  }
}

async function call(server: ServerProcess, method: string, path: string, headers: Record<string, string>, body?: unknown) {
  const res = await fetch(`${server.baseUrl}${path}`, {
    method, headers: { ...headers, ...(body ? { 'content-type': 'application/json' } : {}) }, body: body ? JSON.stringify(body) : undefined,
  });
  const text = await res.text();
  return { status: res.status, body: text ? JSON.parse(text) as any : null, text };
}

async function fileAppeals(server: ServerProcess, headers: Record<string, string>, categoryId: string): Promise<string[]> {
  const ids: string[] = [];
  let next = 0;
  const worker = async () => {
    while (next < APPEALS) {
      const n = next++;
      const res = await call(server, 'POST', '/api/v1/m/bishkek/reception/appeals', headers, {
        kind: 'complaint', channel: 'phone', categoryId, language: 'ru',
        subject: `Не горит фонарь № ${n}`, body: `Фонарь № ${n} у дома не горит уже неделю.`,
        applicant: { fullName: `Житель ${n}`, phone: `+996700${String(n).padStart(6, '0')}` },
      });
      if (res.status !== 201) throw new Error(`filing appeal ${n}: ${res.status} ${res.text}`);
      ids.push(res.body.id as string);
    }
  };
  await Promise.all(Array.from({ length: 8 }, worker));
  return ids;
}

interface DeliveryItem { id: string; appealId: string; status: string; attempts: number; event: string }

async function deliveryLog(server: ServerProcess, headers: Record<string, string>, subscriptionId: string): Promise<DeliveryItem[]> {
  const items: DeliveryItem[] = [];
  let cursor: string | null = null;
  do {
    const res = await call(server, 'GET', `/api/v1/m/bishkek/admin/webhooks/${subscriptionId}/deliveries?limit=200${cursor ? `&cursor=${cursor}` : ''}`, headers);
    if (res.status !== 200) throw new Error(`delivery log: ${res.status} ${res.text}`);
    items.push(...res.body.items as DeliveryItem[]);
    cursor = res.body.nextCursor as string | null;
  } while (cursor);
  return items;
}

const databases = ['pglite', ...(process.env.DATABASE_URL ? ['postgres'] : [])] as const;

describe('webhooks survive a restart', () => {
  for (const db of databases) {
    it(`SIGKILL while delivering, restart: every event delivered, each delivery id accepted once (${db})`, async () => {
      const dataDir = await mkdtemp(join(tmpdir(), 'shaar-webhook-crash-'));
      cleanups.push(() => rm(dataDir, { recursive: true, force: true }));
      let databaseUrl: string | undefined;
      if (db === 'postgres') {
        const created = await createPostgresDatabase(process.env.DATABASE_URL!, 'shaar_whr');
        cleanups.push(() => created.drop());
        databaseUrl = created.url;
      }
      const receiver = new Receiver();
      await receiver.start();
      cleanups.push(() => receiver.close());

      // 1. An integrator subscribes; the appeals are filed with the job runner off, so the next process has them all to do.
      const intake = await startServer({ dataDir, databaseUrl, env: { ...JOB_ENV, JOBS_ENABLED: 'false' } });
      servers.push(intake);
      const admin = await staffLogin(intake.baseUrl, 'admin@bishkek.example');
      const key = await call(intake, 'POST', '/api/v1/m/bishkek/admin/api-keys', admin.headers, { name: 'Partner app', scopes: ['appeals:read'] });
      expect(key.status, key.text).toBe(201);
      const sub = await call(intake, 'POST', '/api/v1/m/bishkek/integrations/webhooks', { 'x-api-key': key.body.key }, { url: receiver.url, events: ['registered'] });
      expect(sub.status, sub.text).toBe(201);
      receiver.secret = sub.body.secret;
      const operator = await staffLogin(intake.baseUrl, 'operator@bishkek.example');
      const appealIds = await fileAppeals(intake, operator.headers, await someCategoryId(intake.baseUrl));
      await intake.kill('SIGTERM');

      // 2. A server with the job runner starts, and is killed outright soon after the first deliveries arrive.
      const worker = await startServer({ dataDir, databaseUrl, env: JOB_ENV });
      servers.push(worker);
      const started = Date.now();
      while (receiver.raw.size === 0 && Date.now() - started < 60_000) await new Promise((r) => setTimeout(r, 5));
      await new Promise((r) => setTimeout(r, Math.floor(Math.random() * 150)));
      await worker.kill('SIGKILL');
      const acceptedAtKill = receiver.accepted.size;

      // 3. Started again on the same data: it finishes what the dead process left (on PostgreSQL, once its leases run out).
      const again = await startServer({ dataDir, databaseUrl, env: JOB_ENV });
      servers.push(again);
      const headers = (await staffLogin(again.baseUrl, 'admin@bishkek.example')).headers;
      let log: DeliveryItem[] = [];
      const deadline = Date.now() + 150_000;
      while (Date.now() < deadline) {
        log = await deliveryLog(again, headers, sub.body.id);
        if (log.length >= APPEALS && log.every((d) => d.status !== 'pending')) break;
        await new Promise((r) => setTimeout(r, 500));
      }
      await again.kill('SIGTERM');

      const resent = [...receiver.raw.values()].reduce((a, n) => a + n - 1, 0);
      const byAppeal = new Map<string, Set<string>>();
      for (const [id, p] of receiver.accepted) byAppeal.set(p.appeal.id, (byAppeal.get(p.appeal.id) ?? new Set()).add(id));
      console.log(JSON.stringify({
        check: 'webhooks_restart', db, events: APPEALS, accepted_at_kill: acceptedAtKill, deliveries: log.length,
        delivered: log.filter((d) => d.status === 'delivered').length, accepted: receiver.accepted.size,
        raw_requests: [...receiver.raw.values()].reduce((a, n) => a + n, 0), raw_resends: resent, bad_signatures: receiver.badSignatures,
      }));

      expect(acceptedAtKill, 'the kill should land after the first deliveries arrived').toBeGreaterThan(0);
      expect(acceptedAtKill, 'the kill should land before the last delivery arrived').toBeLessThan(APPEALS);
      expect(receiver.badSignatures).toBe(0);
      // No event lost: one delivery per appeal, all delivered, all accepted by the receiver.
      expect(log).toHaveLength(APPEALS);
      expect(new Set(log.map((d) => d.appealId))).toEqual(new Set(appealIds));
      expect(log.filter((d) => d.status !== 'delivered')).toEqual([]);
      expect(new Set(receiver.accepted.keys())).toEqual(new Set(log.map((d) => d.id)));
      // None sent twice as a new delivery: each appeal's event reached the receiver under one delivery id only.
      expect([...byAppeal.values()].filter((s) => s.size !== 1)).toEqual([]);
      expect(byAppeal.size).toBe(APPEALS);
      // Raw re-sends (same id, deduped by the receiver) only for deliveries in flight when the process died.
      expect(resent).toBeLessThanOrEqual(JOB_BATCH);
    }, 300_000);
  }
});
