/**
 * Extension requests over HTTP on a real database: an executor asks, a supervisor approves (the appeal is extended,
 * the resident told) or refuses with a reason; who may do what; audit entries and the events announced.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { and, eq, sql } from 'drizzle-orm';
import { createTestApp, json, type Ids, type Session, type TestApp } from '../../test-support/test-app.js';
import { auditLog, jobs, notifications } from '../../platform/db/schema.js';
import { APPEAL_EVENT_JOB } from '../notifications/appeal-events.js';

let t: TestApp;
let ids: Ids;
let operator: Session;
let executor: Session;
let otherExecutor: Session;
let supervisor: Session;
let analyst: Session;
let executorId: string;
let supervisorId: string;
const M = '/api/v1/m/bishkek';

type Method = 'GET' | 'POST';
const call = (session: Session, method: Method, url: string, payload?: object, headers: Record<string, string> = {}) =>
  t.app.inject({ method, url: `${M}${url}`, headers: { ...session.headers, ...headers }, ...(payload ? { payload } : {}) });

const oral = () => ({
  kind: 'complaint', channel: 'in_person', categoryId: ids.category('roads.pothole'),
  subject: 'Яма на проспекте Чуй', body: 'Глубокая яма у остановки уже месяц, машины объезжают по встречной.',
  applicant: { fullName: 'Азамат Керимов', phone: '0700 123 456' }, language: 'ru',
});

async function register(): Promise<string> {
  const res = await call(operator, 'POST', '/reception/appeals', oral());
  expect(res.statusCode, res.body).toBe(201);
  return json(res).id;
}

/** A roads appeal registered on Monday 27 April 2026 (due 25 May), taken into work by the roads executor. */
async function inWork(): Promise<string> {
  const id = await register();
  expect((await call(executor, 'POST', `/appeals/${id}/assign`, { executorId })).statusCode).toBe(200);
  expect((await call(executor, 'POST', `/appeals/${id}/start`, {})).statusCode).toBe(200);
  return id;
}

const ask = (session: Session, appealId: string, days: number, reason = 'Нужна экспертиза дорожного покрытия') =>
  call(session, 'POST', `/appeals/${appealId}/extension-requests`, { days, reason });

/** Events announced for an appeal (the notification jobs' payloads). */
async function events(appealId: string, event: string) {
  const rows = await t.services.database.db.select({ payload: jobs.payload }).from(jobs)
    .where(and(eq(jobs.kind, APPEAL_EVENT_JOB), sql`${jobs.payload} ->> 'appealId' = ${appealId}`, sql`${jobs.payload} ->> 'event' = ${event}`)).orderBy(jobs.id);
  return rows.map((r) => r.payload.details as Record<string, unknown>);
}

const auditOf = (entityType: string, entityId: string) => t.services.database.db.select().from(auditLog)
  .where(and(eq(auditLog.entityType, entityType), eq(auditLog.entityId, entityId))).orderBy(auditLog.id);

beforeAll(async () => {
  t = await createTestApp({ now: '2026-04-27T04:00:00Z' });
  ids = await t.ids();
  [operator, executor, otherExecutor, supervisor, analyst] = await Promise.all([
    t.staff('operator'), t.staff('executor.roads'), t.staff('executor.water'), t.staff('supervisor'), t.staff('analyst'),
  ]);
  executorId = json(await t.app.inject({ method: 'GET', url: '/api/v1/auth/me', headers: executor.headers })).id;
  supervisorId = json(await t.app.inject({ method: 'GET', url: '/api/v1/auth/me', headers: supervisor.headers })).id;
});
afterAll(async () => { await t?.close(); });

