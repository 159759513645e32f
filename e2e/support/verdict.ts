/**
 * What the verdict scenario (verdict.e2e.test.ts) needs beyond the shared support: the built server on a clock that
 * starts at a chosen instant (CLOCK_START, which the server accepts outside production) and can be restarted later
 * on a later instant — the same database, data directory and port, so that signed-in browsers carry on — and the
 * city's working calendar, to count a due date independently of the server.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { createPostgresDatabase, startServer, type ServerProcess } from '../../server/test/support/server-process.js';
import type { Session } from './api.js';
import { DEFAULT_PG_ADMIN_URL, ensureBuilt, outboxReader, type E2EServer } from './server.js';

export interface ClockedServer extends E2EServer {
  /** The instant the running server's clock started at. */
  readonly clockStart: string;
  /** Stops the server and starts it again on the same database and port, its clock starting at `clockStart`. */
  restartAt(clockStart: string): Promise<void>;
}

async function checkedAdminUrl(): Promise<string> {
  const url = process.env.DATABASE_URL || process.env.CI_PG_ADMIN_URL || DEFAULT_PG_ADMIN_URL;
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 5_000 });
  try {
    await client.connect();
    await client.query('select 1');
  } catch (err) {
    throw new Error(`The end-to-end tests need PostgreSQL, and none answered at ${url.replace(/\/\/([^:@/]+):[^@/]*@/, '//$1:***@')}: ${(err as Error).message}`);
  } finally {
    await client.end().catch(() => {});
  }
  return url;
}

/** Stops a server: gracefully, and hard if that takes more than 10 s. */
async function stopProcess(p: ServerProcess): Promise<void> {
  await Promise.race([p.kill('SIGTERM').catch(() => {}), new Promise((r) => setTimeout(r, 10_000))]);
  if (!p.exited) await p.kill('SIGKILL').catch(() => {});
}

/**
 * The built server in demo mode on a new PostgreSQL database, its clock starting at `clockStart` (an ISO instant
 * with offset) and running on in real time from there.
 */
export async function startClockedServer(clockStart: string): Promise<ClockedServer> {
  ensureBuilt();
  const adminUrl = await checkedAdminUrl();
  const database = await createPostgresDatabase(adminUrl, 'shaar_e2e');
  const dataDir = await mkdtemp(join(tmpdir(), 'shaar-e2e-verdict-'));
  const launch = (start: string, port?: number) => startServer({
    dataDir, databaseUrl: database.url, ...(port ? { port } : {}),
    // CLOCK_START is refused in production; NODE_ENV changes nothing else in the server (config.ts).
    env: { DEMO_MODE: 'true', LOG_LEVEL: 'warn', RATE_LIMIT_AUTH_PER_MINUTE: '10000', NODE_ENV: 'test', CLOCK_START: start },
  });
  let current: ServerProcess;
  let started = clockStart;
  try {
    current = await launch(clockStart);
  } catch (err) {
    await database.drop().catch(() => {});
    await rm(dataDir, { recursive: true, force: true });
    throw err;
  }
  const pool = new pg.Pool({ connectionString: database.url, max: 2 });

  return {
    get baseUrl() { return current.baseUrl; },
    get server() { return current; },
    get clockStart() { return started; },
    ...outboxReader(pool),
    async restartAt(next) {
      const port = current.port;
      await stopProcess(current);
      current = await launch(next, port);
      started = next;
    },
    async stop() {
      await pool.end().catch(() => {});
      await stopProcess(current);
      await database.drop().catch((err: unknown) => console.error('dropping the e2e database failed:', err));
      await rm(dataDir, { recursive: true, force: true });
    },
  };
}

// ---- working days --------------------------------------------------------------------------------------------

/** The city's exceptions to Monday–Friday for `years`, as a test of whether a date is a working day. */
export async function workingDayTest(s: E2EServer, staff: Session, years: number[], municipality = 'bishkek'): Promise<(date: string) => boolean> {
  const exceptions = new Map<string, boolean>();
  for (const year of years) {
    const res = await fetch(`${s.baseUrl}/api/v1/m/${municipality}/admin/calendar?year=${year}`, { headers: staff.headers });
    if (res.status !== 200) throw new Error(`calendar ${year}: ${res.status} ${await res.text()}`);
    const body = await res.json() as { items: { date: string; isWorking: boolean }[] };
    for (const d of body.items) exceptions.set(d.date, d.isWorking);
  }
  return (date: string) => {
    const exception = exceptions.get(date);
    if (exception !== undefined) return exception;
    const weekday = new Date(`${date}T00:00:00Z`).getUTCDay();
    return weekday !== 0 && weekday !== 6;
  };
}

/** The date `n` working days after `from` (not counting `from` itself), both 'YYYY-MM-DD'. */
export function addWorkingDays(isWorking: (date: string) => boolean, from: string, n: number): string {
  const d = new Date(`${from}T00:00:00Z`);
  let counted = 0;
  while (counted < n) {
    d.setUTCDate(d.getUTCDate() + 1);
    if (isWorking(d.toISOString().slice(0, 10))) counted++;
  }
  return d.toISOString().slice(0, 10);
}

/** A calendar date as the Russian pages write it ("21 мая 2026 г."), the way web/src/i18n formatDate does. */
export function ruDate(date: string): string {
  return new Intl.DateTimeFormat('ru', { day: 'numeric', month: 'long', year: 'numeric' }).format(new Date(`${date}T00:00:00`));
}

/** The local date of an ISO instant with offset, e.g. '2026-04-23T10:00:00+06:00' → '2026-04-23'. */
export function localDayOf(instant: string): string {
  return instant.slice(0, 10);
}
