/**
 * The analytics cube against the registry it summarises: after a full build every figure equals a direct count of
 * the appeals (their latest answer and rating); an incremental refresh finds exactly the months whose appeals or
 * ratings changed, and nothing when nothing did; the admin's rebuild is audited and admins only.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'drizzle-orm';
import { latLngToCell } from 'h3-js';
import { createTestApp, json, type Ids, type Session, type TestApp } from '../../test-support/test-app.js';
import { queryRows } from '../../platform/db/database.js';
import { generateSynthetic } from '../../synthetic/generate.js';
import { loadReference, writeSynthetic } from '../../synthetic/write.js';
import { MAP_RESOLUTION, refreshAnalytics } from './analytics-refresh.js';

let t: TestApp;
let ids: Ids;
let operator: Session;
const TZ = 'Asia/Bishkek';
const NOW = '2026-11-20T06:00:00Z';

const refresh = (full = false) => refreshAnalytics(t.services.database.db, t.clock, ids.municipalityId, TZ, { full });
const rows = <T>(q: ReturnType<typeof sql>) => queryRows<T>(t.services.database.db, q);

/** The figures per month and category straight from the registry (the naive query the cube replaces). */
const direct = () => rows<Record<string, string | number | null>>(sql`
  select to_char(date_trunc('month', a.registered_at at time zone ${TZ}), 'YYYY-MM') as month, a.category_id, a.status,
    count(*)::int as appeals, count(x.appeal_id)::int as answered, (count(*) filter (where x.on_time))::int as on_time,
    coalesce(sum(greatest(x.working_days, 0)), 0)::int as days, count(r.appeal_id)::int as ratings, coalesce(sum(r.overall), 0)::int as rating_sum,
    (count(*) filter (where r.solved = 'yes'))::int as yes
  from appeals a
  left join lateral (select * from appeal_answers x where x.municipality_id = a.municipality_id and x.appeal_id = a.id order by x.created_at desc limit 1) x on true
  left join lateral (select * from answer_ratings r where r.municipality_id = a.municipality_id and r.appeal_id = a.id order by r.created_at desc limit 1) r on true
  where a.municipality_id = ${ids.municipalityId}
  group by 1, 2, 3 order by 1, 2, 3`);
const cube = () => rows<Record<string, string | number | null>>(sql`
  select to_char(month, 'YYYY-MM') as month, category_id, status, sum(appeals)::int as appeals, sum(answered)::int as answered,
    sum(answered_on_time)::int as on_time, sum(answer_days_sum)::int as days, sum(ratings)::int as ratings, sum(rating_sum)::int as rating_sum,
    sum(solved_yes)::int as yes
  from analytics_months where municipality_id = ${ids.municipalityId}
  group by 1, 2, 3 order by 1, 2, 3`);

beforeAll(async () => {
  t = await createTestApp({ now: NOW });
  ids = await t.ids();
  operator = await t.staff('operator');
  const ref = (await loadReference(t.services.database.db, 'bishkek'))!;
  await writeSynthetic(t.services.database.db, ref, generateSynthetic(ref, {
    appeals: 1500, seed: 5, from: '2025-09-01', to: '2026-11-19', now: new Date(NOW), planted: 1,
  }));
  // The last synthetic appeals are minutes old: move on so they are not "changes since" the first build.
  t.clock.advance(60 * 60_000);
});
afterAll(async () => { await t.close(); });

