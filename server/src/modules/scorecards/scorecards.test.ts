/**
 * Scorecards on a small history made through the real API with a controllable clock (Bishkek, spring 2026):
 * appeals filed by a resident, answered on time and late by executors and a service head, rated, a review
 * request that reopens an appeal, appeals left overdue. The refresh job rolls it up; every figure is checked.
 *
 *   roads (roads-enterprise)  R1…R6 filed Mon 27 Apr (due 25 May): answers after 2, 3, 5, 8 and 15 (late, by the
 *                             head) working days; R1 rated 2/'no', review requested, reopened 1 Jun, answered again
 *                             after 2 days; R6 open and overdue.
 *   water (vodokanal)         W1…W5 filed 27 Apr, answered after 1, 1, 2, 4, 6 days; W6 filed 8 Jun (not due yet).
 *   heating (teploset)        H1 answered after 3 days, rated 1/'no'; H2 never assigned, overdue.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { and, eq, sql } from 'drizzle-orm';
import { createTestApp, json, type Ids, type Session, type TestApp } from '../../test-support/test-app.js';
import { auditLog, scorecardMonths } from '../../platform/db/schema.js';
import { queryRows } from '../../platform/db/database.js';
import { DEMO_STAFF } from '../../demo/demo-reference.js';
import { markScorecardsStale } from './scorecard-staleness.js';
import { refreshScorecards } from './scorecard-refresh.js';

let t: TestApp;
let ids: Ids;
let resident: Session;
const staff: Record<string, Session> = {};
const staffId: Record<string, string> = {};
const M = '/api/v1/m/bishkek';
const APPLICANT = { fullName: 'Айжан Токтосунова', phone: '+996555123987', email: 'aijan.t@example.kg' };
const PERIOD = 'from=2026-04&to=2026-06';
const appeal: Record<string, string> = {};
const answerOf: Record<string, string> = {};

/** 10:00 in Bishkek on that day. */
const on = (date: string) => t.clock.set(`${date}T04:00:00Z`);

async function call(session: Session | null, method: 'GET' | 'POST' | 'PUT', url: string, payload?: object) {
  return t.app.inject({ method, url, headers: session?.headers ?? {}, ...(payload ? { payload } : {}) });
}
async function ok<T = any>(session: Session | null, method: 'GET' | 'POST' | 'PUT', url: string, payload?: object, status = 200): Promise<T> {
  const res = await call(session, method, url, payload);
  expect(res.statusCode, `${method} ${url}: ${res.body}`).toBe(status);
  return json<T>(res);
}

async function file(name: string, category: string) {
  const r = await ok(resident, 'POST', `${M}/appeals`, {
    kind: 'complaint', categoryId: ids.category(category), subject: `Обращение ${name}`, language: 'ru',
    body: 'Проблема во дворе дома уже две недели, просим принять меры.', applicant: APPLICANT,
  }, 201);
  appeal[name] = r.id;
}

/** The staff member takes the appeal (assigns it to themself) unless it is theirs already, and answers. */
async function answer(key: string, name: string, takeFirst = true) {
  if (takeFirst) await ok(staff[key]!, 'POST', `${M}/appeals/${appeal[name]}/assign`, { executorId: staffId[key] });
  const r = await ok(staff[key]!, 'POST', `${M}/appeals/${appeal[name]}/answer`, { body: 'Работы выполнены, проблема устранена. Спасибо за обращение.' });
  answerOf[name] = r.answerId;
}

async function rate(name: string, overall: number, solved: 'yes' | 'partly' | 'no') {
  await ok(resident, 'PUT', `${M}/my/appeals/${appeal[name]}/answers/${answerOf[name]}/rating`,
    { overall, solved, clarity: overall, accuracy: overall, onTimeFelt: true, comment: 'Комментарий жителя' }, 201);
}

/** The jobs a running server would have run by now: the minute's refresh among them. */
async function runJobs() {
  t.clock.advance(61_000);
  await t.services.jobs.runDue({ includeRecurring: true });
}

