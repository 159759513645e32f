/**
 * Systemic problems end to end on a synthetic registry with planted problems: the ten-minute job finds them and saves
 * records; incremental runs equal a batch; analysts list, filter, open, confirm, dismiss, merge, annotate and export,
 * every change audited; other roles are refused; no personal data in any answer.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { and, eq, inArray } from 'drizzle-orm';
import { cellToLatLng, latLngToCell } from 'h3-js';
import { createTestApp, json, type Ids, type Session, type TestApp } from '../../test-support/test-app.js';
import { appeals, auditLog, systemicProblemMembers, systemicProblems } from '../../platform/db/schema.js';
import { generateSynthetic } from '../../synthetic/generate.js';
import { loadReference, writeSynthetic } from '../../synthetic/write.js';
import type { SyntheticData } from '../../synthetic/records.js';
import { SystemicDetection } from './systemic-jobs.js';

const NOW = '2026-11-20T06:00:00Z';
const DAY = 86_400_000;
const M = '/api/v1/m/bishkek';
const S = `${M}/systemic-problems`;
let t: TestApp;
let ids: Ids;
let data: SyntheticData;
const staff: Record<string, Session> = {};
let resident: Session;

async function call(session: Session | null, method: 'GET' | 'POST', url: string, payload?: object, headers: Record<string, string> = {}) {
  return t.app.inject({ method, url, headers: { ...(session?.headers ?? {}), ...headers }, ...(payload ? { payload } : {}) });
}
async function ok<T = any>(session: Session | null, method: 'GET' | 'POST', url: string, payload?: object, status = 200, headers: Record<string, string> = {}): Promise<T> {
  const res = await call(session, method, url, payload, headers);
  expect(res.statusCode, `${method} ${url}: ${res.body}`).toBe(status);
  return json<T>(res);
}
const records = () => t.services.database.db.select().from(systemicProblems).where(eq(systemicProblems.municipalityId, ids.municipalityId));
async function membersOf(problemId: string) {
  const rows = await t.services.database.db.select({ a: systemicProblemMembers.appealId }).from(systemicProblemMembers)
    .where(and(eq(systemicProblemMembers.municipalityId, ids.municipalityId), eq(systemicProblemMembers.problemId, problemId)));
  return new Set(rows.map((r) => r.a));
}
const audits = (entityId: string) => t.services.database.db.select().from(auditLog)
  .where(and(eq(auditLog.municipalityId, ids.municipalityId), eq(auditLog.entityType, 'systemic_problem'), eq(auditLog.entityId, entityId)));

beforeAll(async () => {
  t = await createTestApp({ now: NOW, env: { SESSION_DAYS: '90' } });
  ids = await t.ids();
  for (const key of ['analyst', 'supervisor', 'admin', 'operator', 'executor.roads']) staff[key] = await t.staff(key);
  resident = await t.citizen('+996555700100');
  const ref = (await loadReference(t.services.database.db, 'bishkek'))!;
  data = generateSynthetic(ref, { appeals: 6000, seed: 12, from: '2023-09-01', to: '2026-11-15', now: new Date(NOW), planted: 3 });
  await writeSynthetic(t.services.database.db, ref, data, { source: 'synthetic:systemic-test' });
}, 240_000);
afterAll(async () => { await t?.close(); });

/** The record holding most of a planted problem's appeals, if any. */
async function recordOf(planted: SyntheticData['planted'][number]) {
  for (const r of await records()) {
    const members = await membersOf(r.id);
    if (planted.appealIds.filter((id) => members.has(id)).length * 2 > planted.appealIds.length) return r;
  }
  return undefined;
}
/** The ten-minute job, as a running server would run it at that time. */
async function runJobAt(at: Date | string) {
  t.clock.set(at);
  await t.services.jobs.runDue({ includeRecurring: true });
}

