/**
 * Import of past appeals over HTTP: a source with its mapping, a dry run that writes no appeals, a real run that
 * imports the good rows with the source's code and channel, each bad row reported with its number and reason, a
 * re-import that adds nothing, admins only, and a file far over the API's upload limit still streaming in. The same
 * for an XLSX workbook, and a broken or old-format workbook refused whole.
 */
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { and, eq, sql } from 'drizzle-orm';
import { createTestApp, json, type Session, type TestApp } from '../../test-support/test-app.js';
import { analyticsRefreshState, appealApplicants, appeals, auditLog, importRuns } from '../../platform/db/schema.js';
import { multipartFile } from './import-test-support.js';
import { XLSX_MIME } from './xlsx-stream.js';
import { excelSerial, STYLE, workbookParts, xmlEscape, zipBuffer } from './xlsx-test-writer.js';

const MAPPING = {
  delimiter: ';',
  language: 'ru',
  externalId: '№',
  receivedAt: { column: 'Дата', format: 'DD.MM.YYYY' },
  kind: { column: 'Вид', values: { 'заявление': 'statement', 'жалоба': 'complaint', 'предложение': 'proposal' } },
  category: { column: 'Тема', values: { 'Ямы': 'roads.pothole', 'Свет': 'lighting.off', 'Мусор': 'cleaning.rubbish' } },
  district: { column: 'Район', values: { 'Ленинский': 'leninsky', 'Октябрьский': 'oktyabrsky' } },
  address: { column: 'Адрес' },
  location: { lat: 'Широта', lon: 'Долгота' },
  subject: { template: '{Тема}: {Адрес}' },
  body: { column: 'Содержание' },
  closedAt: { column: 'Закрыто', format: 'DD.MM.YYYY' },
  applicantName: 'Заявитель',
};

const HEADER = '№;Дата;Вид;Тема;Район;Адрес;Широта;Долгота;Содержание;Закрыто;Заявитель';
// Data rows 1–8 (row numbers count data rows: 1 = the first under the header).
const FILE = `\uFEFF${HEADER}\r
J-1;05.03.2019;заявление;Ямы;Ленинский;ул. Киевская 1;42.87;74.59;Яма на дороге у дома, колесо пробито;12.03.2019;\r
J-2;31.02.2019;жалоба;Свет;Октябрьский;ул. Токтогула 5;;;Не горит фонарь уже неделю;;\r
J-3;06.03.2019;заявление;Снег;Ленинский;ул. Ахунбаева 3;;;Не убран снег во дворе;;\r
;07.03.2019;жалоба;Мусор;Октябрьский;ул. Боконбаева 7;;;Мусор не вывозят две недели;;\r
J-5;08.03.2019;предложение;Свет;Ленинский;ул. Манаса 10;95.1;74.6;Предлагаю поставить фонари во дворе;;\r
J-6;09.03.2019;жалоба;Мусор;Октябрьский;"ул. Московская 12; кв. 4";;;"Мусор у подъезда;
вторая строка ""в кавычках""";10.04.2019;Иванов Иван\r
J-7;10.03.2019;заявление;Ямы;;ул. Жибек Жолу 2;;;Просим отремонтировать дорогу во дворе;;\r
J-8;11.03.2019;жалоба;Свет;Октябрьский;ул. Советская 1;;;Короткий;01.03.2019;\r
`;
const GOOD = ['J-1', 'J-6', 'J-7'];