const scorecard = (query = PERIOD) => ok(null, 'GET', `${M}/scorecards?${query}`);
const serviceOf = (body: any, code: string) => body.services.find((s: any) => s.code === code);

beforeAll(async () => {
  // The clock moves by weeks: sessions must outlive that.
  t = await createTestApp({ env: { SESSION_DAYS: '90' } });
  ids = await t.ids();
  resident = await t.citizen(APPLICANT.phone);
  for (const key of ['executor.roads', 'head.roads', 'executor.water', 'executor.heating', 'supervisor', 'admin', 'analyst', 'operator']) {
    staff[key] = await t.staff(key);
    staffId[key] = json((await call(staff[key]!, 'GET', '/api/v1/auth/me'))).id;
  }

  on('2026-04-27');
  for (const n of ['R1', 'R2', 'R3', 'R4', 'R5', 'R6']) await file(n, 'roads.stop');
  for (const n of ['W1', 'W2', 'W3', 'W4', 'W5']) await file(n, 'water.none');
  for (const n of ['H1', 'H2']) await file(n, 'heating.cold');
  await ok(staff['executor.roads']!, 'POST', `${M}/appeals/${appeal.R6}/assign`, { executorId: staffId['executor.roads'] });
  await runJobs();

  on('2026-04-28');
  await answer('executor.water', 'W1');
  await answer('executor.water', 'W2');
  await rate('W1', 5, 'yes');
  await rate('W2', 4, 'yes');
  on('2026-04-29');
  await answer('executor.roads', 'R1');
  await answer('executor.water', 'W3');
  await rate('R1', 2, 'no');
  await ok(resident, 'POST', `${M}/my/appeals/${appeal.R1}/answers/${answerOf.R1}/review-request`, { reason: 'Ничего не сделано' }, 201);
  on('2026-04-30');
  await answer('executor.roads', 'R2');
  await answer('executor.heating', 'H1');
  await rate('R2', 5, 'yes');
  await rate('H1', 1, 'no');
  await runJobs();

  on('2026-05-11');
  await answer('executor.water', 'W4');
  on('2026-05-12');
  await answer('executor.roads', 'R3');
  await rate('R3', 4, 'partly');
  on('2026-05-13');
  await answer('executor.water', 'W5');
  on('2026-05-15');
  await answer('executor.roads', 'R5');
  on('2026-05-26');
  await answer('head.roads', 'R4'); // due 25 May: late
  await rate('R4', 3, 'yes');
  await runJobs();

  on('2026-06-01');
  const queue = await ok(staff.supervisor!, 'GET', `${M}/review-requests?status=pending`);
  const review = queue.items.find((i: any) => i.appealId === appeal.R1);
  await ok(staff.supervisor!, 'POST', `${M}/review-requests/${review.id}/reopen`, { reason: 'Житель сообщает, что яма осталась' });
  on('2026-06-03');
  await answer('executor.roads', 'R1', false);
  on('2026-06-08');
  await file('W6', 'water.none');
  on('2026-06-10');
  await runJobs();
});
afterAll(async () => { await t?.close(); });

const ZERO = {
  received: 0, answered: 0, answeredOnTime: 0, onTimePct: null, medianDays: null, p90Days: null, ratings: 0, averageRating: null,
  solvedYes: 0, solvedPartly: 0, solvedNo: 0, solvedPct: null, partlySolvedPct: null, reviewRequests: 0, reopenings: 0,
};