describe('the analytics cube', () => {
  it('holds, after a full build, exactly what a direct count of the registry gives', async () => {
    const result = await refresh(true);
    expect(result.full).toBe(true);
    expect(result.months.length).toBe(15); // Sep 2025 … Nov 2026
    const expected = await direct();
    expect(expected.reduce((s, r) => s + Number(r.appeals), 0)).toBe(1500);
    expect(expected.some((r) => Number(r.ratings) > 0 && Number(r.answered) > 0)).toBe(true);
    expect(await cube()).toEqual(expected);
    // The roll-ups hold the same sums as the cube they roll up.
    for (const [table, keys] of [['analytics_months_place', 'category_id, district_id, channel'], ['analytics_months_handling', 'service_id, channel, kind, status']]) {
      const q = (from: string) => rows(sql`select month, ${sql.raw(keys)}, sum(appeals)::int as a, sum(answered)::int as b,
        sum(answer_days_sum)::int as c, sum(rating_sum)::int as d from ${sql.raw(from)} where municipality_id = ${ids.municipalityId}
        group by month, ${sql.raw(keys)} order by 1, 2, 3, 4, 5, 6`);
      expect(await q(table!)).toEqual(await q('analytics_months'));
    }
    const groups = (from: string) => rows(sql`select month, channel, age_band, gender, social_group, sum(appeals)::int as a, sum(rating_sum)::int as d
      from ${sql.raw(from)} where municipality_id = ${ids.municipalityId} group by 1, 2, 3, 4, 5 order by 1, 2, 3, 4, 5`);
    expect(await groups('analytics_group_months_channel')).toEqual(await groups('analytics_group_months'));
  });

  it('counts consented profiles only in the groups cube, and every located appeal in a heat-map cell', async () => {
    const [g] = await rows<{ cube: number; profiles: number }>(sql`select
      (select coalesce(sum(appeals), 0)::int from analytics_group_months where municipality_id = ${ids.municipalityId}) as cube,
      (select count(*)::int from appeal_demographics where municipality_id = ${ids.municipalityId}) as profiles`);
    expect(g!.profiles).toBeGreaterThan(50);
    expect(g!.cube).toBe(g!.profiles);
    const located = await rows<{ lat: number; lon: number }>(sql`select lat, lon from appeals where municipality_id = ${ids.municipalityId} and lat is not null`);
    const perCell = new Map<string, number>();
    for (const p of located) {
      const c = latLngToCell(Number(p.lat), Number(p.lon), MAP_RESOLUTION);
      perCell.set(c, (perCell.get(c) ?? 0) + 1);
    }
    const cells = await rows<{ cell: string; n: number }>(sql`select cell, sum(appeals)::int as n from analytics_cell_months
      where municipality_id = ${ids.municipalityId} group by cell`);
    expect(cells.reduce((s, c) => s + c.n, 0)).toBe(located.length);
    expect(new Map(cells.map((c) => [c.cell, c.n]))).toEqual(perCell);
    const totals = await rows<{ cell: string; n: number }>(sql`select cell, sum(appeals)::int as n from analytics_cell_totals
      where municipality_id = ${ids.municipalityId} group by cell`);
    expect(new Map(totals.map((c) => [c.cell, c.n]))).toEqual(perCell);
  });

  it('finds nothing to do when nothing changed', async () => {
    t.clock.advance(10 * 60_000);
    const result = await refresh();
    expect(result.full).toBe(false);
    expect(result.months).toEqual([]);
  });

  it('folds in a new appeal and a changed rating, rebuilding only their months', async () => {
    t.clock.advance(10 * 60_000);
    const res = await t.app.inject({
      method: 'POST', url: '/api/v1/m/bishkek/reception/appeals', headers: operator.headers, payload: {
        kind: 'complaint', channel: 'phone', categoryId: ids.category('roads.pothole'), subject: 'Яма во дворе',
        body: 'Во дворе дома большая яма, машины не могут проехать уже неделю.', applicant: { fullName: 'Тест Тестов', phone: '0700 111 222' }, language: 'ru',
      },
    });
    expect(res.statusCode, res.body).toBe(201);
    // A resident changes an old rating (as they may within the rating window).
    const [old] = await rows<{ id: string; month: string; overall: number }>(sql`
      select r.id, to_char(date_trunc('month', a.registered_at at time zone ${TZ}), 'YYYY-MM-DD') as month, r.overall
      from answer_ratings r join appeals a on a.municipality_id = r.municipality_id and a.id = r.appeal_id
      where r.municipality_id = ${ids.municipalityId} and a.registered_at < '2026-03-01' and r.overall < 5 order by r.id limit 1`);
    expect(old).toBeTruthy();
    await t.services.database.db.execute(sql`update answer_ratings set overall = 5, updated_at = ${t.clock.now().toISOString()}
      where municipality_id = ${ids.municipalityId} and id = ${old!.id}`);

    const result = await refresh();
    expect(result.months).toEqual([old!.month, '2026-11-01'].sort());
    expect(await cube()).toEqual(await direct());
    expect((await cube()).reduce((s, r) => s + Number(r.appeals), 0)).toBe(1501);
  });

  it('lets an admin rebuild it whole, audited; nobody else', async () => {
    const admin = await t.staff('admin');
    const analyst = await t.staff('analyst');
    const url = '/api/v1/m/bishkek/admin/analytics/rebuild';
    expect((await t.app.inject({ method: 'POST', url, headers: analyst.headers })).statusCode).toBe(403);
    expect((await t.app.inject({ method: 'POST', url })).statusCode).toBe(401);
    const res = await t.app.inject({ method: 'POST', url, headers: admin.headers });
    expect(res.statusCode, res.body).toBe(200);
    expect(json<{ months: number }>(res).months).toBe(15);
    const [audit] = await rows<{ n: number }>(sql`select count(*)::int as n from audit_log
      where municipality_id = ${ids.municipalityId} and action = 'rebuild_analytics'`);
    expect(audit!.n).toBe(1);
    expect(await cube()).toEqual(await direct());
  });
});
