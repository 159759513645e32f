import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, json, type Ids, type Session, type TestApp } from '../../test-support/test-app.js';

// The test clock: Monday 2026-04-27, 10:00 in Bishkek. May 1 and May 4–8 are holidays in the seeded calendar.
const base = '/api/v1/m/bishkek/admin';
const holiday = { ky: 'Сынак майрамы', ru: 'Тестовый праздник', en: 'Test holiday' };

let t: TestApp;
let admin: Session;
let operator: Session;
let ids: Ids;

beforeAll(async () => {
  t = await createTestApp();
  [admin, operator, ids] = await Promise.all([t.staff('admin'), t.staff('operator'), t.ids()]);
});
afterAll(async () => { await t?.close(); });

const call = (session: Session | null, method: 'GET' | 'POST' | 'PUT' | 'DELETE', url: string, payload?: unknown) =>
  t.app.inject({ method, url, headers: session?.headers ?? {}, ...(payload !== undefined ? { payload: payload as object } : {}) });

/** Registers an appeal at the reception desk, as the operator; returns its due date. */
const register = async (kind = 'statement') => {
  const res = await call(operator, 'POST', '/api/v1/m/bishkek/reception/appeals', {
    kind, channel: 'in_person', categoryId: ids.category('roads.pothole'), subject: 'Pothole on Chui avenue',
    body: 'A deep pothole near the crossing has been there for a month.', applicant: { fullName: 'Асель Бекова' },
  });
  expect(res.statusCode).toBe(201);
  return json<{ dueDate: string }>(res).dueDate;
};

describe('the working calendar', () => {
  it("lists a year's exceptions to any staff member", async () => {
    const res = await call(operator, 'GET', `${base}/calendar?year=2026`);
    expect(res.statusCode).toBe(200);
    const body = json(res);
    expect(body.year).toBe(2026);
    expect(body.items.map((d: { date: string }) => d.date)).toContain('2026-05-27');
    expect(body.items.every((d: { date: string }) => d.date.startsWith('2026-'))).toBe(true);
    expect(json(await call(operator, 'GET', `${base}/calendar`)).year).toBe(2026);
    expect((await call(operator, 'GET', `${base}/calendar?year=twenty`)).statusCode).toBe(400);
  });

  it('computes a date N working days later, over the May holidays', async () => {
    const res = await call(operator, 'GET', `${base}/calendar/working-days?from=2026-04-27&days=14`);
    expect(json(res)).toEqual({ from: '2026-04-27', days: 14, dueDate: '2026-05-25' });
    expect((await call(operator, 'GET', `${base}/calendar/working-days?from=2026-02-30&days=1`)).statusCode).toBe(400);
    expect((await call(operator, 'GET', `${base}/calendar/working-days?from=2026-04-27&days=-1`)).statusCode).toBe(400);
    // Beyond the calendar's years (2000–2100): a 400, not a date arithmetic failure.
    expect((await call(operator, 'GET', `${base}/calendar/working-days?from=9999-12-31&days=5`)).statusCode).toBe(400);
  });

  it('a new holiday moves the due date of the next registered appeal, and is audited', async () => {
    expect(await register()).toBe('2026-05-25');
    const put = await call(admin, 'PUT', `${base}/calendar/2026-05-12`, { isWorking: false, name: holiday });
    expect(put.statusCode).toBe(200);
    expect(json(put)).toEqual({ date: '2026-05-12', isWorking: false, name: holiday });
    expect(await register()).toBe('2026-05-26');

    const audit = json(await call(admin, 'GET', `${base}/audit?entityType=calendar_day&entityId=2026-05-12`));
    expect(audit.items).toHaveLength(1);
    expect(audit.items[0]).toMatchObject({ action: 'create', before: null, after: { date: '2026-05-12', isWorking: false } });
  });

  it('replaces and removes an exception; a working Saturday counts', async () => {
    await call(admin, 'PUT', `${base}/calendar/2026-05-12`, { isWorking: false });
    expect(json(await call(admin, 'GET', `${base}/calendar?year=2026`)).items.find((d: { date: string }) => d.date === '2026-05-12').name).toBeNull();
    expect((await call(admin, 'DELETE', `${base}/calendar/2026-05-12`)).statusCode).toBe(200);
    expect((await call(admin, 'DELETE', `${base}/calendar/2026-05-12`)).statusCode).toBe(404);

    expect((await call(admin, 'PUT', `${base}/calendar/2026-05-16`, { isWorking: true })).statusCode).toBe(200);
    expect(json(await call(admin, 'GET', `${base}/calendar/working-days?from=2026-04-27&days=14`)).dueDate).toBe('2026-05-22');
    await call(admin, 'DELETE', `${base}/calendar/2026-05-16`);
    expect(json(await call(admin, 'GET', `${base}/calendar/working-days?from=2026-04-27&days=14`)).dueDate).toBe('2026-05-25');
  });

  it('refuses non-admins and impossible dates', async () => {
    expect((await call(operator, 'PUT', `${base}/calendar/2026-06-01`, { isWorking: false })).statusCode).toBe(403);
    expect((await call(operator, 'DELETE', `${base}/calendar/2026-05-27`)).statusCode).toBe(403);
    expect((await call(admin, 'PUT', `${base}/calendar/2026-13-01`, { isWorking: false })).statusCode).toBe(400);
    expect((await call(admin, 'PUT', `${base}/calendar/2026-06-01`, { isWorking: 'no' })).statusCode).toBe(400);
  });
});