describe('the detection job', () => {
  it('finds the planted hotspot while it lasts and the seasonal problem, and keeps a problem that is over inactive', async () => {
    const plantedOf = (kind: string) => data.planted.find((p) => p.kind === kind)!;
    const hotspot = plantedOf('hotspot');
    const seasonal = plantedOf('seasonal');
    await runJobAt(new Date(Date.parse(hotspot.to) + 2 * DAY));
    const found = await recordOf(hotspot);
    expect(found, 'the hotspot as of its last week').toMatchObject({ active: true, status: 'new', kinds: expect.arrayContaining(['spatial']) });
    await runJobAt(new Date(Date.parse(seasonal.to) + 2 * DAY));
    expect(await recordOf(seasonal), 'the seasonal problem as of its last winter').toMatchObject({ kinds: expect.arrayContaining(['seasonal']) });
    // A year later the hotspot's weeks are out of the spatial window: kept, with its appeals, but inactive.
    await runJobAt(NOW);
    const later = (await records()).find((r) => r.id === found!.id)!;
    expect(later.active).toBe(false);
    expect((await membersOf(later.id)).size).toBe(later.appeals);
    // Every record: its members of its category, figures over them.
    const byId = new Map(data.appeals.map((a) => [a.id, a]));
    for (const r of await records()) {
      const mine = [...await membersOf(r.id)];
      expect(r.appeals).toBe(mine.length);
      expect(mine.every((id) => byId.get(id)?.categoryId === r.categoryId)).toBe(true);
      expect(Object.values(r.monthly).reduce((a, b) => a + b, 0)).toBe(mine.length);
    }
    // A resident refiling after every closure is one voice, not a systemic problem (docs/systemic-problems.md, rule b).
    expect(await recordOf(plantedOf('repeat_after_closure'))).toBeUndefined();
  });

  it('runs incrementally on new appeals and gives what a batch gives', async () => {
    const db = t.services.database.db;
    const detection = new SystemicDetection(db, t.clock, { rebuildAfterMs: 120 * DAY });
    const m = { id: ids.municipalityId, tz: 'Asia/Bishkek' };
    expect((await detection.run(m.id, m.tz)).mode).toBe('batch');
    // A new cluster: a resident a week for six weeks reporting open manholes (a rare category) in one courtyard.
    const cell = latLngToCell(42.8300, 74.6500, 9);
    const [lat, lon] = cellToLatLng(cell);
    const category = ids.category('water.manhole');
    const before = (await records()).length;
    for (let i = 0; i < 6; i++) {
      t.clock.advance(6 * DAY);
      await ok(staff.operator!, 'POST', `${M}/reception/appeals`, {
        kind: 'complaint', channel: 'phone', categoryId: category, subject: 'Открытый люк во дворе', body: 'Во дворе открыт канализационный люк, опасно для детей.',
        location: { lat, lon }, applicant: { fullName: `Житель ${i}`, phone: `+996700${String(100000 + i)}` },
      }, 201);
      const r = await detection.run(m.id, m.tz);
      expect(r.mode).toBe('incremental');
    }
    const rows = await records();
    const mine = rows.find((r) => r.categoryId === category && r.cells.includes(cell) && r.active);
    expect(rows.length).toBeGreaterThan(before);
    expect(mine, 'the new cluster').toBeDefined();
    expect(mine).toMatchObject({ appeals: 6, distinctApplicants: 6, kinds: ['spatial'] });
    // A batch over the same history, as a new process would run it, finds exactly what the increments saved.
    const batch = await new SystemicDetection(db, t.clock).run(m.id, m.tz);
    expect(batch).toMatchObject({ mode: 'batch', created: 0, updated: 0, deactivated: 0 });
  });

  it('follows a change of an appeal already seen (reclassified: it leaves the problem)', async () => {
    const db = t.services.database.db;
    const detection = new SystemicDetection(db, t.clock, { rebuildAfterMs: 120 * DAY });
    await detection.run(ids.municipalityId, 'Asia/Bishkek');
    const category = ids.category('water.manhole');
    const problem = (await records()).find((r) => r.categoryId === category && r.active && r.appeals === 6)!;
    const members = [...await membersOf(problem.id)];
    // Two of the six are moved to another category: five residents are needed, four are left.
    t.clock.advance(60_000);
    await db.update(appeals).set({ categoryId: ids.category('roads.pothole'), updatedAt: t.clock.now() })
      .where(and(eq(appeals.municipalityId, ids.municipalityId), inArray(appeals.id, members.slice(0, 2))));
    const r = await detection.run(ids.municipalityId, 'Asia/Bishkek');
    expect(r).toMatchObject({ mode: 'incremental', deactivated: 1 });
    const [after] = await db.select().from(systemicProblems).where(eq(systemicProblems.id, problem.id));
    expect(after!.active).toBe(false);
    expect(await new SystemicDetection(db, t.clock).run(ids.municipalityId, 'Asia/Bishkek')).toMatchObject({ created: 0, updated: 0, deactivated: 0 });
  });
});

