/**
 * Deadline control with a hand-moved clock, over HTTP and the job queue on a real database: seven weeks of spring
 * 2026 on Bishkek's calendar (the May holidays, Kurman Ait), the sweep run twice a day by the job runner.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { and, eq, sql } from 'drizzle-orm';
import { addCalendarDays, localDate, WorkingCalendar } from '@shaar/contracts';
import { createTestApp, json, type Ids, type Session, type TestApp } from '../../test-support/test-app.js';
import { appeals, auditLog, jobs, notifications } from '../../platform/db/schema.js';
import { APPEAL_EVENT_JOB } from '../notifications/appeal-events.js';
import { DEADLINE_SWEEP_JOB, reminderSlot, sweepDeadlines } from './deadline-control.js';

let t: TestApp;
let ids: Ids;
let operator: Session;
let executor: Session;
let supervisor: Session;
let resident: Session;
let calendar: WorkingCalendar;
const M = '/api/v1/m/bishkek';
const TZ = 'Asia/Bishkek';

const oral = (over: Record<string, unknown> = {}) => ({
  kind: 'complaint', channel: 'in_person', categoryId: ids.category('roads.pothole'),
  subject: 'Яма на проспекте Чуй', body: 'Глубокая яма у остановки уже месяц, машины объезжают по встречной.',
  applicant: { fullName: 'Азамат Керимов', phone: '0700 123 456' }, language: 'ru', ...over,
});

async function act(session: Session, id: string, action: string, payload: object = {}) {
  const res = await t.app.inject({ method: 'POST', url: `${M}/appeals/${id}/${action}`, headers: session.headers, payload });
  expect(res.statusCode, res.body).toBe(200);
}

/** Registered at reception, taken by the roads executor and started. */
async function appealInWork(): Promise<{ id: string; dueDate: string }> {
  const res = await t.app.inject({ method: 'POST', url: `${M}/reception/appeals`, headers: operator.headers, payload: oral() });
  expect(res.statusCode, res.body).toBe(201);
  const a = json<{ id: string; dueDate: string }>(res);
  const me = json(await t.app.inject({ method: 'GET', url: '/api/v1/auth/me', headers: executor.headers })).id as string;
  await act(executor, a.id, 'assign', { executorId: me });
  await act(executor, a.id, 'start');
  return a;
}

interface Sent { on: string; event: string; daysLeft?: number; dueDate?: string; daysOverdue?: number }

/** Deadline events announced for an appeal, with the local date each was announced on. */
async function deadlineEvents(appealId: string): Promise<Sent[]> {
  const rows = await t.services.database.db.select({ payload: jobs.payload, createdAt: jobs.createdAt }).from(jobs)
    .where(and(eq(jobs.kind, APPEAL_EVENT_JOB), sql`${jobs.payload} ->> 'appealId' = ${appealId}`,
      sql`${jobs.payload} ->> 'event' in ('due_soon', 'due_today', 'overdue')`))
    .orderBy(jobs.id);
  return rows.map((r) => ({ on: localDate(r.createdAt, TZ), event: String(r.payload.event), ...(r.payload.details as object) }));
}

const days = (from: string, to: string) => {
  const out: string[] = [];
  for (let d = from; d <= to; d = addCalendarDays(d, 1)) out.push(d);
  return out;
};

let A: { id: string; dueDate: string };
let B: { id: string; dueDate: string };
let C: { id: string; dueDate: string };
let D: { id: string; dueDate: string };

beforeAll(async () => {
  // The clock moves by weeks; sessions must outlive that.
  t = await createTestApp({ now: '2026-04-13T03:00:00Z', env: { SESSION_DAYS: '90' } });
  ids = await t.ids();
  [operator, executor, supervisor, resident] = await Promise.all([
    t.staff('operator'), t.staff('executor.roads'), t.staff('supervisor'), t.citizen('deadline.resident@example.kg'),
  ]);
  calendar = await t.services.workingTime.calendar(ids.municipalityId);

  // Seven weeks, the job runner's sweep at 10:00 and 16:00 Bishkek time each day, with the staff acting in between.
  for (const day of days('2026-04-13', '2026-06-03')) {
    t.clock.set(`${day}T04:00:00Z`);
    if (day === '2026-04-13') B = await appealInWork();
    if (day === '2026-04-27') {
      A = await appealInWork();
      C = await appealInWork();
      await act(executor, C.id, 'answer', { body: 'Яма заделана 28 апреля бригадой №3, участок проверен мастером. Спасибо за обращение.' });
      const res = await t.app.inject({ method: 'POST', url: `${M}/appeals`, headers: resident.headers, payload: oral({ channel: 'web', applicant: { fullName: 'Айгүл Сыдыкова' } }) });
      expect(res.statusCode, res.body).toBe(201);
      D = json(res);
    }
    await t.services.jobs.runDue({ includeRecurring: true });
    // B's due day: after the morning's "due today", the supervisor extends it by 3 working days (to 14 May).
    if (day === '2026-05-11') await act(supervisor, B.id, 'extend', { days: 3, reason: 'Нужна экспертиза покрытия' });
    if (day === '2026-05-14') await act(executor, B.id, 'answer', { body: 'Покрытие восстановлено 14 мая после экспертизы, гарантийный срок ремонта — два года.' });
    t.clock.set(`${day}T10:00:00Z`);
    await t.services.jobs.runDue({ includeRecurring: true });
  }
});
afterAll(async () => { await t?.close(); });

