/**
 * Scorecards benchmark (`npm run bench:scorecards`): a city with 50 services and a large registry (1M appeals over
 * two years by default on PostgreSQL), the full roll-up rebuild timed, then the real server answering the public
 * ranking, a service's page with its trend and the staff page to a few concurrent clients.
 *
 * Prints one JSON line per figure on stdout (the rebuild, each route, the worst route); the rest goes to stderr.
 * The routes are measured as pages ask for them (the default period, mostly served from the server's few-second
 * cache) and then with a random period per request, which the server must compute each time.
 *
 *   npm run bench:scorecards -- [--db postgres|pglite] [--appeals N] [--duration 20] [--clients 6] [--warmup 3]
 *                              [--cold-duration 10] [--keep] [--reuse postgres://…/shaar_bench_sc_…] [--profile DIR]
 *
 * PostgreSQL: a fresh database is created from BENCH_DATABASE_URL, DATABASE_URL or
 * postgres://postgres@127.0.0.1:5432/postgres (the admin connection) and dropped at the end. PGlite: a temporary
 * directory (default 50 000 appeals: one embedded connection loads them slowly).
 * The server runs from server/dist as in production; `tsc -b contracts server` brings it up to date first.
 */
import { execSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { sql, type SQL } from 'drizzle-orm';
import {
  createPostgresDatabase, repoRoot, staffLogin, startServer, type ServerProcess, type StaffSession,
} from '../test/support/server-process.js';

const { values: args } = parseArgs({
  options: {
    db: { type: 'string', default: 'postgres' },
    appeals: { type: 'string' },
    duration: { type: 'string', default: '20' },
    clients: { type: 'string', default: '6' },
    warmup: { type: 'string', default: '3' },
    /** Then this long with a new period on every request (the cost when the server's short cache misses). */
    'cold-duration': { type: 'string', default: '10' },
    /** Keep the generated PostgreSQL database (its name is printed) to look into it afterwards. */
    keep: { type: 'boolean', default: false },
    /** Write V8 CPU profiles of the server (node --cpu-prof) into this directory. */
    profile: { type: 'string' },
    /** A database made by an earlier --keep run: measure again without generating (postgres only). */
    reuse: { type: 'string' },
  },
  allowPositionals: false,
});
const DB = args.db as 'postgres' | 'pglite';
if (DB !== 'postgres' && DB !== 'pglite') throw new Error(`--db must be postgres or pglite, not ${args.db}`);
if (args.reuse && DB !== 'postgres') throw new Error('--reuse is for PostgreSQL');
const APPEALS = Number(args.appeals ?? (DB === 'postgres' ? 1_000_000 : 50_000));
const DURATION = Number(args.duration);
const CLIENTS = Number(args.clients);
const WARMUP = Number(args.warmup);
const COLD_DURATION = Number(args['cold-duration']);
for (const [name, v] of Object.entries({ APPEALS, DURATION, CLIENTS, WARMUP, COLD_DURATION })) {
  if (!Number.isFinite(v) || v < 0) throw new Error(`bad ${name}: ${v}`);
}
const SERVICES = 50;
const EXECUTORS_PER_SERVICE = 4;
const MONTHS = 24;
const CHUNK = 100_000;
const ADMIN_URL = process.env.BENCH_DATABASE_URL || process.env.DATABASE_URL || 'postgres://postgres@127.0.0.1:5432/postgres';
const TZ = 'Asia/Bishkek';

const log = (...parts: unknown[]) => console.error('[bench:scorecards]', ...parts);
const line = (o: Record<string, unknown>) => process.stdout.write(`${JSON.stringify({ bench: 'scorecards', db: DB, appeals: APPEALS, ...o })}\n`);

const cleanups: (() => Promise<unknown>)[] = [];
async function cleanUp() {
  while (cleanups.length) await cleanups.pop()!().catch((err: unknown) => log('cleanup failed:', err));
}
for (const sig of ['SIGINT', 'SIGTERM'] as const) {
  process.once(sig, () => { log(`${sig}: cleaning up`); void cleanUp().finally(() => process.exit(130)); });
}

/** The server runs from its build: bring the build up to date with the sources (incremental, seconds). */
function build() {
  try {
    execSync('npx tsc -b contracts server', { cwd: repoRoot, stdio: ['ignore', 'inherit', 'inherit'] });
  } catch {
    // tsc still writes what compiles; a type error elsewhere must not stop a benchmark of the scorecards.
    log('tsc reported errors; going on with what it emitted');
  }
  if (!existsSync(join(repoRoot, 'server/dist/modules/scorecards/scorecards.routes.js'))) throw new Error('no build of the scorecards');
}

async function timed<T>(what: string, fn: () => Promise<T>): Promise<{ value: T; ms: number }> {
  const t0 = performance.now();
  const value = await fn();
  const ms = Math.round(performance.now() - t0);
  log(`${what}: ${ms} ms`);
  return { value, ms };
}

type Exec = (q: SQL) => Promise<{ rows: Record<string, unknown>[] }>;

/**
 * A city of SERVICES services and EXECUTORS_PER_SERVICE executors each, and APPEALS appeals over MONTHS months up to
 * now, generated in bulk SQL: answers after 1–14 working days (on time) or 15–34 (late), 1.5 % never answered
 * (the old ones overdue), ratings of 30 % of answers, review requests after some low ones, and reopenings.
 */
async function generate(exec: Exec, municipalityId: string, now: Date): Promise<void> {
  const m = municipalityId;
  const nowTs = now.toISOString();
  const today = new Intl.DateTimeFormat('en-CA', { timeZone: TZ }).format(now);
  const existing = Number((await exec(sql`select count(*)::int as n from services where municipality_id = ${m}`)).rows[0]!.n);
  await exec(sql`
    insert into services (municipality_id, code, name, kind)
    select ${m}, 'bench-' || lpad(n::text, 2, '0'),
      jsonb_build_object('ky', 'Кызмат ' || n, 'ru', 'Служба ' || n, 'en', 'Service ' || n), 'department'
    from generate_series(1, ${SERVICES - existing}) n`);
  await exec(sql`
    insert into staff_users (municipality_id, email, full_name, password_hash, roles, service_id)
    select ${m}, 'bench.' || s.code || '.' || k || '@bishkek.example', 'Аткаруучу ' || s.code || '-' || k, 'no-sign-in', '{executor}', s.id
    from services s cross join generate_series(1, ${EXECUTORS_PER_SERVICE}) k where s.municipality_id = ${m}`);
  const [citizen] = (await exec(sql`insert into citizens (email) values (${`bench-${Date.now()}@example.kg`}) returning id`)).rows;
  const [category] = (await exec(sql`select id from categories where municipality_id = ${m} and parent_id is not null order by code limit 1`)).rows;

  for (let lo = 1; lo <= APPEALS; lo += CHUNK) {
    const hi = Math.min(APPEALS, lo + CHUNK - 1);
    await timed(`appeals ${lo}–${hi}`, () => exec(sql`
      with svc as (select array_agg(id order by code) as ids from services where municipality_id = ${m}),
      ex as (select array_agg(u.id order by s.code, u.email) as ids from staff_users u join services s on s.municipality_id = u.municipality_id and s.id = u.service_id
             where u.municipality_id = ${m} and u.password_hash = 'no-sign-in'),
      base as (
        select g,
          -- busier and quieter services: a skewed choice among the 50
          least(floor(power(random(), 1.6) * ${SERVICES})::int, ${SERVICES - 1}) as s, floor(random() * ${EXECUTORS_PER_SERVICE})::int as k,
          -- in registration order, as a real registry grows: a month's appeals sit together on disk
          ${nowTs}::timestamptz - (${APPEALS}::int - g + random()) / ${APPEALS}::int * interval '${sql.raw(String(MONTHS * 30.4))} days' as reg,
          random() as r_answer, random() as r_days, random() as r_close
        from generate_series(${lo}::int, ${hi}::int) g
      ),
      shaped as (
        select *, (reg at time zone ${TZ})::date + 20 as due,
          (case when r_days < 0.88 then 1 + floor(r_days / 0.88 * 14) else 15 + floor((r_days - 0.88) / 0.12 * 20) end)::int as days
        from base
      ),
      answered as (
        select *, case when r_answer < 0.985 and reg + days * interval '1.4 day' < ${nowTs}::timestamptz then reg + days * interval '1.4 day' end as answered_at
        from shaped
      )
      insert into appeals (municipality_id, registration_number, kind, channel, status, subject, body, language, category_id, service_id,
        executor_id, received_at, registered_at, registration_due_date, due_date, original_due_date, answered_at, closed_at,
        submitted_by_kind, escalated_for_due_date, updated_at)
      select ${m}, 'BSK-B-' || lpad(g::text, 8, '0'), (array['complaint', 'statement', 'proposal'])[1 + g % 3], 'web',
        case when answered_at is null then (case when due < ${today}::date then 'in_progress' else 'registered' end)
             when r_close < 0.7 then 'closed' else 'answered' end,
        'Benchmark appeal ' || g, 'Generated for the scorecards benchmark.', 'ru', ${category?.id ?? null}::uuid, svc.ids[s + 1],
        case when answered_at is not null or r_close < 0.6 then ex.ids[s * ${EXECUTORS_PER_SERVICE} + k + 1] end,
        reg, reg, (reg at time zone ${TZ})::date + 1, due, due, answered_at, case when r_close < 0.7 then answered_at end,
        'citizen',
        -- the overdue ones were escalated already: the server's deadline sweep has nothing to catch up on
        case when answered_at is null and due < ${today}::date then due end,
        coalesce(answered_at, reg)
      from answered, svc, ex`));
  }
  await timed('answers', () => exec(sql`
    insert into appeal_answers (municipality_id, appeal_id, body, language, author_id, service_id, due_date, working_days, on_time, created_at)
    select municipality_id, id, 'Generated answer.', 'ru', executor_id, service_id, due_date,
      greatest(0, round(extract(epoch from answered_at - registered_at) / 86400 / 1.4))::int,
      (answered_at at time zone ${TZ})::date <= due_date, answered_at
    from appeals where municipality_id = ${m} and answered_at is not null order by answered_at`));
  await timed('ratings', () => exec(sql`
    insert into answer_ratings (municipality_id, appeal_id, answer_id, citizen_id, service_id, executor_id, overall, solved, clarity, accuracy,
      on_time_felt, created_at, updated_at)
    select municipality_id, appeal_id, id, ${citizen!.id}::uuid, service_id, author_id, overall,
      case when overall >= 4 then 'yes' when overall = 3 then 'partly' else 'no' end, overall, overall, on_time, at, at
    from (
      select *, (case when on_time then 3 + floor(random() * 3) else 1 + floor(random() * 4) end)::int as overall,
        least(created_at + random() * interval '3 days', ${nowTs}::timestamptz) as at
      from appeal_answers where municipality_id = ${m} and random() < 0.3
    ) a order by at`));
  await timed('review requests', () => exec(sql`
    insert into review_requests (municipality_id, appeal_id, answer_id, citizen_id, service_id, reason, status, created_at)
    select municipality_id, appeal_id, answer_id, citizen_id, service_id, 'Generated.', case when random() < 0.5 then 'reopened' else 'closure_confirmed' end,
      least(created_at + interval '1 day', ${nowTs}::timestamptz)
    from answer_ratings where municipality_id = ${m} and overall <= 2 and random() < 0.3 order by created_at`));
  await timed('reopenings', () => exec(sql`
    insert into audit_log (municipality_id, occurred_at, actor_kind, entity_type, entity_id, action, before, after, reason, is_public)
    select municipality_id, least(created_at + interval '2 days', ${nowTs}::timestamptz), 'staff', 'appeal', appeal_id::text, 'reopen',
      '{"status":"closed"}', '{"status":"reopened"}', 'Generated.', true
    from review_requests where municipality_id = ${m} and status = 'reopened'`));
  await timed('analyze', () => exec(sql`analyze`));
}

interface Prepared { municipalityId: string; rebuild: { ms: number; rows: number }; minute: { ms: number } }

/** Migrates and seeds through the server's own build, generates the registry and times the rebuilds. */
async function prepare(options: { databaseUrl?: string; pgliteDir?: string; generated?: boolean }): Promise<Prepared> {
  const { openDatabase } = await import('../dist/platform/db/database.js');
  const { seedDemo } = await import('../dist/demo/seed-demo.js');
  const { systemClock } = await import('../dist/platform/clock.js');
  const { rebuildAllScorecards, recentMonths, refreshScorecards } = await import('../dist/modules/scorecards/scorecard-refresh.js');
  // One connection: setseed-free random data needs no session, but the bulk statements run one after another anyway.
  const database = await openDatabase({ databaseUrl: options.databaseUrl, pgliteDir: options.pgliteDir, poolMax: 1 });
  try {
    await seedDemo(database.db);
    const exec: Exec = async (q) => (await database.db.execute(q)) as unknown as { rows: Record<string, unknown>[] };
    const municipalityId = String((await exec(sql`select id from municipalities where slug = 'bishkek'`)).rows[0]!.id);
    if (!options.generated) {
      const total = await timed(`generating ${APPEALS} appeals`, () => generate(exec, municipalityId, systemClock.now()));
      log(`generated in ${Math.round(total.ms / 1000)} s`);
    }
    const full = await timed('full rebuild', () => rebuildAllScorecards(database.db, systemClock, municipalityId, TZ));
    const { from, to } = recentMonths(systemClock.now(), TZ);
    const minute = await timed('minute refresh (two months)', () => refreshScorecards(database.db, municipalityId, TZ, from, to));
    return { municipalityId, rebuild: { ms: full.ms, rows: full.value.rows }, minute: { ms: minute.ms } };
  } finally {
    await database.close();
  }
}

interface RouteStats { latencies: number[]; errors: number }

/**
 * A query string for a period: the default one (as the pages ask), or with `cold` a random period of the last two
 * years each time, which the server has not computed yet (its short cache misses): the cost without the cache.
 */
function periodQuery(cold: boolean, now: Date): string {
  if (!cold) return '';
  const month = (back: number) => {
    const d = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth() - back, 1));
    return `${d.getUTCFullYear()}-${String(d.getUTCMonth() + 1).padStart(2, '0')}`;
  };
  const a = Math.floor(Math.random() * MONTHS);
  const b = Math.floor(Math.random() * MONTHS);
  return `?from=${month(Math.max(a, b))}&to=${month(Math.min(a, b))}`;
}

