/**
 * The analytics API against the registry it summarises: 1,500 synthetic appeals of Bishkek (Sep 2025 – Nov 2026,
 * with answers, ratings and consented profiles) plus a few filed through the API by a known resident, the cube built
 * whole, then every figure compared with a direct count of the appeals table made here: totals, filters (a category
 * group with its subcategories, forms, periods), shares, comparison periods, cross-tabs, the groups of residents
 * (small cells suppressed, and no cell recoverable from a total), the maps, the drill-down's pages, the files, the
 * public dashboard (no personal data) and who may read what.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql, type SQL } from 'drizzle-orm';
import { latLngToCell } from 'h3-js';
import { createTestApp, json, type Ids, type Session, type TestApp } from '../../test-support/test-app.js';
import { queryRows } from '../../platform/db/database.js';
import { generateSynthetic } from '../../synthetic/generate.js';
import { loadReference, writeSynthetic } from '../../synthetic/write.js';
import { MAP_RESOLUTION, refreshAnalytics } from './analytics-refresh.js';
import { suppressList, suppressTable } from './analytics-suppression.js';
import { comparePeriodOf, resolvePeriod } from './analytics-period.js';

let t: TestApp;
let ids: Ids;
let analyst: Session;
const TZ = 'Asia/Bishkek';
const NOW = '2026-11-20T06:00:00Z';
const M = '/api/v1/m/bishkek';
const RESIDENT = { fullName: 'Бактыгүл Осмоналиева', phone: '+996700456789', email: 'baktygul.o@example.kg' };

const rows = <T>(q: SQL) => queryRows<T>(t.services.database.db, q);
async function get<T = any>(url: string, session: Session | null = analyst, status = 200, headers: Record<string, string> = {}) {
  const res = await t.app.inject({ method: 'GET', url, headers: { ...(session?.headers ?? {}), ...headers } });
  expect(res.statusCode, `GET ${url}: ${res.body}`).toBe(status);
  return { body: status === 200 && res.headers['content-type']?.toString().startsWith('application/json') ? json<T>(res) : (undefined as T), res };
}
const body = async <T = any>(url: string, session: Session | null = analyst) => (await get<T>(url, session)).body;

/** Instants of a period of local months. */
const bounds = (from: string, to: string) => sql`a.registered_at >= (${`${from}-01`}::date::timestamp at time zone ${TZ})
  and a.registered_at < ((${`${to}-01`}::date + interval '1 month')::timestamp at time zone ${TZ})`;
/** The figures straight from the registry (latest answer and rating of each appeal), grouped by `key` (text). */
async function direct(from: string, to: string, where: SQL = sql`true`, key: SQL = sql`''`) {
  return rows<{ key: string | null; appeals: number; answered: number; on_time: number; ratings: number; rating_sum: number; yes: number; collective: number; repeats: number }>(sql`
    select (${key})::text as key, count(*)::int as appeals, count(x.appeal_id)::int as answered, (count(*) filter (where x.on_time))::int as on_time,
      count(r.appeal_id)::int as ratings, coalesce(sum(r.overall), 0)::int as rating_sum, (count(*) filter (where r.solved = 'yes'))::int as yes,
      (count(*) filter (where a.is_collective))::int as collective, (count(*) filter (where a.repeat_of_id is not null))::int as repeats
    from appeals a
    left join categories c on c.municipality_id = a.municipality_id and c.id = a.category_id
    left join appeal_demographics d on d.municipality_id = a.municipality_id and d.appeal_id = a.id
    left join lateral (select x.appeal_id, x.on_time from appeal_answers x where x.municipality_id = a.municipality_id and x.appeal_id = a.id
      order by x.created_at desc limit 1) x on true
    left join lateral (select r.appeal_id, r.overall, r.solved from answer_ratings r where r.municipality_id = a.municipality_id and r.appeal_id = a.id
      order by r.created_at desc limit 1) r on true
    where a.municipality_id = ${ids.municipalityId} and ${bounds(from, to)} and ${where}
    group by 1 order by 1`);
}
const one = async (from: string, to: string, where?: SQL) => (await direct(from, to, where))[0] ?? { appeals: 0, answered: 0, on_time: 0, ratings: 0 };
const byKey = <T extends { key: string | null }>(list: T[]) => new Map(list.map((r) => [r.key ?? 'none', r]));

