/**
 * The plot registry over HTTP on a real database: creating and editing plots with their passport lines and audit
 * entries, documents, GeoJSON and CSV import (dry run, real, re-import, bad rows), the public list with its filters,
 * the map's GeoJSON, the passport gathering everything in order, permissions, and no personal data in public.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { and, eq } from 'drizzle-orm';
import { createTestApp, json, type Session, type TestApp } from '../../test-support/test-app.js';
import {
  auditLog, commissionAgendaItems, commissionMeetings, districts, landPlots, landProposals, publicHearings,
} from '../../platform/db/schema.js';
import { multipartFile } from '../imports/import-test-support.js';

let t: TestApp;
let mid: string;
let admin: Session;
let leninsky: string;
let oktyabrsky: string;
const M = '/api/v1/m/bishkek';

type Method = 'GET' | 'POST' | 'PATCH' | 'PUT' | 'DELETE';
const call = (session: Session | null, method: Method, url: string, payload?: object | string, headers: Record<string, string> = {}) =>
  t.app.inject({ method, url: `${M}${url}`, headers: { ...(session?.headers ?? {}), ...headers }, ...(payload !== undefined ? { payload } : {}) });
const db = () => t.services.database.db;

/** A small closed rectangle (lon/lat) near the given corner, about 80 × 110 m per 0.001°. */
const square = (lon: number, lat: number, d = 0.001) => ({ type: 'Polygon', coordinates: [[[lon, lat], [lon + d, lat], [lon + d, lat + d], [lon, lat + d], [lon, lat]]] });
const PDF = Buffer.from('%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n');

async function create(body: object, session = admin) {
  const res = await call(session, 'POST', '/admin/land/plots', body);
  expect(res.statusCode, res.body).toBe(201);
  return json(res);
}
const audits = (entityId: string) => db().select().from(auditLog).where(and(eq(auditLog.entityType, 'land_plot'), eq(auditLog.entityId, entityId))).orderBy(auditLog.id);

beforeAll(async () => {
  t = await createTestApp({ now: '2026-04-27T04:00:00Z' });
  const ids = await t.ids();
  mid = ids.municipalityId;
  leninsky = ids.district('leninsky');
  oktyabrsky = ids.district('oktyabrsky');
  admin = await t.staff('admin');
  // Give Oktyabrsky a (made-up) boundary so that a plot's district can be found from its centre.
  await db().update(districts).set({ boundary: square(74.60, 42.80, 0.05) }).where(eq(districts.id, oktyabrsky));
  t.services.directory.invalidate(mid);
});
afterAll(async () => { await t?.close(); });