describe('import of past appeals', () => {
  let t: TestApp;
  let admin: Session;
  let mid: string;
  let sourceId: string;
  const base = '/api/v1/m/bishkek/admin/imports';

  beforeAll(async () => {
    t = await createTestApp({ env: { UPLOAD_MAX_BYTES: '4096', BODY_LIMIT_BYTES: '4096' } });
    admin = await t.staff('admin');
    mid = (await t.ids()).municipalityId;
  });
  afterAll(async () => { await t.close(); });

  const imported = async (source = 'journal-2019') => t.services.database.db.select().from(appeals)
    .where(and(eq(appeals.municipalityId, mid), eq(appeals.source, source)));

  it('an admin saves a source; an unknown category code in the mapping is refused', async () => {
    const bad = await t.app.inject({ method: 'POST', url: `${base}/sources`, headers: admin.headers, payload: {
      code: 'journal-2019', name: 'Журнал приёма 2019', channel: 'in_person', mapping: { ...MAPPING, category: { column: 'Тема', values: { 'Ямы': 'no.such' } } },
    } });
    expect(bad.statusCode).toBe(400);
    expect(json(bad).error.code).toBe('invalid_reference');
    const res = await t.app.inject({ method: 'POST', url: `${base}/sources`, headers: admin.headers, payload: {
      code: 'journal-2019', name: 'Журнал приёма 2019', channel: 'in_person', mapping: MAPPING,
    } });
    expect(res.statusCode, res.body).toBe(201);
    sourceId = json(res).id;
    const again = await t.app.inject({ method: 'POST', url: `${base}/sources`, headers: admin.headers, payload: {
      code: 'journal-2019', name: 'x', channel: 'letter', mapping: MAPPING,
    } });
    expect(again.statusCode).toBe(409);
    const list = json(await t.app.inject({ method: 'GET', url: `${base}/sources`, headers: admin.headers }));
    expect(list.items.map((s: { code: string }) => s.code)).toEqual(['journal-2019']);
  });

  it('only admins: an operator and an analyst get 403, nobody signed in 401', async () => {
    for (const key of ['operator', 'analyst']) {
      const s = await t.staff(key);
      expect((await t.app.inject({ method: 'GET', url: `${base}/sources`, headers: s.headers })).statusCode).toBe(403);
      const run = await t.app.inject({ method: 'POST', url: `${base}/sources/${sourceId}/runs?dryRun=false`, ...withHeaders(multipartFile(FILE), s) });
      expect(run.statusCode).toBe(403);
    }
    expect((await t.app.inject({ method: 'GET', url: `${base}/sources` })).statusCode).toBe(401);
    expect(await imported()).toHaveLength(0);
  });

  it('a dry run reports every bad row with its number and reason and writes no appeal', async () => {
    const res = await t.app.inject({ method: 'POST', url: `${base}/sources/${sourceId}/runs?dryRun=true`, ...withHeaders(multipartFile(FILE), admin, { 'accept-language': 'en' }) });
    expect(res.statusCode, res.body).toBe(201);
    const run = json(res);
    expect(run).toMatchObject({ dryRun: true, status: 'done', rowsTotal: 8, rowsImported: GOOD.length, rowsExisting: 0, rowsRejected: 5 });
    expect(await imported()).toHaveLength(0);

    const errors = json(await t.app.inject({ method: 'GET', url: `${base}/runs/${run.id}/errors`, headers: admin.headers }));
    const byRow = new Map<number, { column: string; code: string; message: string }[]>();
    for (const e of errors.items) byRow.set(e.rowNumber, [...(byRow.get(e.rowNumber) ?? []), e]);
    expect([...byRow.keys()].sort((a, b) => a - b)).toEqual([2, 3, 4, 5, 8]);
    expect(byRow.get(2)).toEqual([expect.objectContaining({ column: 'Дата', code: 'invalid_date' })]);
    expect(byRow.get(2)![0]!.message).toContain('31.02.2019');
    expect(byRow.get(3)).toEqual([expect.objectContaining({ column: 'Тема', code: 'unknown_value' })]);
    expect(byRow.get(3)![0]!.message).toContain('"Снег"');
    expect(byRow.get(4)).toEqual([expect.objectContaining({ column: '№', code: 'required' })]);
    expect(byRow.get(5)).toEqual([expect.objectContaining({ column: 'Широта', code: 'out_of_range' })]);
    expect(byRow.get(8)).toEqual([expect.objectContaining({ column: 'Закрыто', code: 'closed_before_received' })]);
    expect(errors.total).toBe(5);

    // The report as CSV, in the admin's language of the run.
    const csv = await t.app.inject({ method: 'GET', url: `${base}/runs/${run.id}/errors?format=csv`, headers: admin.headers });
    expect(csv.statusCode).toBe(200);
    expect(csv.headers['content-type']).toContain('text/csv');
    expect(csv.body.split('\n').filter((l) => l.trim()).length).toBe(1 + 5);
    expect(csv.body).toContain('is not a date in the format DD.MM.YYYY');
  });

  it('a real run imports the good rows with the source and channel, anonymous unless the file names the applicant', async () => {
    await t.services.database.db.insert(analyticsRefreshState).values({ municipalityId: mid, changesSince: new Date(), refreshedAt: new Date() })
      .onConflictDoNothing();
    const res = await t.app.inject({ method: 'POST', url: `${base}/sources/${sourceId}/runs?dryRun=false`, ...withHeaders(multipartFile(FILE), admin, { 'accept-language': 'ru' }) });
    expect(res.statusCode, res.body).toBe(201);
    const run = json(res);
    expect(run).toMatchObject({ dryRun: false, status: 'done', rowsTotal: 8, rowsImported: 3, rowsExisting: 0, rowsRejected: 5 });

    const rows = await imported();
    expect(rows.map((r) => r.externalId).sort()).toEqual(GOOD);
    const ids = await t.ids();
    for (const r of rows) {
      expect(r.channel).toBe('in_person');
      expect(r.source).toBe('journal-2019');
      expect(r.registrationNumber).toMatch(/^BSK-2019-\d{6}$/);
      expect(r.dueDate > r.registeredAt.toISOString().slice(0, 10)).toBe(true);
    }
    const j1 = rows.find((r) => r.externalId === 'J-1')!;
    expect(j1).toMatchObject({ kind: 'statement', status: 'closed', categoryId: ids.category('roads.pothole'), districtId: ids.district('leninsky'), lat: 42.87, lon: 74.59 });
    expect(j1.receivedAt.toISOString()).toBe('2019-03-04T18:00:00.000Z');
    expect(j1.closedAt?.toISOString()).toBe('2019-03-11T18:00:00.000Z');
    expect(j1.serviceId).not.toBeNull();
    const j6 = rows.find((r) => r.externalId === 'J-6')!;
    expect(j6.body).toBe('Мусор у подъезда;\nвторая строка "в кавычках"');
    expect(j6.address).toBe('ул. Московская 12; кв. 4');
    expect(rows.find((r) => r.externalId === 'J-7')).toMatchObject({ status: 'registered', districtId: null, closedAt: null });
    const applicants = await t.services.database.db.select().from(appealApplicants).where(eq(appealApplicants.municipalityId, mid));
    const named = applicants.filter((a) => rows.some((r) => r.id === a.appealId));
    expect(named.map((a) => a.fullName)).toEqual(['Иванов Иван']);
    // Numbers are distinct and the registry numbers on after them.
    expect(new Set(rows.map((r) => r.registrationNumber)).size).toBe(3);
    // The analytics job will rebuild the whole cube; the run is audited.
    expect(await t.services.database.db.select().from(analyticsRefreshState).where(eq(analyticsRefreshState.municipalityId, mid))).toHaveLength(0);
    const audits = await t.services.database.db.select().from(auditLog).where(and(eq(auditLog.municipalityId, mid), eq(auditLog.entityType, 'import_run')));
    expect(audits.map((a) => a.action).sort()).toEqual(['import', 'import_dry_run']);
    const errors = json(await t.app.inject({ method: 'GET', url: `${base}/runs/${run.id}/errors?limit=2&offset=1`, headers: admin.headers }));
    expect(errors.total).toBe(5);
    expect(errors.items.map((e: { rowNumber: number }) => e.rowNumber)).toEqual([3, 4]);
    expect(errors.items[0].message).toContain('нет соответствия');
  });

  it('the same file again adds nothing: the imported rows count as existing', async () => {
    t.clock.advance(60_000);
    const before = await imported();
    const res = await t.app.inject({ method: 'POST', url: `${base}/sources/${sourceId}/runs?dryRun=false`, ...withHeaders(multipartFile(FILE), admin) });
    expect(json(res)).toMatchObject({ status: 'done', rowsTotal: 8, rowsImported: 0, rowsExisting: 3, rowsRejected: 5 });
    const after = await imported();
    expect(after.map((r) => r.registrationNumber).sort()).toEqual(before.map((r) => r.registrationNumber).sort());
    const runs = json(await t.app.inject({ method: 'GET', url: `${base}/sources/${sourceId}/runs`, headers: admin.headers }));
    expect(runs.items).toHaveLength(3);
    const one = json(await t.app.inject({ method: 'GET', url: `${base}/runs/${runs.items[0].id}`, headers: admin.headers }));
    expect(one).toMatchObject({ rowsExisting: 3, rowsImported: 0 });
  });

  it('a file far over the upload limit streams in; a file without a mapped column is refused whole', async () => {
    const lines = [HEADER];
    for (let i = 0; i < 600; i++) lines.push(`BIG-${i};0${1 + (i % 9)}.04.2020;жалоба;Мусор;Октябрьский;ул. Логвиненко ${i};;;Мусор не вывозят, просим принять меры, дом ${i};;`);
    const big = lines.join('\n');
    expect(Buffer.byteLength(big)).toBeGreaterThan(10 * 4096);
    const res = await t.app.inject({ method: 'POST', url: `${base}/sources/${sourceId}/runs?dryRun=false`, ...withHeaders(multipartFile(big), admin) });
    expect(res.statusCode, res.body).toBe(201);
    expect(json(res)).toMatchObject({ status: 'done', rowsTotal: 600, rowsImported: 600, rowsRejected: 0 });
    const [n] = await t.services.database.db.select({ n: sql<number>`count(*)::int` }).from(appeals)
      .where(and(eq(appeals.municipalityId, mid), sql`external_id like 'BIG-%'`));
    expect(Number(n!.n)).toBe(600);

    const noColumn = await t.app.inject({ method: 'POST', url: `${base}/sources/${sourceId}/runs?dryRun=true`, ...withHeaders(multipartFile('№;Дата\nX;01.01.2020\n'), admin) });
    expect(noColumn.statusCode).toBe(400);
    expect(json(noColumn).error.details.map((d: { column: string }) => d.column)).toContain('Тема');
  });

  it('a broken file (an unclosed quote) fails the run with the reason; what came before it stays', async () => {
    const broken = `${HEADER}\nQ-1;01.05.2020;жалоба;Мусор;Октябрьский;ул. 1;;;Мусор не вывозят две недели;;\nQ-2;02.05.2020;жалоба;Мусор;;"ул. 2;;;Нет конца;;\n`;
    const res = await t.app.inject({ method: 'POST', url: `${base}/sources/${sourceId}/runs?dryRun=false`, ...withHeaders(multipartFile(broken), admin) });
    expect(res.statusCode).toBe(201);
    expect(json(res)).toMatchObject({ status: 'failed', failure: expect.stringContaining('unterminated_quote') });
  });

  it('a source\'s mapping can be changed (audited); an unknown source is 404', async () => {
    const res = await t.app.inject({ method: 'PATCH', url: `${base}/sources/${sourceId}`, headers: admin.headers, payload: { name: 'Журнал 2019 (исправлен)', channel: 'letter' } });
    expect(res.statusCode, res.body).toBe(200);
    expect(json(res)).toMatchObject({ name: 'Журнал 2019 (исправлен)', channel: 'letter', code: 'journal-2019' });
    const missing = await t.app.inject({ method: 'PATCH', url: `${base}/sources/00000000-0000-4000-8000-000000000000`, headers: admin.headers, payload: { name: 'x' } });
    expect(missing.statusCode).toBe(404);
  });
});

