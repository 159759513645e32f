/**
 * Analytics benchmark (`npm run bench:analytics`): a registry of N synthetic appeals over ten years of Bishkek, the
 * cube built whole and then refreshed incrementally (both timed), the naive GROUP BY over the appeals table timed for
 * each dashboard figure, and the real server answering each dashboard endpoint to a few concurrent clients with a
 * random 12-month period per request (so no cache helps).
 *
 *   npm run bench:analytics -- [--db postgres|pglite] [--appeals N] [--requests 120] [--clients 4] [--dir DIR]
 *
 * Prints one JSON line per endpoint on stdout:
 *   {"bench":"analytics","db":…,"appeals":…,"endpoint":…,"p95_ms":…,"naive_ms":…}
 * plus lines for the cube's full build and incremental refresh. PostgreSQL (default 10M appeals): the dataset is kept
 * in database shaar_bench_analytics_<N> and reused by later runs (making 10M takes ~20 min). PGlite (default 1M):
 * --dir keeps the data directory for reuse; otherwise a temporary one is removed at the end.
 */
import { execSync } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { sql, type SQL } from 'drizzle-orm';
import { latLngToCell } from 'h3-js';
import { queryRows, type Database } from '../src/platform/db/database.js';
import { systemClock } from '../src/platform/clock.js';
import { refreshAnalytics } from '../src/modules/analytics/analytics-refresh.js';
import { repoRoot, staffLogin, startServer, type ServerProcess, type StaffSession } from '../test/support/server-process.js';
import { prepareAnalyticsDataset, SPAN_FROM } from './analytics-dataset.js';

const { values: args } = parseArgs({
  options: {
    db: { type: 'string', default: 'postgres' }, appeals: { type: 'string' },
    requests: { type: 'string', default: '120' }, clients: { type: 'string', default: '4' }, dir: { type: 'string' },
  },
});
const DB = args.db as 'postgres' | 'pglite';
if (DB !== 'postgres' && DB !== 'pglite') throw new Error(`--db must be postgres or pglite, not ${args.db}`);
const APPEALS = Number(args.appeals ?? (DB === 'postgres' ? 10_000_000 : 1_000_000));
const REQUESTS = Number(args.requests);
const CLIENTS = Number(args.clients);
const TZ = 'Asia/Bishkek';
const M = '/api/v1/m/bishkek';

const log = (...parts: unknown[]) => console.error('[bench:analytics]', ...parts);
const line = (o: Record<string, unknown>) => process.stdout.write(`${JSON.stringify({ bench: 'analytics', db: DB, appeals: APPEALS, ...o })}\n`);

/** 'YYYY-MM' months of the span, for random 12-month periods. */
function monthsOfSpan(now: Date): string[] {
  const out: string[] = [];
  const [y0, m0] = SPAN_FROM.split('-').map(Number) as [number, number];
  for (let i = (y0 * 12 + m0 - 1); i <= now.getUTCFullYear() * 12 + now.getUTCMonth(); i++) {
    out.push(`${Math.floor(i / 12)}-${String((i % 12) + 1).padStart(2, '0')}`);
  }
  return out;
}
const months = monthsOfSpan(new Date());
/** A random 12-month period inside the span (after its first year, so "previous" comparisons have data too). */
function randomPeriod(): { from: string; to: string } {
  const end = 23 + Math.floor(Math.random() * (months.length - 23));
  return { from: months[end - 11]!, to: months[end]! };
}
/** The naive queries run over the latest full year. */
const naivePeriod = { from: months[months.length - 13]!, to: months[months.length - 2]! };
const bounds = (p: { from: string; to: string }) => sql`a.registered_at >= (${`${p.from}-01`}::date::timestamp at time zone ${TZ})
  and a.registered_at < ((${`${p.to}-01`}::date + interval '1 month')::timestamp at time zone ${TZ})`;

/** The latest answer and rating of each appeal, as the dashboard figures define them. */
const withOutcome = (p: { from: string; to: string }, mid: string) => sql`
  with a as (select a.* from appeals a where a.municipality_id = ${mid} and ${bounds(p)}),
  x as (select distinct on (x.appeal_id) x.appeal_id, x.on_time, x.working_days from appeal_answers x join a on a.id = x.appeal_id
        where x.municipality_id = ${mid} order by x.appeal_id, x.created_at desc),
  r as (select distinct on (r.appeal_id) r.appeal_id, r.overall, r.solved from answer_ratings r join a on a.id = r.appeal_id
        where r.municipality_id = ${mid} order by r.appeal_id, r.created_at desc)`;
const figures = sql`count(*) as appeals, count(x.appeal_id) as answered, count(*) filter (where x.on_time) as on_time,
  avg(x.working_days) as days, avg(r.overall) as rating, count(*) filter (where r.solved = 'yes') as solved`;
const outcomeJoin = sql`from a left join x on x.appeal_id = a.id left join r on r.appeal_id = a.id`;
const month = sql`date_trunc('month', a.registered_at at time zone ${TZ})`;

interface Endpoint { name: string; url: (p: { from: string; to: string }) => string; naive: (mid: string) => SQL[]; jsAfter?: (rows: Record<string, unknown>[]) => void }