describe('the public city scorecard', () => {
  it('gives every figure of every service and of the city exactly', async () => {
    const body = await scorecard();
    expect(body).toMatchObject({ from: '2026-04', to: '2026-06', minAnswersToRank: 5, rankedServices: 2 });
    expect(serviceOf(body, 'roads-enterprise')).toMatchObject({
      rank: 2, kind: 'municipal_enterprise', name: { ru: 'МП по дорожно-транспортной инфраструктуре' },
      figures: {
        received: 6, answered: 6, answeredOnTime: 5, onTimePct: 83.3, medianDays: 4, p90Days: 11.5, overdueNow: 1,
        ratings: 4, averageRating: 3.5, solvedYes: 2, solvedPartly: 1, solvedNo: 1, solvedPct: 50, partlySolvedPct: 25,
        reviewRequests: 1, reopenings: 1,
      },
    });
    expect(serviceOf(body, 'vodokanal')).toMatchObject({
      rank: 1,
      figures: {
        received: 6, answered: 5, answeredOnTime: 5, onTimePct: 100, medianDays: 2, p90Days: 5.2, overdueNow: 0,
        ratings: 2, averageRating: 4.5, solvedYes: 2, solvedPartly: 0, solvedNo: 0, solvedPct: 100, partlySolvedPct: 0,
        reviewRequests: 0, reopenings: 0,
      },
    });
    // One answer is too few to be ranked, however good.
    expect(serviceOf(body, 'teploset')).toMatchObject({
      rank: null,
      figures: { received: 2, answered: 1, answeredOnTime: 1, onTimePct: 100, medianDays: 3, p90Days: 3, overdueNow: 1, ratings: 1, averageRating: 1, solvedPct: 0 },
    });
    expect(serviceOf(body, 'tazalyk')).toMatchObject({ rank: null, figures: { ...ZERO, overdueNow: 0 } });
    expect(body.city).toEqual({
      received: 14, answered: 12, answeredOnTime: 11, onTimePct: 91.7, medianDays: 3, p90Days: 7.8, overdueNow: 2,
      ratings: 7, averageRating: 3.43, solvedYes: 4, solvedPartly: 1, solvedNo: 2, solvedPct: 57.1, partlySolvedPct: 14.3,
      reviewRequests: 1, reopenings: 1,
    });
  });

  it('ranks by on-time share first, lists the unranked after the ranked, busiest first', async () => {
    const body = await scorecard();
    const codes = body.services.map((s: any) => s.code);
    expect(codes.slice(0, 3)).toEqual(['vodokanal', 'roads-enterprise', 'teploset']);
    expect(body.services.map((s: any) => s.rank).slice(0, 3)).toEqual([1, 2, null]);
    // Every active service of the city is listed.
    const city = await ok(null, 'GET', M);
    expect([...codes].sort()).toEqual(city.services.map((x: any) => x.code).sort());
  });

  it('computes medians and percentiles exactly as the database would over the answers themselves', async () => {
    const [exact] = await queryRows<{ median: number; p90: number }>(t.services.database.db, sql`
      select percentile_cont(0.5) within group (order by working_days) as median, percentile_cont(0.9) within group (order by working_days) as p90
      from appeal_answers where municipality_id = ${ids.municipalityId} and service_id = ${ids.service('roads-enterprise')}`);
    const roads = serviceOf(await scorecard(), 'roads-enterprise');
    expect(roads.figures.medianDays).toBe(Math.round(Number(exact!.median) * 10) / 10);
    expect(roads.figures.p90Days).toBe(Math.round(Number(exact!.p90) * 10) / 10);
  });

  it('defaults to the twelve months up to the current one, and is cacheable for a minute', async () => {
    const res = await call(null, 'GET', `${M}/scorecards`);
    expect(res.statusCode).toBe(200);
    expect(res.headers['cache-control']).toBe('public, max-age=60');
    const body = json(res);
    expect([body.from, body.to]).toEqual(['2025-07', '2026-06']);
    expect(body.city.received).toBe(14);
    // A period without the spring holds nothing (overdue now is live, so it stays).
    const winter = await scorecard('from=2026-01&to=2026-03');
    expect(winter.city).toEqual({ ...ZERO, overdueNow: 2 });
    expect(winter.rankedServices).toBe(0);
  });

  it('refuses a reversed or too long period and a bad month, in the language asked for', async () => {
    const reversed = await t.app.inject({ method: 'GET', url: `${M}/scorecards?from=2026-06&to=2026-04`, headers: { 'accept-language': 'ru' } });
    expect(reversed.statusCode).toBe(400);
    expect(json(reversed).error).toMatchObject({ code: 'invalid_period', message: expect.stringContaining('36') });
    expect(json(reversed).error.message).toMatch(/месяц/);
    expect((await call(null, 'GET', `${M}/scorecards?from=2023-01&to=2026-06`)).statusCode).toBe(400);
    const badMonth = await t.app.inject({ method: 'GET', url: `${M}/scorecards?from=2026-13`, headers: { 'accept-language': 'ru' } });
    expect(badMonth.statusCode).toBe(400);
    // The field is named, in the language asked for, without words of our implementation ("regex").
    expect(json(badMonth).error.details).toEqual([expect.objectContaining({ path: 'from', message: 'Значение не в ожидаемом виде.' })]);
    expect((await call(null, 'GET', `${M}/scorecards?to=1999-12`)).statusCode).toBe(400);
    expect((await call(null, 'GET', `${M}/scorecards?color=red`)).statusCode).toBe(400);
    expect((await call(null, 'GET', '/api/v1/m/atlantis/scorecards')).statusCode).toBe(404);
  });
});