beforeAll(async () => {
  t = await createTestApp({ now: NOW, env: { SESSION_DAYS: '90' } });
  ids = await t.ids();
  analyst = await t.staff('analyst');
  const ref = (await loadReference(t.services.database.db, 'bishkek'))!;
  await writeSynthetic(t.services.database.db, ref, generateSynthetic(ref, {
    appeals: 1500, seed: 21, from: '2025-09-01', to: '2026-11-19', now: new Date(NOW), planted: 1,
  }));
  // A resident whose name, phone and e-mail must never come out of a public route or a file.
  const resident = await t.citizen(RESIDENT.phone);
  for (const category of ['roads.pothole', 'water.none']) {
    const res = await t.app.inject({
      method: 'POST', url: `${M}/appeals`, headers: resident.headers, payload: {
        kind: 'complaint', categoryId: ids.category(category), subject: `Тема для проверки ${category}`, language: 'ru',
        body: 'Проблема во дворе дома уже две недели, просим принять меры.', applicant: RESIDENT,
      },
    });
    expect(res.statusCode, res.body).toBe(201);
  }
  await refreshAnalytics(t.services.database.db, t.clock, ids.municipalityId, TZ, { full: true });
});
afterAll(async () => { await t.close(); });

describe('periods and suppression (pure)', () => {
  it('defaults to the last 12 months with the current one, refuses more than 120, compares with the months before or a year before', () => {
    const now = new Date(NOW);
    expect(resolvePeriod({}, now, TZ)).toEqual({ from: '2025-12', to: '2026-11', months: 12 });
    expect(resolvePeriod({ to: '2026-03' }, now, TZ)).toEqual({ from: '2025-04', to: '2026-03', months: 12 });
    expect(resolvePeriod({ from: '2016-12', to: '2026-11' }, now, TZ)?.months).toBe(120);
    expect(resolvePeriod({ from: '2016-11', to: '2026-11' }, now, TZ)).toBeNull();
    expect(resolvePeriod({ from: '2026-05', to: '2026-04' }, now, TZ)).toBeNull();
    expect(resolvePeriod({ from: '1999-01', to: '1999-02' }, now, TZ)).toBeNull();
    const p = resolvePeriod({ from: '2026-01', to: '2026-03' }, now, TZ)!;
    expect(comparePeriodOf(p, 'previous')).toEqual({ from: '2025-10', to: '2025-12', months: 3 });
    expect(comparePeriodOf(p, 'year_before')).toEqual({ from: '2025-01', to: '2025-03', months: 3 });
    expect(comparePeriodOf(p, 'none')).toBeNull();
  });

  it('hides counts below 5, and a partner wherever a line would give a hidden count away', () => {
    // One hidden cell of 3 in a list with a shown total: the next smallest (7) goes too.
    expect(suppressList([20, 3, 7, 9])).toEqual([20, null, null, 9]);
    // Two hidden cells adding up to 5 or more, or hidden zeros: nothing to give away.
    expect(suppressList([20, 3, 4, 9])).toEqual([20, null, null, 9]);
    expect(suppressList([20, 0, 9])).toEqual([20, null, 9]);
    // Hidden 1 + 2 = 3 < 5: the subtraction would show "3 people here", so one more goes.
    expect(suppressList([20, 1, 2, 9])).toEqual([20, null, null, null]);
    // A table: the 2 takes its row's 10 and its column's 6 with it; the 10 then takes its column's 12.
    const table = suppressTable([[10, 2, 30], [12, 6, 40], [15, 8, 50]]);
    expect(table).toEqual([[null, null, 30], [null, null, 40], [15, 8, 50]]);
    for (const line of [...table, ...[0, 1, 2].map((j) => table.map((r) => r[j]!))]) {
      expect(line.filter((v) => v === null).length).not.toBe(1);
    }
  });
});

