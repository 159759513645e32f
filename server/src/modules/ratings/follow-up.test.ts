/**
 * 'Is it still solved?' over HTTP with a hand-set clock: a 'yes' schedules the question 30 days later (a durable
 * job); 'no' reopens the appeal as the resident's own act, 'yes' is recorded; a verdict changed away from 'yes'
 * before then means nobody is asked.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { and, eq } from 'drizzle-orm';
import { auditLog, jobs } from '../../platform/db/schema.js';
import { createTestApp, json, type Ids, type Session, type TestApp } from '../../test-support/test-app.js';
import { FOLLOW_UP_JOB } from './rating-rules.js';

let t: TestApp;
let ids: Ids;
let operator: Session;
let executor: Session;
let resident: Session;
const M = '/api/v1/m/bishkek';
const DAY = 86_400_000;

const call = (session: Session, method: 'GET' | 'POST' | 'PUT', url: string, payload?: object) =>
  t.app.inject({ method, url, headers: session.headers, ...(payload ? { payload } : {}) });

async function answeredAppeal() {
  const filed = await call(resident, 'POST', `${M}/appeals`, {
    kind: 'complaint', categoryId: ids.category('roads.stop'), subject: 'Разбита остановка',
    body: 'На остановке «Ала-Тоо» разбито стекло и сломана скамейка.', applicant: { fullName: 'Айгуль Сыдыкова' },
    language: 'ru',
  });
  const { id } = json(filed);
  await call(operator, 'POST', `${M}/appeals/${id}/assign`, { serviceId: ids.service('roads-enterprise') });
  const answered = await call(executor, 'POST', `${M}/appeals/${id}/answer`, { body: 'Стекло заменено, скамейка отремонтирована.' });
  expect(answered.statusCode, answered.body).toBe(200);
  return { id, answerId: json(answered).answerId as string };
}

const solved = (value: 'yes' | 'partly' | 'no') => ({ overall: value === 'yes' ? 5 : 2, solved: value, clarity: 5, accuracy: 5, onTimeFelt: true });
const rate = (a: { id: string; answerId: string }, body: object) => call(resident, 'PUT', `${M}/my/appeals/${a.id}/answers/${a.answerId}/rating`, body);
const followUp = (a: { id: string; answerId: string }, stillSolved: boolean) =>
  call(resident, 'POST', `${M}/my/appeals/${a.id}/answers/${a.answerId}/follow-up`, { stillSolved });
const myAppeal = async (id: string) => json(await call(resident, 'GET', `${M}/my/appeals/${id}`));
const questionJobs = (answerId: string) => t.services.database.db.select().from(jobs).where(eq(jobs.dedupeKey, `event:follow_up_question:${answerId}`));

beforeAll(async () => {
  t = await createTestApp({ env: { SESSION_DAYS: '90' } });
  ids = await t.ids();
  [operator, executor] = await Promise.all([t.staff('operator'), t.staff('executor.roads')]);
  resident = await t.citizen('follow.up@example.kg');
});
afterAll(async () => { await t?.close(); });

describe("'is it still solved?'", () => {
  it("asks 30 days after a 'yes'; 'no' reopens the appeal with a fresh term, once", async () => {
    t.clock.set('2026-05-11T04:00:00Z');
    const a = await answeredAppeal();
    t.clock.set('2026-05-12T04:00:00Z');
    expect((await rate(a, solved('yes'))).statusCode).toBe(201);
    const [job] = await t.services.database.db.select().from(jobs).where(eq(jobs.dedupeKey, `${FOLLOW_UP_JOB}:${a.answerId}`));
    expect(job!.runAt.toISOString()).toBe('2026-06-11T04:00:00.000Z');

    // Day 29: not yet.
    t.clock.set(new Date(Date.parse('2026-05-12T04:00:00Z') + 29 * DAY));
    await t.services.jobs.runDue();
    expect((await myAppeal(a.id)).answers[0].followUp).toBeNull();
    const early = await followUp(a, false);
    expect(early.statusCode).toBe(409);
    expect(json(early).error.code).toBe('follow_up_not_asked');

    t.clock.set('2026-06-11T04:00:00Z'); // Thursday, day 30
    await t.services.jobs.runDue();
    expect((await myAppeal(a.id)).answers[0].followUp).toEqual({ askedAt: '2026-06-11T04:00:00.000Z', stillSolved: null, answeredAt: null });
    const [question] = await questionJobs(a.answerId);
    expect(question).toMatchObject({ kind: 'notifications.appeal_event', payload: { appealId: a.id, event: 'follow_up_question' } });
    // The job ran again (a retry after a crash) asks nothing twice.
    t.clock.advance(60_000);
    await t.services.jobs.runDue();
    expect((await myAppeal(a.id)).answers[0].followUp.askedAt).toBe('2026-06-11T04:00:00.000Z');

    const res = await followUp(a, false);
    expect(res.statusCode, res.body).toBe(200);
    // 14 working days from Thursday 11 June.
    expect(json(res)).toMatchObject({ stillSolved: false, appealStatus: 'reopened', dueDate: '2026-07-01' });
    const view = await myAppeal(a.id);
    expect(view).toMatchObject({ status: 'reopened', dueDate: '2026-07-01' });
    expect(view.answers[0].followUp).toMatchObject({ stillSolved: false, answeredAt: '2026-06-11T04:01:00.000Z' });
    expect(view.timeline.at(-1)).toMatchObject({ action: 'reopen', status: 'reopened', reason: 'Заявитель сообщает, что проблема не решена.' });
    const audit = await t.services.database.db.select().from(auditLog)
      .where(and(eq(auditLog.entityType, 'appeal'), eq(auditLog.entityId, a.id))).orderBy(auditLog.id);
    expect(audit.map((e) => [e.action, e.actorKind]).slice(-3)).toEqual([['ask_follow_up', 'system'], ['answer_follow_up', 'citizen'], ['reopen', 'citizen']]);
    const twice = await followUp(a, true);
    expect(twice.statusCode).toBe(409);
    expect(json(twice).error.code).toBe('follow_up_already_answered');
  });

  it("'yes' is recorded and the appeal stays as it was", async () => {
    t.clock.set('2026-05-11T04:00:00Z');
    const a = await answeredAppeal();
    await rate(a, solved('yes'));
    t.clock.set('2026-06-10T04:00:00Z');
    await t.services.jobs.runDue();
    const res = await followUp(a, true);
    expect(res.statusCode, res.body).toBe(200);
    expect(json(res)).toMatchObject({ stillSolved: true, appealStatus: 'answered' });
    const view = await myAppeal(a.id);
    expect(view.status).toBe('answered');
    expect(view.answers[0].followUp).toMatchObject({ stillSolved: true, answeredAt: '2026-06-10T04:00:00.000Z' });
  });

  it("changing a 'yes' to 'no' before the 30 days means the question is never asked", async () => {
    t.clock.set('2026-05-11T04:00:00Z');
    const a = await answeredAppeal();
    await rate(a, solved('yes'));
    t.clock.set('2026-05-14T04:00:00Z');
    expect((await rate(a, solved('no'))).statusCode).toBe(200);
    t.clock.set('2026-06-15T04:00:00Z');
    await t.services.jobs.runDue();
    const [job] = await t.services.database.db.select().from(jobs).where(eq(jobs.dedupeKey, `${FOLLOW_UP_JOB}:${a.answerId}`));
    expect(job!.status).toBe('done'); // it ran, and did nothing
    expect((await myAppeal(a.id)).answers[0].followUp).toBeNull();
    expect(await questionJobs(a.answerId)).toHaveLength(0);
    expect(json(await followUp(a, false)).error.code).toBe('follow_up_not_asked');
  });

  it('is not asked about an answer that no longer stands (the appeal was reopened and answered again)', async () => {
    t.clock.set('2026-05-11T04:00:00Z');
    const a = await answeredAppeal();
    await rate(a, solved('yes'));
    const supervisor = await t.staff('supervisor');
    await call(supervisor, 'POST', `${M}/appeals/${a.id}/reopen`, { reason: 'Проверка качества' });
    t.clock.set('2026-05-13T04:00:00Z');
    expect((await call(executor, 'POST', `${M}/appeals/${a.id}/answer`, { body: 'Повторно проверено, всё исправно.' })).statusCode).toBe(200);
    t.clock.set('2026-06-15T04:00:00Z');
    await t.services.jobs.runDue();
    const view = await myAppeal(a.id);
    expect(view.status).toBe('answered');
    expect(view.answers[0].followUp).toBeNull();
    expect(await questionJobs(a.answerId)).toHaveLength(0);
  });
});
