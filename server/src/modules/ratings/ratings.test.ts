/**
 * The resident's rating of each answer and review requests, over HTTP on a real database with a hand-set clock:
 * one rating per answer, changeable for 7 days; only the resident writes it; a low rating tells the service and
 * offers a review; a supervisor reopens (a fresh term across a holiday) or confirms the closure.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { and, eq } from 'drizzle-orm';
import { answerRatings, auditLog, jobs, reviewRequests } from '../../platform/db/schema.js';
import { createTestApp, json, type Ids, type Session, type TestApp } from '../../test-support/test-app.js';

let t: TestApp;
let ids: Ids;
let operator: Session;
let executor: Session;
let supervisor: Session;
let resident: Session;
let executorId: string;
const M = '/api/v1/m/bishkek';

const call = (session: Session | null, method: 'GET' | 'POST' | 'PUT', url: string, payload?: object, headers: Record<string, string> = {}) =>
  t.app.inject({ method, url, headers: { ...(session?.headers ?? {}), ...headers }, ...(payload ? { payload } : {}) });

/** A resident's appeal, assigned to the roads executor, who answers it. */
async function answeredAppeal(citizen = resident) {
  const filed = await call(citizen, 'POST', `${M}/appeals`, {
    kind: 'complaint', categoryId: ids.category('roads.stop'), subject: 'Разбита остановка',
    body: 'На остановке «Ала-Тоо» разбито стекло и сломана скамейка.', applicant: { fullName: 'Айгуль Сыдыкова' },
  });
  expect(filed.statusCode, filed.body).toBe(201);
  const { id } = json(filed);
  expect((await call(operator, 'POST', `${M}/appeals/${id}/assign`, { executorId })).statusCode).toBe(200);
  return { id, answerId: await answer(id) };
}

async function answer(appealId: string, body = 'Стекло заменено, скамейка отремонтирована.') {
  const res = await call(executor, 'POST', `${M}/appeals/${appealId}/answer`, { body });
  expect(res.statusCode, res.body).toBe(200);
  return json(res).answerId as string;
}

const rating = (over: Record<string, unknown> = {}) => ({ overall: 4, solved: 'partly', clarity: 4, accuracy: 3, onTimeFelt: true, ...over });
const rate = (appealId: string, answerId: string, body: object, session = resident, headers: Record<string, string> = {}) =>
  call(session, 'PUT', `${M}/my/appeals/${appealId}/answers/${answerId}/rating`, body, headers);
const requestReview = (appealId: string, answerId: string, body: object = {}, session = resident) =>
  call(session, 'POST', `${M}/my/appeals/${appealId}/answers/${answerId}/review-request`, body);

async function myAppeal(id: string, session = resident) {
  const res = await call(session, 'GET', `${M}/my/appeals/${id}`);
  expect(res.statusCode, res.body).toBe(200);
  return json(res);
}
async function staffAppeal(id: string) {
  const res = await call(supervisor, 'GET', `${M}/appeals/${id}`);
  expect(res.statusCode, res.body).toBe(200);
  return json(res);
}

const db = () => t.services.database.db;
const ratingRows = (answerId: string) => db().select().from(answerRatings).where(eq(answerRatings.answerId, answerId));
const auditActions = async (appealId: string) => (await db().select().from(auditLog)
  .where(and(eq(auditLog.entityType, 'appeal'), eq(auditLog.entityId, appealId))).orderBy(auditLog.id));
const eventJob = async (event: string, key: string) => (await db().select().from(jobs).where(eq(jobs.dedupeKey, `event:${event}:${key}`)));

beforeAll(async () => {
  // The clock moves by weeks here; sessions must outlive that.
  t = await createTestApp({ env: { SESSION_DAYS: '90' } });
  ids = await t.ids();
  [operator, executor, supervisor] = await Promise.all([t.staff('operator'), t.staff('executor.roads'), t.staff('supervisor')]);
  resident = await t.citizen('rater@example.kg');
  executorId = json(await call(executor, 'GET', '/api/v1/auth/me')).id;
});
afterAll(async () => { await t?.close(); });

