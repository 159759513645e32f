/**
 * One run of an import: the uploaded file streams through the CSV or XLSX reader, each row is checked against the
 * source's mapping, rejected rows are written to import_row_errors, and valid rows go in batches as multi-row
 * INSERTs (one JSON parameter unpacked by json_to_recordset) with registration numbers reserved per batch.
 *
 * Idempotent: rows whose (source, external id) is already in the registry are counted as existing and neither
 * numbered nor inserted; `on conflict … do nothing` covers a run racing another. A dry run does everything but write
 * appeals. Imported appeals carry the source's code and channel; an applicant row only when the file names one
 * (historical records are mostly anonymous), and they are registered by the admin who ran the import.
 */
import { randomUUID } from 'node:crypto';
import v8 from 'node:v8';
import vm from 'node:vm';
import { and, eq, sql } from 'drizzle-orm';
import type { Locale } from '@shaar/contracts';
import { queryRows, type Db } from '../../platform/db/database.js';
import { analyticsRefreshState, importRuns } from '../../platform/db/schema.js';
import { writeAudit, type Actor } from '../../platform/audit.js';
import type { Clock } from '../../platform/clock.js';
import { formatRegistrationNumber } from '../appeals/registration-numbers.js';
import { districtOfPoint, routeToService, type Directory } from '../directory/directory.cache.js';
import { pickRule, type DeadlineRule } from '../deadlines/working-time.js';
import type { WorkingCalendar } from '@shaar/contracts';
import { csvRecords, CsvFormatError } from './csv-stream.js';
import { looksLikeOle, looksLikeXlsx, xlsxRecords, XlsxFormatError, type RecordBatch } from './xlsx-stream.js';
import { compileRow, mappingColumns, ZoneOffsets, type ImportMapping, type ImportRow, type RowError } from './import-mapping.js';
import { rowErrorMessage } from './import-messages.js';

export interface ImportSourceRow { id: string; code: string; channel: string; mapping: ImportMapping }

export interface RunInput {
  db: Db; municipalityId: string; municipalityCode: string; timezone: string; clock: Clock;
  directory: Directory; calendar: WorkingCalendar; rules: DeadlineRule[];
  source: ImportSourceRow; actor: Actor; locale: Locale; dryRun: boolean; fileName: string;
  file: AsyncIterable<Buffer>;
  /** The upload's declared type; with the name and the first bytes it tells XLSX from CSV. */
  mimeType?: string;
  batchSize?: number;
  /** Batches written at once (PGlite runs them one after another anyway). */
  concurrency?: number;
}

export interface RunSummary {
  id: string; status: 'done' | 'failed'; rowsTotal: number; rowsImported: number; rowsExisting: number; rowsRejected: number;
  failure: string | null;
}

/** The file's header lacks columns the mapping reads: nothing was written. */
export class MissingColumnsError extends Error {
  constructor(readonly columns: string[]) { super('missing columns'); }
}

/**
 * A file's rows outlive a young-generation collection (they wait for their batch's INSERT), so V8 promotes them and
 * lets the old generation fill with dead rows up to its own, generous limit before a full collection: a 1M-row file
 * took the server 200 MB over its resting size. The importer asks for a full collection itself once the heap has
 * grown HEAP_SLACK over what it was when the run started (a few tens of ms, every few 10 000 rows).
 */
const HEAP_SLACK = 64 * 1024 ** 2;
let fullGc: (() => void) | null | undefined;
function collectGarbage(): void {
  if (fullGc === undefined) {
    try {
      v8.setFlagsFromString('--expose-gc');
      fullGc = vm.runInNewContext('gc') as () => void;
    } catch { fullGc = null; }
  }
  fullGc?.();
}
const heapUsed = () => v8.getHeapStatistics().used_heap_size;

/** At most this many error rows are stored per run; every rejected row is still counted. */
const MAX_STORED_ERRORS = 200_000;

/**
 * Imports the upload. Before any run is recorded it throws MissingColumnsError (the header lacks a mapped column)
 * or XlsxFormatError (an XLSX that cannot be read, has no worksheet, or is an .xls).
 */