describe('deadline rules', () => {
  it('lists the rule in force; it cannot be deleted', async () => {
    const list = json(await call(operator, 'GET', `${base}/deadline-rules`));
    const law = list.items.find((r: { effectiveFrom: string }) => r.effectiveFrom === '2007-05-04');
    expect(law).toMatchObject({ kind: null, answerWithinDays: 14, deletable: false });
    const del = await call(admin, 'DELETE', `${base}/deadline-rules/${law.id}`);
    expect(del.statusCode).toBe(409);
    expect(json(del).error.code).toBe('deadline_rule_in_effect');
  });

  it('adds a rule for a kind from today: the next appeal of that kind takes it, others keep theirs', async () => {
    const res = await call(admin, 'POST', `${base}/deadline-rules`, {
      kind: 'proposal', effectiveFrom: '2026-04-27', registerWithinDays: 1, answerWithinDays: 10, maxExtensionDays: 10, note: 'Test decision',
    });
    expect(res.statusCode).toBe(201);
    expect(json(res)).toMatchObject({ kind: 'proposal', effectiveFrom: '2026-04-27', deletable: false });
    expect(await register('proposal')).toBe('2026-05-19');
    expect(await register('statement')).toBe('2026-05-25');
  });

  it('refuses a duplicate (kind, date), a date in the past, bad numbers and non-admins', async () => {
    const rule = { kind: null, effectiveFrom: '2026-07-01', registerWithinDays: 1, answerWithinDays: 14, maxExtensionDays: 14 };
    expect((await call(admin, 'POST', `${base}/deadline-rules`, rule)).statusCode).toBe(201);
    const dup = await call(admin, 'POST', `${base}/deadline-rules`, rule);
    expect(dup.statusCode).toBe(409);
    expect(json(dup).error.code).toBe('deadline_rule_exists');
    expect((await call(admin, 'POST', `${base}/deadline-rules`, { ...rule, kind: 'complaint' })).statusCode).toBe(201);
    expect((await call(admin, 'POST', `${base}/deadline-rules`, { ...rule, effectiveFrom: '2026-04-26' })).statusCode).toBe(400);
    expect((await call(admin, 'POST', `${base}/deadline-rules`, { ...rule, effectiveFrom: '2026-08-01', answerWithinDays: 0 })).statusCode).toBe(400);
    expect((await call(admin, 'POST', `${base}/deadline-rules`, { ...rule, effectiveFrom: '2026-08-01', kind: 'petition' })).statusCode).toBe(400);
    expect((await call(operator, 'POST', `${base}/deadline-rules`, { ...rule, effectiveFrom: '2026-08-01' })).statusCode).toBe(403);
  });

  it('deletes a future rule, but not once its day has come in the city', async () => {
    const rules = json(await call(admin, 'GET', `${base}/deadline-rules`)).items;
    const july = rules.find((r: { effectiveFrom: string; kind: string | null }) => r.effectiveFrom === '2026-07-01' && r.kind === null);
    expect(july.deletable).toBe(true);
    const del = await call(admin, 'DELETE', `${base}/deadline-rules/${july.id}`);
    expect(del.statusCode).toBe(200);
    const audit = json(await call(admin, 'GET', `${base}/audit?entityType=deadline_rule&entityId=${july.id}`));
    expect(audit.items.map((e: { action: string }) => e.action)).toEqual(['delete', 'create']);
    expect((await call(admin, 'DELETE', `${base}/deadline-rules/${july.id}`)).statusCode).toBe(404);

    const tomorrow = json(await call(admin, 'POST', `${base}/deadline-rules`, {
      kind: 'statement', effectiveFrom: '2026-04-28', registerWithinDays: 1, answerWithinDays: 12, maxExtensionDays: 12,
    }));
    expect(tomorrow.deletable).toBe(true);
    t.clock.set('2026-04-27T19:00:00Z'); // still the 27th in UTC, but 01:00 on the 28th in Bishkek
    try {
      expect((await call(admin, 'DELETE', `${base}/deadline-rules/${tomorrow.id}`)).statusCode).toBe(409);
    } finally {
      t.clock.set('2026-04-27T04:00:00Z');
    }
  });
});
