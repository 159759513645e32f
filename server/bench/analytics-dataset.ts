/**
 * The analytics benchmark's registry: N realistic synthetic appeals of Bishkek over ten years (or fewer appeals over
 * the same span), written in chunks so that ten million never sit in memory at once. Each chunk is the synthetic
 * generator with its own seed (ids and accounts differ per chunk); the first chunk carries the planted problems.
 *
 * A kept dataset is reused: PostgreSQL database `shaar_bench_analytics_<N>` (made from the admin URL), or the PGlite
 * directory given. `node --import tsx server/bench/analytics-dataset.ts --db postgres --appeals 10000000` makes one
 * ahead of a benchmark run.
 */
import { parseArgs } from 'node:util';
import pg from 'pg';
import { sql } from 'drizzle-orm';
import { openDatabase, queryRows, type Database } from '../src/platform/db/database.js';
import { seedDemo } from '../src/demo/seed-demo.js';
import { generateSynthetic } from '../src/synthetic/generate.js';
import { loadReference, writeSynthetic } from '../src/synthetic/write.js';

export const ADMIN_URL = process.env.BENCH_DATABASE_URL || process.env.DATABASE_URL || 'postgres://postgres@127.0.0.1:5432/postgres';
const CHUNK = 250_000;
/** Ten years up to yesterday: "ten years of a large city". */
export const SPAN_FROM = '2016-12-01';

const log = (...parts: unknown[]) => console.error('[analytics-dataset]', ...parts);

export function postgresUrlFor(appeals: number): { name: string; url: string } {
  const name = `shaar_bench_analytics_${appeals}`;
  const url = new URL(ADMIN_URL);
  url.pathname = `/${name}`;
  return { name, url: url.toString() };
}

async function ensurePostgresDatabase(name: string): Promise<void> {
  const admin = new pg.Client({ connectionString: ADMIN_URL });
  await admin.connect();
  try {
    const { rows } = await admin.query('select 1 from pg_database where datname = $1', [name]);
    if (rows.length === 0) await admin.query(`create database ${name}`);
  } finally { await admin.end(); }
}

/** Opens (making and filling when needed) the dataset; returns the open database and its municipality id. */
export async function prepareAnalyticsDataset(options: { db: 'postgres' | 'pglite'; appeals: number; pgliteDir?: string; now?: Date }):
Promise<{ database: Database; municipalityId: string; databaseUrl?: string; generatedSeconds: number | null }> {
  let databaseUrl: string | undefined;
  if (options.db === 'postgres') {
    const target = postgresUrlFor(options.appeals);
    await ensurePostgresDatabase(target.name);
    databaseUrl = target.url;
  }
  const database = await openDatabase({ databaseUrl, pgliteDir: options.pgliteDir, poolMax: 4 });
  let ref = await loadReference(database.db, 'bishkek');
  if (!ref) {
    await seedDemo(database.db);
    ref = await loadReference(database.db, 'bishkek');
  }
  if (!ref) throw new Error('no bishkek after seeding the demo');
  const mid = ref.municipality.id;
  const have = async () => Number((await queryRows<{ n: number }>(database.db, sql`
    select count(*)::int as n from appeals where municipality_id = ${mid} and source like 'synthetic:%'`))[0]!.n);
  let present = await have();
  if (present >= options.appeals) {
    log(`reusing ${present} synthetic appeals`);
    return { database, municipalityId: mid, databaseUrl, generatedSeconds: null };
  }
  const now = options.now ?? new Date();
  const to = new Date(now.getTime() - 86_400_000).toISOString().slice(0, 10);
  const started = performance.now();
  // Chunks already written (an interrupted run) are recognised by their seed and skipped.
  for (let chunk = 0; chunk * CHUNK < options.appeals; chunk++) {
    const seed = 9000 + chunk;
    const [done] = await queryRows<{ n: number }>(database.db, sql`
      select count(*)::int as n from appeals where municipality_id = ${mid} and source = ${`synthetic:${seed}`}`);
    if (Number(done!.n) > 0) continue;
    const n = Math.min(CHUNK, options.appeals - chunk * CHUNK);
    const t0 = performance.now();
    const data = generateSynthetic(ref, { appeals: n, seed, from: SPAN_FROM, to, now, planted: chunk === 0 ? 6 : 0 });
    await writeSynthetic(database.db, ref, data, {
      source: `synthetic:${seed}`, skipForeignKeyChecks: true, concurrency: options.db === 'postgres' ? 2 : 1,
    });
    present += n;
    log(`chunk ${chunk}: ${n} appeals in ${Math.round(performance.now() - t0)} ms (${present}/${options.appeals})`);
  }
  if (options.db === 'postgres') await database.db.execute(sql`analyze`);
  return { database, municipalityId: mid, databaseUrl, generatedSeconds: Math.round((performance.now() - started) / 1000) };
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const { values } = parseArgs({ options: { db: { type: 'string', default: 'postgres' }, appeals: { type: 'string', default: '10000000' }, dir: { type: 'string' } } });
  const db = values.db as 'postgres' | 'pglite';
  prepareAnalyticsDataset({ db, appeals: Number(values.appeals), pgliteDir: values.dir })
    .then(async ({ database, generatedSeconds }) => {
      process.stdout.write(`${JSON.stringify({ dataset: 'analytics', db, appeals: Number(values.appeals), generated_seconds: generatedSeconds })}\n`);
      await database.close();
    })
    .catch((err: unknown) => { console.error(err); process.exit(1); });
}