/** CLIENTS loops for `seconds`, each sending the three routes in turn; latencies per route. */
async function load(server: ServerProcess, supervisor: StaffSession, serviceIds: string[], seconds: number, cold = false) {
  const now = new Date();
  const routes: Record<string, () => { url: string; headers?: Record<string, string> }> = {
    'GET /scorecards': () => ({ url: `/api/v1/m/bishkek/scorecards${periodQuery(cold, now)}` }),
    'GET /scorecards/services/:id': () => ({
      url: `/api/v1/m/bishkek/scorecards/services/${serviceIds[Math.floor(Math.random() * serviceIds.length)]}${periodQuery(cold, now)}`,
    }),
    'GET /staff-scorecards': () => ({ url: `/api/v1/m/bishkek/staff-scorecards${periodQuery(cold, now)}`, headers: supervisor.headers }),
  };
  const names = Object.keys(routes);
  const stats: Record<string, RouteStats> = Object.fromEntries(names.map((n) => [n, { latencies: [], errors: 0 }]));
  const until = performance.now() + seconds * 1000;
  await Promise.all(Array.from({ length: CLIENTS }, async (_, client) => {
    for (let i = client; performance.now() < until; i++) {
      const name = names[i % names.length]!;
      const { url, headers } = routes[name]!();
      const t0 = performance.now();
      try {
        const res = await fetch(server.baseUrl + url, { headers: headers ?? {} });
        await res.arrayBuffer();
        if (res.status === 200) stats[name]!.latencies.push(performance.now() - t0);
        else stats[name]!.errors++;
      } catch {
        stats[name]!.errors++;
      }
    }
  }));
  return stats;
}