describe("a service's public page", () => {
  it('has the figures, the rank and one row per month', async () => {
    const body = await ok(null, 'GET', `${M}/scorecards/services/${ids.service('roads-enterprise')}?${PERIOD}`);
    expect(body.service).toMatchObject({ code: 'roads-enterprise', rank: 2, figures: { answered: 6, overdueNow: 1 } });
    expect(body.trend.map((r: any) => r.month)).toEqual(['2026-04', '2026-05', '2026-06']);
    const [april, may, june] = body.trend.map((r: any) => r.figures);
    expect(april).toEqual({
      ...ZERO, received: 6, answered: 2, answeredOnTime: 2, onTimePct: 100, medianDays: 2.5, p90Days: 2.9,
      ratings: 2, averageRating: 3.5, solvedYes: 1, solvedNo: 1, solvedPct: 50, partlySolvedPct: 0, reviewRequests: 1,
    });
    expect(may).toEqual({
      ...ZERO, answered: 3, answeredOnTime: 2, onTimePct: 66.7, medianDays: 8, p90Days: 13.6,
      ratings: 2, averageRating: 3.5, solvedYes: 1, solvedPartly: 1, solvedPct: 50, partlySolvedPct: 50,
    });
    expect(june).toEqual({ ...ZERO, answered: 1, answeredOnTime: 1, onTimePct: 100, medianDays: 2, p90Days: 2, reopenings: 1 });
    const water = await ok(null, 'GET', `${M}/scorecards/services/${ids.service('vodokanal')}?${PERIOD}`);
    expect(water.trend.map((r: any) => r.figures.received)).toEqual([5, 0, 1]);
  });

  it('is 404 for a service of another city or none', async () => {
    const osh = await t.ids('osh');
    expect((await call(null, 'GET', `${M}/scorecards/services/${osh.service('vodokanal')}`)).statusCode).toBe(404);
    expect((await call(null, 'GET', `${M}/scorecards/services/00000000-0000-4000-8000-000000000000`)).statusCode).toBe(404);
    expect((await call(null, 'GET', `${M}/scorecards/services/not-a-uuid`)).statusCode).toBe(400);
  });

  it('carries no staff names, no staff ids and nothing of the resident', async () => {
    const bodies = [
      (await call(null, 'GET', `${M}/scorecards?${PERIOD}`)).body,
      ...await Promise.all(['roads-enterprise', 'vodokanal', 'teploset'].map(async (c) =>
        (await call(null, 'GET', `${M}/scorecards/services/${ids.service(c)}?${PERIOD}`)).body)),
    ];
    const forbidden = [
      ...DEMO_STAFF.map((s) => s.fullName), ...Object.values(staffId), APPLICANT.fullName, APPLICANT.email, APPLICANT.phone.slice(4),
      'Комментарий жителя', 'Ничего не сделано', ...Object.values(appeal), 'executor',
    ];
    for (const body of bodies) for (const word of forbidden) expect(body).not.toContain(word);
  });
});

