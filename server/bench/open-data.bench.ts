/**
 * Open-data refresh benchmark (`npm run bench:open-data`): a fresh PostgreSQL database with N appeals (1M by
 * default; answers for most, ratings for some, points for all), then one full refresh of the open-data files
 * timed, with the process's peak memory sampled while it runs — the refresh streams in batches, so memory must
 * stay flat whatever N is.
 *
 *   npm run bench:open-data -- [--appeals N]
 *
 * Prints one JSON line per figure on stdout; progress goes to stderr. The database is dropped at the end.
 */
import { mkdtemp, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { sql } from 'drizzle-orm';
import { createPostgresDatabase } from '../test/support/server-process.js';
import { openDatabase } from '../src/platform/db/database.js';
import { seedDemo } from '../src/demo/seed-demo.js';
import { writeOpenData, openDataDir } from '../src/modules/open-data/open-data.files.js';
import { OpenDataSecrets } from '../src/modules/open-data/open-data.secrets.js';

const { values: args } = parseArgs({ options: { appeals: { type: 'string', default: '1000000' } } });
const APPEALS = Number(args.appeals);
if (!Number.isInteger(APPEALS) || APPEALS < 1) throw new Error(`bad --appeals ${args.appeals}`);
const ADMIN_URL = process.env.BENCH_DATABASE_URL || process.env.DATABASE_URL || 'postgres://postgres@127.0.0.1:5432/postgres';
const TZ = 'Asia/Bishkek';
const CHUNK = 100_000;
const log = (...parts: unknown[]) => console.error('[bench:open-data]', ...parts);
const line = (o: Record<string, unknown>) => process.stdout.write(`${JSON.stringify({ bench: 'open-data', db: 'postgres', appeals: APPEALS, ...o })}\n`);

const pg = await createPostgresDatabase(ADMIN_URL, 'shaar_bench_od');
const dataDir = await mkdtemp(join(tmpdir(), 'shaar-bench-od-'));
const database = await openDatabase({ databaseUrl: pg.url, poolMax: 2 });
try {
  await seedDemo(database.db);
  const exec = async (q: ReturnType<typeof sql>) => (await database.db.execute(q)) as unknown as { rows: Record<string, unknown>[] };
  const [city] = (await exec(sql`select id, slug, timezone, name from municipalities where slug = 'bishkek'`)).rows as Array<{ id: string; slug: string; timezone: string; name: { ky: string; ru: string; en: string } }>;
  const m = city!.id;
  const now = new Date();
  const started = performance.now();
  for (let lo = 1; lo <= APPEALS; lo += CHUNK) {
    const hi = Math.min(APPEALS, lo + CHUNK - 1);
    await exec(sql`
      with c as (select array_agg(id order by code) ids from categories where municipality_id = ${m} and parent_id is not null),
      d as (select array_agg(id order by code) ids from districts where municipality_id = ${m}),
      s as (select array_agg(id order by code) ids from services where municipality_id = ${m}),
      base as (select g, ${now.toISOString()}::timestamptz - (${APPEALS}::int - g + random()) / ${APPEALS}::int * interval '730 days' reg from generate_series(${lo}::int, ${hi}::int) g)
      insert into appeals (municipality_id, registration_number, kind, channel, status, subject, body, language, category_id, district_id,
        service_id, lat, lon, received_at, registered_at, registration_due_date, due_date, original_due_date, answered_at, closed_at, submitted_by_kind)
      select ${m}, 'BSK-OD-' || lpad(g::text, 8, '0'), (array['complaint','statement','proposal'])[1 + g % 3],
        (array['web','in_person','phone','letter','mobile_app'])[1 + g % 5], case when g % 10 < 8 then 'closed' else 'registered' end,
        'Benchmark appeal', 'Generated for the open-data benchmark.', 'ru',
        c.ids[1 + g % array_length(c.ids, 1)], d.ids[1 + g % array_length(d.ids, 1)], s.ids[1 + g % array_length(s.ids, 1)],
        42.80 + random() * 0.12, 74.50 + random() * 0.20, reg, reg, (reg at time zone ${TZ})::date + 1, (reg at time zone ${TZ})::date + 20,
        (reg at time zone ${TZ})::date + 20, case when g % 10 < 8 then reg + interval '9 days' end, case when g % 10 < 8 then reg + interval '10 days' end, 'citizen'
      from base, c, d, s`);
    log(`appeals ${hi}`);
  }
  const [author] = (await exec(sql`select id from staff_users where municipality_id = ${m} limit 1`)).rows;
  await exec(sql`insert into appeal_answers (municipality_id, appeal_id, body, language, author_id, service_id, due_date, working_days, on_time, created_at)
    select municipality_id, id, 'Generated.', 'ru', ${author!.id}::uuid, service_id, due_date, 7, true, answered_at from appeals where municipality_id = ${m} and answered_at is not null`);
  const [citizen] = (await exec(sql`insert into citizens (email) values ('bench-od@example.kg') returning id`)).rows;
  await exec(sql`insert into answer_ratings (municipality_id, appeal_id, answer_id, citizen_id, service_id, overall, solved, clarity, accuracy, on_time_felt, comment)
    select municipality_id, appeal_id, id, ${citizen!.id}::uuid, service_id, 1 + (abs(hashtext(id::text)) % 5), 'yes', 4, 4, true, 'Generated.'
    from appeal_answers where municipality_id = ${m} and random() < 0.3`);
  await exec(sql`analyze`);
  log(`generated in ${Math.round((performance.now() - started) / 1000)} s`);

  let peakRss = process.memoryUsage().rss;
  const baseRss = peakRss;
  const sampler = setInterval(() => { peakRss = Math.max(peakRss, process.memoryUsage().rss); }, 100);
  const t0 = performance.now();
  const result = await writeOpenData(database.db, city!, new OpenDataSecrets('bench-secret-0123456789'), dataDir, now, 'http://127.0.0.1/bench');
  const ms = performance.now() - t0;
  clearInterval(sampler);
  const csv = await stat(join(openDataDir(dataDir, 'bishkek'), 'appeals.csv'));
  line({ figure: 'refresh_ms', value: Math.round(ms) });
  line({ figure: 'refresh_rows_per_s', value: Math.round(result.rows / (ms / 1000)) });
  line({ figure: 'rows', value: result.rows });
  line({ figure: 'csv_mb', value: Math.round(csv.size / 1e5) / 10 });
  line({ figure: 'rss_growth_mb', value: Math.round((peakRss - baseRss) / 1e5) / 10 });
} finally {
  await database.close();
  await pg.drop();
  await rm(dataDir, { recursive: true, force: true });
}