export async function runImport(input: RunInput): Promise<RunSummary> {
  const records = await openRecords(input);
  try {
    return await importRecords(input, records);
  } finally {
    // Ends the reader early on failure too: the XLSX reader deletes its temporary files then.
    await records.return?.(undefined).catch(() => undefined);
  }
}

/** The upload's records: XLSX by its first bytes (a ZIP), name or type; CSV otherwise. */
async function openRecords(input: RunInput): Promise<AsyncIterator<RecordBatch>> {
  const upload = input.file[Symbol.asyncIterator]();
  const head: Buffer[] = [];
  let headLength = 0;
  while (headLength < 8) {
    const next = await upload.next();
    if (next.done) break;
    head.push(next.value);
    headLength += next.value.length;
  }
  const file = (async function* () {
    yield* head;
    for (let next = await upload.next(); !next.done; next = await upload.next()) yield next.value;
  })();
  const first = Buffer.concat(head).subarray(0, 8);
  if (looksLikeOle(first)) throw new XlsxFormatError('legacy_xls', 'an OLE compound file');
  const mapping = input.source.mapping;
  if (looksLikeXlsx(first, input.fileName, input.mimeType)) {
    const dateFormats = new Map<string, string>();
    for (const f of [mapping.receivedAt, mapping.registeredAt, mapping.closedAt]) if (f && !dateFormats.has(f.column)) dateFormats.set(f.column, f.format);
    return xlsxRecords(file, { dateFormats });
  }
  return (async function* () {
    for await (const records of csvRecords(file, { delimiter: mapping.delimiter })) yield { records };
  })();
}

