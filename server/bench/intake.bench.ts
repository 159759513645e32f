/**
 * Intake benchmark (`npm run bench:intake`): how many appeals per second the real server registers when an
 * integrator posts them over HTTP, against PostgreSQL and against embedded PGlite — next to how many plain
 * single-row INSERTs per second the same database takes at the same concurrency (the ceiling the intake path
 * is measured against).
 *
 * Prints one JSON line per database on stdout; everything else goes to stderr.
 *
 *   npm run bench:intake -- [--duration 30] [--connections 50] [--raw-duration 10] [--db both|postgres|pglite]
 *                          [--pool-max N]   (the server's DATABASE_POOL_MAX; default: the server's own default)
 *                          [--profile DIR]  (V8 CPU profiles of the server, node --cpu-prof) [--node-arg=--flag …]
 *
 * PostgreSQL: a fresh database is created from BENCH_DATABASE_URL, DATABASE_URL or
 * postgres://postgres@127.0.0.1:5432/postgres (used as the admin connection) and dropped at the end.
 * Needs a build (`npm run build`; made here if missing): the server runs from server/dist, as in production.
 */
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import autocannon from 'autocannon';
import { sql } from 'drizzle-orm';
import pg from 'pg';
import { PGlite } from '@electric-sql/pglite';
import {
  createPostgresDatabase, ensureBuilt, someCategoryId, startServer, type ServerProcess,
} from '../test/support/server-process.js';

const { values: args } = parseArgs({
  options: {
    duration: { type: 'string', default: '30' },
    connections: { type: 'string', default: '50' },
    'raw-duration': { type: 'string', default: '10' },
    warmup: { type: 'string', default: '3' },
    db: { type: 'string', default: 'both' },
    'pool-max': { type: 'string' },
    /** Write V8 CPU profiles of the server (node --cpu-prof) into this directory. */
    profile: { type: 'string' },
    /** Extra node flag for the server, repeatable: --node-arg=--max-semi-space-size=32 */
    'node-arg': { type: 'string', multiple: true },
  },
  allowPositionals: false,
});
const DURATION = Number(args.duration);
const CONNECTIONS = Number(args.connections);
const RAW_DURATION = Number(args['raw-duration']);
const WARMUP = Number(args.warmup);
const POOL_MAX = args['pool-max'];
const NODE_ARGS = [...(args.profile ? ['--cpu-prof', '--cpu-prof-dir', args.profile] : []), ...(args['node-arg'] ?? [])];
const ADMIN_URL = process.env.BENCH_DATABASE_URL || process.env.DATABASE_URL || 'postgres://postgres@127.0.0.1:5432/postgres';
const dbs = args.db === 'both' ? ['postgres', 'pglite'] as const : [args.db as 'postgres' | 'pglite'];
for (const [name, v] of Object.entries({ DURATION, CONNECTIONS, RAW_DURATION, WARMUP })) {
  if (!Number.isFinite(v) || v < 0) throw new Error(`bad ${name}: ${v}`);
}

const log = (...parts: unknown[]) => console.error('[bench:intake]', ...parts);

// Everything to undo, in reverse order, also on Ctrl-C.
const cleanups: (() => Promise<unknown>)[] = [];
async function cleanUp() {
  while (cleanups.length) await cleanups.pop()!().catch((err: unknown) => log('cleanup failed:', err));
}
for (const sig of ['SIGINT', 'SIGTERM'] as const) {
  process.once(sig, () => { log(`${sig}: cleaning up`); void cleanUp().finally(() => process.exit(130)); });
}

/** Seeds the demo cities (idempotent, as the server does) and creates an integrator key with appeals:write. */
async function prepareDatabase(options: { databaseUrl?: string; pgliteDir?: string }): Promise<string> {
  // The server's own code, as built: the same migrations, seed and key format as production.
  const { openDatabase } = await import('../dist/platform/db/database.js');
  const { seedDemo } = await import('../dist/demo/seed-demo.js');
  const { AuthService } = await import('../dist/modules/auth/auth.service.js');
  const { systemClock } = await import('../dist/platform/clock.js');
  const database = await openDatabase({ databaseUrl: options.databaseUrl, pgliteDir: options.pgliteDir, poolMax: 2 });
  try {
    await seedDemo(database.db);
    const rows = (await database.db.execute(sql`select id from municipalities where slug = 'bishkek'`)) as unknown as { rows: { id: string }[] };
    const municipalityId = rows.rows[0]?.id;
    if (!municipalityId) throw new Error('no bishkek after seeding');
    const auth = new AuthService({
      db: database.db, clock: systemClock, sessionDays: 1, otpTtlSeconds: 600,
      deliverer: { deliver: async () => { throw new Error('not used'); } } as never,
    });
    const { key } = await auth.createApiKey(municipalityId, 'intake benchmark', ['appeals:write']);
    return key;
  } finally {
    await database.close();
  }
}