describe('rating an answer', () => {
  it('rates once (201), changes on day 6 (200), refuses on day 8 (409) and changes nothing', async () => {
    t.clock.set('2026-04-28T04:00:00Z');
    const a = await answeredAppeal();
    t.clock.set('2026-04-29T04:00:00Z');
    const first = await rate(a.id, a.answerId, rating({ comment: 'Скамейку починили, стекло — нет' }));
    expect(first.statusCode, first.body).toBe(201);
    expect(json(first)).toMatchObject({
      rating: { overall: 4, solved: 'partly', clarity: 4, accuracy: 3, onTimeFelt: true, comment: 'Скамейку починили, стекло — нет' },
      ratingEditableUntil: '2026-05-06T04:00:00.000Z', reviewOffered: false, review: null, followUp: null,
    });
    const [row] = await ratingRows(a.answerId);
    // Copied from the answer, so scorecards need no join.
    expect(row).toMatchObject({ serviceId: ids.service('roads-enterprise'), executorId, appealId: a.id });

    t.clock.set('2026-05-05T04:00:00Z'); // day 6
    const changed = await rate(a.id, a.answerId, rating({ overall: 5, solved: 'yes', clarity: 5, accuracy: 5 }));
    expect(changed.statusCode, changed.body).toBe(200);
    expect(json(changed).rating).toMatchObject({ overall: 5, solved: 'yes', comment: null, createdAt: '2026-04-29T04:00:00.000Z', updatedAt: '2026-05-05T04:00:00.000Z' });

    t.clock.set('2026-05-07T04:00:00Z'); // day 8
    const late = await rate(a.id, a.answerId, rating({ overall: 1, solved: 'no' }), resident, { 'accept-language': 'en' });
    expect(late.statusCode).toBe(409);
    expect(json(late).error).toMatchObject({ code: 'rating_window_closed' });
    expect(json(late).error.message).toContain('7 days');
    expect((await ratingRows(a.answerId))[0]).toMatchObject({ overall: 5, solved: 'yes' });
    expect(await eventJob('low_rating', a.answerId)).toHaveLength(0);

    // Audited with the figures, never the resident's words.
    const audit = (await auditActions(a.id)).filter((e) => ['rate', 'change_rating'].includes(e.action));
    expect(audit.map((e) => [e.action, e.actorKind])).toEqual([['rate', 'citizen'], ['change_rating', 'citizen']]);
    expect(audit[0]!.after).toMatchObject({ answerId: a.answerId, overall: 4, solved: 'partly', hasComment: true });
    expect(audit[1]!.before).toMatchObject({ overall: 4 });
    expect(JSON.stringify(audit)).not.toContain('Скамейку');

    const view = await myAppeal(a.id);
    expect(view.answers[0]).toMatchObject({ id: a.answerId, rating: { overall: 5, solved: 'yes' }, ratingEditableUntil: '2026-05-06T04:00:00.000Z', reviewOffered: false });
  });

  it('keeps one rating per answer when two first ratings race', async () => {
    t.clock.set('2026-04-28T04:00:00Z');
    const a = await answeredAppeal();
    const results = await Promise.all([rate(a.id, a.answerId, rating({ overall: 3 })), rate(a.id, a.answerId, rating({ overall: 4 }))]);
    expect(results.map((r) => r.statusCode).sort()).toEqual([200, 201]);
    expect(await ratingRows(a.answerId)).toHaveLength(1);
  });

  it('is only for the resident whose appeal it is, and only for answers of that appeal', async () => {
    t.clock.set('2026-04-28T04:00:00Z');
    const a = await answeredAppeal();
    const other = await answeredAppeal();
    const stranger = await t.citizen('+996555000222');
    expect((await rate(a.id, a.answerId, rating(), stranger)).statusCode).toBe(404);
    expect((await rate(a.id, other.answerId, rating())).statusCode).toBe(404);
    expect((await rate(a.id, crypto.randomUUID(), rating())).statusCode).toBe(404);
    // Staff cannot write a rating: the resident's route refuses a staff session.
    expect((await rate(a.id, a.answerId, rating(), supervisor)).statusCode).toBe(403);
    expect((await rate(a.id, a.answerId, rating(), null)).statusCode).toBe(401);
    expect(await ratingRows(a.answerId)).toHaveLength(0);
  });

  it('refuses bad figures with a localized 400 and stores nothing', async () => {
    t.clock.set('2026-04-28T04:00:00Z');
    const a = await answeredAppeal();
    const bad = [
      [rating({ overall: 0 }), 'overall'], [rating({ overall: 6 }), 'overall'], [rating({ solved: 'maybe' }), 'solved'],
      [rating({ clarity: 2.5 }), 'clarity'], [rating({ comment: 'x'.repeat(2001) }), 'comment'], [{ overall: 3 }, 'solved'],
      [rating({ executorId }), ''],
    ] as const;
    for (const [body, path] of bad) {
      const res = await rate(a.id, a.answerId, body, resident, { 'accept-language': 'ru' });
      expect(res.statusCode, JSON.stringify(body)).toBe(400);
      expect(json(res).error).toMatchObject({ code: 'validation_failed', message: 'Некоторые поля заполнены неверно.' });
      if (path) expect(json(res).error.details.map((d: { path: string }) => d.path)).toContain(path);
    }
    expect(await ratingRows(a.answerId)).toHaveLength(0);
  });

  it('announces a low rating to the service once per answer and offers a review', async () => {
    t.clock.set('2026-04-28T04:00:00Z');
    const a = await answeredAppeal();
    const low = await rate(a.id, a.answerId, rating({ overall: 2, solved: 'partly' }));
    expect(low.statusCode).toBe(201);
    expect(json(low).reviewOffered).toBe(true);
    const [job] = await eventJob('low_rating', a.answerId);
    expect(job).toMatchObject({ kind: 'notifications.appeal_event', payload: { appealId: a.id, event: 'low_rating',
      details: { answerId: a.answerId, executorId, overall: 2, solved: 'partly' } } });
    // Changed to low again: still one event.
    expect((await rate(a.id, a.answerId, rating({ overall: 1, solved: 'no' }))).statusCode).toBe(200);
    expect(await eventJob('low_rating', a.answerId)).toHaveLength(1);
    // A good rating offers nothing.
    expect(json(await rate(a.id, a.answerId, rating({ overall: 3, solved: 'partly' }))).reviewOffered).toBe(false);
    expect(json(await rate(a.id, a.answerId, rating({ overall: 5, solved: 'no' }))).reviewOffered).toBe(true);
  });
});