describe('the analytics API', () => {
  it('gives totals equal to a direct count of the registry, with the comparison period', async () => {
    const s = await body(`${M}/analytics/summary?from=2026-03&to=2026-08&compare=previous`);
    expect(s.period).toEqual({ from: '2026-03', to: '2026-08', months: 6 });
    expect(s.comparePeriod).toEqual({ from: '2025-09', to: '2026-02', months: 6 });
    const d = await one('2026-03', '2026-08');
    expect(d.appeals).toBeGreaterThan(300);
    expect(s.figures).toMatchObject({ appeals: d.appeals, answered: d.answered, answeredOnTime: d.on_time, ratings: d.ratings, share: 100 });
    expect(s.figures.onTimePct).toBeCloseTo((100 * d.on_time) / d.answered, 1);
    const c = await one('2025-09', '2026-02');
    expect(s.compareFigures).toMatchObject({ appeals: c.appeals, answered: c.answered, ratings: c.ratings });
    expect(s.refreshedAt).toBe(t.clock.now().toISOString());
    // The default: the last 12 months, against the 12 before.
    const def = await body(`${M}/analytics/summary`);
    expect(def.period).toEqual({ from: '2025-12', to: '2026-11', months: 12 });
    expect(def.figures.appeals).toBe((await one('2025-12', '2026-11')).appeals);
  });

  it('filters: a category group with its subcategories, forms as their channels, several values of one filter', async () => {
    const roads = ids.category('roads');
    const s = await body(`${M}/analytics/summary?from=2025-09&to=2026-11&category=${roads}`);
    const d = await one('2025-09', '2026-11', sql`(c.id = ${roads} or c.parent_id = ${roads})`);
    expect(d.appeals).toBeGreaterThan(50);
    expect(s.figures.appeals).toBe(d.appeals);

    const oral = await body(`${M}/analytics/summary?from=2025-09&to=2026-11&form=oral`);
    expect(oral.figures.appeals).toBe((await one('2025-09', '2026-11', sql`a.channel in ('in_person', 'phone')`)).appeals);
    const written = await body(`${M}/analytics/summary?from=2025-09&to=2026-11&form=written&form=oral`);
    expect(written.figures.appeals).toBe((await one('2025-09', '2026-11', sql`a.channel in ('in_person', 'phone', 'letter')`)).appeals);
    // A channel and a form combine with AND.
    const none = await body(`${M}/analytics/summary?from=2025-09&to=2026-11&form=written&channel=web`);
    expect(none.figures.appeals).toBe(0);

    const pothole = ids.category('roads.pothole');
    const leninsky = ids.district('leninsky');
    const narrow = await body(`${M}/analytics/summary?from=2026-01&to=2026-06&category=${pothole}&district=${leninsky}&kind=complaint&kind=statement`);
    expect(narrow.figures.appeals).toBe((await one('2026-01', '2026-06',
      sql`a.category_id = ${pothole} and a.district_id = ${leninsky} and a.kind in ('complaint', 'statement')`)).appeals);
    const closed = await body(`${M}/analytics/summary?from=2025-09&to=2026-11&status=closed`);
    expect(closed.figures.appeals).toBe((await one('2025-09', '2026-11', sql`a.status = 'closed'`)).appeals);
  });

  it('breaks down by category group with shares adding up to 100, and by month against the year before', async () => {
    const b = await body(`${M}/analytics/breakdown?by=category_group&from=2025-09&to=2026-11`);
    const d = byKey(await direct('2025-09', '2026-11', sql`true`, sql`coalesce(c.parent_id, a.category_id)`));
    expect(b.rows.length).toBe(d.size);
    for (const r of b.rows) {
      expect(r.figures.appeals, r.key).toBe(d.get(r.key)!.appeals);
      expect(r.label?.en).toBeTruthy();
    }
    expect(b.rows.reduce((s: number, r: any) => s + r.figures.share, 0)).toBeCloseTo(100, 0);
    expect(b.rows.map((r: any) => r.figures.appeals)).toEqual([...b.rows.map((r: any) => r.figures.appeals)].sort((x, y) => y - x));
    expect(b.total.appeals).toBe(b.rows.reduce((s: number, r: any) => s + r.figures.appeals, 0));
    expect(b.comparePeriod).toBeNull();

    const m = await body(`${M}/analytics/breakdown?by=month&from=2026-09&to=2026-11&compare=year_before`);
    expect(m.rows.map((r: any) => r.key)).toEqual(['2026-09', '2026-10', '2026-11']);
    const now = byKey(await direct('2026-09', '2026-11', sql`true`, sql`to_char(a.registered_at at time zone ${TZ}, 'YYYY-MM')`));
    const before = byKey(await direct('2025-09', '2025-11', sql`true`, sql`to_char(a.registered_at at time zone ${TZ}, 'YYYY-MM')`));
    for (const r of m.rows) {
      expect(r.figures.appeals).toBe(now.get(r.key)?.appeals ?? 0);
      expect(r.compareFigures.appeals).toBe(before.get(`2025-${r.key.slice(5)}`)?.appeals ?? 0);
    }
    expect(m.rows[0].compareFigures.appeals).toBeGreaterThan(0);

    const forms = await body(`${M}/analytics/breakdown?by=form&from=2025-09&to=2026-11`);
    expect(forms.rows.map((r: any) => r.key)).toEqual(expect.arrayContaining(['oral', 'electronic']));
    expect(forms.rows.every((r: any) => r.label === null)).toBe(true);
  });

  it('cross-tabs category × district exactly as a direct count', async () => {
    const x = await body(`${M}/analytics/crosstab?rows=category&cols=district&from=2026-01&to=2026-11`);
    const d = byKey(await direct('2026-01', '2026-11', sql`true`, sql`coalesce(a.category_id::text, 'none') || '|' || coalesce(a.district_id::text, 'none')`));
    let sum = 0;
    x.rowKeys.forEach((r: any, i: number) => x.colKeys.forEach((c: any, j: number) => {
      expect(x.cells[i][j]).toBe(d.get(`${r.key}|${c.key}`)?.appeals ?? 0);
      sum += x.cells[i][j];
    }));
    expect(sum).toBe((await one('2026-01', '2026-11')).appeals);
    expect(x.suppressed).toBe(0);
    expect(x.suppressionThreshold).toBeNull();
    const ratio = await body(`${M}/analytics/crosstab?rows=district&cols=kind&measure=onTimePct&from=2026-01&to=2026-11`);
    const dr = byKey(await direct('2026-01', '2026-11', sql`true`, sql`a.district_id::text || '|' || a.kind`));
    const [i, j] = [0, ratio.colKeys.findIndex((c: any) => c.key === 'complaint')];
    const cell = dr.get(`${ratio.rowKeys[i].key}|complaint`)!;
    expect(ratio.cells[i][j]).toBeCloseTo((100 * cell.on_time) / cell.answered, 1);
    expect((await get(`${M}/analytics/crosstab?rows=district&cols=district`, analyst, 400)).res.json().error.code).toBe('same_dimension');
  });

  it('shows the groups of residents only from consented profiles, suppressing small cells so none can be recovered', async () => {
    const g = await body(`${M}/analytics/groups?by=age_band&from=2025-09&to=2026-11`);
    const d = byKey(await direct('2025-09', '2026-11', sql`d.appeal_id is not null`, sql`coalesce(d.age_band, 'none')`));
    const profiled = [...d.values()].reduce((s, r) => s + r.appeals, 0);
    expect(profiled).toBeGreaterThan(50);
    expect(g.profiled).toBe(profiled);
    expect(g.suppressionThreshold).toBe(5);
    expect(g.rows.map((r: any) => r.key).slice(0, 5)).toEqual(['under_18', '18_29', '30_44', '45_59', '60_plus']);
    let hidden = 0;
    for (const r of g.rows) {
      const n = d.get(r.key)?.appeals ?? 0;
      if (n < 5) expect(r.appeals, r.key).toBeNull();
      if (r.appeals !== null) expect(r.appeals).toBe(n);
      else hidden += n;
      if (r.appeals === null) expect([r.onTimePct, r.averageRating, r.solvedPct]).toEqual([null, null, null]);
    }
    expect(hidden === 0 || hidden >= 5).toBe(true);

    // A cross-tab with a group on an axis: every line keeps its hidden cells unrecoverable.
    const x = await body(`${M}/analytics/crosstab?rows=channel&cols=age_band&from=2025-09&to=2026-11`);
    const dx = byKey(await direct('2025-09', '2026-11', sql`d.appeal_id is not null`, sql`a.channel || '|' || coalesce(d.age_band, 'none')`));
    const truth = x.rowKeys.map((r: any) => x.colKeys.map((c: any) => dx.get(`${r.key}|${c.key}`)?.appeals ?? 0));
    let primary = 0;
    let secondary = 0;
    truth.forEach((row: number[], i: number) => row.forEach((n, j) => {
      const shown = x.cells[i][j];
      if (n < 5) { expect(shown).toBeNull(); if (n > 0) primary++; }
      else if (shown === null) secondary++;
      else expect(shown).toBe(n);
    }));
    expect(primary).toBeGreaterThan(0);
    const lines = [...truth.map((row: number[], i: number) => row.map((n, j) => [n, x.cells[i][j]])),
      ...x.colKeys.map((_: unknown, j: number) => truth.map((row: number[], i: number) => [row[j], x.cells[i][j]]))];
    let needed = 0;
    for (const line of lines) {
      // A line with a shown cell: its total minus the shown cells must not give away a hidden one.
      if (line.every(([, shown]: any) => shown === null)) continue;
      const off = line.filter(([, shown]: any) => shown === null).map(([n]: any) => n as number);
      const sumOff = off.reduce((s: number, n: number) => s + n, 0);
      expect(sumOff === 0 || (off.length > 1 && sumOff >= 5), JSON.stringify(line)).toBe(true);
      const primaryOff = line.filter(([n]: any) => n < 5).map(([n]: any) => n as number);
      const primarySum = primaryOff.reduce((s: number, n: number) => s + n, 0);
      if (primarySum > 0 && (primaryOff.filter((n: number) => n > 0).length === 1 || primarySum < 5)) needed++;
    }
    // Where primary suppression alone would give a cell away, partners were hidden (the data varies with the directory's ids).
    if (needed > 0) expect(secondary).toBeGreaterThan(0);
    expect(x.suppressed).toBe(x.cells.flat().filter((v: unknown) => v === null).length);

    // No service or status in the groups cube: refused, not silently ignored.
    const refused = await get(`${M}/analytics/groups?by=gender&status=closed`, analyst, 400, { 'accept-language': 'ru' });
    expect(refused.res.json().error).toMatchObject({ code: 'not_for_groups', message: expect.stringContaining('группам жителей') });
    await get(`${M}/analytics/crosstab?rows=service&cols=gender`, analyst, 400);
  });

  it('maps appeals to H3 cells and districts, the same counts as the registry', async () => {
    const cells = await body(`${M}/analytics/map/cells?from=2026-01&to=2026-11`);
    expect(cells.resolution).toBe(MAP_RESOLUTION);
    const located = await rows<{ lat: number; lon: number }>(sql`select a.lat, a.lon from appeals a
      where a.municipality_id = ${ids.municipalityId} and ${bounds('2026-01', '2026-11')} and a.lat is not null`);
    const perCell = new Map<string, number>();
    for (const p of located) {
      const c = latLngToCell(Number(p.lat), Number(p.lon), MAP_RESOLUTION);
      perCell.set(c, (perCell.get(c) ?? 0) + 1);
    }
    expect(new Map(cells.cells.map((c: any) => [c.cell, c.appeals]))).toEqual(perCell);
    await get(`${M}/analytics/map/cells?channel=web`, analyst, 400);

    const districts = await body(`${M}/analytics/map/districts?from=2026-01&to=2026-11`);
    const d = byKey(await direct('2026-01', '2026-11', sql`true`, sql`a.district_id`));
    // The four districts, and last the appeals without one (the resident's, filed without a place).
    expect(districts.districts.length).toBe(5);
    expect(districts.districts[4]).toMatchObject({ districtId: null, label: null, appeals: d.get('none')!.appeals, per10k: null });
    for (const row of districts.districts) {
      expect(row.appeals).toBe(d.get(row.districtId ?? 'none')?.appeals ?? 0);
      if (row.districtId) expect(row.label.ru).toMatch(/район/);
    }
    const leninsky = districts.districts.find((x: any) => x.districtId === ids.district('leninsky'));
    expect(leninsky.per10k).toBeCloseTo((leninsky.appeals * 10_000) / 198_019, 2);
  });

  it('drills down to exactly the appeals behind a figure, newest first, page by page', async () => {
    const heating = ids.category('heating');
    const filter = `from=2025-10&to=2026-03&category=${heating}&form=electronic`;
    const expected = (await rows<{ id: string }>(sql`select a.id from appeals a join categories c on c.municipality_id = a.municipality_id and c.id = a.category_id
      where a.municipality_id = ${ids.municipalityId} and ${bounds('2025-10', '2026-03')} and (c.id = ${heating} or c.parent_id = ${heating})
        and a.channel not in ('in_person', 'phone', 'letter')
      order by a.registered_at desc, a.id desc`)).map((r) => r.id);
    expect(expected.length).toBeGreaterThan(20);
    const seen: string[] = [];
    let cursor: string | null = null;
    let pages = 0;
    do {
      const page: any = await body(`${M}/analytics/appeals?${filter}&limit=15${cursor ? `&cursor=${cursor}` : ''}`);
      expect(page.total).toBe(expected.length);
      expect(page.items.length).toBeLessThanOrEqual(15);
      seen.push(...page.items.map((i: any) => i.id));
      cursor = page.nextCursor;
      pages++;
    } while (cursor && pages < 50);
    expect(seen).toEqual(expected);
    const first = (await body(`${M}/analytics/appeals?${filter}&limit=1`)).items[0];
    expect(first).toMatchObject({ id: expected[0], registrationNumber: expect.stringMatching(/^BSK-/), dueDate: expect.stringMatching(/^\d{4}-\d{2}-\d{2}$/) });
    await get(`${M}/analytics/appeals?cursor=garbage`, analyst, 400);
  });

  it('exports the tables as CSV (headers in the reader\'s language) and XLSX, the appeals without the applicant or subject', async () => {
    const csv = (await get(`${M}/analytics/breakdown/export?by=district&from=2025-09&to=2026-11&format=csv`, analyst, 200, { 'accept-language': 'ru' })).res;
    expect(csv.headers['content-type']).toMatch(/^text\/csv/);
    const lines = csv.body.replace(/^\uFEFF/, '').trim().split('\r\n');
    expect(lines[0]).toMatch(/^Район,Обращения,Доля, %|^Район,Обращения,"Доля, %"/);
    expect(lines.length).toBe(1 + 4 + 1 + 1); // header, four districts, "not set", total
    expect(lines[5]).toMatch(/^Не указано,2,/);
    expect(lines.some((l) => l.startsWith('Ленинский район,'))).toBe(true);
    const total = (await one('2025-09', '2026-11')).appeals;
    expect(lines[lines.length - 1]).toMatch(new RegExp(`^Итого,${total},`));

    const xlsx = (await get(`${M}/analytics/crosstab/export?rows=category_group&cols=form&format=xlsx`, analyst)).res;
    expect(xlsx.headers['content-type']).toMatch(/spreadsheetml/);
    expect(xlsx.rawPayload.subarray(0, 2).toString('latin1')).toBe('PK');
    const groups = (await get(`${M}/analytics/groups/export?by=gender&from=2025-09&to=2026-11&format=csv`, analyst, 200, { 'accept-language': 'en' })).res;
    expect(groups.body).toContain('Gender,Appeals,');
    expect(groups.body).toContain('Female,');

    const appealsCsv = (await get(`${M}/analytics/appeals/export?from=2026-11&to=2026-11&format=csv`, analyst, 200, { 'accept-language': 'en' })).res;
    const appealLines = appealsCsv.body.replace(/^\uFEFF/, '').trim().split('\r\n');
    expect(appealLines[0]).toBe('Registration number,Registered,Kind,Channel,Category,District,Service,Status,Due date,Answered,On time,Rating');
    expect(appealLines.length - 1).toBe((await one('2026-11', '2026-11')).appeals);
    const applicants = await rows<{ full_name: string; phone: string | null; email: string | null; subject: string }>(sql`
      select p.full_name, p.phone, p.email, a.subject from appeal_applicants p join appeals a on a.municipality_id = p.municipality_id and a.id = p.appeal_id
      where a.municipality_id = ${ids.municipalityId} and ${bounds('2026-11', '2026-11')}`);
    expect(applicants.some((a) => a.full_name === RESIDENT.fullName)).toBe(true);
    for (const a of applicants) {
      for (const v of [a.full_name, a.phone, a.email, a.subject]) if (v) expect(appealsCsv.body).not.toContain(v);
    }
    const appealsXlsx = (await get(`${M}/analytics/appeals/export?from=2026-11&to=2026-11&format=xlsx`, analyst)).res;
    expect(appealsXlsx.rawPayload.subarray(0, 2).toString('latin1')).toBe('PK');
  });

  it('reports a month against the one before, for printing', async () => {
    const r = await body(`${M}/analytics/report`);
    expect([r.month, r.previousMonth]).toEqual(['2026-10', '2026-09']);
    const june = await body(`${M}/analytics/report?month=2026-06`);
    expect(june.figures.appeals).toBe((await one('2026-06', '2026-06')).appeals);
    expect(june.compareFigures.appeals).toBe((await one('2026-05', '2026-05')).appeals);
    const top = june.topCategories.map((x: any) => x.figures.appeals);
    expect(top.length).toBeGreaterThan(3);
    expect(top.length).toBeLessThanOrEqual(10);
    expect(top).toEqual([...top].sort((a: number, b: number) => b - a));
    const perCategory = [...byKey(await direct('2026-06', '2026-06', sql`true`, sql`a.category_id`)).values()].map((x) => x.appeals).sort((a, b) => b - a);
    expect(top).toEqual(perCategory.slice(0, top.length));
    expect(june.byService.reduce((n: number, x: any) => n + x.figures.appeals, 0)).toBe(june.figures.appeals);
    expect(june.byService.every((x: any) => x.compareFigures !== null)).toBe(true);
  });

  it('publishes a public dashboard without sign-in and without any personal data', async () => {
    const { res } = await get(`${M}/public/analytics?from=2025-09&to=2026-11`, null);
    expect(res.headers['cache-control']).toBe('public, max-age=60');
    const pub = res.json();
    const s = await body(`${M}/analytics/summary?from=2025-09&to=2026-11`);
    expect(pub.figures).toEqual(s.figures);
    expect(pub.byForm.reduce((n: number, r: any) => n + r.figures.appeals, 0)).toBe(s.figures.appeals);
    expect(pub.byCategoryGroup.reduce((n: number, r: any) => n + r.figures.appeals, 0)).toBe(s.figures.appeals);
    expect(pub.byMonth.map((r: any) => r.key)).toHaveLength(15);
    expect(pub.cells.length).toBeGreaterThan(10);
    const people = await rows<{ v: string }>(sql`
      select full_name as v from appeal_applicants where municipality_id = ${ids.municipalityId}
      union select phone from appeal_applicants where municipality_id = ${ids.municipalityId} and phone is not null
      union select email from appeal_applicants where municipality_id = ${ids.municipalityId} and email is not null
      union select full_name from staff_users where municipality_id = ${ids.municipalityId}
      union select subject from appeals where municipality_id = ${ids.municipalityId}`);
    expect(people.length).toBeGreaterThan(1000);
    for (const { v } of people) expect(res.body.includes(v), v).toBe(false);
    expect(res.body).not.toContain(RESIDENT.phone);
    // Only the period: other filters are refused (the public view is the whole city).
    await get(`${M}/public/analytics?category=${ids.category('roads')}`, null, 400);
  });

  it('lets analysts, supervisors and admins in; executors and operators get 403, strangers 401; bad input a clear 400', async () => {
    for (const key of ['supervisor', 'admin']) await get(`${M}/analytics/summary`, await t.staff(key));
    for (const key of ['executor.roads', 'operator']) {
      for (const path of ['summary', 'breakdown?by=district', 'groups?by=gender', 'appeals', 'appeals/export?format=csv']) {
        await get(`${M}/analytics/${path}`, await t.staff(key), 403);
      }
    }
    await get(`${M}/analytics/summary`, null, 401);
    await get(`${M}/analytics/map/cells`, null, 401);
    const osh = await t.staff('analyst', 'osh');
    await get(`${M}/analytics/summary`, osh, 403);

    const long = await get(`${M}/analytics/summary?from=2010-01&to=2026-11`, analyst, 400, { 'accept-language': 'en' });
    expect(long.res.json().error).toMatchObject({ code: 'invalid_period', message: expect.stringContaining('120') });
    await get(`${M}/analytics/summary?from=2026-05&to=2026-04`, analyst, 400);
    await get(`${M}/analytics/summary?from=2026-13`, analyst, 400);
    const unknown = await get(`${M}/analytics/summary?category=${ids.district('leninsky')}`, analyst, 400);
    expect(unknown.res.json().error.code).toBe('invalid_reference');
  });
});