describe('creating and editing plots', () => {
  let plot: { id: string };

  it('creates a plot: area and centre computed, district found from the centre, first passport line, audited', async () => {
    const p = await create({ cadastralNumber: '1-02-03-0004-0005', address: 'ул. Ахунбаева, 120', geometry: square(74.61, 42.82), zoning: 'Ж-2', permittedUse: 'жилая застройка' });
    plot = p;
    expect(p.status).toBe('available');
    expect(p.districtId).toBe(oktyabrsky);
    expect(p.center.lon).toBeCloseTo(74.6105, 6);
    expect(p.center.lat).toBeCloseTo(42.8205, 6);
    expect(p.areaM2).toBeGreaterThan(9000);
    expect(p.areaM2).toBeLessThan(9150);
    expect(p.history.map((h: { kind: string }) => h.kind)).toEqual(['imported']);
    expect(p.history[0].details).toMatchObject({ via: 'admin', cadastralNumber: '1-02-03-0004-0005', status: 'available' });
    expect((await audits(p.id)).map((a) => a.action)).toEqual(['create']);
  });

  it('keeps a given area and district', async () => {
    const p = await create({ cadastralNumber: '1-02-03-0004-0006', geometry: square(74.61, 42.82), areaM2: 9500, districtId: leninsky });
    expect(p.areaM2).toBe(9500);
    expect(p.districtId).toBe(leninsky);
  });

  it('refuses a taken cadastral number, a bad outline and a lease without its date — and changes nothing', async () => {
    const taken = await call(admin, 'POST', '/admin/land/plots', { cadastralNumber: '1-02-03-0004-0005', geometry: square(74.62, 42.82) }, { 'accept-language': 'ru' });
    expect(taken.statusCode).toBe(409);
    expect(json(taken).error.message).toBe('Участок с кадастровым номером 1-02-03-0004-0005 уже есть.');
    const open = square(74.62, 42.82);
    open.coordinates[0]!.pop();
    open.coordinates[0]!.push([74.6201, 42.8201]);
    const bad = await call(admin, 'POST', '/admin/land/plots', { cadastralNumber: '1-02-03-0004-0099', geometry: open }, { 'accept-language': 'ru' });
    expect(bad.statusCode).toBe(400);
    expect(json(bad).error).toMatchObject({ code: 'invalid_geometry', message: 'Кольцо контура не замкнуто: последняя точка должна совпадать с первой.' });
    const lease = await call(admin, 'POST', '/admin/land/plots', { cadastralNumber: '1-02-03-0004-0099', geometry: square(74.62, 42.82), status: 'leased_temporarily' });
    expect(lease.statusCode).toBe(400);
    expect(json(lease).error.code).toBe('leased_until_required');
    const dated = await call(admin, 'POST', '/admin/land/plots', { cadastralNumber: '1-02-03-0004-0099', geometry: square(74.62, 42.82), leasedUntil: '2027-01-01' });
    expect(json(dated).error.code).toBe('leased_until_not_allowed');
    expect(await db().select().from(landPlots).where(eq(landPlots.cadastralNumber, '1-02-03-0004-0099'))).toHaveLength(0);
  });

  it('an edit and a status change each write their passport line and audit entry', async () => {
    const edited = json(await call(admin, 'PATCH', `/admin/land/plots/${plot.id}`, { address: 'ул. Ахунбаева, 122', currentUse: 'пустырь' }));
    expect(edited.address).toBe('ул. Ахунбаева, 122');
    const leased = await call(admin, 'PATCH', `/admin/land/plots/${plot.id}`, { status: 'leased_temporarily', leasedUntil: '2026-12-31' });
    expect(leased.statusCode, leased.body).toBe(200);
    // Back to available: the lease date goes with the status.
    const back = json(await call(admin, 'PATCH', `/admin/land/plots/${plot.id}`, { status: 'available' }));
    expect(back.leasedUntil).toBeNull();
    // Nothing changes: no line, no audit.
    await call(admin, 'PATCH', `/admin/land/plots/${plot.id}`, { address: 'ул. Ахунбаева, 122' });
    const history = json(await call(null, 'GET', `/land/plots/${plot.id}`)).history;
    expect(history.map((h: { kind: string; details: Record<string, unknown> }) => [h.kind, h.details])).toEqual([
      ['imported', expect.anything()],
      ['updated', { via: 'admin', fields: ['address', 'currentUse'] }],
      ['status_changed', { via: 'admin', from: 'available', to: 'leased_temporarily', leasedUntil: '2026-12-31' }],
      ['status_changed', { via: 'admin', from: 'leased_temporarily', to: 'available' }],
    ]);
    const a = await audits(plot.id);
    expect(a.map((x) => x.action)).toEqual(['create', 'update', 'update', 'update']);
    expect(a[1]!.before).toEqual({ address: 'ул. Ахунбаева, 120', currentUse: null });
    expect(a[2]!.after).toEqual({ status: 'leased_temporarily', leasedUntil: '2026-12-31' });
  });

  it('documents: uploaded by staff, listed on the passport, downloadable by anyone; other types refused', async () => {
    const title = { payload: Buffer.concat([Buffer.from('------shaar-import-test\r\nContent-Disposition: form-data; name="title"\r\n\r\nСхема участка\r\n'), multipartFile(PDF, 'scheme.pdf', 'application/pdf').payload]) };
    const up = await t.app.inject({ method: 'POST', url: `${M}/admin/land/plots/${plot.id}/documents`, headers: { ...admin.headers, ...multipartFile(PDF).headers }, payload: title.payload });
    expect(up.statusCode, up.body).toBe(201);
    expect(json(up)).toMatchObject({ title: 'Схема участка', fileName: 'scheme.pdf', contentType: 'application/pdf' });
    const p = json(await call(null, 'GET', `/land/plots/${plot.id}`));
    expect(p.documents).toHaveLength(1);
    expect(p.history.at(-1)).toMatchObject({ kind: 'document_added', details: { title: 'Схема участка', fileName: 'scheme.pdf' } });
    const down = await t.app.inject({ method: 'GET', url: p.documents[0].url });
    expect(down.statusCode).toBe(200);
    expect(down.rawPayload.equals(PDF)).toBe(true);
    const exe = multipartFile(Buffer.from('MZ\x90\x00'), 'x.exe', 'application/octet-stream');
    expect((await t.app.inject({ method: 'POST', url: `${M}/admin/land/plots/${plot.id}/documents`, headers: { ...admin.headers, ...exe.headers }, payload: exe.payload })).statusCode).toBe(415);
    // A "PDF" that is not one.
    const fake = multipartFile(Buffer.from('<html>'), 'fake.pdf', 'application/pdf');
    expect((await t.app.inject({ method: 'POST', url: `${M}/admin/land/plots/${plot.id}/documents`, headers: { ...admin.headers, ...fake.headers }, payload: fake.payload })).statusCode).toBe(415);
  });

  it('permissions: the land commission may, an executor may not (403), nobody signed in may not (401)', async () => {
    const commission = await t.staff('commission');
    await create({ cadastralNumber: '1-02-03-0004-0007', geometry: square(74.63, 42.82) }, commission);
    const executor = await t.staff('executor.roads');
    expect((await call(executor, 'POST', '/admin/land/plots', { cadastralNumber: '1-02-03-0004-0008', geometry: square(74.63, 42.82) })).statusCode).toBe(403);
    expect((await call(null, 'POST', '/admin/land/plots', { cadastralNumber: '1-02-03-0004-0008', geometry: square(74.63, 42.82) })).statusCode).toBe(401);
    expect((await call(executor, 'PATCH', `/admin/land/plots/${plot.id}`, { address: 'x' })).statusCode).toBe(403);
    expect((await call(null, 'POST', '/admin/land/plots/import?dryRun=false', { type: 'FeatureCollection', features: [] })).statusCode).toBe(401);
    const citizen = await t.citizen('+996700100200');
    expect((await call(citizen, 'POST', '/admin/land/plots', { cadastralNumber: '1-02-03-0004-0008', geometry: square(74.63, 42.82) })).statusCode).toBe(403);
    // Another city's admin.
    const oshAdmin = await t.staff('admin', 'osh');
    expect((await call(oshAdmin, 'PATCH', `/admin/land/plots/${plot.id}`, { address: 'x' })).statusCode).toBe(403);
  });
});