describe('asking for more time', () => {
  let appealId: string;
  let requestId: string;
  beforeAll(async () => { appealId = await inWork(); });

  it('records the request with what the supervisor needs, audits it and tells the supervisors', async () => {
    const res = await ask(executor, appealId, 5);
    expect(res.statusCode, res.body).toBe(201);
    const r = json(res);
    requestId = r.id;
    expect(r).toMatchObject({
      appealId, registrationNumber: expect.stringMatching(/^BSK-2026-\d{6}$/), subject: 'Яма на проспекте Чуй', appealStatus: 'in_progress',
      service: { id: ids.service('roads-enterprise'), name: { ru: expect.any(String) } },
      // 25 May + 5 working days: 26, 28 (27 is Kurman Ait), 29 May, 1, 2 June.
      dueDate: '2026-05-25', dueDateIfApproved: '2026-06-02', extensionDaysLeft: 14,
      days: 5, reason: 'Нужна экспертиза дорожного покрытия', status: 'pending',
      requestedBy: { id: executorId, name: 'Бакыт Мамытов' }, decidedBy: null, decidedAt: null, decisionReason: null,
    });
    const [entry] = await auditOf('extension_request', requestId);
    expect(entry).toMatchObject({ action: 'create', actorKind: 'staff', actorId: executorId, reason: 'Нужна экспертиза дорожного покрытия',
      after: { appealId, days: 5, status: 'pending', dueDate: '2026-05-25' } });
    expect(await events(appealId, 'extension_requested')).toEqual([
      { requestId, days: 5, reason: 'Нужна экспертиза дорожного покрытия', dueDate: '2026-05-25', requestedById: executorId },
    ]);
  });

  it('keeps one pending request per appeal (409, in the asker\'s language)', async () => {
    const res = await call(executor, 'POST', `/appeals/${appealId}/extension-requests`, { days: 2, reason: 'Ещё раз' }, { 'accept-language': 'ru' });
    expect(res.statusCode).toBe(409);
    expect(json(res).error).toMatchObject({ code: 'extension_request_pending', message: expect.stringMatching(/ожидающий решения/) });
  });

  it('lets only those who can act on the appeal ask: another service\'s executor gets 404, an analyst 403', async () => {
    expect((await ask(otherExecutor, appealId, 1)).statusCode).toBe(404);
    expect((await ask(analyst, appealId, 1)).statusCode).toBe(403);
    expect((await call(otherExecutor, 'GET', `/appeals/${appealId}/extension-requests`)).statusCode).toBe(404);
  });

  it('refuses more days than the rule has left, and appeals whose state does not allow extending', async () => {
    const other = await inWork();
    const res = await ask(executor, other, 15);
    expect(res.statusCode).toBe(409);
    expect(json(res).error.code).toBe('extension_limit');
    const fresh = await register();
    const early = await ask(operator, fresh, 2);
    expect(early.statusCode).toBe(409);
    expect(json(early).error.code).toBe('transition_not_allowed');
    expect((await call(executor, 'POST', `/appeals/${other}/extension-requests`, { days: 0, reason: 'x' })).statusCode).toBe(400);
  });

  it('shows supervisors the queue, oldest first, page by page; executors may not see it', async () => {
    expect((await call(executor, 'GET', '/extension-requests')).statusCode).toBe(403);
    const second = await inWork();
    t.clock.advance(60_000);
    expect((await ask(executor, second, 3)).statusCode).toBe(201);
    const first = json(await call(supervisor, 'GET', '/extension-requests?status=pending&limit=1'));
    expect(first.items.map((i: { id: string }) => i.id)).toEqual([requestId]);
    expect(first.nextCursor).toEqual(expect.any(String));
    const next = json(await call(supervisor, 'GET', `/extension-requests?limit=1&cursor=${first.nextCursor}`));
    expect(next.items[0]).toMatchObject({ appealId: second, days: 3, status: 'pending' });
    expect((await call(supervisor, 'GET', '/extension-requests?cursor=garbage')).statusCode).toBe(400);
  });

  it('on approval extends the appeal in the same step, tells the resident and the requester, and audits both', async () => {
    expect((await call(executor, 'POST', `/extension-requests/${requestId}/approve`, {})).statusCode).toBe(403);
    const res = await call(supervisor, 'POST', `/extension-requests/${requestId}/approve`, { reason: 'Согласовано' });
    expect(res.statusCode, res.body).toBe(200);
    expect(json(res)).toMatchObject({ status: 'approved', dueDate: '2026-06-02', dueDateIfApproved: null, extensionDaysLeft: 9,
      decidedBy: { id: supervisorId, name: 'Гүлнара Жумабаева' }, decisionReason: 'Согласовано' });
    const appeal = json(await call(operator, 'GET', `/appeals/${appealId}`));
    expect(appeal).toMatchObject({ status: 'extended', dueDate: '2026-06-02', extensionDays: 5 });
    // The lifecycle's own extension: public, with the request's reason, by the supervisor.
    const extend = (await auditOf('appeal', appealId)).filter((e) => e.action === 'extend');
    expect(extend).toHaveLength(1);
    expect(extend[0]).toMatchObject({ actorId: supervisorId, isPublic: true, reason: 'Нужна экспертиза дорожного покрытия', after: { dueDate: '2026-06-02', days: 5 } });
    expect((await auditOf('extension_request', requestId)).map((e) => [e.action, e.reason, e.after])).toEqual([
      ['create', 'Нужна экспертиза дорожного покрытия', expect.anything()],
      ['approve', 'Согласовано', { status: 'approved', appealId, dueDate: '2026-06-02' }],
    ]);
    expect(await events(appealId, 'extended')).toEqual([expect.objectContaining({ days: 5, dueDate: '2026-06-02', reason: 'Нужна экспертиза дорожного покрытия' })]);
    expect(await events(appealId, 'extension_decided')).toEqual([
      { recipientStaffId: executorId, decision: 'approved', reason: 'Согласовано', requestId, days: 5, dueDate: '2026-06-02' },
    ]);
  });

  it('reaches the requester, the supervisors and the resident through notifications', async () => {
    await t.services.jobs.runDue();
    const rows = await t.services.database.db.select({ event: notifications.event, kind: notifications.recipientKind, to: notifications.recipientId })
      .from(notifications).where(and(eq(notifications.appealId, appealId), sql`${notifications.event} in ('extension_requested', 'extension_decided', 'extended')`));
    expect(rows.some((r) => r.event === 'extension_requested' && r.kind === 'staff' && r.to === supervisorId)).toBe(true);
    expect(rows.filter((r) => r.event === 'extension_decided').every((r) => r.kind === 'staff' && r.to === executorId)).toBe(true);
    expect(rows.some((r) => r.event === 'extension_decided')).toBe(true);
    // The applicant was registered at reception with a phone: the resident hears of the new due date by SMS.
    expect(rows.some((r) => r.event === 'extended' && r.kind === 'applicant')).toBe(true);
  });

  it('cannot decide a request twice', async () => {
    const again = await call(supervisor, 'POST', `/extension-requests/${requestId}/approve`, {});
    expect(again.statusCode).toBe(409);
    expect(json(again).error.code).toBe('extension_request_decided');
    expect((await call(supervisor, 'POST', `/extension-requests/${requestId}/reject`, { reason: 'Передумали' })).statusCode).toBe(409);
    expect(json(await call(operator, 'GET', `/appeals/${appealId}`)).dueDate).toBe('2026-06-02');
  });

  it('refuses only with a reason, leaves the due date, and tells the requester why', async () => {
    // 5 of 14 working days used: 10 more is over the limit, 3 is fine.
    expect(json(await ask(executor, appealId, 10)).error.code).toBe('extension_limit');
    const r = json(await ask(executor, appealId, 3, 'Подрядчик не успевает'));
    const noReason = await call(supervisor, 'POST', `/extension-requests/${r.id}/reject`, {});
    expect(noReason.statusCode).toBe(400);
    expect(json(noReason).error.details[0]).toMatchObject({ path: 'reason' });
    const res = await call(supervisor, 'POST', `/extension-requests/${r.id}/reject`, { reason: 'Срок достаточен, работы на один день' });
    expect(res.statusCode, res.body).toBe(200);
    expect(json(res)).toMatchObject({ status: 'refused', dueDate: '2026-06-02', decisionReason: 'Срок достаточен, работы на один день' });
    expect(json(await call(operator, 'GET', `/appeals/${appealId}`))).toMatchObject({ dueDate: '2026-06-02', extensionDays: 5 });
    expect((await auditOf('extension_request', r.id)).map((e) => e.action)).toEqual(['create', 'refuse']);
    expect((await events(appealId, 'extension_decided')).at(-1)).toEqual(
      { recipientStaffId: executorId, decision: 'refused', reason: 'Срок достаточен, работы на один день', requestId: r.id, days: 3, dueDate: null });
    expect(await events(appealId, 'extended')).toHaveLength(1);
  });

  it("lists the appeal's requests, newest first, to those who see the appeal", async () => {
    const list = json(await call(executor, 'GET', `/appeals/${appealId}/extension-requests`));
    expect(list.items.map((i: { status: string; days: number }) => [i.status, i.days])).toEqual([['refused', 3], ['approved', 5]]);
  });
});

describe('an approval the appeal no longer allows', () => {
  it('changes nothing when the appeal was answered meanwhile; the request can still be refused', async () => {
    const appealId = await inWork();
    const r = json(await ask(executor, appealId, 2));
    expect((await call(executor, 'POST', `/appeals/${appealId}/answer`, { body: 'Яма заделана, участок проверен мастером дорожного предприятия.' })).statusCode).toBe(200);
    const res = await call(supervisor, 'POST', `/extension-requests/${r.id}/approve`, {});
    expect(res.statusCode).toBe(409);
    expect(json(res).error.code).toBe('transition_not_allowed');
    const [after] = json(await call(supervisor, 'GET', `/appeals/${appealId}/extension-requests`)).items;
    expect(after).toMatchObject({ status: 'pending', dueDate: '2026-05-25' });
    expect(await events(appealId, 'extension_decided')).toEqual([]);
    expect((await call(supervisor, 'POST', `/extension-requests/${r.id}/reject`, { reason: 'Уже отвечено' })).statusCode).toBe(200);
  });

  it('answers 404 for an unknown request', async () => {
    expect((await call(supervisor, 'POST', '/extension-requests/00000000-0000-4000-8000-000000000000/approve', {})).statusCode).toBe(404);
  });
});
