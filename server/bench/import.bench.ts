/**
 * Import benchmark (`npm run bench:import`): a reception journal of 1,000,000 rows (a few % of them bad) written
 * to a temporary CSV or XLSX file, uploaded through the real server's import route on a fresh PostgreSQL database,
 * timed, with the server's peak resident memory (VmHWM from /proc, or sampled RSS where there is no /proc).
 *
 * The XLSX is shaped as Excel saves a journal: every text in the shared-string table (so 2M+ entries: each row's
 * number and description are unique), dates as date-styled serials, coordinates as numbers.
 *
 * Prints {"bench":"import","format":…,"rows":…,"seconds":…,"peak_rss_mb":…,…} on stdout; progress goes to stderr.
 * Goal: ≤ 120 s and ≤ 300 MB.
 *
 *   npm run bench:import -- [--format csv|xlsx] [--rows 1000000] [--bad-percent 3] [--keep]
 *
 * PostgreSQL: a fresh database is created from BENCH_DATABASE_URL, DATABASE_URL or
 * postgres://postgres@127.0.0.1:5432/postgres and dropped at the end. The server runs from server/dist; `tsc -b
 * contracts server` brings it up to date first.
 */
import { execSync } from 'node:child_process';
import { createReadStream, createWriteStream, existsSync } from 'node:fs';
import { mkdtemp, readFile, rm, stat } from 'node:fs/promises';
import { once } from 'node:events';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { parseArgs } from 'node:util';
import { pipeline } from 'node:stream/promises';
import { createPostgresDatabase, repoRoot, staffLogin, startServer } from '../test/support/server-process.js';
import { excelSerial, STYLE, workbookParts, xmlEscape, zipStream } from '../src/modules/imports/xlsx-test-writer.js';

const { values: args } = parseArgs({
  options: {
    format: { type: 'string', default: 'csv' },
    rows: { type: 'string', default: '1000000' },
    'bad-percent': { type: 'string', default: '3' },
    keep: { type: 'boolean', default: false },
  },
  allowPositionals: false,
});
const FORMAT = args.format;
if (FORMAT !== 'csv' && FORMAT !== 'xlsx') throw new Error(`bad --format: ${args.format} (csv or xlsx)`);
const ROWS = Number(args.rows);
const BAD_PERCENT = Number(args['bad-percent']);
if (!Number.isInteger(ROWS) || ROWS < 1) throw new Error(`bad --rows: ${args.rows}`);
if (!Number.isFinite(BAD_PERCENT) || BAD_PERCENT < 0 || BAD_PERCENT > 100) throw new Error(`bad --bad-percent: ${args['bad-percent']}`);
const ADMIN_URL = process.env.BENCH_DATABASE_URL || process.env.DATABASE_URL || 'postgres://postgres@127.0.0.1:5432/postgres';

const log = (...parts: unknown[]) => console.error('[bench:import]', ...parts);

const cleanups: (() => Promise<unknown>)[] = [];
async function cleanUp() {
  while (cleanups.length) await cleanups.pop()!().catch((err: unknown) => log('cleanup failed:', err));
}
for (const sig of ['SIGINT', 'SIGTERM'] as const) {
  process.once(sig, () => { log(`${sig}: cleaning up`); void cleanUp().finally(() => process.exit(130)); });
}

const CATEGORIES: Record<string, string> = {
  'Ямы на дорогах': 'roads.pothole', 'Дворовые дороги': 'roads.courtyard', 'Тротуары': 'roads.sidewalk', 'Вывоз мусора': 'cleaning.rubbish',
  'Уборка улиц': 'cleaning.street', 'Снег': 'cleaning.snow', 'Деревья': 'greenery.tree', 'Освещение': 'lighting.off', 'Лифты': 'lifts.broken',
  'Отопление': 'heating.cold', 'Горячая вода': 'heating.hotwater', 'Водоснабжение': 'water.none', 'Канализация': 'water.sewer',
  'Электричество': 'electricity.outage', 'Маршруты': 'transport.route',
};
const DISTRICTS: Record<string, string> = { 'Ленинский': 'leninsky', 'Октябрьский': 'oktyabrsky', 'Первомайский': 'pervomaisky', 'Свердловский': 'sverdlovsky' };
const KINDS: Record<string, string> = { 'заявление': 'statement', 'жалоба': 'complaint', 'предложение': 'proposal' };
const STREETS = ['ул. Киевская', 'пр. Чуй', 'ул. Токтогула', 'ул. Московская', 'пр. Манаса', 'ул. Ахунбаева', 'ул. Боконбаева', 'мкр. Джал', 'мкр. Асанбай'];
const NAMES = ['Асанов Бакыт', 'Иванова Мария', 'Токтогулова Айгуль', 'Садыков Нурлан', 'Петров Сергей'];