const ENDPOINTS: Endpoint[] = [
  {
    name: 'summary', url: (p) => `${M}/analytics/summary?from=${p.from}&to=${p.to}&compare=previous`,
    naive: (mid) => {
      const prev = { from: months[months.length - 25]!, to: months[months.length - 14]! };
      return [sql`${withOutcome(naivePeriod, mid)} select ${figures} ${outcomeJoin}`, sql`${withOutcome(prev, mid)} select ${figures} ${outcomeJoin}`];
    },
  },
  {
    name: 'breakdown_category', url: (p) => `${M}/analytics/breakdown?by=category&from=${p.from}&to=${p.to}&compare=previous`,
    naive: (mid) => [sql`${withOutcome(naivePeriod, mid)} select a.category_id, ${figures} ${outcomeJoin} group by a.category_id`],
  },
  {
    name: 'breakdown_district', url: (p) => `${M}/analytics/breakdown?by=district&from=${p.from}&to=${p.to}`,
    naive: (mid) => [sql`${withOutcome(naivePeriod, mid)} select a.district_id, ${figures} ${outcomeJoin} group by a.district_id`],
  },
  {
    name: 'breakdown_month', url: (p) => `${M}/analytics/breakdown?by=month&from=${p.from}&to=${p.to}`,
    naive: (mid) => [sql`${withOutcome(naivePeriod, mid)} select ${month}, ${figures} ${outcomeJoin} group by 1`],
  },
  {
    name: 'crosstab_category_district', url: (p) => `${M}/analytics/crosstab?rows=category&cols=district&from=${p.from}&to=${p.to}`,
    naive: (mid) => [sql`select a.category_id, a.district_id, count(*) from appeals a where a.municipality_id = ${mid} and ${bounds(naivePeriod)} group by 1, 2`],
  },
  {
    name: 'crosstab_channel_age_band', url: (p) => `${M}/analytics/crosstab?rows=channel&cols=age_band&from=${p.from}&to=${p.to}`,
    naive: (mid) => [sql`select a.channel, d.age_band, count(*) from appeals a join appeal_demographics d on d.municipality_id = a.municipality_id
      and d.appeal_id = a.id where a.municipality_id = ${mid} and ${bounds(naivePeriod)} group by 1, 2`],
  },
  {
    name: 'groups_age_band', url: (p) => `${M}/analytics/groups?by=age_band&from=${p.from}&to=${p.to}`,
    naive: (mid) => [sql`${withOutcome(naivePeriod, mid)} select d.age_band, ${figures} ${outcomeJoin}
      join appeal_demographics d on d.municipality_id = ${mid} and d.appeal_id = a.id group by 1`],
  },
  {
    name: 'map_cells', url: (p) => `${M}/analytics/map/cells?from=${p.from}&to=${p.to}`,
    naive: (mid) => [sql`select a.lat, a.lon, count(*)::int as n from appeals a where a.municipality_id = ${mid} and ${bounds(naivePeriod)}
      and a.lat is not null group by 1, 2`],
    // H3 exists only in JavaScript: the naive figure includes mapping the points to cells.
    jsAfter: (rows) => {
      const cells = new Map<string, number>();
      for (const r of rows) {
        const c = latLngToCell(Number(r.lat), Number(r.lon), 8);
        cells.set(c, (cells.get(c) ?? 0) + Number(r.n));
      }
    },
  },
  {
    name: 'map_districts', url: (p) => `${M}/analytics/map/districts?from=${p.from}&to=${p.to}`,
    naive: (mid) => [sql`select a.district_id, count(*) from appeals a where a.municipality_id = ${mid} and ${bounds(naivePeriod)} group by 1`],
  },
  {
    name: 'public_dashboard', url: (p) => `${M}/public/analytics?from=${p.from}&to=${p.to}`,
    naive: (mid) => [
      sql`${withOutcome(naivePeriod, mid)} select ${figures} ${outcomeJoin}`,
      sql`select c.parent_id, count(*) from appeals a join categories c on c.municipality_id = a.municipality_id and c.id = a.category_id
        where a.municipality_id = ${mid} and ${bounds(naivePeriod)} group by 1`,
      sql`select a.district_id, count(*) from appeals a where a.municipality_id = ${mid} and ${bounds(naivePeriod)} group by 1`,
      sql`select a.channel, count(*) from appeals a where a.municipality_id = ${mid} and ${bounds(naivePeriod)} group by 1`,
      sql`select ${month}, count(*) from appeals a where a.municipality_id = ${mid} and ${bounds(naivePeriod)} group by 1`,
      sql`select a.lat, a.lon, count(*) from appeals a where a.municipality_id = ${mid} and ${bounds(naivePeriod)} and a.lat is not null group by 1, 2`,
    ],
  },
];

