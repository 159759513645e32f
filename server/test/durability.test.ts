/**
 * "Nothing acknowledged is lost": an appeal the server answered 201 for must still be there after the process
 * is killed outright (SIGKILL, no graceful shutdown) with requests in flight, and the server started again on
 * the same data. Runs the real built server as a child process, on embedded PGlite always and also on
 * PostgreSQL when DATABASE_URL is set (a fresh database, dropped afterwards).
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  createPostgresDatabase, ensureBuilt, someCategoryId, staffLogin, startServer, type ServerProcess,
} from './support/server-process.js';

const CONCURRENCY = 20;
const BURST_MS = 1_500;
const MIN_ACKNOWLEDGED = 50;
const OPERATOR = 'operator@bishkek.example';

const servers: ServerProcess[] = [];
const cleanups: (() => Promise<void>)[] = [];

beforeAll(() => { ensureBuilt(); }, 300_000);

afterAll(async () => {
  for (const s of servers) await s.kill().catch(() => {});
  for (const c of cleanups.reverse()) await c().catch((err: unknown) => console.error('cleanup failed:', err));
}, 60_000);

interface Ack { id: string; registrationNumber: string }

async function burstThenKill(server: ServerProcess, headers: Record<string, string>, categoryId: string) {
  const acknowledged: Ack[] = [];
  const otherStatuses: Record<string, number> = {};
  let errorsBeforeKill = 0;
  let inFlight = 0;
  let killed = false;
  let seq = 0;

  const loop = async (worker: number) => {
    while (!killed) {
      const n = seq++;
      inFlight++;
      try {
        const res = await fetch(`${server.baseUrl}/api/v1/m/bishkek/reception/appeals`, {
          method: 'POST',
          headers: { ...headers, 'content-type': 'application/json' },
          body: JSON.stringify({
            kind: 'complaint', channel: 'phone', categoryId,
            subject: `Durability ${worker}-${n}`,
            body: `Appeal number ${n} from loop ${worker}: the street light is out.`,
            applicant: { fullName: `Resident ${worker}-${n}` },
          }),
        });
        const text = await res.text();
        if (res.status === 201) {
          const b = JSON.parse(text) as Ack;
          acknowledged.push({ id: b.id, registrationNumber: b.registrationNumber });
        } else {
          otherStatuses[res.status] = (otherStatuses[res.status] ?? 0) + 1;
        }
      } catch {
        // A request cut off by the kill (or refused after it) was never acknowledged: not counted.
        if (!killed) { errorsBeforeKill++; await new Promise((r) => setTimeout(r, 20)); }
      } finally {
        inFlight--;
      }
    }
  };

  const loops = Array.from({ length: CONCURRENCY }, (_, i) => loop(i));
  const started = Date.now();
  await new Promise((r) => setTimeout(r, BURST_MS));
  // A slow machine may have acknowledged little so far: keep the burst going until there is something to lose.
  while (acknowledged.length < MIN_ACKNOWLEDGED && Date.now() - started < 60_000 && !server.exited) {
    await new Promise((r) => setTimeout(r, 50));
  }
  const inFlightAtKill = inFlight;
  const acknowledgedAtKill = acknowledged.length;
  killed = true;
  await server.kill('SIGKILL');
  await Promise.all(loops);
  return { acknowledged, acknowledgedAtKill, inFlightAtKill, otherStatuses, errorsBeforeKill, burstMs: Date.now() - started };
}

async function verify(server: ServerProcess, headers: Record<string, string>, acks: Ack[]) {
  const missing: Ack[] = [];
  const mismatched: { ack: Ack; got: string }[] = [];
  let found = 0;
  let next = 0;
  const worker = async () => {
    while (next < acks.length) {
      const ack = acks[next++]!;
      const res = await fetch(`${server.baseUrl}/api/v1/m/bishkek/appeals/${ack.id}`, { headers });
      const text = await res.text();
      if (res.status !== 200) { missing.push(ack); continue; }
      const body = JSON.parse(text) as { registrationNumber: string };
      if (body.registrationNumber !== ack.registrationNumber) mismatched.push({ ack, got: body.registrationNumber });
      else found++;
    }
  };
  await Promise.all(Array.from({ length: 8 }, worker));
  return { found, missing, mismatched };
}

const databases = ['pglite', ...(process.env.DATABASE_URL ? ['postgres'] : [])] as const;

describe('nothing acknowledged is lost', () => {
  for (const db of databases) {
    it(`every appeal answered 201 survives a SIGKILL mid-burst and a restart (${db})`, async () => {
      const dataDir = await mkdtemp(join(tmpdir(), 'shaar-durability-'));
      cleanups.push(() => rm(dataDir, { recursive: true, force: true }));
      let databaseUrl: string | undefined;
      if (db === 'postgres') {
        const created = await createPostgresDatabase(process.env.DATABASE_URL!, 'shaar_dur');
        cleanups.push(() => created.drop());
        databaseUrl = created.url;
      }

      const first = await startServer({ dataDir, databaseUrl });
      servers.push(first);
      const session = await staffLogin(first.baseUrl, OPERATOR);
      const categoryId = await someCategoryId(first.baseUrl);
      const burst = await burstThenKill(first, session.headers, categoryId);

      const second = await startServer({ dataDir, databaseUrl });
      servers.push(second);
      const again = await staffLogin(second.baseUrl, OPERATOR);
      const check = await verify(second, again.headers, burst.acknowledged);
      const numbers = burst.acknowledged.map((a) => a.registrationNumber);
      const unique = new Set(numbers).size;

      console.log(JSON.stringify({
        check: 'durability', db, concurrency: CONCURRENCY, burst_ms: burst.burstMs, in_flight_at_kill: burst.inFlightAtKill,
        acknowledged: burst.acknowledged.length, found_after_restart: check.found, missing: check.missing.length,
        mismatched: check.mismatched.length, unique_registration_numbers: unique, other_statuses: burst.otherStatuses,
        errors_before_kill: burst.errorsBeforeKill,
      }));
      await second.kill('SIGTERM');

      expect(burst.errorsBeforeKill, 'requests failed before the kill').toBe(0);
      expect(burst.otherStatuses, 'non-201 answers during the burst').toEqual({});
      expect(burst.acknowledged.length, 'too few appeals acknowledged before the kill: the check would prove nothing').toBeGreaterThan(20);
      expect(burst.inFlightAtKill, 'the kill should hit requests in flight').toBeGreaterThan(0);
      expect(check.missing, 'acknowledged appeals missing after the restart').toEqual([]);
      expect(check.mismatched, 'acknowledged appeals with another registration number after the restart').toEqual([]);
      expect(check.found).toBe(burst.acknowledged.length);
      expect(unique, 'registration numbers must be unique').toBe(numbers.length);
    }, 180_000);
  }
});