const MAPPING = {
  delimiter: ';', language: 'ru', externalId: 'Рег. №',
  receivedAt: { column: 'Дата поступления', format: 'DD.MM.YYYY HH:mm' },
  registeredAt: { column: 'Дата регистрации', format: 'DD.MM.YYYY' },
  kind: { column: 'Вид обращения', values: KINDS },
  category: { column: 'Тематика', values: CATEGORIES },
  district: { column: 'Район', values: DISTRICTS },
  address: { column: 'Адрес' },
  location: { lat: 'Широта', lon: 'Долгота' },
  subject: { template: '{Тематика}: {Адрес}' },
  body: { column: 'Краткое содержание' },
  closedAt: { column: 'Снято с контроля', format: 'DD.MM.YYYY' },
  applicantName: 'Заявитель',
};
const HEADER = ['Рег. №', 'Дата поступления', 'Дата регистрации', 'Вид обращения', 'Тематика', 'Район', 'Адрес', 'Широта', 'Долгота', 'Краткое содержание', 'Снято с контроля', 'Заявитель'];

/** A seeded generator: the same file every run. */
function rng(seed: number) {
  let s = seed >>> 0;
  return () => { s = (s + 0x6d2b79f5) >>> 0; let t = s; t = Math.imul(t ^ (t >>> 15), t | 1); t ^= t + Math.imul(t ^ (t >>> 7), t | 61); return ((t ^ (t >>> 14)) >>> 0) / 4294967296; };
}
const pad = (n: number) => String(n).padStart(2, '0');
const ddmmyyyy = (d: Date) => `${pad(d.getUTCDate())}.${pad(d.getUTCMonth() + 1)}.${d.getUTCFullYear()}`;

interface JournalRow {
  id: string; received: Date; registered: Date; closed: Date | null; kind: string; category: string; district: string;
  street: string; lat: string; lon: string; body: string; applicant: string;
  /** A bad value written instead of the good one, by column index of HEADER. */
  bad: { column: number; text: string } | null;
}

/** The journal's rows, the same every run (and the same for CSV and XLSX). */
function* journal(): Generator<JournalRow> {
  const rand = rng(20260601);
  const pick = <T>(xs: readonly T[]) => xs[Math.floor(rand() * xs.length)]!;
  const cats = Object.keys(CATEGORIES);
  const dists = Object.keys(DISTRICTS);
  const kinds = Object.keys(KINDS);
  const start = Date.UTC(2019, 0, 1);
  const span = Date.UTC(2025, 11, 31) - start;
  for (let i = 1; i <= ROWS; i++) {
    const received = new Date(start + Math.floor(rand() * span));
    const registered = new Date(received.getTime() + Math.floor(rand() * 3) * 86_400_000);
    const closed = rand() < 0.8 ? new Date(registered.getTime() + (1 + Math.floor(rand() * 20)) * 86_400_000) : null;
    const street = `${pick(STREETS)} ${1 + Math.floor(rand() * 200)}`;
    const row: JournalRow = {
      id: `ЖП-${i}`, received, registered, closed, kind: pick(kinds), category: pick(cats), district: pick(dists), street,
      lat: (42.82 + rand() * 0.1).toFixed(5), lon: (74.52 + rand() * 0.16).toFixed(5),
      body: `Прошу принять меры: ${street}; проблема повторяется, "срочно" (строка ${i})`, applicant: rand() < 0.3 ? pick(NAMES) : '', bad: null,
    };
    if (rand() * 100 < BAD_PERCENT) {
      const k = Math.floor(rand() * 4);
      row.bad = k === 0 ? { column: 1, text: '31.02.2020 10:00' } : k === 1 ? { column: 4, text: 'Прочее' } : k === 2 ? { column: 0, text: '' } : { column: 7, text: '142.87000' };
    }
    yield row;
  }
}

/** Writes text to a stream in 1 MB pieces, waiting when it is full. */
function bufferedWriter(out: NodeJS.WritableStream) {
  let buf = '';
  return {
    async write(text: string) { buf += text; if (buf.length > 1 << 20) { if (!out.write(buf)) await once(out, 'drain'); buf = ''; } },
    async end() { out.end(buf); await once(out, 'finish'); },
  };
}