/**
 * The journal as Excel keeps it: text in the shared-string table (one description in rich-text runs), some cells
 * inline, dates as date-styled serials or typed as text, an empty row, a sparse row, entities. Sheet rows 2–7;
 * data rows (sheet row − 1): 1, 2, 4 good; 5 a date that does not exist; 6 an unmapped category.
 */
async function journalXlsx(): Promise<Buffer> {
  const table: string[] = [];
  const index = new Map<string, number>();
  const s = (ref: string, text: string, xml = `<t>${xmlEscape(text)}</t>`) => {
    let i = index.get(xml);
    if (i === undefined) { i = table.push(`<si>${xml}</si>`) - 1; index.set(xml, i); }
    return `<c r="${ref}" t="s"><v>${i}</v></c>`;
  };
  const t = (ref: string, xml: string) => `<c r="${ref}" t="inlineStr"><is><t>${xml}</t></is></c>`;
  const num = (ref: string, v: number | string, style = 0) => `<c r="${ref}"${style ? ` s="${style}"` : ''}><v>${v}</v></c>`;
  const day = (y: number, m: number, d: number, h = 0, mi = 0) => excelSerial(Date.UTC(y, m - 1, d, h, mi));
  const header = ['№', 'Дата', 'Вид', 'Тема', 'Район', 'Адрес', 'Широта', 'Долгота', 'Содержание', 'Закрыто', 'Заявитель'];
  const rows = [
    `<row r="1">${header.map((h, i) => s(`${String.fromCharCode(65 + i)}1`, h)).join('')}</row>`,
    `<row r="2">${s('A2', 'X-1')}${num('B2', day(2019, 3, 5), STYLE.date)}${s('C2', 'заявление')}${s('D2', 'Ямы')}${s('E2', 'Ленинский')}`
      + `${s('F2', 'ул. Киевская 1 & 3')}${num('G2', '42.869999999999997')}${num('H2', 74.59)}`
      + `${s('I2', '', '<r><t xml:space="preserve">Яма на дороге, </t></r><r><rPr><b/></rPr><t>колесо пробито</t></r>')}`
      + `${num('J2', day(2019, 3, 12, 10, 15), STYLE.customDateTime)}</row>`,
    `<row r="3">${t('A3', 'X-2')}${t('B3', '06.03.2019')}${t('C3', 'жалоба')}${s('D3', 'Свет')}${s('E3', 'Октябрьский')}${t('F3', 'ул. Токтогула 5')}`
      + `${t('I3', 'Не горит фонарь &lt;у дома №5&gt; &#8212; неделю')}${t('K3', 'Иванов Иван')}</row>`,
    `<row r="5">${s('A5', 'X-4')}${num('B5', day(2019, 3, 8), STYLE.date)}${s('C5', 'жалоба')}${s('D5', 'Мусор')}${s('I5', 'Мусор не вывозят две недели')}</row>`,
    `<row r="6">${s('A6', 'X-5')}${t('B6', '31.02.2019')}${s('C6', 'жалоба')}${s('D6', 'Мусор')}${s('I6', 'Мусор во дворе')}</row>`,
    `<row r="7">${s('A7', 'X-6')}${num('B7', day(2019, 3, 9), STYLE.date)}${s('C7', 'жалоба')}${s('D7', 'Снег')}${s('I7', 'Не убран снег во дворе')}</row>`,
    '<row r="8"><c r="A8" s="1"/><c r="B8" s="1"/></row>',
  ];
  return zipBuffer(workbookParts({ sheets: [rows.join('')], sharedStrings: table.join('') }));
}