describe('the staff scorecard', () => {
  it('shows a supervisor every service with its executors by name', async () => {
    const body = await ok(staff.supervisor!, 'GET', `${M}/staff-scorecards?${PERIOD}`);
    expect(body.services).toHaveLength((await ok(null, 'GET', M)).services.length);
    const roads = serviceOf(body, 'roads-enterprise');
    expect(roads.figures.answered).toBe(6);
    expect(roads.executors).toEqual([
      {
        executorId: staffId['executor.roads'], name: 'Бакыт Мамытов',
        figures: {
          received: 5, answered: 5, answeredOnTime: 5, onTimePct: 100, medianDays: 3, p90Days: 6.8, overdueNow: 1,
          ratings: 3, averageRating: 3.67, solvedYes: 1, solvedPartly: 1, solvedNo: 1, solvedPct: 33.3, partlySolvedPct: 33.3,
          reviewRequests: 1, reopenings: 1,
        },
      },
      {
        executorId: staffId['head.roads'], name: 'Азамат Исаков',
        figures: {
          received: 1, answered: 1, answeredOnTime: 0, onTimePct: 0, medianDays: 15, p90Days: 15, overdueNow: 0,
          ratings: 1, averageRating: 3, solvedYes: 1, solvedPartly: 0, solvedNo: 0, solvedPct: 100, partlySolvedPct: 0,
          reviewRequests: 0, reopenings: 0,
        },
      },
    ]);
    // An appeal nobody took is counted under "no executor".
    const heating = serviceOf(body, 'teploset');
    expect(heating.executors.map((e: any) => [e.name, e.figures.received, e.figures.answered, e.figures.overdueNow])).toEqual([
      ['Эрлан Садыков', 1, 1, 0], [null, 1, 0, 1],
    ]);
    expect(heating.executors[1].executorId).toBeNull();
  });

  it('shows an executor and a service head only their own service', async () => {
    for (const key of ['executor.water', 'head.roads']) {
      const body = await ok(staff[key]!, 'GET', `${M}/staff-scorecards?${PERIOD}`);
      expect(body.services.map((s: any) => s.code)).toEqual([key === 'head.roads' ? 'roads-enterprise' : 'vodokanal']);
    }
    const water = await ok(staff['executor.water']!, 'GET', `${M}/staff-scorecards?${PERIOD}&serviceId=${ids.service('vodokanal')}`);
    // W6, filed in June, waits for an executor.
    expect(water.services[0].executors.map((e: any) => [e.name, e.figures.received])).toEqual([['Жылдыз Бекова', 5], [null, 1]]);
    const other = await call(staff['executor.water']!, 'GET', `${M}/staff-scorecards?serviceId=${ids.service('roads-enterprise')}`);
    expect(other.statusCode).toBe(403);
    expect(json(other).error.code).toBe('not_in_your_service');
  });

  it('lets analysts filter by service, and refuses operators, residents and the anonymous', async () => {
    const body = await ok(staff.analyst!, 'GET', `${M}/staff-scorecards?${PERIOD}&serviceId=${ids.service('teploset')}`);
    expect(body.services.map((s: any) => s.code)).toEqual(['teploset']);
    expect((await call(staff.operator!, 'GET', `${M}/staff-scorecards`)).statusCode).toBe(403);
    expect((await call(resident, 'GET', `${M}/staff-scorecards`)).statusCode).toBe(403);
    expect((await call(null, 'GET', `${M}/staff-scorecards`)).statusCode).toBe(401);
    expect((await call(staff.supervisor!, 'GET', `${M}/staff-scorecards?serviceId=00000000-0000-4000-8000-000000000000`)).statusCode).toBe(400);
  });
});