async function importRecords(input: RunInput, records: AsyncIterator<RecordBatch>): Promise<RunSummary> {
  const { db, municipalityId: mid, source, directory } = input;
  const mapping = source.mapping;

  // The header first: a file that does not fit the mapping is refused before any run is recorded.
  let pending: string[][] = [];
  let numbers: number[] | undefined;
  let header: string[] | undefined;
  while (!header) {
    const next = await records.next();
    if (next.done) throw new MissingColumnsError(mappingColumns(mapping));
    header = next.value.records[0];
    pending = next.value.records.slice(1);
    numbers = next.value.rowNumbers?.slice(1);
  }
  const present = new Set(header.map((h) => h.trim()));
  const missing = mappingColumns(mapping).filter((c) => !present.has(c));
  if (missing.length > 0) throw new MissingColumnsError(missing);

  const [run] = await db.insert(importRuns).values({
    municipalityId: mid, sourceId: source.id, fileName: input.fileName.slice(0, 300), dryRun: input.dryRun,
    createdById: input.actor.id, startedAt: input.clock.now(),
  }).returning({ id: importRuns.id });
  const runId = run!.id;

  const categoryIds = new Map([...directory.categories.values()].map((c) => [c.code, c.id]));
  const districtIds = new Map([...directory.districts.values()].map((d) => [d.code, d.id]));
  const toRow = compileRow(mapping, header, {
    categoryIds, districtIds, zone: new ZoneOffsets(input.timezone), nowMs: input.clock.now().getTime(),
    districtOfPoint: (lat, lon) => districtOfPoint(directory, lat, lon),
  });
  const dueDates = new DueDateMemo(input.calendar, input.rules);
  const services = new Map<string, string | null>();
  const serviceOf = (categoryId: string, districtId: string | null) => {
    const key = `${categoryId}/${districtId ?? ''}`;
    let s = services.get(key);
    if (s === undefined) { s = routeToService(directory, categoryId, districtId); services.set(key, s); }
    return s;
  };

  const counts = { total: 0, imported: 0, existing: 0, rejected: 0, storedErrors: 0 };
  const batchSize = input.batchSize ?? 2000;
  let batch: ImportRow[] = [];
  let errorBatch: { row_number: number; column: string | null; code: string; message: string }[] = [];

  const flushErrors = async () => {
    if (errorBatch.length === 0) return;
    const rows = errorBatch.map((e) => ({ municipality_id: mid, run_id: runId, ...e }));
    errorBatch = [];
    await db.execute(sql`insert into import_row_errors (municipality_id, run_id, row_number, "column", code, message)
      select municipality_id, run_id, row_number, "column", code, message
      from json_to_recordset(${JSON.stringify(rows)}::json) as x(municipality_id uuid, run_id uuid, row_number int, "column" text, code text, message text)
      on conflict do nothing`);
  };
  // Batches are written while the next is read: up to `concurrency` at once, each on its own connection.
  const inFlight: Promise<void>[] = [];
  let heapCeiling = heapUsed() + HEAP_SLACK;
  const concurrency = Math.max(1, input.concurrency ?? 2);
  const flush = async () => {
    if (batch.length === 0) return;
    const rows = batch;
    batch = [];
    const write = writeBatch(input, rows, dueDates, serviceOf).then(({ imported, existing }) => {
      counts.imported += imported;
      counts.existing += existing;
    });
    write.catch(() => undefined); // awaited below; this only keeps a failure from counting as unhandled meanwhile
    inFlight.push(write);
    if (inFlight.length >= concurrency) await inFlight.shift();
    if (heapUsed() > heapCeiling) { collectGarbage(); heapCeiling = heapUsed() + HEAP_SLACK; }
  };
  const drain = async () => { while (inFlight.length > 0) await inFlight.shift(); };
  const reject = (rowNumber: number, errs: RowError[]) => {
    counts.rejected++;
    const seen = new Set<string>();
    for (const e of errs) {
      if (seen.has(e.code) || counts.storedErrors >= MAX_STORED_ERRORS) continue;
      seen.add(e.code);
      counts.storedErrors++;
      errorBatch.push({ row_number: rowNumber, column: e.column, code: e.code, message: rowErrorMessage(input.locale, e.code, e.params) });
    }
  };

  let failure: string | null = null;
  try {
    for (;;) {
      for (let k = 0; k < pending.length; k++) {
        counts.total++;
        const out = toRow(pending[k]!);
        // CSV rows are counted; XLSX rows keep the sheet's numbers (empty rows skipped, not renumbered).
        if ('errors' in out) reject(numbers?.[k] ?? counts.total, out.errors);
        else batch.push(out.row);
        if (batch.length >= batchSize) await flush();
        if (errorBatch.length >= batchSize) await flushErrors();
      }
      const next = await records.next();
      if (next.done) break;
      pending = next.value.records;
      numbers = next.value.rowNumbers;
    }
    await flush();
    await drain();
    await flushErrors();
  } catch (err) {
    await Promise.allSettled(inFlight);
    // A broken file (an unclosed quote…) or an upload over the size limit: what was imported stays (a re-run
    // adds only the rest), and the run says why it stopped.
    if (err instanceof CsvFormatError) failure = `${err.code} (row ${err.record - 1})`;
    else if (err instanceof XlsxFormatError) failure = `xlsx_${err.problem}${err.row === null ? '' : ` (row ${err.row})`}`;
    else if ((err as { code?: string }).code === 'FST_REQ_FILE_TOO_LARGE') failure = 'file_too_large';
    else { await finish(db, mid, runId, input, counts, 'failed', 'internal_error').catch(() => undefined); throw err; }
    await flushErrors().catch(() => undefined);
  }
  const status = failure ? 'failed' : 'done';
  await finish(db, mid, runId, input, counts, status, failure);
  return {
    id: runId, status, rowsTotal: counts.total, rowsImported: counts.imported, rowsExisting: counts.existing, rowsRejected: counts.rejected, failure,
  };
}

