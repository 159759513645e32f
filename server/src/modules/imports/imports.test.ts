/**
 * Import of past appeals over HTTP: a source with its mapping, a dry run that writes no appeals, a real run that
 * imports the good rows with the source's code and channel, each bad row reported with its number and reason, a
 * re-import that adds nothing, admins only, and a file far over the API's upload limit still streaming in.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { and, eq, sql } from 'drizzle-orm';
import { createTestApp, json, type Session, type TestApp } from '../../test-support/test-app.js';
import { analyticsRefreshState, appealApplicants, appeals, auditLog } from '../../platform/db/schema.js';
import { multipartFile } from './import-test-support.js';

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

function withHeaders(body: { payload: Buffer; headers: Record<string, string> }, s: Session, extra: Record<string, string> = {}) {
  return { payload: body.payload, headers: { ...s.headers, ...body.headers, ...extra } };
}
