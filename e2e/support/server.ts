/**
 * The end-to-end tests' server: the real build (`node server/dist/main.js`, which also serves web/dist at /) in demo
 * mode, on a free port, always on a fresh PostgreSQL database — so that the tests can read the one-time sign-in codes
 * from the dev_outbox table (with embedded PGlite the table lives inside the server process, out of reach).
 *
 * The database is created next to DATABASE_URL when it is set (CI's PostgreSQL pass), else on the local PostgreSQL
 * (CI_PG_ADMIN_URL, or postgres://postgres@127.0.0.1:5432/postgres). No reachable PostgreSQL is a clear failure.
 */
import { execSync } from 'node:child_process';
import { existsSync, mkdirSync, rmSync, statSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import { createPostgresDatabase, startServer, type ServerProcess } from '../../server/test/support/server-process.js';

export const repoRoot = fileURLToPath(new URL('../../', import.meta.url));
const serverMain = join(repoRoot, 'server/dist/main.js');
const webIndex = join(repoRoot, 'web/dist/index.html');

export const DEFAULT_PG_ADMIN_URL = 'postgres://postgres@127.0.0.1:5432/postgres';
export const DEMO_PASSWORD = 'shaar-demo-2026';

/**
 * Builds everything once when server/dist or web/dist is missing. Test files run in parallel workers: a lock
 * directory keeps a second worker from building at the same time (it waits for the first one's build instead).
 */
export function ensureBuilt(): void {
  if (existsSync(serverMain) && existsSync(webIndex)) return;
  const lock = join(repoRoot, 'test-results', '.e2e-build.lock');
  mkdirSync(join(repoRoot, 'test-results'), { recursive: true });
  const deadline = Date.now() + 600_000;
  for (;;) {
    try {
      mkdirSync(lock);
      break;
    } catch {
      // Someone else is building; a lock older than ten minutes is left over from a killed run.
      try { if (Date.now() - statSync(lock).mtimeMs > 600_000) rmSync(lock, { recursive: true, force: true }); } catch { /* gone */ }
      if (Date.now() > deadline) throw new Error(`waited too long for the build lock ${lock}`);
      execSync('sleep 1');
    }
  }
  try {
    if (!existsSync(serverMain) || !existsSync(webIndex)) {
      execSync('npm run build', { cwd: repoRoot, stdio: ['ignore', 'inherit', 'inherit'] });
    }
  } finally {
    rmSync(lock, { recursive: true, force: true });
  }
}

/** The PostgreSQL server to create the test database on, checked to answer. */
async function postgresAdminUrl(): Promise<string> {
  const url = process.env.DATABASE_URL || process.env.CI_PG_ADMIN_URL || DEFAULT_PG_ADMIN_URL;
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 5_000 });
  try {
    await client.connect();
    await client.query('select 1');
  } catch (err) {
    const where = url.replace(/\/\/([^:@/]+):[^@/]*@/, '//$1:***@');
    throw new Error(
      `The end-to-end tests need PostgreSQL (they read sign-in codes from the dev_outbox table), and none answered at ${where}: `
      + `${(err as Error).message}. Start PostgreSQL there (e.g. pg_ctlcluster 15 main start), or set DATABASE_URL to a database `
      + 'on a PostgreSQL server where new databases may be created.',
    );
  } finally {
    await client.end().catch(() => {});
  }
  return url;
}

export interface E2EServer {
  readonly baseUrl: string;
  readonly server: ServerProcess;
  /** A query on the server's database (e.g. the dev outbox). */
  query<R extends pg.QueryResultRow>(text: string, values?: unknown[]): Promise<R[]>;
  /** The newest id in dev_outbox, to wait for messages sent after it. */
  outboxMark(): Promise<number>;
  /** The 6-digit code of the newest message to `recipient` after `mark` (waits for it up to 10 s). */
  codeFor(recipient: string, mark: number): Promise<string>;
  stop(): Promise<void>;
}

/** Starts the built server in demo mode on a new PostgreSQL database; stop() ends it and drops the database. */
export async function startE2EServer(): Promise<E2EServer> {
  ensureBuilt();
  const adminUrl = await postgresAdminUrl();
  const database = await createPostgresDatabase(adminUrl, 'shaar_e2e');
  const dataDir = await mkdtemp(join(tmpdir(), 'shaar-e2e-'));
  let server: ServerProcess;
  try {
    server = await startServer({
      dataDir, databaseUrl: database.url,
      env: { DEMO_MODE: 'true', LOG_LEVEL: 'warn', RATE_LIMIT_AUTH_PER_MINUTE: '10000' },
    });
  } catch (err) {
    await database.drop().catch(() => {});
    await rm(dataDir, { recursive: true, force: true });
    throw err;
  }
  const pool = new pg.Pool({ connectionString: database.url, max: 2 });

  return {
    baseUrl: server.baseUrl,
    server,
    ...outboxReader(pool),
    async stop() {
      await pool.end().catch(() => {});
      // A graceful stop, and a hard one if it takes too long.
      await Promise.race([server.kill('SIGTERM').catch(() => {}), new Promise((r) => setTimeout(r, 10_000))]);
      if (!server.exited) await server.kill('SIGKILL').catch(() => {});
      await database.drop().catch((err: unknown) => console.error('dropping the e2e database failed:', err));
      await rm(dataDir, { recursive: true, force: true });
    },
  };
}

/** Queries on the server's database, and the dev outbox read through them (sign-in codes). */
export function outboxReader(pool: pg.Pool): Pick<E2EServer, 'query' | 'outboxMark' | 'codeFor'> {
  const query = async <R extends pg.QueryResultRow>(text: string, values?: unknown[]) => (await pool.query<R>(text, values)).rows;
  return {
    query,
    async outboxMark() {
      const [row] = await query<{ id: string | null }>('select max(id)::text as id from dev_outbox');
      return Number(row?.id ?? 0);
    },
    async codeFor(recipient, mark) {
      const deadline = Date.now() + 10_000;
      for (;;) {
        // Sign-in codes carry no message key; notifications do — and their registration numbers (BSK-2026-000001) hold
        // six digits too, so a notification arriving after the code must not be taken for it.
        const rows = await query<{ body: string }>(
          'select body from dev_outbox where recipient = $1 and id > $2 and message_key is null order by id desc limit 1', [recipient, mark]);
        const code = /\b(\d{6})\b/.exec(rows[0]?.body ?? '')?.[1];
        if (code) return code;
        if (Date.now() > deadline) throw new Error(`no one-time code for ${recipient} in dev_outbox after id ${mark}`);
        await new Promise((r) => setTimeout(r, 100));
      }
    },
  };
}