describe('import', () => {
  const feature = (props: Record<string, unknown>, geometry: unknown = square(74.58, 42.87)) => ({ type: 'Feature', properties: props, geometry });
  const collection = () => ({
    type: 'FeatureCollection',
    features: [
      feature({ cadastral_number: '1-04-05-0001-0001', address: 'ул. Токтогула, 90', district: 'leninsky', zoning: 'ОД', status: 'available' }, square(74.58, 42.87)),
      feature({ cadastral_number: '1-04-05-0001-0002', address: 'ул. Киевская, 77', area_m2: 1234.5, status: 'leased_temporarily', leased_until: '2026-10-01' }, square(74.59, 42.875)),
      feature({ cadastral_number: '1-04-05-0001-0003', current_use: 'пустырь' }, { type: 'MultiPolygon', coordinates: [square(74.60, 42.88).coordinates, square(74.602, 42.88).coordinates] }),
    ],
  });
  const run = (dryRun: boolean, body: unknown, headers: Record<string, string> = {}) =>
    call(admin, 'POST', `/admin/land/plots/import?dryRun=${dryRun}`, body as object, { 'accept-language': 'ru', ...headers });
  const countImported = async () => (await db().select().from(landPlots).where(eq(landPlots.municipalityId, mid))).filter((p) => p.cadastralNumber.startsWith('1-04-05')).length;

  it('a dry run counts and writes nothing; the real run creates; the same file again changes nothing', async () => {
    const dry = json(await run(true, collection()));
    expect(dry).toMatchObject({ dryRun: true, format: 'geojson', total: 3, created: 3, updated: 0, unchanged: 0, failed: 0, issues: [] });
    expect(await countImported()).toBe(0);
    const real = json(await run(false, collection()));
    expect(real).toMatchObject({ dryRun: false, total: 3, created: 3, failed: 0 });
    expect(await countImported()).toBe(3);
    const [p2] = await db().select().from(landPlots).where(eq(landPlots.cadastralNumber, '1-04-05-0001-0002'));
    expect(p2).toMatchObject({ areaM2: 1234.5, status: 'leased_temporarily', leasedUntil: '2026-10-01' });
    const list = json(await call(null, 'GET', '/land/plots?q=1-04-05-0001-0001'));
    expect(list.items[0].districtId).toBe(leninsky);
    const passport = json(await call(null, 'GET', `/land/plots/${list.items[0].id}`));
    expect(passport.history).toEqual([expect.objectContaining({ kind: 'imported', details: expect.objectContaining({ via: 'import' }) })]);
    const again = json(await run(false, collection()));
    expect(again).toMatchObject({ created: 0, updated: 0, unchanged: 3, failed: 0 });
    expect(await countImported()).toBe(3);
    expect(json(await call(null, 'GET', `/land/plots/${list.items[0].id}`)).history).toHaveLength(1);
  });

  it('a changed feature is updated (status line and audit), the others stay unchanged', async () => {
    const c = collection();
    c.features[0]!.properties.status = 'reserved_public';
    c.features[2]!.properties.current_use = 'стоянка';
    const res = json(await run(false, c));
    expect(res).toMatchObject({ created: 0, updated: 2, unchanged: 1 });
    const [p1] = await db().select().from(landPlots).where(eq(landPlots.cadastralNumber, '1-04-05-0001-0001'));
    const history = json(await call(null, 'GET', `/land/plots/${p1!.id}`)).history;
    expect(history.at(-1)).toMatchObject({ kind: 'status_changed', details: { via: 'import', from: 'available', to: 'reserved_public' } });
    expect((await audits(p1!.id)).map((a) => a.action)).toEqual(['import', 'import_update']);
  });

  it('reports bad features with their numbers, fields and reasons in Russian, and imports the good ones', async () => {
    const body = {
      type: 'FeatureCollection',
      features: [
        feature({ cadastral_number: '1-04-05-0002-0001' }, square(74.7, 42.9)),
        feature({ address: 'без номера' }),
        feature({ cadastral_number: '1-04-05-0002-0003', district: 'nowhere', status: 'sold' }),
        feature({ cadastral_number: '1-04-05-0002-0004' }, { type: 'Polygon', coordinates: [[[74.5, 42.8], [74.6, 42.8], [74.6, 42.9]]] }),
        feature({ cadastral_number: '1-04-05-0002-0001' }),
        { type: 'Point' },
        feature({ cadastral_number: '1-04-05-0002-0007', status: 'leased_temporarily' }),
        feature({ cadastral_number: '1-04-05-0002-0008', area_m2: -5, leased_until: '2026-02-30' }, null),
      ],
    };
    const res = json(await run(false, body));
    expect(res).toMatchObject({ total: 8, created: 1, failed: 7 });
    const at = (n: number) => res.issues.filter((i: { number: number }) => i.number === n).map((i: { field: string; code: string; message: string }) => [i.field, i.code, i.message]);
    expect(at(1)).toEqual([]);
    expect(at(2)).toEqual([['cadastral_number', 'required', 'Обязательное поле.']]);
    expect(at(3)).toEqual([
      ['district', 'unknown_district', 'Нет района с кодом «nowhere».'],
      ['status', 'invalid_status', 'Неизвестный статус «sold». Допустимые: available, proposed_for_lease, under_discussion, decided, leased_temporarily, reserved_public.'],
    ]);
    expect(at(4)).toEqual([['geometry.coordinates.0', 'too_few_positions', 'В кольце контура должно быть не меньше 4 точек.']]);
    expect(at(5)).toEqual([['cadastral_number', 'duplicate_in_file', 'Этот кадастровый номер уже встречается в строке 1.']]);
    expect(at(6)).toEqual([['feature', 'not_a_feature', 'Это не GeoJSON Feature.']]);
    expect(at(7)).toEqual([['leased_until', 'leased_until_required', 'Для участка во временной аренде укажите дату окончания аренды.']]);
    expect(at(8).map((x: string[]) => x[1])).toEqual(['invalid_number', 'invalid_date', 'required']);
    // Not a FeatureCollection at all.
    const wrong = await run(false, { type: 'Feature' });
    expect(wrong.statusCode).toBe(400);
    expect(json(wrong).error.message).toBe('Отправьте GeoJSON FeatureCollection или CSV-файл со строкой заголовков.');
    // The GeoJSON media type, and broken JSON under it.
    const geo = await run(true, JSON.stringify(collection()), { 'content-type': 'application/geo+json' });
    expect(json(geo)).toMatchObject({ format: 'geojson', total: 3, failed: 0 });
    const broken = await run(true, '{"type": "FeatureCollection", ', { 'content-type': 'application/geo+json' });
    expect(broken.statusCode).toBe(400);
    expect(json(broken).error.code).toBe('import_format');
  });

  it('imports CSV (a geometry column with GeoJSON text; semicolons too), as a body or a multipart file', async () => {
    const g = (lon: number) => JSON.stringify(square(lon, 42.86)).replace(/"/g, '""');
    const csv = [
      'cadastral_number,address,district,status,leased_until,geometry',
      `1-04-06-0001-0001,"ул. Московская, 10",leninsky,available,,"${g(74.57)}"`,
      `1-04-06-0001-0002,"ул. Московская, 12",,leased_temporarily,2026-09-30,"${g(74.572)}"`,
      `1-04-06-0001-0003,ул. Московская 14,,available,,not json`,
      '',
    ].join('\r\n');
    const dry = json(await run(true, csv, { 'content-type': 'text/csv' }));
    expect(dry).toMatchObject({ format: 'csv', total: 3, created: 2, failed: 1 });
    expect(dry.issues).toEqual([{ number: 4, field: 'geometry', code: 'invalid_json', message: 'Это не корректный текст GeoJSON.' }]);
    const real = multipartFile(csv, 'plots.csv', 'text/csv');
    const res = await t.app.inject({ method: 'POST', url: `${M}/admin/land/plots/import?dryRun=false`, headers: { ...admin.headers, ...real.headers }, payload: real.payload });
    expect(json(res)).toMatchObject({ format: 'csv', created: 2, failed: 1 });
    const semi = ['cadastral_number;address;status', '1-04-06-0001-0001;ул. Московская 10а;available', ''].join('\n');
    // Without the geometry column a row is incomplete.
    expect(json(await run(true, semi, { 'content-type': 'text/csv' })).issues).toEqual([
      { number: 2, field: 'geometry', code: 'required', message: 'Обязательное поле.' },
    ]);
    const noHeader = await run(true, 'a,b\n1,2\n', { 'content-type': 'text/csv' });
    expect(noHeader.statusCode).toBe(400);
  });
});

describe('public reads', () => {
  it('the list filters by status, district (id or code), text and map window', async () => {
    const all = json(await call(null, 'GET', '/land/plots?limit=200'));
    expect(all.total).toBeGreaterThan(5);
    expect(all.items[0]).toHaveProperty('center');
    const leased = json(await call(null, 'GET', '/land/plots?status=leased_temporarily'));
    expect(leased.items.length).toBeGreaterThan(0);
    expect(leased.items.every((p: { status: string }) => p.status === 'leased_temporarily')).toBe(true);
    const byCode = json(await call(null, 'GET', '/land/plots?district=leninsky&limit=200'));
    const byId = json(await call(null, 'GET', `/land/plots?district=${leninsky}&limit=200`));
    expect(byCode.total).toBe(byId.total);
    expect(byCode.items.every((p: { districtId: string }) => p.districtId === leninsky)).toBe(true);
    expect(json(await call(null, 'GET', '/land/plots?district=nowhere')).total).toBe(0);
    const q = json(await call(null, 'GET', `/land/plots?q=${encodeURIComponent('Киевская')}`));
    expect(q.items.map((p: { cadastralNumber: string }) => p.cadastralNumber)).toEqual(['1-04-05-0001-0002']);
    // A window around 74.58–74.595 E, 42.869–42.877 N holds the first two imported plots only.
    const box = json(await call(null, 'GET', '/land/plots?bbox=74.5795,42.869,74.5905,42.877'));
    expect(box.items.map((p: { cadastralNumber: string }) => p.cadastralNumber)).toEqual(['1-04-05-0001-0001', '1-04-05-0001-0002']);
    expect((await call(null, 'GET', '/land/plots?bbox=74.6,42.8,74.5,42.9')).statusCode).toBe(400);
    const page = json(await call(null, 'GET', '/land/plots?limit=2&offset=2'));
    expect(page.items).toHaveLength(2);
    expect(page.items[0].cadastralNumber).toBe(all.items[2].cadastralNumber);
  });

  it('the map gets a GeoJSON FeatureCollection with the same filters', async () => {
    const res = await call(null, 'GET', '/land/plots.geojson?bbox=74.5795,42.869,74.5905,42.877');
    expect(res.headers['content-type']).toContain('application/geo+json');
    const fc = json(res);
    expect(fc.type).toBe('FeatureCollection');
    expect(fc.truncated).toBe(false);
    expect(fc.features).toHaveLength(2);
    expect(fc.features[0]).toMatchObject({ type: 'Feature', geometry: { type: 'Polygon' }, properties: { cadastralNumber: '1-04-05-0001-0001' } });
    expect(json(await call(null, 'GET', '/land/plots.geojson?status=leased_temporarily')).features.every((f: { properties: { status: string } }) => f.properties.status === 'leased_temporarily')).toBe(true);
  });

  it('the passport shows announcements, proposals, commission items, hearings and the whole history in order, and no person', async () => {
    const p = await create({ cadastralNumber: '1-02-03-0009-0001', address: 'ул. Жибек-Жолу, 500', geometry: square(74.64, 42.88) });
    t.clock.advance(60_000);
    const ann = await call(admin, 'POST', '/admin/land/announcements', { plotId: p.id, kind: 'temporary_lease', title: { ru: 'Временная аренда под летнее кафе' }, leaseUntil: '2026-10-31' });
    expect(ann.statusCode, ann.body).toBe(201);
    const citizen = await t.citizen('+996700100300');
    t.clock.advance(60_000);
    const prop = await call(citizen, 'POST', '/land/proposals', { plotId: p.id, useKind: 'playground', title: 'Детская площадка', description: 'Во дворе нет ни одной площадки для детей.', authorName: 'Жители дома 500', language: 'ru' });
    expect(prop.statusCode, prop.body).toBe(201);
    const now = t.clock.now();
    const [meeting] = await db().insert(commissionMeetings).values({ municipalityId: mid, title: 'Заседание №7', startsAt: now, status: 'held' }).returning();
    await db().insert(commissionAgendaItems).values({ municipalityId: mid, meetingId: meeting!.id, subjectType: 'proposal', subjectId: json(prop).id, plotId: p.id, addedBy: 'staff',
      decision: 'approved', reasons: 'Площадка нужна кварталу.', votesFor: 7, votesAgainst: 1, votesAbstained: 0, decidedAt: now });
    await db().insert(publicHearings).values({ municipalityId: mid, plotId: p.id, title: 'Слушания по участку', startsAt: now, place: 'Мэрия, зал 2' });
    const passport = json(await call(null, 'GET', `/land/plots/${p.id}`));
    expect(passport.status).toBe('proposed_for_lease');
    expect(passport.announcements).toHaveLength(1);
    expect(passport.announcements[0]).toMatchObject({ kind: 'temporary_lease', commentsOpen: true, title: { ru: 'Временная аренда под летнее кафе', ky: 'Временная аренда под летнее кафе' } });
    expect(passport.proposals).toEqual([expect.objectContaining({ title: 'Детская площадка', useKind: 'playground', status: 'open', supportCount: 0 })]);
    expect(passport.decisions).toEqual([expect.objectContaining({ decision: 'approved', reasons: 'Площадка нужна кварталу.', votes: { for: 7, against: 1, abstained: 0 },
      meeting: expect.objectContaining({ title: 'Заседание №7' }) })]);
    expect(passport.hearings).toEqual([expect.objectContaining({ title: 'Слушания по участку', place: 'Мэрия, зал 2' })]);
    expect(passport.history.map((h: { kind: string }) => h.kind)).toEqual(['imported', 'announcement_published', 'status_changed', 'proposal_submitted']);
    const times = passport.history.map((h: { occurredAt: string }) => h.occurredAt);
    expect([...times].sort()).toEqual(times);
    // No person: not the citizen's phone, not the proposal's author name, not the staff member's name or e-mail or id.
    const text = JSON.stringify(passport) + JSON.stringify(json(await call(null, 'GET', '/land/plots?limit=200'))) + JSON.stringify(json(await call(null, 'GET', '/land/plots.geojson')));
    const me = json(await t.app.inject({ method: 'GET', url: '/api/v1/auth/me', headers: admin.headers }));
    for (const secret of ['996700100300', 'Жители дома 500', me.fullName, me.email, me.id]) expect(text).not.toContain(secret);
    expect(await db().select().from(landProposals).where(eq(landProposals.plotId, p.id))).toHaveLength(1);
  });

  it('an unknown plot is 404, a malformed id 400', async () => {
    expect((await call(null, 'GET', '/land/plots/00000000-0000-4000-8000-000000000000')).statusCode).toBe(404);
    expect((await call(null, 'GET', '/land/plots/nope')).statusCode).toBe(400);
  });
});

describe('demo plots', () => {
  it('seeds Bishkek and Osh once, valid outlines in their districts, one open temporary-lease announcement', async () => {
    const { seedDemoLand } = await import('../../demo/demo-land.js');
    // 1-02-03-0004-0005 was made above: an existing plot is left alone.
    expect(await seedDemoLand(db(), t.clock)).toBe(6);
    expect(await seedDemoLand(db(), t.clock)).toBe(0);
    const demo = json(await call(null, 'GET', '/land/plots?q=1-01-04-0031-0102'));
    expect(demo.items[0]).toMatchObject({ districtId: leninsky, status: 'reserved_public' });
    expect(json(await call(null, 'GET', '/land/plots?q=1-02-03-0004-0005')).items[0].address).toBe('ул. Ахунбаева, 122');
    const osh = json(await t.app.inject({ method: 'GET', url: '/api/v1/m/osh/land/plots' }));
    expect(osh.total).toBe(2);
    for (const p of osh.items) {
      expect(p.areaM2).toBeGreaterThan(500);
      expect(p.areaM2).toBeLessThan(5000);
    }
    const open = json(await call(null, 'GET', '/land/announcements?status=published'));
    const lease = open.items.filter((a: { kind: string; cadastralNumber: string }) => a.kind === 'temporary_lease' && a.cadastralNumber === '1-03-05-0112-0017');
    expect(lease).toHaveLength(1);
    expect(lease[0].commentsOpen).toBe(true);
    expect(lease[0].title.ky).toContain('Жибек Жолу');
  });
});