async function writeCsv(path: string): Promise<number> {
  const out = bufferedWriter(createWriteStream(path));
  let bad = 0;
  await out.write(`\uFEFF${HEADER.join(';')}\r\n`);
  for (const r of journal()) {
    const cols = [
      r.id, `${ddmmyyyy(r.received)} ${pad(r.received.getUTCHours())}:${pad(r.received.getUTCMinutes())}`, ddmmyyyy(r.registered), r.kind,
      r.category, r.district, r.street, r.lat, r.lon, `"${r.body.replaceAll('"', '""')}"`, r.closed ? ddmmyyyy(r.closed) : '', r.applicant,
    ];
    if (r.bad) { bad++; cols[r.bad.column] = r.bad.text; }
    await out.write(`${cols.join(';')}\r\n`);
  }
  await out.end();
  return bad;
}

/**
 * The sheet and the shared strings are written side by side to two temporary files (a value seen before reuses its
 * index; the unique ones — numbers, descriptions — always get a new one, as Excel would), then zipped, streaming.
 */
async function writeXlsx(path: string, dir: string): Promise<number> {
  const sheetPath = join(dir, 'sheet.xml');
  const stringsPath = join(dir, 'strings.xml');
  const sheet = bufferedWriter(createWriteStream(sheetPath));
  const strings = bufferedWriter(createWriteStream(stringsPath));
  const repeated = new Map<string, number>();
  let count = 0;
  const fresh = async (text: string) => { await strings.write(`<si><t>${xmlEscape(text)}</t></si>`); return count++; };
  const shared = async (text: string) => {
    let i = repeated.get(text);
    if (i === undefined) { i = await fresh(text); repeated.set(text, i); }
    return i;
  };
  const letters = 'ABCDEFGHIJKL';
  let bad = 0;
  let line = '<row r="1">';
  for (let c = 0; c < HEADER.length; c++) line += `<c r="${letters[c]}1" t="s"><v>${await shared(HEADER[c]!)}</v></c>`;
  await sheet.write(`${line}</row>`);
  const minute = (d: Date) => excelSerial(Math.floor(d.getTime() / 60_000) * 60_000);
  const day = (d: Date) => Math.floor(excelSerial(d.getTime()));
  let n = 1;
  for (const r of journal()) {
    n++;
    // [column, cell xml without the reference]: text shared, dates styled, coordinates numbers; empty cells absent.
    const cells: (string | null)[] = [
      `t="s"><v>${await fresh(r.id)}</v>`, `s="${STYLE.dateTime}"><v>${minute(r.received)}</v>`, `s="${STYLE.date}"><v>${day(r.registered)}</v>`,
      `t="s"><v>${await shared(r.kind)}</v>`, `t="s"><v>${await shared(r.category)}</v>`, `t="s"><v>${await shared(r.district)}</v>`,
      `t="s"><v>${await shared(r.street)}</v>`, `><v>${r.lat}</v>`, `><v>${r.lon}</v>`, `t="s"><v>${await fresh(r.body)}</v>`,
      r.closed ? `s="${STYLE.date}"><v>${day(r.closed)}</v>` : null, r.applicant ? `t="s"><v>${await shared(r.applicant)}</v>` : null,
    ];
    if (r.bad) {
      bad++;
      cells[r.bad.column] = r.bad.text === '' ? null : /^[\d.]+$/.test(r.bad.text) ? `><v>${r.bad.text}</v>` : `t="s"><v>${await shared(r.bad.text)}</v>`;
    }
    line = `<row r="${n}">`;
    for (let c = 0; c < cells.length; c++) if (cells[c] !== null) line += `<c r="${letters[c]}${n}" ${cells[c]}</c>`;
    await sheet.write(`${line}</row>`);
  }
  await sheet.end();
  await strings.end();
  const fileText = (p: string) => createReadStream(p, { encoding: 'utf8', highWaterMark: 1 << 20 }) as AsyncIterable<string>;
  await pipeline(zipStream(workbookParts({ sheets: [fileText(sheetPath)], sharedStrings: fileText(stringsPath) })), createWriteStream(path));
  await rm(sheetPath);
  await rm(stringsPath);
  log(`${count} shared strings`);
  return bad;
}

/** The server's peak resident memory so far, in MB: VmHWM where /proc exists. */
async function peakRssMb(pid: number): Promise<number | null> {
  try {
    const status = await readFile(`/proc/${pid}/status`, 'utf8');
    const kb = /VmHWM:\s+(\d+)\s+kB/.exec(status)?.[1];
    return kb ? Math.round(Number(kb) / 1024) : null;
  } catch { return null; }
}
function psRssMb(pid: number): number | null {
  try { return Math.round(Number(execSync(`ps -o rss= -p ${pid}`).toString().trim()) / 1024); } catch { return null; }
}