describe('the analysts’ API', () => {
  it('is for analysts, supervisors and admins only', async () => {
    expect((await call(null, 'GET', S)).statusCode).toBe(401);
    for (const who of [staff.operator!, staff['executor.roads']!, resident]) expect((await call(who, 'GET', S)).statusCode).toBe(403);
    for (const key of ['analyst', 'supervisor', 'admin']) expect((await ok(staff[key]!, 'GET', S)).total).toBeGreaterThan(0);
    const [any] = await records();
    expect((await call(staff.operator!, 'POST', `${S}/${any!.id}/confirm`, {})).statusCode).toBe(403);
    expect((await call(staff.operator!, 'GET', `${S}/export?format=csv`)).statusCode).toBe(403);
    expect((await call(staff.supervisor!, 'POST', `${S}/detect`)).statusCode).toBe(403);
    expect((await ok(staff.analyst!, 'GET', S, undefined, 200, { cookie: '' }).catch(() => null))).toBeNull();
  });

  it('lists by score, filters and pages', async () => {
    const all = await ok(staff.analyst!, 'GET', `${S}?limit=200`);
    expect(all.items.length).toBe(all.total);
    const scores = all.items.map((x: any) => x.score);
    expect(scores).toEqual([...scores].sort((a, b) => b - a));
    const spatial = await ok(staff.analyst!, 'GET', `${S}?kind=spatial&limit=200`);
    expect(spatial.items.every((x: any) => x.kinds.includes('spatial'))).toBe(true);
    expect(spatial.total).toBe(all.items.filter((x: any) => x.kinds.includes('spatial')).length);
    const median = scores[Math.floor(scores.length / 2)];
    const high = await ok(staff.analyst!, 'GET', `${S}?minScore=${median}&limit=200`);
    expect(high.total).toBe(scores.filter((s: number) => s >= median).length);
    expect((await ok(staff.analyst!, 'GET', `${S}?active=false&limit=200`)).items.every((x: any) => !x.active)).toBe(true);
    // A top-level category stands for its subcategories.
    const dir = await t.services.directory.get(ids.municipalityId);
    const waterSubs = new Set([...dir.categories.values()].filter((c) => c.parentId === ids.category('water')).map((c) => c.id));
    const water = await ok(staff.analyst!, 'GET', `${S}?categoryId=${ids.category('water')}&limit=200`);
    expect(water.items.map((x: any) => x.id)).toEqual(all.items.filter((x: any) => waterSubs.has(x.categoryId)).map((x: any) => x.id));
    expect(water.items.some((x: any) => x.categoryId === ids.category('water.manhole'))).toBe(true);
    const manhole = await ok(staff.analyst!, 'GET', `${S}?categoryId=${ids.category('water.manhole')}&limit=200`);
    expect(manhole.items.every((x: any) => x.categoryId === ids.category('water.manhole'))).toBe(true);
    const page = await ok(staff.analyst!, 'GET', `${S}?limit=2&offset=1`);
    expect(page.items.map((x: any) => x.id)).toEqual(all.items.slice(1, 3).map((x: any) => x.id));
    const bad = await call(staff.analyst!, 'GET', `${S}?categoryId=${crypto.randomUUID()}`, undefined, { 'accept-language': 'ky' });
    expect(bad.statusCode).toBe(400);
    expect(json(bad).error.code).toBe('invalid_reference');
  });

  it('opens a problem with its appeals, monthly trend and no personal data', async () => {
    const list = await ok(staff.supervisor!, 'GET', `${S}?limit=1`);
    const detail = await ok(staff.supervisor!, 'GET', `${S}/${list.items[0].id}`);
    expect(detail.members.length).toBe(detail.appeals);
    const rows = await t.services.database.db.select({ id: appeals.id, n: appeals.registrationNumber }).from(appeals)
      .where(inArray(appeals.id, detail.members.map((x: any) => x.appealId)));
    expect(new Map(detail.members.map((x: any) => [x.appealId, x.registrationNumber]))).toEqual(new Map(rows.map((r) => [r.id, r.n])));
    expect(detail.monthly.reduce((s: number, x: any) => s + x.appeals, 0)).toBe(detail.appeals);
    expect(detail.monthly[0].month <= detail.monthly[detail.monthly.length - 1].month).toBe(true);
    const text = JSON.stringify(detail);
    const memberSet = new Set(detail.members.map((x: any) => x.appealId));
    for (const p of data.applicants.filter((x) => memberSet.has(x.appealId))) {
      expect(text).not.toContain(p.fullName);
      if (p.phone) expect(text).not.toContain(p.phone);
      if (p.email) expect(text).not.toContain(p.email);
    }
    for (const a of data.appeals.filter((x) => memberSet.has(x.id)).slice(0, 20)) expect(text).not.toContain(a.subject);
    expect((await call(staff.analyst!, 'GET', `${S}/${crypto.randomUUID()}`)).statusCode).toBe(404);
  });

  it('confirms and dismisses with reasons, checks the version, and keeps the decision over reruns', async () => {
    // One problem that is over (the hotspot) and one the detector still finds.
    const { items: [a] } = await ok(staff.analyst!, 'GET', `${S}?active=false&status=new&limit=1`);
    const { items: [b] } = await ok(staff.analyst!, 'GET', `${S}?active=true&status=new&limit=1`);
    const confirmed = await ok(staff.analyst!, 'POST', `${S}/${a.id}/confirm`, { reason: 'В программу ремонта дорог 2027' }, 200, { 'if-match': `"${a.version}"` });
    expect(confirmed).toMatchObject({ status: 'confirmed', statusReason: 'В программу ремонта дорог 2027', version: a.version + 1 });
    expect((await call(staff.analyst!, 'POST', `${S}/${a.id}/confirm`, {})).statusCode).toBe(409);
    expect((await call(staff.analyst!, 'POST', `${S}/${a.id}/dismiss`, { reason: 'x' }, { 'if-match': `"${a.version}"` })).statusCode).toBe(409);
    const noReason = await call(staff.analyst!, 'POST', `${S}/${b.id}/dismiss`, { reason: '   ' }, { 'accept-language': 'ru' });
    expect(noReason.statusCode).toBe(400);
    expect(json(noReason).error.message).toMatch(/[а-я]/i);
    expect((await ok(staff.analyst!, 'GET', `${S}/${b.id}`)).status).toBe('new');
    expect(await ok(staff.admin!, 'POST', `${S}/${b.id}/dismiss`, { reason: 'Разовые работы подрядчика' })).toMatchObject({ status: 'dismissed' });
    expect((await audits(a.id)).map((x) => [x.action, x.reason])).toEqual([['confirm', 'В программу ремонта дорог 2027']]);
    expect((await audits(b.id)).map((x) => [x.action, x.reason])).toEqual([['dismiss', 'Разовые работы подрядчика']]);

    // A batch over all history, on demand: audited; the decisions stay.
    const detect = await ok(staff.analyst!, 'POST', `${S}/detect`);
    expect(detect).toMatchObject({ mode: 'batch' });
    expect(detect.appeals).toBeGreaterThanOrEqual(data.appeals.length);
    const runs = await t.services.database.db.select().from(auditLog)
      .where(and(eq(auditLog.municipalityId, ids.municipalityId), eq(auditLog.entityType, 'systemic_problems'), eq(auditLog.action, 'detect')));
    expect(runs).toHaveLength(1);
    expect((await ok(staff.analyst!, 'GET', `${S}/${a.id}`)).status).toBe('confirmed');
    expect(await ok(staff.analyst!, 'GET', `${S}/${b.id}`)).toMatchObject({ status: 'dismissed', active: true });
  });

  it('merges one problem into another: its appeals join the target', async () => {
    // The new cluster (no longer found) joins the confirmed problem.
    const { items: [from] } = await ok(staff.analyst!, 'GET', `${S}?status=new&limit=1`);
    const { items: [into] } = await ok(staff.analyst!, 'GET', `${S}?status=confirmed&limit=1`);
    const fromMembers = await membersOf(from.id);
    const intoMembers = await membersOf(into.id);
    const merged = await ok(staff.analyst!, 'POST', `${S}/${from.id}/merge`, { intoId: into.id });
    expect(merged).toMatchObject({ status: 'merged', mergedIntoId: into.id });
    const union = new Set([...fromMembers, ...intoMembers]);
    expect(await membersOf(into.id)).toEqual(union);
    const target = await ok(staff.analyst!, 'GET', `${S}/${into.id}`);
    expect(target.appeals).toBe(union.size);
    expect(target.mergedFrom.map((x: any) => x.id)).toEqual([from.id]);
    expect(target.version).toBe(into.version + 1);
    expect((await call(staff.analyst!, 'POST', `${S}/${from.id}/merge`, { intoId: into.id })).statusCode).toBe(409);
    expect((await call(staff.analyst!, 'POST', `${S}/${into.id}/merge`, { intoId: into.id })).statusCode).toBe(409);
    expect((await call(staff.analyst!, 'POST', `${S}/${into.id}/merge`, { intoId: from.id })).statusCode).toBe(409);
    expect((await call(staff.analyst!, 'POST', `${S}/${into.id}/merge`, { intoId: crypto.randomUUID() })).statusCode).toBe(400);
    expect((await audits(from.id)).map((x) => x.action)).toEqual(['merge']);
    expect((await audits(into.id)).filter((x) => x.action === 'absorb').map((x) => x.after)).toEqual([{ mergedFrom: from.id }]);
    // The detector's next run keeps the union.
    t.clock.advance(10 * 60_000);
    await t.services.jobs.runDue({ includeRecurring: true });
    expect(await membersOf(into.id)).toEqual(union);
    expect((await ok(staff.analyst!, 'GET', `${S}/${from.id}`)).status).toBe('merged');
    expect((await ok(staff.analyst!, 'GET', `${S}/${into.id}`)).status).toBe('confirmed');
  });

  it('keeps notes with their author, oldest first', async () => {
    const { items: [p] } = await ok(staff.analyst!, 'GET', `${S}?limit=1`);
    const first = await ok(staff.analyst!, 'POST', `${S}/${p.id}/notes`, { body: 'Проверить с Бишкекводоканалом' }, 201);
    t.clock.advance(1000);
    await ok(staff.supervisor!, 'POST', `${S}/${p.id}/notes`, { body: 'Включить в план на 2027 год' }, 201);
    expect((await call(staff.analyst!, 'POST', `${S}/${p.id}/notes`, { body: ' ' })).statusCode).toBe(400);
    const detail = await ok(staff.analyst!, 'GET', `${S}/${p.id}`);
    expect(detail.notes.map((n: any) => n.body)).toEqual(['Проверить с Бишкекводоканалом', 'Включить в план на 2027 год']);
    expect(detail.notes[0]).toMatchObject({ id: first.id, authorName: first.authorName });
    expect(first.authorName).toBeTruthy();
    expect((await audits(p.id)).filter((x) => x.action === 'add_note')).toHaveLength(2);
  });

  it('exports the filtered list as CSV and XLSX in the request language', async () => {
    const list = await ok(staff.analyst!, 'GET', `${S}?kind=spatial&limit=200`);
    const csv = await call(staff.analyst!, 'GET', `${S}/export?format=csv&kind=spatial`, undefined, { 'accept-language': 'ru' });
    expect(csv.statusCode).toBe(200);
    expect(csv.headers['content-type']).toBe('text/csv; charset=utf-8');
    expect(csv.headers['content-disposition']).toMatch(/^attachment; filename="[^"]+\.csv"; filename\*=UTF-8''.+\.csv$/);
    const lines = csv.body.replace(/^\uFEFF/, '').trimEnd().split('\r\n');
    expect(lines[0]).toContain('Категория');
    expect(lines).toHaveLength(list.total + 1);
    expect(lines.slice(1).map((l) => l.split(',').at(-1))).toEqual(list.items.map((x: any) => x.id));
    const en = await call(staff.analyst!, 'GET', `${S}/export?format=csv`, undefined, { 'accept-language': 'en' });
    expect(en.body).toContain('Category');
    // A download link names its language in the address.
    expect((await call(staff.analyst!, 'GET', `${S}/export?format=csv&lang=ky`, undefined, { 'accept-language': 'en' })).body).toContain('Категория,Район,Аткарылган эрежелер');
    const xlsx = await call(staff.supervisor!, 'GET', `${S}/export?format=xlsx&kind=spatial`, undefined, { 'accept-language': 'ky' });
    expect(xlsx.statusCode).toBe(200);
    expect(xlsx.headers['content-type']).toBe('application/vnd.openxmlformats-officedocument.spreadsheetml.sheet');
    expect(xlsx.rawPayload.subarray(0, 2).toString()).toBe('PK');
    expect((await call(staff.analyst!, 'GET', `${S}/export?format=pdf`)).statusCode).toBe(400);
  });
});