describe('review requests', () => {
  it('are offered only after a low rating of the latest answer of an answered or closed appeal, once', async () => {
    t.clock.set('2026-04-28T04:00:00Z');
    const good = await answeredAppeal();
    expect((await requestReview(good.id, good.answerId)).statusCode).toBe(409); // not rated
    await rate(good.id, good.answerId, rating({ overall: 5, solved: 'yes' }));
    const refused = await requestReview(good.id, good.answerId, {}, resident);
    expect(refused.statusCode).toBe(409);
    expect(json(refused).error.code).toBe('review_not_offered');

    // Reopened by a supervisor meanwhile: the answer no longer stands, nothing to review.
    const reopened = await answeredAppeal();
    await rate(reopened.id, reopened.answerId, rating({ overall: 1, solved: 'no' }));
    expect((await call(supervisor, 'POST', `${M}/appeals/${reopened.id}/reopen`, { reason: 'Проверка качества' })).statusCode).toBe(200);
    expect(json(await requestReview(reopened.id, reopened.answerId)).error.code).toBe('review_not_offered');
    expect((await myAppeal(reopened.id)).answers[0].reviewOffered).toBe(false);

    const low = await answeredAppeal();
    await rate(low.id, low.answerId, rating({ overall: 2, solved: 'no' }));
    const stranger = await t.citizen('+996555000333');
    expect((await requestReview(low.id, low.answerId, {}, stranger)).statusCode).toBe(404);
    expect((await requestReview(low.id, low.answerId, {}, supervisor)).statusCode).toBe(403);
    const ok = await requestReview(low.id, low.answerId, { reason: 'Стекло так и не заменили' });
    expect(ok.statusCode, ok.body).toBe(201);
    expect(json(ok)).toMatchObject({ status: 'pending', reason: 'Стекло так и не заменили', decisionReason: null, decidedAt: null });
    const again = await requestReview(low.id, low.answerId);
    expect(again.statusCode).toBe(409);
    expect(json(again).error.code).toBe('review_already_requested');
    expect(await eventJob('review_requested', json(ok).id)).toHaveLength(1);
    expect((await auditActions(low.id)).map((e) => e.action)).toContain('request_review');
    const view = await myAppeal(low.id);
    expect(view.answers[0]).toMatchObject({ reviewOffered: false, review: { status: 'pending', reason: 'Стекло так и не заменили' } });
  });

  it('a supervisor reopens with a fresh 14-working-day term across Kurman Ait; the new answer gets its own rating', async () => {
    t.clock.set('2026-04-28T04:00:00Z');
    const a = await answeredAppeal();
    t.clock.set('2026-04-29T04:00:00Z');
    await rate(a.id, a.answerId, rating({ overall: 1, solved: 'no', comment: 'Ничего не сделано' }));
    const { id: reviewId } = json(await requestReview(a.id, a.answerId, { reason: 'Стекло разбито до сих пор' }));

    // The queue: supervisors see everything; the roads head sees the roads service's; others are refused.
    const queue = json(await call(supervisor, 'GET', `${M}/review-requests?status=pending`));
    const item = queue.items.find((i: { id: string }) => i.id === reviewId);
    expect(item).toMatchObject({
      appealId: a.id, answerId: a.answerId, subject: 'Разбита остановка', serviceId: ids.service('roads-enterprise'), status: 'pending',
      reason: 'Стекло разбито до сих пор', rating: { overall: 1, solved: 'no', comment: 'Ничего не сделано' }, appealStatus: 'answered',
    });
    expect(item.registrationNumber).toMatch(/^BSK-2026-\d{6}$/);
    expect(queue.items.every((i: { status: string }) => i.status === 'pending')).toBe(true);
    const roadsHead = await t.staff('head.roads');
    expect(json(await call(roadsHead, 'GET', `${M}/review-requests`)).items.map((i: { id: string }) => i.id)).toContain(reviewId);
    const waterHead = await t.staff('head.water');
    expect(json(await call(waterHead, 'GET', `${M}/review-requests`)).items).toEqual([]);
    expect((await call(executor, 'GET', `${M}/review-requests`)).statusCode).toBe(403);
    expect((await call(operator, 'GET', `${M}/review-requests`)).statusCode).toBe(403);
    expect((await call(resident, 'GET', `${M}/review-requests`)).statusCode).toBe(403);
    // Only supervisors and admins decide.
    expect((await call(roadsHead, 'POST', `${M}/review-requests/${reviewId}/reopen`, { reason: 'Повторная проверка' })).statusCode).toBe(403);

    t.clock.set('2026-05-11T04:00:00Z'); // Monday 11 May
    const decided = await call(supervisor, 'POST', `${M}/review-requests/${reviewId}/reopen`, { reason: 'Выезд на место подтвердил жалобу' });
    expect(decided.statusCode, decided.body).toBe(200);
    // 14 working days from 11 May, Kurman Ait (27 May) skipped: 1 June, not 29 May.
    expect(json(decided)).toMatchObject({ status: 'reopened', decisionReason: 'Выезд на место подтвердил жалобу', appeal: { status: 'reopened', dueDate: '2026-06-01' } });
    const again = await call(supervisor, 'POST', `${M}/review-requests/${reviewId}/confirm-closure`, { reason: 'Передумали' });
    expect(again.statusCode).toBe(409);
    expect(json(again).error.code).toBe('review_already_decided');

    const [stored] = await db().select().from(reviewRequests).where(eq(reviewRequests.id, reviewId));
    expect(stored).toMatchObject({ status: 'reopened', decisionReason: 'Выезд на место подтвердил жалобу' });
    const audit = await auditActions(a.id);
    expect(audit.map((e) => e.action).slice(-3)).toEqual(['request_review', 'reopen', 'decide_review']);
    expect(audit.at(-2)).toMatchObject({ actorKind: 'staff', reason: 'Выезд на место подтвердил жалобу', after: { status: 'reopened', dueDate: '2026-06-01' } });
    expect(await eventJob('review_decided', reviewId)).toHaveLength(1);
    // One message to the resident — the decision with its reason — not also the lifecycle's own 'reopened'.
    const reopenedEvents = await db().select().from(jobs).where(eq(jobs.kind, 'notifications.appeal_event'));
    expect(reopenedEvents.filter((j) => j.payload.appealId === a.id && j.payload.event === 'reopened')).toEqual([]);

    // The executor answers again; the resident rates the new answer on its own.
    t.clock.set('2026-05-13T04:00:00Z');
    const second = await answer(a.id, 'Стекло заменено 12 мая, фото в приложении.');
    t.clock.set('2026-05-14T04:00:00Z');
    const rated = await rate(a.id, second, rating({ overall: 5, solved: 'yes', clarity: 5, accuracy: 5 }));
    expect(rated.statusCode).toBe(201);
    const view = await myAppeal(a.id);
    expect(view.answers.map((x: { id: string }) => x.id)).toEqual([a.answerId, second]);
    expect(view.answers[0]).toMatchObject({ rating: { overall: 1, solved: 'no' }, reviewOffered: false,
      review: { status: 'reopened', decisionReason: 'Выезд на место подтвердил жалобу' } });
    expect(view.answers[1]).toMatchObject({ rating: { overall: 5, solved: 'yes' }, review: null, reviewOffered: false });
    // Staff read the figures and the comment, and the review with who decided it.
    const staffView = await staffAppeal(a.id);
    expect(staffView.answers[0]).toMatchObject({ rating: { overall: 1, comment: 'Ничего не сделано' }, review: { status: 'reopened', reason: 'Стекло разбито до сих пор' } });
    expect(staffView.answers[0].review.decidedById).toBeTruthy();
    expect(view.answers[0].review.decidedById).toBeUndefined();
  });

  it('a supervisor confirms the closure: the answered appeal is closed and the resident sees the reason', async () => {
    t.clock.set('2026-05-18T04:00:00Z');
    const a = await answeredAppeal();
    await rate(a.id, a.answerId, rating({ overall: 2, solved: 'partly' }));
    const { id: reviewId } = json(await requestReview(a.id, a.answerId));
    expect((await call(supervisor, 'POST', `${M}/review-requests/${reviewId}/confirm-closure`, { reason: '' })).statusCode).toBe(400);
    const res = await call(supervisor, 'POST', `${M}/review-requests/${reviewId}/confirm-closure`, { reason: 'Остановка отремонтирована, акт приёмки от 15 мая' });
    expect(res.statusCode, res.body).toBe(200);
    expect(json(res)).toMatchObject({ status: 'closure_confirmed', appeal: { status: 'closed' } });
    const view = await myAppeal(a.id);
    expect(view.status).toBe('closed');
    expect(view.answers[0].review).toMatchObject({ status: 'closure_confirmed', decisionReason: 'Остановка отремонтирована, акт приёмки от 15 мая' });
    expect(view.answers[0].reviewOffered).toBe(false);
    expect((await auditActions(a.id)).map((e) => e.action).slice(-2)).toEqual(['close', 'decide_review']);
    expect(json(await call(supervisor, 'GET', `${M}/review-requests?status=closure_confirmed`)).items.map((i: { id: string }) => i.id)).toContain(reviewId);
    expect((await call(supervisor, 'POST', `${M}/review-requests/${crypto.randomUUID()}/reopen`, { reason: 'Нет такого' })).statusCode).toBe(404);
  });
});
