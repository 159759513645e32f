/**
 * The legal life of an appeal over HTTP, on a real database: intake, routing, due dates on the working
 * calendar, idempotency, the state machine with its audit trail, and who may see and do what.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, json, type Ids, type Session, type TestApp } from '../../test-support/test-app.js';
import { deadlineRules } from '../../platform/db/schema.js';

let t: TestApp;
let ids: Ids;
let operator: Session;
let executor: Session;
let supervisor: Session;
const M = '/api/v1/m/bishkek';

const oral = (over: Record<string, unknown> = {}) => ({
  kind: 'complaint', channel: 'in_person', categoryId: ids.category('roads.pothole'),
  subject: 'Яма на проспекте Чуй', body: 'Глубокая яма у остановки уже месяц, машины объезжают по встречной.',
  applicant: { fullName: 'Азамат Керимов', phone: '0700 123 456' }, language: 'ru', ...over,
});

async function register(body = oral(), headers: Record<string, string> = {}) {
  const res = await t.app.inject({ method: 'POST', url: `${M}/reception/appeals`, headers: { ...operator.headers, ...headers }, payload: body });
  expect(res.statusCode, res.body).toBe(201);
  return json<{ id: string; registrationNumber: string; dueDate: string }>(res);
}

async function act(session: Session, id: string, action: string, payload: object = {}, headers: Record<string, string> = {}) {
  return t.app.inject({ method: 'POST', url: `${M}/appeals/${id}/${action}`, headers: { ...session.headers, ...headers }, payload });
}

async function detail(id: string, session = operator) {
  const res = await t.app.inject({ method: 'GET', url: `${M}/appeals/${id}`, headers: session.headers });
  expect(res.statusCode, res.body).toBe(200);
  return json(res);
}

beforeAll(async () => {
  // The clock moves by weeks in these tests; sessions must outlive that.
  t = await createTestApp({ env: { SESSION_DAYS: '90' } });
  ids = await t.ids();
  [operator, executor, supervisor] = await Promise.all([t.staff('operator'), t.staff('executor.roads'), t.staff('supervisor')]);
});
afterAll(async () => { await t?.close(); });

describe('registration', () => {
  it('routes an oral complaint to its service with a due date 14 working days later, skipping the May holidays', async () => {
    const a = await register();
    expect(a.registrationNumber).toMatch(/^BSK-2026-\d{6}$/);
    // Registered Monday 27 April 2026; 1–9 May are holidays: due 25 May, not 15 May.
    expect(a.dueDate).toBe('2026-05-25');
    const d = await detail(a.id);
    expect(d.serviceId).toBe(ids.service('roads-enterprise'));
    expect(d.status).toBe('registered');
    expect(d.registrationDueDate).toBe('2026-04-28');
    expect(d.applicant.phone).toBe('+996700123456');
    expect(d.timeline[0]).toMatchObject({ action: 'register', status: 'registered' });
  });

  it('routes by category × district: a courtyard road goes to its district administration', async () => {
    const a = await register(oral({ categoryId: ids.category('roads.courtyard'), location: { districtId: ids.district('sverdlovsky'), address: 'мкр. Джал, 15' } }));
    expect((await detail(a.id)).serviceId).toBe(ids.service('admin-sverdlovsky'));
  });

  it('numbers appeals uniquely and in order within the municipality and year', async () => {
    const numbers = await Promise.all(Array.from({ length: 8 }, () => register().then((a) => a.registrationNumber)));
    expect(new Set(numbers).size).toBe(8);
    const osh = await t.staff('operator', 'osh');
    const oshIds = await t.ids('osh');
    const res = await t.app.inject({ method: 'POST', url: '/api/v1/m/osh/reception/appeals', headers: osh.headers,
      payload: oral({ categoryId: oshIds.category('water.none') }) });
    expect(json(res).registrationNumber).toBe('OSH-2026-000001');
  });

  it('returns the same appeal for a retry with the same Idempotency-Key', async () => {
    const key = 'reception-desk-1-req-42';
    const first = await register(oral(), { 'idempotency-key': key });
    const again = await t.app.inject({ method: 'POST', url: `${M}/reception/appeals`, headers: { ...operator.headers, 'idempotency-key': key }, payload: oral() });
    expect(again.statusCode).toBe(200);
    expect(again.headers['idempotent-replayed']).toBe('true');
    expect(json(again).id).toBe(first.id);
    const list = json(await t.app.inject({ method: 'GET', url: `${M}/appeals?q=${first.registrationNumber}`, headers: operator.headers }));
    expect(list.items).toHaveLength(1);
  });

  it('gives racing retries with one Idempotency-Key one appeal: a 201 and replays', async () => {
    const key = 'racing-retries-0001';
    const results = await Promise.all(Array.from({ length: 6 }, () => t.app.inject({
      method: 'POST', url: `${M}/reception/appeals`, headers: { ...operator.headers, 'idempotency-key': key }, payload: oral(),
    })));
    expect(results.map((r) => r.statusCode).sort()).toEqual([200, 200, 200, 200, 200, 201]);
    expect(new Set(results.map((r) => json(r).id)).size).toBe(1);
  });

  it('refuses an unknown category, a district of another city, and a letter without an applicant', async () => {
    const oshIds = await t.ids('osh');
    const bad = [
      oral({ categoryId: oshIds.category('water.none') }),
      oral({ location: { districtId: oshIds.district('manas-ata') } }),
      { ...oral(), applicant: undefined, channel: 'letter' },
    ];
    for (const body of bad) {
      const res = await t.app.inject({ method: 'POST', url: `${M}/reception/appeals`, headers: { ...operator.headers, 'accept-language': 'en' }, payload: body });
      expect(res.statusCode, res.body).toBe(400);
    }
  });

  it('applies a shorter deadline rule only to appeals registered after it takes effect', async () => {
    await t.services.database.db.insert(deadlineRules).values({
      municipalityId: ids.municipalityId, kind: null, effectiveFrom: '2026-06-01', registerWithinDays: 1, answerWithinDays: 10, maxExtensionDays: 10,
    });
    t.services.workingTime.invalidate(ids.municipalityId);
    const before = await register();
    expect(before.dueDate).toBe('2026-05-25');
    t.clock.set('2026-06-01T04:00:00Z'); // Monday 1 June
    const after = await register();
    expect(after.dueDate).toBe('2026-06-15'); // 10 working days
    t.clock.set('2026-04-27T04:00:00Z');
  });
});

describe('lifecycle', () => {
  it('assign → start → answer → close, every step in the audit log with actor, before, after and reason', async () => {
    const a = await register();
    const { id: executorId } = json(await t.app.inject({ method: 'GET', url: '/api/v1/auth/me', headers: executor.headers }));
    expect((await act(operator, a.id, 'assign', { executorId })).statusCode).toBe(200);
    expect((await act(executor, a.id, 'start')).statusCode).toBe(200);
    const answered = await act(executor, a.id, 'answer', { body: 'Яма заделана 30 апреля, фото прилагается к ответу.' });
    expect(json(answered).status).toBe('answered');
    const answerId = json(answered).answerId;
    expect((await act(operator, a.id, 'close')).statusCode).toBe(200);

    const audit = json(await t.app.inject({ method: 'GET', url: `${M}/appeals/${a.id}/audit`, headers: supervisor.headers })).items;
    expect(audit.map((e: { action: string }) => e.action)).toEqual(['register', 'assign', 'start', 'answer', 'close']);
    expect(audit[1]).toMatchObject({ actorKind: 'staff', actorName: 'Нурлан Осмонов', before: { status: 'registered' }, after: { status: 'assigned', executorId } });
    expect(audit[4].after.status).toBe('closed');
    const d = await detail(a.id);
    expect(d.answers).toHaveLength(1);
    expect(d.answers[0].id).toBe(answerId);
    expect(d.answers[0].language).toBe('ru');
    expect(d.allowedActions).toEqual([]); // an operator can do nothing more with a closed appeal
  });

  it('refuses transitions the state machine does not allow, and changes nothing', async () => {
    const a = await register();
    const res = await act(operator, a.id, 'close', {}, { 'accept-language': 'ru' });
    expect(res.statusCode).toBe(409);
    expect(json(res).error.code).toBe('transition_not_allowed');
    expect(json(res).error.message).toBe('Для обращения со статусом «зарегистрировано» действие «закрыть» недоступно.');
    const d = await detail(a.id);
    expect(d.status).toBe('registered');
    expect(d.version).toBe(1);
  });

  it('keeps executors to their own service and analysts to reading', async () => {
    const water = await register(oral({ categoryId: ids.category('water.none') }));
    expect((await act(executor, water.id, 'start')).statusCode).toBe(403);
    const inbox = json(await t.app.inject({ method: 'GET', url: `${M}/appeals?limit=200`, headers: executor.headers }));
    expect(inbox.items.every((i: { serviceId: string }) => i.serviceId === ids.service('roads-enterprise'))).toBe(true);
    expect((await t.app.inject({ method: 'GET', url: `${M}/appeals/${water.id}`, headers: executor.headers })).statusCode).toBe(404);
    const analyst = await t.staff('analyst');
    expect((await act(analyst, water.id, 'assign', { serviceId: ids.service('tazalyk') })).statusCode).toBe(403);
  });

  it('redirects to another service with a reason the resident sees', async () => {
    const a = await register();
    expect((await act(executor, a.id, 'redirect', { serviceId: ids.service('vodokanal') })).statusCode).toBe(400); // no reason
    const res = await act(executor, a.id, 'redirect', { serviceId: ids.service('vodokanal'), reason: 'Провал над водопроводом — это Водоканал.' });
    expect(res.statusCode).toBe(200);
    const d = await detail(a.id);
    expect(d).toMatchObject({ status: 'redirected', serviceId: ids.service('vodokanal'), executorId: null });
    // Now it is no longer the roads executor's appeal.
    expect((await act(executor, a.id, 'start')).statusCode).toBe(403);
  });

  it('extends within the limit only, moving the due date by working days', async () => {
    const a = await register();
    await act(operator, a.id, 'assign', { serviceId: ids.service('roads-enterprise') });
    expect((await act(executor, a.id, 'extend', { days: 5, reason: 'Нужна экспертиза' })).statusCode).toBe(403);
    expect(json(await act(supervisor, a.id, 'extend', { days: 10, reason: 'Нужна экспертиза покрытия' })).status).toBe('extended');
    const d = await detail(a.id);
    // 25 May + 10 working days, Kurman Ait (27 May) skipped.
    expect(d).toMatchObject({ dueDate: '2026-06-09', originalDueDate: '2026-05-25', extensionDays: 10 });
    const over = await act(supervisor, a.id, 'extend', { days: 5, reason: 'Ещё' }, { 'accept-language': 'en' });
    expect(over.statusCode).toBe(409);
    expect(json(over).error).toMatchObject({ code: 'extension_limit' });
    expect(json(over).error.message).toContain('4 left');
  });

  it('leaves without consideration with the legal ground, and a supervisor can reopen with a fresh term', async () => {
    const a = await register();
    const left = await act(operator, a.id, 'leave-without-consideration', { ground: 'no_concrete_substance', reason: 'Нет конкретного предложения.' });
    expect(json(left).status).toBe('left_without_consideration');
    t.clock.set('2026-05-11T04:00:00Z');
    expect(json(await act(supervisor, a.id, 'reopen', { reason: 'Заявитель уточнил суть.' })).status).toBe('reopened');
    const d = await detail(a.id);
    expect(d.dueDate).toBe('2026-06-01'); // 14 working days from 11 May, skipping Kurman Ait (27 May)
    expect(d.noConsiderationGround).toBeNull();
    t.clock.set('2026-04-27T04:00:00Z');
  });

  it('acts on an appeal right after reference data changed (cold caches, no deadlock on PGlite)', async () => {
    const a = await register();
    t.services.directory.invalidate(ids.municipalityId);
    t.services.workingTime.invalidate(ids.municipalityId);
    expect((await act(operator, a.id, 'assign', { serviceId: ids.service('tazalyk') })).statusCode).toBe(200);
    t.services.workingTime.invalidate(ids.municipalityId);
    expect((await act(supervisor, a.id, 'extend', { days: 1, reason: 'Ожидаем ответ подрядчика' })).statusCode).toBe(200);
  });

  it('refuses a stale version with If-Match', async () => {
    const a = await register();
    const res = await act(operator, a.id, 'assign', { serviceId: ids.service('tazalyk') }, { 'if-match': '7' });
    expect(res.statusCode).toBe(409);
    expect(json(res).error.code).toBe('version_conflict');
    expect((await act(operator, a.id, 'assign', { serviceId: ids.service('tazalyk') }, { 'if-match': '1' })).statusCode).toBe(200);
  });

  it('links duplicates and repeats within the municipality', async () => {
    const a = await register();
    const b = await register();
    expect((await t.app.inject({ method: 'POST', url: `${M}/appeals/${b.id}/links`, headers: operator.headers, payload: { duplicateOfId: a.id } })).statusCode).toBe(200);
    expect((await detail(b.id)).duplicateOfId).toBe(a.id);
    expect((await t.app.inject({ method: 'POST', url: `${M}/appeals/${b.id}/links`, headers: operator.headers, payload: { repeatOfId: b.id } })).statusCode).toBe(400);
  });

  it('keeps internal notes from the resident', async () => {
    const a = await register();
    expect((await t.app.inject({ method: 'POST', url: `${M}/appeals/${a.id}/notes`, headers: executor.headers, payload: { body: 'Бригада будет в четверг' } })).statusCode).toBe(201);
    expect((await detail(a.id)).notes[0]).toMatchObject({ body: 'Бригада будет в четверг', authorName: 'Бакыт Мамытов' });
  });
});

describe('a resident files online and follows the appeal in My appeals', () => {
  it('shows the public timeline and the Response, without staff names or internal notes', async () => {
    const citizen = await t.citizen('aida.test@example.kg');
    const filed = await t.app.inject({ method: 'POST', url: `${M}/appeals`, headers: { ...citizen.headers, 'accept-language': 'ky' }, payload: {
      kind: 'statement', categoryId: ids.category('lighting.off'), subject: 'Көчө чырагы күйбөйт',
      body: 'Токтогул көчөсүндөгү 3 чырак бир жумадан бери күйбөйт.', applicant: { fullName: 'Айда Тестова' },
      location: { lat: 42.8746, lon: 74.6122, address: 'Токтогул көч., 120' },
      demographics: { consent: true, ageBand: '30_44', gender: 'female' },
    } });
    expect(filed.statusCode, filed.body).toBe(201);
    const { id } = json(filed);
    await t.app.inject({ method: 'POST', url: `${M}/appeals/${id}/notes`, headers: operator.headers, payload: { body: 'ички эскертүү' } });
    await act(operator, id, 'assign', { serviceId: ids.service('svet') });
    await act(supervisor, id, 'answer', { body: 'Чырактар 5-майда алмаштырылды.' });

    const mine = json(await t.app.inject({ method: 'GET', url: `${M}/my/appeals`, headers: citizen.headers }));
    expect(mine.items.map((i: { id: string }) => i.id)).toEqual([id]);
    const res = await t.app.inject({ method: 'GET', url: `${M}/my/appeals/${id}`, headers: citizen.headers });
    const view = json(res);
    expect(view).toMatchObject({ status: 'answered', language: 'ky', channel: 'web' });
    expect(view.answers[0].body).toBe('Чырактар 5-майда алмаштырылды.');
    expect(view.timeline.map((e: { action: string }) => e.action)).toEqual(['register', 'assign', 'answer']);
    expect(res.body).not.toContain('ички эскертүү');
    expect(res.body).not.toContain('Гүлнара'); // the supervisor's name
    expect(res.body).not.toContain('executorId":"');

    const stranger = await t.citizen('+996555000111');
    expect((await t.app.inject({ method: 'GET', url: `${M}/my/appeals/${id}`, headers: stranger.headers })).statusCode).toBe(404);
  });
});

describe('inbox', () => {
  it('filters by status, overdue and due soon, and pages with a cursor', async () => {
    const first = json(await t.app.inject({ method: 'GET', url: `${M}/appeals?limit=3`, headers: operator.headers }));
    expect(first.items).toHaveLength(3);
    const second = json(await t.app.inject({ method: 'GET', url: `${M}/appeals?limit=3&cursor=${first.nextCursor}`, headers: operator.headers }));
    expect(second.items[0].id).not.toBe(first.items[2].id);
    expect(second.items.every((i: { registeredAt: string }) => i.registeredAt <= first.items[2].registeredAt)).toBe(true);

    t.clock.set('2026-05-26T04:00:00Z'); // the day after the due date of 25 May
    const overdue = json(await t.app.inject({ method: 'GET', url: `${M}/appeals?overdue=true&limit=200`, headers: operator.headers }));
    expect(overdue.items.length).toBeGreaterThan(0);
    expect(overdue.items.every((i: { overdue: boolean; dueDate: string }) => i.overdue && i.dueDate < '2026-05-26')).toBe(true);
    t.clock.set('2026-05-20T04:00:00Z');
    const soon = json(await t.app.inject({ method: 'GET', url: `${M}/appeals?dueWithinDays=3&limit=200`, headers: operator.headers }));
    expect(soon.items.length).toBeGreaterThan(0);
    expect(soon.items.every((i: { dueDate: string }) => i.dueDate >= '2026-05-20' && i.dueDate <= '2026-05-25')).toBe(true);
    t.clock.set('2026-04-27T04:00:00Z');

    const closed = json(await t.app.inject({ method: 'GET', url: `${M}/appeals?status=closed,answered`, headers: operator.headers }));
    expect(closed.items.every((i: { status: string }) => ['closed', 'answered'].includes(i.status))).toBe(true);
    const byDistrict = json(await t.app.inject({ method: 'GET', url: `${M}/appeals?districtId=${ids.district('sverdlovsky')}`, headers: operator.headers }));
    expect(byDistrict.items.length).toBeGreaterThan(0);
    const byGroup = json(await t.app.inject({ method: 'GET', url: `${M}/appeals?categoryId=${ids.category('roads')}&limit=200`, headers: operator.headers }));
    expect(byGroup.items.length).toBeGreaterThan(5);
  });
});
