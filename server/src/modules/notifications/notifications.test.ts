/**
 * Who is told what, over HTTP on a real database, with the jobs drained by hand: a resident hears of their appeal in
 * its language by e-mail, SMS and in the feed; staff hear of their work in their own language by e-mail and in the
 * feed; running the jobs again sends nothing new; preferences switch channels and events off.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { and, eq, inArray, sql } from 'drizzle-orm';
import { createTestApp, json, type Ids, type Session, type TestApp } from '../../test-support/test-app.js';
import { auditLog, devOutbox, jobs, notifications, staffUsers } from '../../platform/db/schema.js';
import { queryRows } from '../../platform/db/database.js';
import { demoEmail } from '../../demo/seed-demo.js';
import { announceAppealEvent, APPEAL_EVENT_JOB } from './appeal-events.js';
import { DELIVER_JOB } from './notify-appeal-event.js';

let t: TestApp;
let ids: Ids;
let operator: Session;
let executor: Session;
let supervisor: Session;
let executorId: string;
const M = '/api/v1/m/bishkek';
const PUBLIC = 'http://127.0.0.1:3000';
const CITIZEN_EMAIL = 'aigul.resident@example.kg';
const CITIZEN_PHONE = '+996555123456';

const db = () => t.services.database.db;
const runJobs = () => t.services.jobs.runDue();
const rowsOf = (appealId: string, event?: string) => db().select().from(notifications)
  .where(and(eq(notifications.appealId, appealId), ...(event ? [eq(notifications.event, event)] : []))).orderBy(notifications.createdAt, notifications.channel);
const outboxFor = async (rows: { id: string }[]) => rows.length === 0 ? [] : db().select().from(devOutbox).where(inArray(devOutbox.messageKey, rows.map((r) => r.id)));
const act = async (s: Session, id: string, action: string, payload: object = {}) => {
  // Steps of an appeal's life happen at different moments (the feed is ordered by time).
  t.clock.advance(60_000);
  const res = await t.app.inject({ method: 'POST', url: `${M}/appeals/${id}/${action}`, headers: s.headers, payload });
  expect(res.statusCode, res.body).toBe(200);
};
const meId = async (s: Session) => json<{ id: string }>(await t.app.inject({ method: 'GET', url: '/api/v1/auth/me', headers: s.headers })).id;
const staffIdByKey = async (key: string) => (await db().select({ id: staffUsers.id }).from(staffUsers)
  .where(and(eq(staffUsers.municipalityId, ids.municipalityId), eq(staffUsers.email, demoEmail(key, 'bishkek')))))[0]!.id;
const counts = async () => (await queryRows<{ notifications: number; outbox: number; jobs: number }>(db(), sql`
  select (select count(*)::int from notifications) as notifications, (select count(*)::int from dev_outbox where message_key is not null) as outbox,
    (select count(*)::int from jobs where kind in (${APPEAL_EVENT_JOB}, ${DELIVER_JOB})) as jobs`))[0]!;

async function fileAsCitizen(citizen: Session, over: Record<string, unknown> = {}) {
  const res = await t.app.inject({
    method: 'POST', url: `${M}/appeals`, headers: citizen.headers, payload: {
      kind: 'complaint', categoryId: ids.category('roads.pothole'), language: 'ru',
      subject: 'Яма на проспекте Чуй', body: 'Глубокая яма у остановки «Филармония», машины объезжают по встречной.',
      applicant: { fullName: 'Айгүл Асанова', email: CITIZEN_EMAIL, phone: '0555 123 456' }, ...over,
    },
  });
  expect(res.statusCode, res.body).toBe(201);
  return json<{ id: string; registrationNumber: string; dueDate: string }>(res);
}

beforeAll(async () => {
  // The clock moves by weeks here; sessions must outlive that.
  t = await createTestApp({ env: { SESSION_DAYS: '90' } });
  ids = await t.ids();
  [operator, executor, supervisor] = await Promise.all([t.staff('operator'), t.staff('executor.roads'), t.staff('supervisor')]);
  executorId = await meId(executor);
  // The executor reads Kyrgyz: staff messages follow the staff member, not the appeal.
  await db().update(staffUsers).set({ locale: 'ky' }).where(and(eq(staffUsers.municipalityId, ids.municipalityId), eq(staffUsers.id, executorId)));
  await runJobs();
});
afterAll(async () => { await t?.close(); });

describe('a resident hears of their appeal', () => {
  let citizen: Session;
  let appeal: { id: string; registrationNumber: string; dueDate: string };

  it('registration: one e-mail and one SMS in the appeal\'s language with the number and the due date, and an item in the feed', async () => {
    citizen = await t.citizen(CITIZEN_EMAIL);
    appeal = await fileAsCitizen(citizen);
    // Registered on Monday 27 April 2026: due 25 May (the May holidays are skipped).
    expect(appeal.dueDate).toBe('2026-05-25');
    expect(await rowsOf(appeal.id)).toEqual([]);

    await runJobs();
    const rows = await rowsOf(appeal.id, 'registered');
    expect(rows.map((r) => [r.channel, r.status, r.recipientKind, r.locale]).sort()).toEqual([
      ['email', 'sent', 'citizen', 'ru'], ['in_app', 'sent', 'citizen', 'ru'], ['sms', 'sent', 'citizen', 'ru'],
    ]);
    const outbox = await outboxFor(rows);
    expect(outbox).toHaveLength(2);
    const email = outbox.find((m) => m.channel === 'email')!;
    const sms = outbox.find((m) => m.channel === 'sms')!;
    expect(email.recipient).toBe(CITIZEN_EMAIL);
    expect(email.subject).toBe(`Обращение № ${appeal.registrationNumber} зарегистрировано`);
    expect(email.body).toContain(`под номером ${appeal.registrationNumber}`);
    expect(email.body).toContain('не позднее 25.05.2026');
    expect(email.body).toContain(`${PUBLIC}/bishkek/my/${appeal.id}`);
    expect(sms.recipient).toBe(CITIZEN_PHONE);
    expect(sms.body).toContain(appeal.registrationNumber);
    expect(sms.body).toContain('25.05.2026');
    expect(sms.body).toContain(`${PUBLIC}/bishkek/my/${appeal.id}`);

    const feed = json(await t.app.inject({ method: 'GET', url: '/api/v1/my/notifications', headers: citizen.headers }));
    expect(feed.unreadCount).toBe(1);
    expect(feed.items).toHaveLength(1);
    expect(feed.items[0]).toMatchObject({
      event: 'registered', appealId: appeal.id, municipality: 'bishkek', link: `/bishkek/my/${appeal.id}`, readAt: null,
      subject: `Обращение № ${appeal.registrationNumber} зарегистрировано`,
    });
    // The feed shows the text; the link is beside it, not inside.
    expect(feed.items[0].body).not.toContain('http');
  });

  it('assignment: the executor is told in the feed and by e-mail, in their own language', async () => {
    await act(operator, appeal.id, 'assign', { executorId });
    await runJobs();
    const rows = await rowsOf(appeal.id, 'assigned');
    expect(rows.map((r) => [r.recipientKind, r.recipientId, r.channel, r.status, r.locale]).sort()).toEqual([
      ['staff', executorId, 'email', 'sent', 'ky'], ['staff', executorId, 'in_app', 'sent', 'ky'],
    ]);
    const [mail] = await outboxFor(rows);
    expect(mail!.recipient).toBe(demoEmail('executor.roads', 'bishkek'));
    expect(mail!.subject).toBe(`Сизге № ${appeal.registrationNumber} кайрылуу дайындалды`);
    expect(mail!.body).toContain('Жооп берүүнүн мөөнөтү: 25.05.2026.');
    expect(mail!.body).toContain(`${PUBLIC}/staff/bishkek/appeals/${appeal.id}`);

    const feed = json(await t.app.inject({ method: 'GET', url: `${M}/notifications`, headers: executor.headers }));
    expect(feed.items[0]).toMatchObject({ event: 'assigned', appealId: appeal.id, link: `/staff/bishkek/appeals/${appeal.id}` });
    // Nobody else on the staff heard of it; the resident is not told of an internal assignment.
    expect(rows.every((r) => r.recipientId === executorId)).toBe(true);
  });

  it('answer: the resident is told the answer is under My appeals → Response, with a link to it', async () => {
    await act(executor, appeal.id, 'answer', { body: 'Яма заделана 30 апреля бригадой № 3. Спасибо за обращение.' });
    await runJobs();
    const rows = await rowsOf(appeal.id, 'answered');
    expect(rows.map((r) => r.channel).sort()).toEqual(['email', 'in_app', 'sms']);
    expect(rows.every((r) => r.status === 'sent' && r.locale === 'ru')).toBe(true);
    const mail = (await outboxFor(rows)).find((m) => m.channel === 'email')!;
    expect(mail.subject).toBe(`Дан ответ на обращение № ${appeal.registrationNumber}`);
    expect(mail.body).toContain('«Мои обращения» → «Ответ»');
    expect(mail.body).toContain(`${PUBLIC}/bishkek/my/${appeal.id}#response`);
  });

  it('running every notification job again creates and sends nothing new', async () => {
    const before = await counts();
    // As if the queue had handed every job over a second time (a crash after the work, before "done").
    const requeued = await db().update(jobs).set({ status: 'queued', runAt: t.clock.now(), lockedBy: null, lockedUntil: null })
      .where(inArray(jobs.kind, [APPEAL_EVENT_JOB, DELIVER_JOB])).returning({ id: jobs.id });
    expect(requeued.length).toBeGreaterThan(5);
    expect(await runJobs()).toBeGreaterThanOrEqual(requeued.length);
    expect(await counts()).toEqual(before);
  });

  it('preferences: SMS switched off and a muted event are skipped; the feed keeps everything', async () => {
    const put = await t.app.inject({
      method: 'PUT', url: '/api/v1/my/notification-preferences', headers: citizen.headers,
      payload: { email: true, sms: false, inApp: true, mutedEvents: ['closed'] },
    });
    expect(put.statusCode, put.body).toBe(200);

    await act(operator, appeal.id, 'close');
    await runJobs();
    const closed = await rowsOf(appeal.id, 'closed');
    expect(closed.map((r) => [r.channel, r.status]).sort()).toEqual([['email', 'skipped'], ['in_app', 'sent'], ['sms', 'skipped']]);
    expect(await outboxFor(closed)).toEqual([]);

    // Not muted: e-mail goes, SMS stays off.
    await act(supervisor, appeal.id, 'reopen', { reason: 'Яма снова появилась после дождей' });
    await runJobs();
    const reopened = await rowsOf(appeal.id, 'reopened');
    expect(reopened.map((r) => [r.channel, r.status]).sort()).toEqual([['email', 'sent'], ['in_app', 'sent'], ['sms', 'skipped']]);
    const [mail] = await outboxFor(reopened);
    expect(mail!.subject).toBe(`Обращение № ${appeal.registrationNumber} открыто повторно`);

    const feed = json(await t.app.inject({ method: 'GET', url: '/api/v1/my/notifications', headers: citizen.headers }));
    expect(feed.items.map((i: { event: string }) => i.event)).toEqual(['reopened', 'closed', 'answered', 'registered']);
  });

  it('an appeal filed at reception, without an account, is told to the applicant\'s contacts only; no e-mail, no e-mail row', async () => {
    const res = await t.app.inject({
      method: 'POST', url: `${M}/reception/appeals`, headers: operator.headers, payload: {
        kind: 'statement', channel: 'phone', categoryId: ids.category('roads.pothole'), language: 'ky',
        subject: 'Көчөдө чуңкур', body: 'Үйүбүздүн жанындагы көчөдө терең чуңкур пайда болду.',
        applicant: { fullName: 'Бакыт Осмонов', phone: '0700 111 222' },
      },
    });
    expect(res.statusCode, res.body).toBe(201);
    const a = json<{ id: string; registrationNumber: string }>(res);
    await runJobs();
    const rows = await rowsOf(a.id);
    expect(rows.map((r) => [r.recipientKind, r.recipientId, r.channel, r.status, r.locale])).toEqual([['applicant', null, 'sms', 'sent', 'ky']]);
    const [sms] = await outboxFor(rows);
    expect(sms).toMatchObject({ recipient: '+996700111222' });
    expect(sms!.body).toContain(`Сиздин кайрылууңуз ${a.registrationNumber} номери менен катталды.`);
  });
});

describe('staff hear of their work', () => {
  async function registerRoads() {
    const res = await t.app.inject({
      method: 'POST', url: `${M}/reception/appeals`, headers: operator.headers, payload: {
        kind: 'complaint', channel: 'in_person', categoryId: ids.category('roads.pothole'), language: 'ru',
        subject: 'Разбитый асфальт', body: 'Асфальт разбит на всём участке улицы.', applicant: { fullName: 'Нурлан Бекмуратов' },
      },
    });
    expect(res.statusCode, res.body).toBe(201);
    return json<{ id: string; registrationNumber: string }>(res);
  }
  const recipientsOf = async (appealId: string, event: string) => {
    const rows = await rowsOf(appealId, event);
    return { rows, staff: [...new Set(rows.map((r) => r.recipientId))].sort() };
  };

  it('an appeal sent to a service without an executor is told to the heads of that service', async () => {
    const a = await registerRoads();
    await act(operator, a.id, 'assign', { serviceId: ids.service('vodokanal') });
    await runJobs();
    const { rows, staff } = await recipientsOf(a.id, 'assigned');
    expect(staff).toEqual([await staffIdByKey('head.water')]);
    const mail = (await outboxFor(rows))[0]!;
    expect(mail.subject).toBe(`Обращение № ${a.registrationNumber} поступило в вашу службу`);
  });

  it('an overdue answer is told to the executor, the heads of the service and the supervisors', async () => {
    const a = await registerRoads();
    await act(operator, a.id, 'assign', { executorId });
    await db().transaction((tx) => announceAppealEvent(tx, {
      municipalityId: ids.municipalityId, appealId: a.id, event: 'overdue', key: `${a.id}:overdue:2026-05-25`, at: t.clock.now(), details: { dueDate: '2026-05-25' },
    }));
    await runJobs();
    const { rows, staff } = await recipientsOf(a.id, 'overdue');
    expect(staff).toEqual([executorId, await staffIdByKey('head.roads'), await staffIdByKey('supervisor')].sort());
    expect(rows.map((r) => r.channel).sort()).toEqual(['email', 'email', 'email', 'in_app', 'in_app', 'in_app']);
    const toExecutor = rows.find((r) => r.recipientId === executorId && r.channel === 'email')!;
    expect(toExecutor.subject).toBe(`№ ${a.registrationNumber} кайрылууга жооп берүү мөөнөтү өтүп кетти`);
    const toSupervisor = rows.find((r) => r.recipientId !== executorId && r.channel === 'email' && r.locale === 'ru')!;
    expect(toSupervisor.body).toContain('истёк 25.05.2026, ответ не дан');
  });

  it('a reminder of the due date names the working days left, in correct Russian', async () => {
    const a = await registerRoads();
    await act(operator, a.id, 'assign', { executorId: await staffIdByKey('head.roads') });
    await db().transaction((tx) => announceAppealEvent(tx, {
      municipalityId: ids.municipalityId, appealId: a.id, event: 'due_soon', key: `${a.id}:due:3`, at: t.clock.now(), details: { daysLeft: 3, dueDate: '2026-05-25' },
    }));
    await runJobs();
    const { rows, staff } = await recipientsOf(a.id, 'due_soon');
    // The executor is also the head: told once.
    expect(staff).toEqual([await staffIdByKey('head.roads')]);
    expect(rows.find((r) => r.channel === 'email')!.body).toContain('осталось 3 рабочих дня');
  });

  it('staff preferences apply: e-mail off means a skipped e-mail, the feed still has it', async () => {
    const put = await t.app.inject({
      method: 'PUT', url: `${M}/notification-preferences`, headers: executor.headers,
      payload: { email: false, sms: true, inApp: true, mutedEvents: [] },
    });
    expect(put.statusCode, put.body).toBe(200);
    const a = await registerRoads();
    await act(operator, a.id, 'assign', { executorId });
    await runJobs();
    const rows = await rowsOf(a.id, 'assigned');
    expect(rows.map((r) => [r.channel, r.status]).sort()).toEqual([['email', 'skipped'], ['in_app', 'sent']]);
    expect(await outboxFor(rows)).toEqual([]);
    const [entry] = await db().select().from(auditLog).where(and(eq(auditLog.entityType, 'notification_preferences'), eq(auditLog.entityId, executorId)));
    expect(entry).toMatchObject({ actorKind: 'staff', actorId: executorId, action: 'update', after: { email: false, sms: true, inApp: true, mutedEvents: [] } });
  });
});
