/**
 * The open dataset on a real database: rows and fields (H3 cell instead of the point, city-local days,
 * pseudonymous ids stable across refreshes), the CSV / JSON / datapackage.json files of the refresh job, and
 * the public API's filters and pagination.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHash } from 'node:crypto';
import { readFile, access } from 'node:fs/promises';
import { join } from 'node:path';
import { cellToLatLng, getResolution, isValidCell, latLngToCell } from 'h3-js';
import { eq } from 'drizzle-orm';
import { appeals } from '../../platform/db/schema.js';
import { createTestApp, json, type Ids, type Session, type TestApp } from '../../test-support/test-app.js';
import { OPEN_DATA_FIELDS } from './open-data.fields.js';
import { openDataDir } from './open-data.files.js';

let t: TestApp;
let ids: Ids;
let operator: Session;
let admin: Session;
const M = '/api/v1/m/bishkek';
const OD = `${M}/open-data`;

interface Filed { id: string; registrationNumber: string; lat: number; lon: number; category: string; district: string }
const filed: Filed[] = [];

async function file(category: string, district: string, lat: number, lon: number, channel = 'in_person'): Promise<Filed> {
  const res = await t.app.inject({
    method: 'POST', url: `${M}/reception/appeals`, headers: operator.headers, payload: {
      kind: 'complaint', channel, categoryId: ids.category(category), subject: 'Тестовое обращение',
      body: 'Текст обращения для проверки открытых данных.', applicant: { fullName: 'Тестовый Заявитель' },
      location: { lat, lon, districtId: ids.district(district) },
    },
  });
  expect(res.statusCode, res.body).toBe(201);
  const a = { id: json(res).id as string, registrationNumber: json(res).registrationNumber as string, lat, lon, category, district };
  filed.push(a);
  t.clock.advance(60_000); // distinct registration times: the dataset is ordered by them
  return a;
}

const get = (url: string) => t.app.inject({ method: 'GET', url });
const rowsOf = async (query = '') => {
  const all: Array<Record<string, unknown>> = [];
  let cursor: string | null = null;
  let pages = 0;
  do {
    const res = await get(`${OD}/appeals?limit=2${query}${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`);
    expect(res.statusCode, res.body).toBe(200);
    const body = json<{ items: Array<Record<string, unknown>>; nextCursor: string | null }>(res);
    expect(body.items.length).toBeLessThanOrEqual(2);
    all.push(...body.items);
    cursor = body.nextCursor;
    pages++;
  } while (cursor && pages < 50);
  return { all, pages };
};

beforeAll(async () => {
  // 17:30 UTC on Monday 27 April is 23:30 in Bishkek (UTC+6).
  t = await createTestApp({ now: '2026-04-27T17:30:00Z', env: { OPEN_DATA_SALT: 'open-data-test-secret-1234' } });
  ids = await t.ids();
  operator = await t.staff('operator');
  admin = await t.staff('admin');
  await file('roads.pothole', 'leninsky', 42.8746, 74.5698);
  await file('roads.sidewalk', 'oktyabrsky', 42.8412, 74.6101, 'letter');
  // One hour later: 00:30 on Tuesday 28 April in Bishkek, still the 27th in UTC.
  t.clock.set(new Date('2026-04-27T18:30:00Z'));
  await file('cleaning.rubbish', 'leninsky', 42.8801, 74.5502, 'phone');
  await file('roads.pothole', 'sverdlovsky', 42.8650, 74.6400, 'email');
  await file('greenery.tree', 'pervomaisky', 42.8900, 74.6050);
});
afterAll(async () => { await t?.close(); });

describe('before the first refresh', () => {
  it('the files are not there yet, the live API already is', async () => {
    expect((await get(OD)).statusCode).toBe(404);
    expect((await get(`${OD}/appeals.csv`)).statusCode).toBe(404);
    expect(json((await get(`${OD}/appeals`))).items).toHaveLength(filed.length);
  });
});

describe('the public API', () => {
  it('rows carry the published fields only, with city-local days, an H3 cell and a pseudonymous id', async () => {
    const { all } = await rowsOf();
    expect(all).toHaveLength(filed.length);
    for (const [i, row] of all.entries()) {
      const a = filed[i]!; // oldest first: the order of filing
      expect(Object.keys(row).sort()).toEqual(OPEN_DATA_FIELDS.map((f) => f.name).sort());
      expect(row.id).not.toBe(a.id);
      expect(row.id).not.toBe(a.registrationNumber);
      expect(JSON.stringify(row)).not.toContain(a.id);
      const cell = row.h3_cell as string;
      expect(isValidCell(cell) && getResolution(cell)).toBe(9);
      expect(cell).toBe(latLngToCell(a.lat, a.lon, 9));
      // The cell's centre is not the point, and no coordinate digits leak.
      const [clat, clon] = cellToLatLng(cell);
      expect(clat === a.lat && clon === a.lon).toBe(false);
      expect(JSON.stringify(row)).not.toContain(String(a.lat));
      expect(row.category).toBe(a.category);
      expect(row.category_group).toBe(a.category.split('.')[0]);
      expect(row.district).toBe(a.district);
    }
    expect(all.map((r) => r.registered_date)).toEqual(['2026-04-27', '2026-04-27', '2026-04-28', '2026-04-28', '2026-04-28']);
    expect(all.map((r) => r.form)).toEqual(['oral', 'written', 'oral', 'electronic', 'oral']);
    expect(new Set(all.map((r) => r.id)).size).toBe(filed.length);
  });

  it('filters by registration day, category or group, and district; pages cover every row once', async () => {
    const day = await rowsOf('&from=2026-04-28&to=2026-04-28');
    expect(day.all).toHaveLength(3);
    expect((await rowsOf('&to=2026-04-27')).all).toHaveLength(2);
    expect((await rowsOf('&category=roads')).all.map((r) => r.category)).toEqual(['roads.pothole', 'roads.sidewalk', 'roads.pothole']);
    expect((await rowsOf('&category=roads.pothole')).all).toHaveLength(2);
    expect((await rowsOf('&district=leninsky&category=roads')).all).toHaveLength(1);
    const paged = await rowsOf();
    expect(paged.pages).toBe(3);
  });

  it('refuses a cursor it did not make and bad filters with 400', async () => {
    expect((await get(`${OD}/appeals?cursor=abc`)).statusCode).toBe(400);
    expect((await get(`${OD}/appeals?from=2026-13-01`)).statusCode).toBe(400);
    expect((await get(`${OD}/appeals?limit=5000`)).statusCode).toBe(400);
    const first = json(await get(`${OD}/appeals?limit=1`));
    const forged = Buffer.from(first.nextCursor, 'base64url');
    forged[forged.length - 1] = forged[forged.length - 1]! ^ 1;
    expect((await get(`${OD}/appeals?cursor=${forged.toString('base64url')}`)).statusCode).toBe(400);
  });
});

describe('the refresh job and the files', () => {
  let firstIds: string[] = [];
  const dir = () => openDataDir(t.services.config.dataDir, 'bishkek');

  it('the daily job writes CSV, JSON and a datapackage whose fields match the CSV header', async () => {
    await t.services.jobs.runDue({ includeRecurring: true });
    const pkg = JSON.parse(await readFile(join(dir(), 'datapackage.json'), 'utf8'));
    expect(pkg.profile).toBe('tabular-data-package');
    expect(pkg.licenses[0].name).toBe('CC-BY-4.0');
    expect(pkg.lastModified).toBe(t.clock.now().toISOString());
    expect(Object.keys(pkg['shaar:i18n'].title).sort()).toEqual(['en', 'ky', 'ru']);
    const csv = await readFile(join(dir(), 'appeals.csv'), 'utf8');
    const lines = csv.trimEnd().split('\r\n');
    for (const resource of pkg.resources) {
      const path = join(dir(), resource.path);
      await access(path);
      const bytes = await readFile(path);
      expect(resource.bytes).toBe(bytes.length);
      expect(resource.hash).toBe(`sha256:${createHash('sha256').update(bytes).digest('hex')}`);
      expect(resource.schema.fields.map((f: { name: string }) => f.name)).toEqual(lines[0]!.split(','));
    }
    expect(lines).toHaveLength(filed.length + 1);
    const rows = JSON.parse(await readFile(join(dir(), 'appeals.json'), 'utf8')) as Array<Record<string, unknown>>;
    expect(rows).toHaveLength(filed.length);
    // The CSV says what the JSON says, field by field.
    const header = lines[0]!.split(',');
    lines.slice(1).forEach((line, i) => {
      const cells = line.split(',');
      header.forEach((name, j) => expect(cells[j]).toBe(rows[i]![name] === null ? '' : String(rows[i]![name])));
    });
    // …and what the live API says.
    expect(rows).toEqual((await rowsOf()).all);
    firstIds = rows.map((r) => r.id as string);
  });

  it('serves the package and files publicly with Cache-Control; every resource URL answers', async () => {
    const index = await get(OD);
    expect(index.statusCode).toBe(200);
    expect(index.headers['cache-control']).toMatch(/public/);
    for (const resource of json(index).resources) {
      const url = new URL(resource.path).pathname;
      const res = await get(url);
      expect(res.statusCode, url).toBe(200);
      expect(res.headers['cache-control']).toMatch(/public/);
      expect(res.rawPayload.length).toBe(resource.bytes);
    }
    const pkg = await get(`${OD}/datapackage.json`);
    expect(json(pkg).resources.map((r: { path: string }) => r.path)).toEqual(['appeals.csv', 'appeals.json']);
  });

  it('an admin refresh (only admins) rewrites the files; ids stay the same across refreshes', async () => {
    const refresh = (s: Session | null) => t.app.inject({ method: 'POST', url: `${M}/admin/open-data/refresh`, headers: s?.headers ?? {} });
    expect((await refresh(null)).statusCode).toBe(401);
    expect((await refresh(operator)).statusCode).toBe(403);
    t.clock.set(new Date('2026-04-29T06:00:00Z'));
    await file('lighting.off', 'oktyabrsky', 42.87, 74.59);
    const refreshedAt = t.clock.now().toISOString();
    expect((await refresh(admin)).statusCode).toBe(202);
    await t.services.jobs.runDue();
    const pkg = json(await get(OD));
    expect(pkg.lastModified).toBe(refreshedAt);
    const rows = JSON.parse(await readFile(join(dir(), 'appeals.json'), 'utf8')) as Array<Record<string, unknown>>;
    expect(rows).toHaveLength(filed.length);
    expect(rows.slice(0, firstIds.length).map((r) => r.id)).toEqual(firstIds);
    const [db] = await t.services.database.db.select({ id: appeals.id }).from(appeals).where(eq(appeals.id, filed.at(-1)!.id));
    expect(rows.at(-1)!.id).not.toBe(db!.id);
  });
});

describe('answers and ratings', () => {
  it('a row shows the answer day, working days, on time, and the rating without its comment', async () => {
    const resident = await t.citizen('+996700555012');
    const executor = await t.staff('executor.roads');
    const executorId = json(await t.app.inject({ method: 'GET', url: '/api/v1/auth/me', headers: executor.headers })).id;
    const res = await t.app.inject({ method: 'POST', url: `${M}/appeals`, headers: resident.headers, payload: {
      kind: 'complaint', categoryId: ids.category('roads.stop'), subject: 'Разбита остановка',
      body: 'На остановке разбито стекло и сломана скамейка.', applicant: { fullName: 'Тестовый Житель' },
    } });
    expect(res.statusCode, res.body).toBe(201);
    const id = json(res).id;
    expect((await t.app.inject({ method: 'POST', url: `${M}/appeals/${id}/assign`, headers: operator.headers, payload: { executorId } })).statusCode).toBe(200);
    t.clock.set(new Date('2026-04-30T19:00:00Z')); // 1 May, 01:00 in Bishkek
    const answered = await t.app.inject({ method: 'POST', url: `${M}/appeals/${id}/answer`, headers: executor.headers, payload: { body: 'Стекло заменено, скамейка отремонтирована.' } });
    expect(answered.statusCode, answered.body).toBe(200);
    const rated = await t.app.inject({ method: 'PUT', url: `${M}/my/appeals/${id}/answers/${json(answered).answerId}/rating`, headers: resident.headers,
      payload: { overall: 2, solved: 'no', clarity: 3, accuracy: 2, onTimeFelt: true, comment: 'Скамейку так и не починили' } });
    expect(rated.statusCode, rated.body).toBe(201);
    const { all } = await rowsOf('&category=roads.stop');
    expect(all).toHaveLength(1);
    const row = all[0]!;
    expect(row).toMatchObject({ answered_date: '2026-05-01', on_time: true, rating_overall: 2, rating_solved: 'no', channel: 'web', form: 'electronic', h3_cell: null });
    expect(typeof row.working_days_to_answer).toBe('number');
    expect(JSON.stringify(row)).not.toContain('Скамейку');
  });
});