async function finish(
  db: Db, mid: string, runId: string, input: RunInput, counts: { total: number; imported: number; existing: number; rejected: number },
  status: 'done' | 'failed', failure: string | null,
) {
  await db.transaction(async (tx) => {
    await tx.update(importRuns).set({
      status, failure, rowsTotal: counts.total, rowsImported: counts.imported, rowsExisting: counts.existing, rowsRejected: counts.rejected,
      finishedAt: input.clock.now(),
    }).where(and(eq(importRuns.municipalityId, mid), eq(importRuns.id, runId)));
    // Imported appeals carry past times: the analytics job must rebuild the whole cube, not only recent months.
    if (!input.dryRun && counts.imported > 0) await tx.delete(analyticsRefreshState).where(eq(analyticsRefreshState.municipalityId, mid));
    await writeAudit(tx, {
      municipalityId: mid, actor: input.actor, entityType: 'import_run', entityId: runId, action: input.dryRun ? 'import_dry_run' : 'import',
      after: {
        sourceId: input.source.id, source: input.source.code, status, failure,
        rowsTotal: counts.total, rowsImported: counts.imported, rowsExisting: counts.existing, rowsRejected: counts.rejected,
      },
    });
  });
}

/** Due dates of past appeals by the rule in force when each was registered (the oldest rule before any was). */
class DueDateMemo {
  private readonly memo = new Map<string, string>();
  private readonly oldest: DeadlineRule | null;
  constructor(private readonly calendar: WorkingCalendar, private readonly rules: DeadlineRule[]) {
    this.oldest = [...rules].sort((a, b) => a.effectiveFrom.localeCompare(b.effectiveFrom))[0] ?? null;
  }
  rule(kind: ImportRow['kind'], date: string): DeadlineRule | null {
    return pickRule(this.rules, kind, date) ?? pickRule(this.rules, kind, this.oldest?.effectiveFrom ?? date) ?? this.oldest;
  }
  add(date: string, days: number): string {
    const key = `${date}+${days}`;
    let d = this.memo.get(key);
    if (d === undefined) { d = this.calendar.addWorkingDays(date, days); this.memo.set(key, d); }
    return d;
  }
}

async function writeBatch(
  input: RunInput, rows: ImportRow[], dueDates: DueDateMemo, serviceOf: (c: string, d: string | null) => string | null,
): Promise<{ imported: number; existing: number }> {
  const { db, municipalityId: mid, source } = input;
  // One row per external id (a file may repeat one: the first wins, the rest count as existing).
  const unique = new Map<string, ImportRow>();
  for (const r of rows) if (!unique.has(r.externalId)) unique.set(r.externalId, r);
  // One index probe per key (a lateral lookup): a plain `in (…)` over a table growing during the import was planned
  // as a scan of every row of the source per key.
  const known = await queryRows<{ external_id: string }>(db, sql`select x.value as external_id
    from json_array_elements_text(${JSON.stringify([...unique.keys()])}::json) as x(value)
    cross join lateral (select 1 from appeals a where a.municipality_id = ${mid}::uuid and a.source = ${source.code}
      and a.external_id is not null and a.external_id = x.value limit 1) hit`);
  for (const k of known) unique.delete(k.external_id);
  const fresh = [...unique.values()];
  const existing = rows.length - fresh.length;
  if (input.dryRun || fresh.length === 0) return { imported: input.dryRun ? fresh.length : 0, existing };

  let imported = 0;
  // Numbers are reserved before the insert's transaction, which would otherwise hold the year's counter locked
  // and make concurrent batches wait for each other. A batch that then fails leaves a gap in the numbering.
  const numbers = await reserve(db, mid, fresh);
  await db.transaction(async (tx) => {
    const appealRows: Record<string, unknown>[] = [];
    const applicants: Record<string, unknown>[] = [];
    for (const r of fresh) {
      const id = randomUUID();
      const year = Number(r.registeredDate.slice(0, 4));
      const n = numbers.get(year)!;
      numbers.set(year, n + 1);
      const rule = dueDates.rule(r.kind, r.registeredDate);
      const due = dueDates.add(r.registeredDate, rule?.answerWithinDays ?? 14);
      const closed = r.closedMs !== null ? new Date(r.closedMs).toISOString() : null;
      appealRows.push({
        municipality_id: mid, id, registration_number: formatRegistrationNumber(input.municipalityCode, year, n), kind: r.kind,
        channel: r.channel ?? source.channel, status: closed ? 'closed' : 'registered', subject: r.subject, body: r.body, language: input.source.mapping.language,
        category_id: r.categoryId, district_id: r.districtId, service_id: serviceOf(r.categoryId, r.districtId), lat: r.lat, lon: r.lon,
        address: r.address, received_at: new Date(r.receivedMs).toISOString(), registered_at: new Date(r.registeredMs).toISOString(),
        registration_due_date: dueDates.add(r.receivedDate, rule?.registerWithinDays ?? 3), due_date: due, original_due_date: due,
        deadline_rule_id: rule?.id ?? null, answered_at: closed, closed_at: closed, submitted_by_kind: input.actor.kind,
        submitted_by_id: input.actor.id, source: source.code, external_id: r.externalId, updated_at: closed ?? new Date(r.registeredMs).toISOString(),
      });
      if (r.applicantName) applicants.push({ municipality_id: mid, appeal_id: id, full_name: r.applicantName });
    }
    const inserted = await queryRows<{ id: string }>(tx, sql`insert into appeals (${sql.raw(APPEAL_NAMES)})
      select ${sql.raw(APPEAL_NAMES)} from json_to_recordset(${JSON.stringify(appealRows)}::json) as x(${sql.raw(APPEAL_DEFS)})
      on conflict (municipality_id, source, external_id) where external_id is not null do nothing
      returning id`);
    imported = inserted.length;
    if (applicants.length > 0) {
      const ids = new Set(inserted.map((r) => r.id));
      const mine = applicants.filter((a) => ids.has(a.appeal_id as string));
      if (mine.length > 0) {
        await tx.execute(sql`insert into appeal_applicants (municipality_id, appeal_id, full_name)
          select municipality_id, appeal_id, full_name from json_to_recordset(${JSON.stringify(mine)}::json) as x(municipality_id uuid, appeal_id uuid, full_name text)`);
      }
    }
  });
  return { imported, existing: rows.length - imported };
}