async function main() {
  try {
    execSync('npx tsc -b contracts server', { cwd: repoRoot, stdio: ['ignore', 'inherit', 'inherit'] });
  } catch {
    // tsc still writes what compiles; a type error elsewhere must not stop a benchmark of the import.
    log('tsc reported errors; going on with what it emitted');
  }
  if (!existsSync(join(repoRoot, 'server/dist/modules/imports/imports.routes.js'))) throw new Error('no build of the imports');
  const dir = await mkdtemp(join(tmpdir(), 'shaar-bench-import-'));
  cleanups.push(() => rm(dir, { recursive: true, force: true }));
  const fileName = `journal.${FORMAT}`;
  const file = join(dir, fileName);
  let t0 = Date.now();
  const bad = FORMAT === 'xlsx' ? await writeXlsx(file, dir) : await writeCsv(file);
  const size = (await stat(file)).size;
  log(`wrote ${ROWS} rows (${bad} bad, ${(size / 1024 ** 2).toFixed(0)} MB) in ${((Date.now() - t0) / 1000).toFixed(1)} s`);

  const db = await createPostgresDatabase(ADMIN_URL, 'shaar_bench_im');
  if (!args.keep) cleanups.push(() => db.drop());
  else log(`keeping database ${db.name}`);
  const nodeArgs = process.env.BENCH_NODE_ARGS ? process.env.BENCH_NODE_ARGS.split(' ') : [];
  const server = await startServer({ dataDir: join(dir, 'data'), databaseUrl: db.url, nodeArgs });
  cleanups.push(() => server.kill());
  const pid = server.child.pid!;
  const admin = await staffLogin(server.baseUrl, 'admin@bishkek.example');
  const base = `${server.baseUrl}/api/v1/m/bishkek/admin/imports`;
  const created = await fetch(`${base}/sources`, {
    method: 'POST', headers: { ...admin.headers, 'content-type': 'application/json' },
    body: JSON.stringify({ code: 'journal-bench', name: 'Журнал приёма (бенчмарк)', channel: 'in_person', mapping: MAPPING }),
  });
  if (created.status !== 201) throw new Error(`create source: ${created.status} ${await created.text()}`);
  const source = await created.json() as { id: string };
  const baseline = await peakRssMb(pid) ?? psRssMb(pid);
  log(`server up (pid ${pid}, ${baseline} MB); uploading`);

  let sampled = 0;
  const sampler = setInterval(() => { const mb = psRssMb(pid); if (mb !== null && mb > sampled) sampled = mb; }, 250);
  const boundary = `----shaar-bench-${Date.now()}`;
  async function* body() {
    const type = FORMAT === 'xlsx' ? 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet' : 'text/csv';
    yield Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="${fileName}"\r\nContent-Type: ${type}\r\n\r\n`);
    for await (const chunk of createReadStream(file, { highWaterMark: 1 << 20 })) yield chunk as Buffer;
    yield Buffer.from(`\r\n--${boundary}--\r\n`);
  }
  t0 = Date.now();
  const res = await fetch(`${base}/sources/${source.id}/runs?dryRun=false`, {
    method: 'POST', headers: { ...admin.headers, 'content-type': `multipart/form-data; boundary=${boundary}` },
    body: Readable.toWeb(Readable.from(body())) as ReadableStream, duplex: 'half',
  } as RequestInit & { duplex: 'half' });
  const text = await res.text();
  const seconds = (Date.now() - t0) / 1000;
  clearInterval(sampler);
  if (res.status !== 201) throw new Error(`import: ${res.status} ${text}\n${server.output()}`);
  const run = JSON.parse(text) as { status: string; rowsTotal: number; rowsImported: number; rowsExisting: number; rowsRejected: number; failure: string | null };
  const peak = Math.max(await peakRssMb(pid) ?? 0, sampled);
  log(`run: ${JSON.stringify(run)}`);
  if (run.status !== 'done' || run.rowsTotal !== ROWS || run.rowsImported + run.rowsRejected !== ROWS) throw new Error(`unexpected run: ${text}`);
  process.stdout.write(`${JSON.stringify({
    bench: 'import', format: FORMAT, rows: ROWS, seconds: Math.round(seconds * 10) / 10, peak_rss_mb: peak, rejected: run.rowsRejected, bad_rows_written: bad,
    imported: run.rowsImported, file_mb: Math.round(size / 1024 ** 2), rows_per_second: Math.round(ROWS / seconds),
  })}\n`);
  if (nodeArgs.length > 0) log(server.output().slice(-6000));
  await server.kill('SIGTERM');
}

main().then(cleanUp, async (err: unknown) => { log(err); await cleanUp(); process.exit(1); });