describe('which reminder is owed', () => {
  it('counts the configured working days, catching up a missed day with the next smaller reminder', () => {
    expect([5, 4, 3, 2, 1, 0, -1].map((d) => reminderSlot(d, [3, 1]))).toEqual([null, null, 3, 3, 1, 0, null]);
    expect(reminderSlot(2, [])).toBeNull();
  });
});

describe('reminders', () => {
  it('reminds 3 and 1 working days before the due date and on the day itself, skipping Kurman Ait', () => {
    expect(A.dueDate).toBe('2026-05-25');
    return deadlineEvents(A.id).then((sent) => expect(sent.filter((s) => s.event !== 'overdue')).toEqual([
      { on: '2026-05-20', event: 'due_soon', daysLeft: 3, dueDate: '2026-05-25' },
      { on: '2026-05-22', event: 'due_soon', daysLeft: 1, dueDate: '2026-05-25' },
      { on: '2026-05-25', event: 'due_today', dueDate: '2026-05-25' },
    ]));
  });

  it('counts working days across the May holidays: a due date of 11 May is reminded on 28 and 30 April', async () => {
    expect(B.dueDate).toBe('2026-05-11');
    const sent = await deadlineEvents(B.id);
    expect(sent.slice(0, 3)).toEqual([
      { on: '2026-04-28', event: 'due_soon', daysLeft: 3, dueDate: '2026-05-11' },
      { on: '2026-04-30', event: 'due_soon', daysLeft: 1, dueDate: '2026-05-11' },
      { on: '2026-05-11', event: 'due_today', dueDate: '2026-05-11' },
    ]);
  });

  it('gives an extended due date reminders of its own, and none once the appeal is answered', async () => {
    const sent = await deadlineEvents(B.id);
    expect(sent.slice(3)).toEqual([
      // Extended on 11 May to 14 May: 12, 13, 14 May are 3 working days left, reminded that afternoon.
      { on: '2026-05-11', event: 'due_soon', daysLeft: 3, dueDate: '2026-05-14' },
      { on: '2026-05-13', event: 'due_soon', daysLeft: 1, dueDate: '2026-05-14' },
      { on: '2026-05-14', event: 'due_today', dueDate: '2026-05-14' },
    ]);
  });

  it('sends nothing for an answered appeal, nothing on days off, and the same for a resident\'s own appeal', async () => {
    expect(await deadlineEvents(C.id)).toEqual([]);
    const all = [...await deadlineEvents(A.id), ...await deadlineEvents(B.id), ...await deadlineEvents(D.id)];
    for (const s of all.filter((x) => x.event !== 'overdue')) expect(calendar.isWorkingDay(s.on), s.on).toBe(true);
    expect((await deadlineEvents(D.id)).map((s) => [s.on, s.event])).toEqual([
      ['2026-05-20', 'due_soon'], ['2026-05-22', 'due_soon'], ['2026-05-25', 'due_today'], ['2026-05-26', 'overdue'],
    ]);
  });

  it('announces nothing twice when the sweep runs again on the same day', async () => {
    t.clock.set('2026-05-25T08:00:00Z');
    expect(await sweepDeadlines(sweepDeps(), ids.municipalityId)).toEqual({ today: '2026-05-25', reminders: 0, escalations: 0 });
    t.clock.set('2026-05-22T11:00:00Z');
    expect(await sweepDeadlines(sweepDeps(), ids.municipalityId)).toMatchObject({ reminders: 0 });
  });

  it('ran as the job runner\'s recurring deadlines.sweep, for each city, without a failure', async () => {
    const sweeps = await t.services.database.db.select({ status: jobs.status, error: jobs.lastError, m: jobs.municipalityId }).from(jobs).where(eq(jobs.kind, DEADLINE_SWEEP_JOB));
    expect(sweeps.length).toBeGreaterThanOrEqual(2 * 52 * 2);
    expect(new Set(sweeps.map((s) => s.m)).size).toBe(2);
    expect(sweeps.every((s) => s.status === 'done' && s.error === null)).toBe(true);
  });
});