describe('refreshing', () => {
  it('shows a new rating after the refresh job, not before', async () => {
    await rate('R1', 5, 'yes'); // the answer given after the reopening
    const before = serviceOf(await scorecard(), 'roads-enterprise');
    expect(before.figures.ratings).toBe(4);
    await runJobs();
    const after = serviceOf(await scorecard(), 'roads-enterprise');
    expect(after.figures).toMatchObject({ ratings: 5, averageRating: 3.8, solvedYes: 3, solvedPct: 60, partlySolvedPct: 20 });
    expect((await scorecard()).city).toMatchObject({ ratings: 8, averageRating: 3.63, solvedPct: 62.5 });
  });

  it("an admin's full rebuild gives the same rows as the jobs, repairs a damaged roll-up and is audited", async () => {
    const db = t.services.database.db;
    const snapshot = async () => (await db.select().from(scorecardMonths).where(eq(scorecardMonths.municipalityId, ids.municipalityId)))
      .map((r) => JSON.stringify(r)).sort();
    const byJobs = await snapshot();
    await db.update(scorecardMonths).set({ received: 999 }).where(eq(scorecardMonths.municipalityId, ids.municipalityId));
    await db.insert(scorecardMonths).values({ municipalityId: ids.municipalityId, month: '2025-01-01', serviceId: null, executorId: null, received: 7 });
    expect((await call(staff.supervisor!, 'POST', `${M}/admin/scorecards/rebuild`)).statusCode).toBe(403);
    const result = await ok(staff.admin!, 'POST', `${M}/admin/scorecards/rebuild`);
    expect(result).toMatchObject({ from: '2025-01', to: '2026-06', months: 18, rows: byJobs.length });
    expect(await snapshot()).toEqual(byJobs);
    const audit = await db.select().from(auditLog)
      .where(and(eq(auditLog.municipalityId, ids.municipalityId), eq(auditLog.action, 'rebuild_scorecards')));
    expect(audit).toHaveLength(1);
    expect(audit[0]).toMatchObject({ actorKind: 'staff', actorId: staffId.admin, entityType: 'scorecards', after: { from: '2025-01', to: '2026-06', rows: byJobs.length } });
  });

  it('a refresh job that waited still rebuilds the month of the change that queued it', async () => {
    const db = t.services.database.db;
    const april = and(eq(scorecardMonths.municipalityId, ids.municipalityId), eq(scorecardMonths.month, '2026-04-01'));
    const right = await db.select().from(scorecardMonths).where(april);
    await db.update(scorecardMonths).set({ answered: 0 }).where(april);
    // A change on 30 April whose job only runs now, in June (the minute job alone covers May and June).
    await markScorecardsStale(db, ids.municipalityId, new Date('2026-04-30T05:00:00Z'));
    await t.services.jobs.runDue();
    expect(await db.select().from(scorecardMonths).where(april)).toEqual(right);
  });

  it('lets concurrent refreshes of one city wait for each other instead of failing', async () => {
    const db = t.services.database.db;
    const before = await db.select().from(scorecardMonths).where(eq(scorecardMonths.municipalityId, ids.municipalityId));
    const results = await Promise.all([1, 2, 3].map(() => refreshScorecards(db, ids.municipalityId, 'Asia/Bishkek', '2026-04', '2026-06')));
    expect(new Set(results.map((r) => r.rows)).size).toBe(1);
    const after = await db.select().from(scorecardMonths).where(eq(scorecardMonths.municipalityId, ids.municipalityId));
    expect(after.map((r) => JSON.stringify(r)).sort()).toEqual(before.map((r) => JSON.stringify(r)).sort());
  });

  it("counts by the city's local month: 00:30 on 1 July in Bishkek is July, though June in UTC", async () => {
    t.clock.set('2026-06-30T18:30:00Z');
    await file('W7', 'water.none');
    await runJobs();
    const july = await ok(null, 'GET', `${M}/scorecards/services/${ids.service('vodokanal')}?from=2026-06&to=2026-07`);
    expect(july.trend.map((r: any) => [r.month, r.figures.received])).toEqual([['2026-06', 1], ['2026-07', 1]]);
  });

  it('keeps Osh apart from Bishkek', async () => {
    const osh = await ok(null, 'GET', '/api/v1/m/osh/scorecards');
    expect(osh.city).toEqual({ ...ZERO, overdueNow: 0 });
  });
});