const quantile = (sorted: number[], p: number) => (sorted.length === 0 ? NaN : sorted[Math.min(sorted.length - 1, Math.ceil(p * sorted.length) - 1)]!);
const ms = (x: number) => Math.round(x * 10) / 10;

try {
  build();
  const dataDir = await mkdtemp(join(tmpdir(), 'shaar-bench-scorecards-'));
  cleanups.push(() => rm(dataDir, { recursive: true, force: true }));
  let databaseUrl: string | undefined;
  if (args.reuse) {
    databaseUrl = args.reuse;
    log(`reusing ${databaseUrl}`);
  } else if (DB === 'postgres') {
    const created = await createPostgresDatabase(ADMIN_URL, 'shaar_bench_sc');
    if (!args.keep) cleanups.push(() => created.drop());
    databaseUrl = created.url;
    log(`postgres: database ${created.name}`);
  } else {
    log(`pglite: ${join(dataDir, 'pglite')}`);
  }
  const prepared = await prepare(databaseUrl ? { databaseUrl, generated: Boolean(args.reuse) } : { pgliteDir: join(dataDir, 'pglite') });
  line({ services: SERVICES, figure: 'full_rebuild', ms: prepared.rebuild.ms, rows: prepared.rebuild.rows, months: MONTHS + 1 });
  line({ services: SERVICES, figure: 'minute_refresh', ms: prepared.minute.ms, months: 2 });

  const server = await startServer({ dataDir, databaseUrl, nodeArgs: args.profile ? ['--cpu-prof', '--cpu-prof-dir', args.profile] : [] });
  cleanups.push(() => server.kill());
  const supervisor = await staffLogin(server.baseUrl, 'supervisor@bishkek.example');
  const city = await (await fetch(`${server.baseUrl}/api/v1/m/bishkek`)).json() as { services: { id: string }[] };
  const serviceIds = city.services.map((s) => s.id);
  if (serviceIds.length !== SERVICES) log(`note: ${serviceIds.length} active services, not ${SERVICES}`);
  if (WARMUP > 0) { log(`warm-up ${WARMUP} s`); await load(server, supervisor, serviceIds, WARMUP); }
  log(`${DURATION} s × ${CLIENTS} clients`);
  const stats = await load(server, supervisor, serviceIds, DURATION);
  let cold: Awaited<ReturnType<typeof load>> | null = null;
  if (COLD_DURATION > 0) {
    log(`${COLD_DURATION} s × ${CLIENTS} clients, a new period each time (no cache)`);
    cold = await load(server, supervisor, serviceIds, COLD_DURATION, true);
  }
  await server.kill('SIGTERM');

  const report = (all: Awaited<ReturnType<typeof load>>, extra: Record<string, unknown>) => {
    let worst = 0;
    for (const [route, s] of Object.entries(all)) {
      const sorted = s.latencies.sort((a, b) => a - b);
      const p95 = quantile(sorted, 0.95);
      worst = Math.max(worst, p95);
      line({ services: serviceIds.length, route, p95_ms: ms(p95), p50_ms: ms(quantile(sorted, 0.5)), requests: sorted.length, errors: s.errors, clients: CLIENTS, ...extra });
    }
    return worst;
  };
  const worst = report(stats, { duration_s: DURATION });
  const worstCold = cold ? report(cold, { duration_s: COLD_DURATION, period: 'random, uncached' }) : null;
  line({ p95_ms: ms(worst), goal_p95_ms: 300, ...(worstCold !== null ? { p95_ms_uncached: ms(worstCold) } : {}) });
} catch (err) {
  log('failed:', err);
  process.exitCode = 1;
} finally {
  await cleanUp();
}
