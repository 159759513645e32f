/**
 * `npm run seed:synthetic -- --appeals N --municipality bishkek [--seed 42] [--from 2024-01-01] [--to 2026-10-31]
 *   [--planted K] [--truth FILE] [--batch-size 5000] [--skip-fk-checks]`
 *
 * Writes N realistic appeals into the configured database (DATABASE_URL, else the embedded PGlite under DATA_DIR,
 * as the server uses it), seeding the demo cities first if the municipality does not exist. The planted problems'
 * ground truth goes to a JSON file (default: synthetic-<municipality>-<seed>.truth.json in DATA_DIR). Prints one
 * JSON line with the figures on stdout. --skip-fk-checks (PostgreSQL superuser only) turns the foreign-key
 * triggers off while writing: about twice as fast, for rows that are consistent by construction.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { sql } from 'drizzle-orm';
import { localDate } from '@shaar/contracts';
import { loadConfig } from '../config.js';
import { openDatabase } from '../platform/db/database.js';
import { seedDemo } from '../demo/seed-demo.js';
import { generateSynthetic } from './generate.js';
import { loadReference, writeSynthetic } from './write.js';

const { values: args } = parseArgs({
  options: {
    appeals: { type: 'string', default: '10000' }, municipality: { type: 'string', default: 'bishkek' },
    seed: { type: 'string', default: '42' }, from: { type: 'string', default: '2024-01-01' }, to: { type: 'string' },
    planted: { type: 'string', default: '6' }, truth: { type: 'string' }, 'batch-size': { type: 'string', default: '5000' },
    'skip-fk-checks': { type: 'boolean', default: false },
  },
});

async function main() {
  const config = loadConfig();
  const appeals = wholeNumber('appeals', args.appeals);
  const seed = wholeNumber('seed', args.seed);
  const planted = wholeNumber('planted', args.planted);
  const now = new Date();
  const to = args.to ?? localDate(now, 'Asia/Bishkek');
  for (const [name, v] of [['from', args.from], ['to', to]] as const) {
    if (!/^\d{4}-\d{2}-\d{2}$/.test(v)) throw new Error(`--${name} must be a date YYYY-MM-DD: ${v}`);
  }

  const database = await openDatabase({ databaseUrl: config.databaseUrl, pgliteDir: config.pgliteDir, poolMax: 4 });
  try {
    let ref = await loadReference(database.db, args.municipality);
    if (!ref) {
      process.stderr.write(`municipality ${args.municipality} not found: seeding the demo cities\n`);
      await seedDemo(database.db);
      ref = await loadReference(database.db, args.municipality);
      if (!ref) throw new Error(`no municipality ${args.municipality} (the demo has bishkek and osh)`);
    }
    const started = performance.now();
    const data = generateSynthetic(ref, { appeals, seed, from: args.from, to, now, planted });
    const generated = performance.now();
    await writeSynthetic(database.db, ref, data, {
      batchSize: wholeNumber('batch-size', args['batch-size']), source: `synthetic:${seed}`, skipForeignKeyChecks: args['skip-fk-checks'],
      concurrency: database.kind === 'postgres' ? 2 : 1,
    });
    const seconds = (performance.now() - started) / 1000;
    // Bulk rows carry their own past times, which no incremental refresh looks for: the analytics job rebuilds whole.
    await database.db.execute(sql`delete from analytics_refresh_state where municipality_id = ${ref.municipality.id}`);

    const truthFile = resolve(args.truth ?? resolve(config.dataDir, `synthetic-${args.municipality}-${seed}.truth.json`));
    mkdirSync(dirname(truthFile), { recursive: true });
    writeFileSync(truthFile, `${JSON.stringify({ municipality: args.municipality, seed, from: args.from, to, h3Resolution: 9, planted: data.planted }, null, 2)}\n`);
    process.stderr.write(`${data.appeals.length} appeals, ${data.answers.length} answers, ${data.ratings.length} ratings, `
      + `${data.reviewRequests.length} review requests, ${data.audits.length} reopenings, ${data.planted.length} planted problems → ${truthFile}\n`);
    process.stdout.write(`${JSON.stringify({
      seed: 'synthetic', db: database.kind, appeals: data.appeals.length, seconds: round(seconds),
      generate_seconds: round((generated - started) / 1000), appeals_per_s: Math.round(data.appeals.length / seconds),
    })}\n`);
  } finally {
    await database.close();
  }
}

function wholeNumber(name: string, value: string | undefined): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0) throw new Error(`--${name} must be a whole number: ${value}`);
  return n;
}
const round = (x: number) => Math.round(x * 1000) / 1000;

main().catch((err: unknown) => {
  process.stderr.write(`seed:synthetic failed: ${err instanceof Error ? err.message : String(err)}\n`);
  process.exit(1);
});