describe('import of past appeals from XLSX', () => {
  let t: TestApp;
  let admin: Session;
  let mid: string;
  let sourceId: string;
  let file: Buffer;
  let tmp: string;
  const savedTmp = process.env.TMPDIR;
  const base = '/api/v1/m/bishkek/admin/imports';
  const xlsx = (content: Buffer, name = 'journal.xlsx', type = XLSX_MIME) => withHeaders(multipartFile(content, name, type), admin);
  const imported = async () => t.services.database.db.select().from(appeals).where(and(eq(appeals.municipalityId, mid), eq(appeals.source, 'journal-xlsx')));
  const runCount = async () => (await t.services.database.db.select().from(importRuns).where(eq(importRuns.municipalityId, mid))).length;
  // The reader's temporary files go here, so it can be checked that none is left.
  const leftovers = async () => (await readdir(tmp)).filter((n) => n.startsWith('shaar-import-'));

  beforeAll(async () => {
    t = await createTestApp();
    admin = await t.staff('admin');
    mid = (await t.ids()).municipalityId;
    tmp = await mkdtemp(join(tmpdir(), 'imports-xlsx-test-'));
    process.env.TMPDIR = tmp;
    file = await journalXlsx();
    const res = await t.app.inject({ method: 'POST', url: `${base}/sources`, headers: admin.headers, payload: {
      code: 'journal-xlsx', name: 'Журнал приёма (Excel)', channel: 'in_person', mapping: MAPPING,
    } });
    expect(res.statusCode, res.body).toBe(201);
    sourceId = json(res).id;
  });
  afterAll(async () => {
    process.env.TMPDIR = savedTmp;
    await rm(tmp, { recursive: true, force: true });
    await t.close();
  });

  it('a dry run reads the workbook, reports bad rows by their sheet row under the header, and writes no appeal', async () => {
    const res = await t.app.inject({ method: 'POST', url: `${base}/sources/${sourceId}/runs?dryRun=true`, ...xlsx(file) });
    expect(res.statusCode, res.body).toBe(201);
    const run = json(res);
    expect(run).toMatchObject({ dryRun: true, status: 'done', fileName: 'journal.xlsx', rowsTotal: 5, rowsImported: 3, rowsExisting: 0, rowsRejected: 2 });
    expect(await imported()).toHaveLength(0);
    const errors = json(await t.app.inject({ method: 'GET', url: `${base}/runs/${run.id}/errors`, headers: { ...admin.headers, 'accept-language': 'en' } }));
    expect(errors.items).toEqual([
      expect.objectContaining({ rowNumber: 5, column: 'Дата', code: 'invalid_date' }),
      expect.objectContaining({ rowNumber: 6, column: 'Тема', code: 'unknown_value' }),
    ]);
    expect(errors.items[0].message).toContain('31.02.2019');
    expect(await leftovers()).toEqual([]);
  });

  it('a real run imports the good rows: date cells and typed dates, rich text, entities, a sparse row', async () => {
    const res = await t.app.inject({ method: 'POST', url: `${base}/sources/${sourceId}/runs?dryRun=false`, ...xlsx(file) });
    expect(json(res)).toMatchObject({ dryRun: false, status: 'done', rowsTotal: 5, rowsImported: 3, rowsRejected: 2 });
    const rows = await imported();
    expect(rows.map((r) => r.externalId).sort()).toEqual(['X-1', 'X-2', 'X-4']);
    const ids = await t.ids();
    const x1 = rows.find((r) => r.externalId === 'X-1')!;
    expect(x1).toMatchObject({
      kind: 'statement', status: 'closed', categoryId: ids.category('roads.pothole'), districtId: ids.district('leninsky'), lat: 42.87, lon: 74.59,
      address: 'ул. Киевская 1 & 3', body: 'Яма на дороге, колесо пробито', subject: 'Ямы: ул. Киевская 1 & 3',
    });
    expect(x1.receivedAt.toISOString()).toBe('2019-03-04T18:00:00.000Z');
    expect(x1.closedAt?.toISOString()).toBe('2019-03-11T18:00:00.000Z');
    const x2 = rows.find((r) => r.externalId === 'X-2')!;
    expect(x2).toMatchObject({ kind: 'complaint', categoryId: ids.category('lighting.off'), body: 'Не горит фонарь <у дома №5> — неделю', closedAt: null });
    expect(x2.receivedAt.toISOString()).toBe('2019-03-05T18:00:00.000Z');
    const [applicant] = await t.services.database.db.select().from(appealApplicants).where(eq(appealApplicants.appealId, x2.id));
    expect(applicant?.fullName).toBe('Иванов Иван');
    const x4 = rows.find((r) => r.externalId === 'X-4')!;
    expect(x4).toMatchObject({ categoryId: ids.category('cleaning.rubbish'), districtId: null, lat: null, address: null, body: 'Мусор не вывозят две недели' });
    expect(x4.receivedAt.toISOString()).toBe('2019-03-07T18:00:00.000Z');
    expect(await leftovers()).toEqual([]);
  });

  it('the same workbook again, even named .csv, adds nothing: recognised by its content', async () => {
    t.clock.advance(60_000);
    const res = await t.app.inject({ method: 'POST', url: `${base}/sources/${sourceId}/runs?dryRun=false`, ...xlsx(file, 'journal.csv', 'text/csv') });
    expect(json(res)).toMatchObject({ status: 'done', rowsTotal: 5, rowsImported: 0, rowsExisting: 3, rowsRejected: 2 });
    expect(await imported()).toHaveLength(3);
  });

  it('a broken workbook, one without a worksheet, and an old .xls are refused with 400 in the admin\'s language; nothing is recorded', async () => {
    const before = await runCount();
    const truncated = await t.app.inject({ method: 'POST', url: `${base}/sources/${sourceId}/runs?dryRun=false`, ...withHeaders(multipartFile(file.subarray(0, 700), 'journal.xlsx', XLSX_MIME), admin, { 'accept-language': 'ru' }) });
    expect(truncated.statusCode).toBe(400);
    expect(json(truncated).error).toMatchObject({ code: 'invalid_file', details: [{ path: 'file', code: 'xlsx_unreadable' }] });
    expect(json(truncated).error.message).toContain('XLSX');
    expect(json(truncated).error.message).toMatch(/повреждён/);
    // A name saying .xlsx is enough to be read as one: a CSV saved under it is no workbook.
    const misnamed = await t.app.inject({ method: 'POST', url: `${base}/sources/${sourceId}/runs?dryRun=true`, ...xlsx(Buffer.from('№;Дата\n1;01.01.2020\n'), 'journal.xlsx', 'application/octet-stream') });
    expect(json(misnamed).error.details[0].code).toBe('xlsx_unreadable');
    const noSheet = await zipBuffer(workbookParts({ sheets: [] }));
    const empty = await t.app.inject({ method: 'POST', url: `${base}/sources/${sourceId}/runs?dryRun=true`, ...withHeaders(multipartFile(noSheet, 'book.xlsx', XLSX_MIME), admin, { 'accept-language': 'ky' }) });
    expect(empty.statusCode).toBe(400);
    expect(json(empty).error.message).toBe('XLSX китебинде импорттоо үчүн барак жок.');
    const ole = Buffer.concat([Buffer.from('d0cf11e0a1b11ae1', 'hex'), Buffer.alloc(4096)]);
    const xls = await t.app.inject({ method: 'POST', url: `${base}/sources/${sourceId}/runs?dryRun=true`, ...withHeaders(multipartFile(ole, 'old.xls', 'application/vnd.ms-excel'), admin, { 'accept-language': 'en' }) });
    expect(xls.statusCode).toBe(400);
    expect(json(xls).error.message).toContain('.xls');
    expect(await runCount()).toBe(before);
    expect(await leftovers()).toEqual([]);
  });
});

function withHeaders(body: { payload: Buffer; headers: Record<string, string> }, s: Session, extra: Record<string, string> = {}) {
  return { payload: body.payload, headers: { ...s.headers, ...body.headers, ...extra } };
}