describe('overdue escalation', () => {
  it('escalates the day after the due date, once, with an audit entry by the system', async () => {
    const sent = await deadlineEvents(A.id);
    expect(sent.filter((s) => s.event === 'overdue')).toEqual([{ on: '2026-05-26', event: 'overdue', dueDate: '2026-05-25', daysOverdue: 1 }]);
    const [row] = await t.services.database.db.select({ escalated: appeals.escalatedForDueDate }).from(appeals).where(eq(appeals.id, A.id));
    expect(row!.escalated).toBe('2026-05-25');
    const entries = await t.services.database.db.select().from(auditLog)
      .where(and(eq(auditLog.entityId, A.id), eq(auditLog.action, 'escalate_overdue')));
    expect(entries).toHaveLength(1);
    expect(entries[0]).toMatchObject({
      actorKind: 'system', actorId: null, isPublic: false,
      before: { escalatedForDueDate: null }, after: { escalatedForDueDate: '2026-05-25', dueDate: '2026-05-25', daysOverdue: 1 },
    });
    expect(localDate(entries[0]!.occurredAt, TZ)).toBe('2026-05-26');
  });

  it('does not escalate an appeal extended in time, nor one answered', async () => {
    expect((await deadlineEvents(B.id)).some((s) => s.event === 'overdue')).toBe(false);
    t.clock.set('2026-06-03T11:00:00Z');
    expect(await sweepDeadlines(sweepDeps(), ids.municipalityId)).toMatchObject({ escalations: 0 });
  });

  it('escalates again for a new due date after an extension runs out too', async () => {
    // Overdue A is extended on 3 June by 7 working days from its due date (25 May; 27 May is Kurman Ait) to 4 June,
    // reminded with the 1 day left, then left to run out.
    t.clock.set('2026-06-03T05:00:00Z');
    await act(supervisor, A.id, 'extend', { days: 7, reason: 'Подрядчик задерживает асфальт' });
    await t.services.jobs.runDue({ includeRecurring: true });
    t.clock.set('2026-06-05T05:00:00Z');
    await t.services.jobs.runDue({ includeRecurring: true });
    await t.services.jobs.runDue({ includeRecurring: true });
    const sent = await deadlineEvents(A.id);
    expect(sent.slice(3).map((s) => [s.on, s.event, s.dueDate])).toEqual([
      ['2026-05-26', 'overdue', '2026-05-25'],
      ['2026-06-03', 'due_soon', '2026-06-04'],  // daysLeft 1
      ['2026-06-05', 'overdue', '2026-06-04'],
    ]);
    const entries = await t.services.database.db.select().from(auditLog).where(and(eq(auditLog.entityId, A.id), eq(auditLog.action, 'escalate_overdue')));
    expect(entries.map((e) => (e.after as { dueDate: string }).dueDate)).toEqual(['2026-05-25', '2026-06-04']);
  });

  it('shows the overdue mark in the staff inbox and appeal, and in the resident\'s list and appeal', async () => {
    const inbox = json(await t.app.inject({ method: 'GET', url: `${M}/appeals?overdue=true&limit=200`, headers: executor.headers }));
    expect(inbox.items.find((i: { id: string }) => i.id === A.id)).toMatchObject({ overdue: true, dueDate: '2026-06-04' });
    expect(inbox.items.some((i: { id: string }) => i.id === C.id)).toBe(false);
    expect(json(await t.app.inject({ method: 'GET', url: `${M}/appeals/${A.id}`, headers: operator.headers })).overdue).toBe(true);
    const mine = json(await t.app.inject({ method: 'GET', url: `${M}/my/appeals`, headers: resident.headers }));
    expect(mine.items.find((i: { id: string }) => i.id === D.id)).toMatchObject({ overdue: true });
    const detail = json(await t.app.inject({ method: 'GET', url: `${M}/my/appeals/${D.id}`, headers: resident.headers }));
    expect(detail.overdue).toBe(true);
    // The escalation is internal: not in the resident's timeline.
    expect(detail.timeline.map((e: { action: string }) => e.action)).not.toContain('escalate_overdue');
  });
});

const sweepDeps = () => ({ db: t.services.database.db, clock: t.clock, workingTime: t.services.workingTime, reminderWorkingDays: t.services.config.reminderWorkingDays });