/** Each naive figure runs twice; the second (warm cache) run counts — the kindest measure for the naive side. */
async function measureNaive(database: Database, mid: string): Promise<Map<string, number>> {
  const out = new Map<string, number>();
  for (const e of ENDPOINTS) {
    let ms = 0;
    for (let run = 0; run < 2; run++) {
      const t0 = performance.now();
      for (const q of e.naive(mid)) {
        const rows = await queryRows<Record<string, unknown>>(database.db, q);
        e.jsAfter?.(rows);
      }
      ms = performance.now() - t0;
    }
    out.set(e.name, Math.round(ms));
    log(`naive ${e.name}: ${Math.round(ms)} ms`);
  }
  return out;
}

async function measureEndpoint(server: ServerProcess, analyst: StaffSession, e: Endpoint): Promise<{ p95: number; p50: number; errors: number }> {
  const latencies: number[] = [];
  let errors = 0;
  let left = REQUESTS;
  const worker = async () => {
    while (left-- > 0) {
      const t0 = performance.now();
      const res = await fetch(`${server.baseUrl}${e.url(randomPeriod())}`, { headers: analyst.headers });
      await res.arrayBuffer();
      latencies.push(performance.now() - t0);
      if (!res.ok) errors++;
    }
  };
  // A few requests first: the server's first call of a route compiles its serializer.
  for (let i = 0; i < 3; i++) await (await fetch(`${server.baseUrl}${e.url(randomPeriod())}`, { headers: analyst.headers })).arrayBuffer();
  await Promise.all(Array.from({ length: CLIENTS }, worker));
  latencies.sort((a, b) => a - b);
  const q = (p: number) => Math.round(latencies[Math.min(latencies.length - 1, Math.floor(p * latencies.length))]! * 10) / 10;
  return { p95: q(0.95), p50: q(0.5), errors };
}

async function main() {
  try {
    execSync('npx tsc -b contracts server', { cwd: repoRoot, stdio: ['ignore', 'inherit', 'inherit'] });
  } catch {
    // tsc still writes what compiles; a type error elsewhere must not stop a benchmark of the analytics.
    log('tsc reported errors; going on with what it emitted');
  }
  const pgliteDir = DB === 'pglite' ? (args.dir ?? await mkdtemp(join(tmpdir(), 'shaar-bench-analytics-'))) : undefined;
  const cleanups: (() => Promise<unknown>)[] = [];
  if (DB === 'pglite' && !args.dir) cleanups.push(() => rm(pgliteDir!, { recursive: true, force: true }));
  try {
    const { database, municipalityId: mid, databaseUrl, generatedSeconds } = await prepareAnalyticsDataset({
      db: DB, appeals: APPEALS, pgliteDir: pgliteDir ? join(pgliteDir, 'pglite') : undefined,
    });
    let naive: Map<string, number>;
    try {
      if (generatedSeconds !== null) line({ figure: 'generate', seconds: generatedSeconds });
      const full = await refreshAnalytics(database.db, systemClock, mid, TZ, { full: true });
      const [size] = await queryRows<{ n: number }>(database.db, sql`select count(*)::int as n from analytics_months where municipality_id = ${mid}`);
      line({ figure: 'cube_full_build', ms: full.durationMs, months: full.months.length, rows: full.rows, cube_rows: size!.n });
      // A minute's worth of change in a busy city: 2,000 appeals answered or moved on, registered in many months.
      await database.db.execute(sql`update appeals set updated_at = now() where municipality_id = ${mid}
        and id in (select id from appeals where municipality_id = ${mid} and registered_at > now() - interval '120 days' order by random() limit 2000)`);
      const incremental = await refreshAnalytics(database.db, systemClock, mid, TZ);
      line({ figure: 'cube_incremental_refresh', ms: incremental.durationMs, months: incremental.months.length, changed_appeals: 2000 });
      naive = await measureNaive(database, mid);
    } finally {
      await database.close();
    }

    const dataDir = await mkdtemp(join(tmpdir(), 'shaar-bench-analytics-server-'));
    cleanups.push(() => rm(dataDir, { recursive: true, force: true }));
    // PGlite: the server opens the same data directory (the bench closed it first).
    const server = await startServer({
      dataDir: pgliteDir ?? dataDir, databaseUrl, env: { JOBS_ENABLED: 'false' }, startTimeoutMs: 600_000,
    });
    cleanups.push(() => server.kill('SIGTERM'));
    const analyst = await staffLogin(server.baseUrl, 'analyst@bishkek.example');
    let worst = 0;
    let worstRatio = Infinity;
    for (const e of ENDPOINTS) {
      const r = await measureEndpoint(server, analyst, e);
      const naiveMs = naive.get(e.name)!;
      worst = Math.max(worst, r.p95);
      worstRatio = Math.min(worstRatio, naiveMs / Math.max(r.p95, 0.1));
      line({ endpoint: e.name, p95_ms: r.p95, naive_ms: naiveMs, p50_ms: r.p50, requests: REQUESTS, clients: CLIENTS, errors: r.errors });
    }
    line({ figure: 'worst', p95_ms: worst, goal_p95_ms: 150, min_speedup: Math.round(worstRatio * 10) / 10, goal_speedup: 10 });
  } finally {
    while (cleanups.length) await cleanups.pop()!().catch((err: unknown) => log('cleanup failed:', err));
  }
}

main().catch((err: unknown) => { console.error(err); process.exit(1); });