/** CPU seconds (user + system) a process has used so far, from /proc (Linux); null elsewhere. */
async function cpuSeconds(pid: number): Promise<number | null> {
  try {
    const stat = await readFile(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return (Number(fields[11]) + Number(fields[12])) / 100; // utime, stime in clock ticks (USER_HZ = 100)
  } catch { return null; }
}

/** CPU seconds used so far by all processes called `postgres` on this machine (the server and its backends). */
async function postgresCpuSeconds(): Promise<number | null> {
  try {
    let total = 0;
    for (const entry of await readdir('/proc')) {
      if (!/^\d+$/.test(entry)) continue;
      const stat = await readFile(`/proc/${entry}/stat`, 'utf8').catch(() => '');
      if (!stat.includes('(postgres)')) continue;
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      total += (Number(fields[11]) + Number(fields[12])) / 100;
    }
    return total;
  } catch { return null; }
}

interface LoadResult { cpu: Record<string, number | null>; appeals_per_s: number; p99_ms: number; p50_ms: number; created: number; non2xx: number; errors: number; timeouts: number; requests_per_s: number; statuses: Record<string, number>; elapsed_s: number }

async function load(server: ServerProcess, apiKey: string, categoryId: string, duration: number): Promise<LoadResult> {
  // [<id>] is replaced by a fresh random id per request, so no two appeals are the same text.
  const body = JSON.stringify({
    kind: 'complaint', channel: 'mobile_app', categoryId,
    subject: 'Broken street light [<id>]',
    body: 'The street light at the corner has not worked for a week; request [<id>].',
    applicant: { fullName: 'Aibek Benchmarkov', phone: '+996700000000' },
    location: { lat: 42.8746, lon: 74.5698 },
  });
  const pid = server.child.pid!;
  const [server0, pg0, self0, t0] = [await cpuSeconds(pid), await postgresCpuSeconds(), process.cpuUsage(), performance.now()];
  const result = await autocannon({
    url: `${server.baseUrl}/api/v1/m/bishkek/appeals`,
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-api-key': apiKey },
    body,
    idReplacement: true,
    connections: CONNECTIONS,
    duration,
    timeout: 10,
  });
  const wall = (performance.now() - t0) / 1000;
  const [server1, pg1, self1] = [await cpuSeconds(pid), await postgresCpuSeconds(), process.cpuUsage(self0)];
  const pct = (a: number | null, b: number | null) => (a === null || b === null ? null : Math.round(((b - a) / wall) * 100));
  // Percent of one core over the run (200 = both cores of a 2-core machine).
  const cpu = {
    server: pct(server0, server1),
    postgres: pct(pg0, pg1),
    loadgen: Math.round(((self1.user + self1.system) / 1e6 / wall) * 100),
  };
  const statuses: Record<string, number> = {};
  for (const [code, s] of Object.entries(result.statusCodeStats ?? {})) statuses[code] = Number((s as { count: number | string }).count);
  const created = statuses['201'] ?? 0;
  const elapsed = (result.duration ?? duration);
  return {
    cpu,
    appeals_per_s: Math.round(created / elapsed),
    p99_ms: result.latency.p99,
    p50_ms: result.latency.p50,
    created,
    non2xx: result.non2xx,
    errors: result.errors,
    timeouts: result.timeouts,
    requests_per_s: Math.round(result.requests.average),
    statuses,
    elapsed_s: Math.round(elapsed * 100) / 100,
  };
}

const RAW_TABLE = `create table if not exists bench_raw (id bigserial primary key, municipality_id uuid, payload text,
  created_at timestamptz default now())`;
const RAW_INSERT = 'insert into bench_raw (municipality_id, payload) values ($1, $2)';
const SOME_UUID = '6a58069a-e9c8-43f8-827d-d1ace1be9710';

/** CONNECTIONS concurrent loops of single-row INSERTs for `seconds`; returns inserts per second. */
async function rawInserts(query: (text: string, params: unknown[]) => Promise<unknown>, seconds: number): Promise<number> {
  await query(RAW_TABLE, []);
  let count = 0;
  let failures = 0;
  const started = performance.now();
  const until = started + seconds * 1000;
  const loop = async (worker: number) => {
    let i = 0;
    while (performance.now() < until) {
      try {
        await query(RAW_INSERT, [SOME_UUID, `raw insert ${worker}-${i++}: the street light at the corner has not worked for a week`]);
        count++;
      } catch (err) {
        if (failures++ === 0) log('raw insert failed:', err);
      }
    }
  };
  await Promise.all(Array.from({ length: CONNECTIONS }, (_, w) => loop(w)));
  const elapsed = (performance.now() - started) / 1000;
  if (failures) log(`${failures} raw inserts failed`);
  return Math.round(count / elapsed);
}

async function benchPostgres() {
  const created = await createPostgresDatabase(ADMIN_URL, 'shaar_bench');
  cleanups.push(() => created.drop());
  const dataDir = await mkdtemp(join(tmpdir(), 'shaar-bench-'));
  cleanups.push(() => rm(dataDir, { recursive: true, force: true }));
  log(`postgres: database ${created.name}`);
  const apiKey = await prepareDatabase({ databaseUrl: created.url });
  const server = await startServer({ dataDir, databaseUrl: created.url, env: POOL_MAX ? { DATABASE_POOL_MAX: POOL_MAX } : {}, nodeArgs: NODE_ARGS });
  cleanups.push(() => server.kill());
  const categoryId = await someCategoryId(server.baseUrl);
  const warm = WARMUP > 0 ? (log(`postgres: warm-up ${WARMUP} s`), await load(server, apiKey, categoryId, WARMUP)).created : 0;
  log(`postgres: ${DURATION} s × ${CONNECTIONS} connections`);
  const r = await load(server, apiKey, categoryId, DURATION);
  await server.kill('SIGTERM');

  const pool = new pg.Pool({ connectionString: created.url, max: CONNECTIONS });
  try {
    const inDb = Number((await pool.query(`select count(*)::int as n from appeals where source = 'integrator:intake benchmark'`)).rows[0].n);
    log(`postgres: raw inserts ${RAW_DURATION} s × ${CONNECTIONS} loops over a pool of ${CONNECTIONS}`);
    const raw = await rawInserts((text, params) => pool.query(text, params), RAW_DURATION);
    return { ...r, raw_insert_per_s: raw, appeals_in_db: inDb, warmup_created: warm };
  } finally {
    await pool.end();
  }
}

async function benchPglite() {
  const dataDir = await mkdtemp(join(tmpdir(), 'shaar-bench-'));
  cleanups.push(() => rm(dataDir, { recursive: true, force: true }));
  const pgliteDir = join(dataDir, 'pglite');
  log(`pglite: ${pgliteDir}`);
  // PGlite is one process's database: prepare it before the server opens it, measure raw inserts after it closed it.
  const apiKey = await prepareDatabase({ pgliteDir });
  const server = await startServer({ dataDir, nodeArgs: NODE_ARGS });
  cleanups.push(() => server.kill());
  const categoryId = await someCategoryId(server.baseUrl);
  const warm = WARMUP > 0 ? (log(`pglite: warm-up ${WARMUP} s`), await load(server, apiKey, categoryId, WARMUP)).created : 0;
  log(`pglite: ${DURATION} s × ${CONNECTIONS} connections`);
  const r = await load(server, apiKey, categoryId, DURATION);
  await server.kill('SIGTERM');

  const client = await PGlite.create(pgliteDir);
  try {
    const inDb = Number((await client.query<{ n: number }>(`select count(*)::int as n from appeals where source = 'integrator:intake benchmark'`)).rows[0]!.n);
    log(`pglite: raw inserts ${RAW_DURATION} s × ${CONNECTIONS} loops over its single connection`);
    const raw = await rawInserts((text, params) => client.query(text, params), RAW_DURATION);
    return { ...r, raw_insert_per_s: raw, appeals_in_db: inDb, warmup_created: warm };
  } finally {
    await client.close();
  }
}

try {
  ensureBuilt();
  for (const db of dbs) {
    const r = db === 'postgres' ? await benchPostgres() : await benchPglite();
    await cleanUp();
    process.stdout.write(`${JSON.stringify({
      bench: 'intake', db, appeals_per_s: r.appeals_per_s, p99_ms: r.p99_ms, raw_insert_per_s: r.raw_insert_per_s,
      p50_ms: r.p50_ms, created: r.created, warmup_created: r.warmup_created, appeals_in_db: r.appeals_in_db, non2xx: r.non2xx, errors: r.errors, timeouts: r.timeouts,
      statuses: r.statuses, duration_s: r.elapsed_s, connections: CONNECTIONS, raw_duration_s: RAW_DURATION,
      server_pool_max: POOL_MAX ? Number(POOL_MAX) : 'default', cpu_pct_of_one_core: db === 'postgres' ? r.cpu : { ...r.cpu, postgres: undefined },
      note: 'appeals_in_db = warmup_created + created + the requests still in flight when each autocannon run stopped',
    })}\n`);
  }
} catch (err) {
  log('failed:', err);
  process.exitCode = 1;
} finally {
  await cleanUp();
}