/** Reserves registration numbers per year in one statement each, like the registry and the synthetic writer. */
async function reserve(tx: Db, mid: string, rows: ImportRow[]): Promise<Map<number, number>> {
  const perYear = new Map<number, number>();
  for (const r of rows) { const y = Number(r.registeredDate.slice(0, 4)); perYear.set(y, (perYear.get(y) ?? 0) + 1); }
  const first = new Map<number, number>();
  for (const [year, n] of [...perYear].sort((a, b) => a[0] - b[0])) {
    const [row] = await queryRows<{ last_number: number }>(tx, sql`
      insert into registration_counters (municipality_id, year, last_number) values (${mid}::uuid, ${year}::int, ${n}::int)
      on conflict (municipality_id, year) do update set last_number = registration_counters.last_number + ${n}::int
      returning last_number`);
    first.set(year, Number(row!.last_number) - n + 1);
  }
  return first;
}

const APPEAL_COLUMNS = [
  ['municipality_id', 'uuid'], ['id', 'uuid'], ['registration_number', 'text'], ['kind', 'text'], ['channel', 'text'], ['status', 'text'],
  ['subject', 'text'], ['body', 'text'], ['language', 'text'], ['category_id', 'uuid'], ['district_id', 'uuid'], ['service_id', 'uuid'],
  ['lat', 'float8'], ['lon', 'float8'], ['address', 'text'], ['received_at', 'timestamptz'], ['registered_at', 'timestamptz'],
  ['registration_due_date', 'date'], ['due_date', 'date'], ['original_due_date', 'date'], ['deadline_rule_id', 'uuid'],
  ['answered_at', 'timestamptz'], ['closed_at', 'timestamptz'], ['submitted_by_kind', 'text'], ['submitted_by_id', 'uuid'],
  ['source', 'text'], ['external_id', 'text'], ['updated_at', 'timestamptz'],
] as const;
const APPEAL_NAMES = APPEAL_COLUMNS.map(([n]) => n).join(', ');
const APPEAL_DEFS = APPEAL_COLUMNS.map(([n, t]) => `${n} ${t}`).join(', ');

