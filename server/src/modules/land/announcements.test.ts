/**
 * Announcements, their comment periods and the residents who watch areas, over HTTP on a real database: defaults
 * from the settings, the plot's status, notices to district and radius subscribers (and none outside), withdrawal,
 * the comment-period job at its edge and exactly once, subscription limits, settings, permissions, and no
 * personal data in public.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { and, eq } from 'drizzle-orm';
import { createTestApp, json, type Session, type TestApp } from '../../test-support/test-app.js';
import { auditLog, commissionAgendaItems, landAnnouncements, notifications } from '../../platform/db/schema.js';
import { closeEndedCommentPeriods } from './comment-period-job.js';
import { defaultClosesAt, startOfLocalDay } from './announcements.service.js';

let t: TestApp;
let mid: string;
let admin: Session;
let leninsky: string;
let oktyabrsky: string;
const M = '/api/v1/m/bishkek';

type Method = 'GET' | 'POST' | 'PATCH' | 'PUT' | 'DELETE';
const call = (session: Session | null, method: Method, url: string, payload?: object, headers: Record<string, string> = {}) =>
  t.app.inject({ method, url: `${M}${url}`, headers: { ...(session?.headers ?? {}), ...headers }, ...(payload !== undefined ? { payload } : {}) });
const db = () => t.services.database.db;
const square = (lon: number, lat: number, d = 0.001) => ({ type: 'Polygon', coordinates: [[[lon, lat], [lon + d, lat], [lon + d, lat + d], [lon, lat + d], [lon, lat]]] });

let n = 0;
async function plot(extra: object = {}): Promise<string> {
  n++;
  const res = await call(admin, 'POST', '/admin/land/plots', { cadastralNumber: `1-03-01-0001-${String(n).padStart(4, '0')}`, address: `ул. Фрунзе, ${n}`, geometry: square(74.58, 42.87), districtId: leninsky, ...extra });
  expect(res.statusCode, res.body).toBe(201);
  return json(res).id;
}
async function announce(body: object): Promise<{ id: string; commentOpensAt: string; commentClosesAt: string; commentsOpen: boolean; plot: { status: string } }> {
  const res = await call(admin, 'POST', '/admin/land/announcements', body);
  expect(res.statusCode, res.body).toBe(201);
  return json(res);
}
const getAnnouncement = async (id: string) => json(await call(null, 'GET', `/land/announcements/${id}`));
const agendaFor = (id: string) => db().select().from(commissionAgendaItems).where(and(eq(commissionAgendaItems.subjectType, 'announcement'), eq(commissionAgendaItems.subjectId, id)));

beforeAll(async () => {
  t = await createTestApp({ now: '2026-04-27T04:00:00Z' }); // Monday 10:00 in Bishkek
  const ids = await t.ids();
  mid = ids.municipalityId;
  leninsky = ids.district('leninsky');
  oktyabrsky = ids.district('oktyabrsky');
  admin = await t.staff('admin');
});
afterAll(async () => { await t?.close(); });

describe('settings', () => {
  it('are public with default rules, changed by admins only, audited', async () => {
    const before = json(await call(null, 'GET', '/land/settings'));
    expect(before).toMatchObject({ supportThreshold: 100, commentPeriodDays: 14, rulesAreDefault: true });
    expect(before.discussionRules.ru).toContain('не публикуйте личные данные');
    expect(before.discussionRules.ky).toContain('жарнама');
    const commission = await t.staff('commission');
    expect((await call(commission, 'PUT', '/admin/land/settings', { commentPeriodDays: 10 })).statusCode).toBe(403);
    expect((await call(null, 'PUT', '/admin/land/settings', { commentPeriodDays: 10 })).statusCode).toBe(401);
    expect((await call(admin, 'PUT', '/admin/land/settings', { commentPeriodDays: 0 })).statusCode).toBe(400);
    const after = json(await call(admin, 'PUT', '/admin/land/settings', { commentPeriodDays: 10 }));
    expect(after).toMatchObject({ supportThreshold: 100, commentPeriodDays: 10, rulesAreDefault: true });
    const rules = { ky: 'Сылык болуңуз.', ru: 'Будьте вежливы.', en: 'Be polite.' };
    expect(json(await call(admin, 'PUT', '/admin/land/settings', { discussionRules: rules }))).toMatchObject({ commentPeriodDays: 10, discussionRules: rules, rulesAreDefault: false });
    expect(json(await call(admin, 'PUT', '/admin/land/settings', { discussionRules: null })).rulesAreDefault).toBe(true);
    const entries = await db().select().from(auditLog).where(eq(auditLog.entityType, 'land_settings'));
    expect(entries).toHaveLength(3);
    expect(entries[0]!.after).toMatchObject({ commentPeriodDays: 10 });
  });
});

describe('comment period dates', () => {
  it('the default closing is 00:00 city time after the N-th day following the opening day', () => {
    const opens = new Date('2026-04-27T04:00:00Z'); // 10:00 in Bishkek (UTC+6)
    expect(defaultClosesAt(opens, 14, 'Asia/Bishkek').toISOString()).toBe('2026-05-11T18:00:00.000Z'); // 12 May 00:00 local
    // Opened at 23:30 local: the opening day still counts as day 0.
    expect(defaultClosesAt(new Date('2026-04-27T17:30:00Z'), 1, 'Asia/Bishkek').toISOString()).toBe('2026-04-28T18:00:00.000Z');
    // A zone with daylight saving: the closing is local midnight on both sides of the change.
    expect(startOfLocalDay('2026-03-30', 'Europe/Berlin').toISOString()).toBe('2026-03-29T22:00:00.000Z');
    expect(startOfLocalDay('2026-03-29', 'Europe/Berlin').toISOString()).toBe('2026-03-28T23:00:00.000Z');
  });
});

describe('publishing', () => {
  const citizens: Record<string, { session: Session; id: string }> = {};

  beforeAll(async () => {
    for (const [key, phone] of [['district', '+996700200001'], ['near', '+996700200002'], ['far', '+996700200003'], ['otherDistrict', '+996700200004']] as const) {
      const session = await t.citizen(phone);
      const me = json(await t.app.inject({ method: 'GET', url: '/api/v1/auth/me', headers: session.headers }));
      citizens[key] = { session, id: me.id };
    }
    const sub = async (key: string, body: object) => expect((await call(citizens[key]!.session, 'POST', '/land/subscriptions', body)).statusCode).toBe(201);
    await sub('district', { districtId: leninsky });
    // The plot's centre is at 74.5805 E, 42.8705 N. 300 m north of it, watching 500 m: inside.
    await sub('near', { lat: 42.8705 + 300 / 111_195, lon: 74.5805, radiusM: 500, label: 'Дом' });
    // 2 km east, watching 1 km: outside.
    await sub('far', { lat: 42.8705, lon: 74.5805 + 2000 / (111_195 * Math.cos((42.8705 * Math.PI) / 180)), radiusM: 1000, label: 'Работа' });
    await sub('otherDistrict', { districtId: oktyabrsky });
  });

  it('a temporary lease: dates from the settings, the plot proposed for lease, passport lines, audit, and notices to the area', async () => {
    const plotId = await plot();
    const a = await announce({ plotId, kind: 'temporary_lease', title: { ru: 'Временная аренда под летнюю веранду', ky: 'Жайкы веранда үчүн убактылуу ижара' },
      description: { ru: 'Аренда на сезон.' }, proposedUse: 'летняя веранда кафе', leaseUntil: '2026-10-31' });
    expect(a.commentOpensAt).toBe('2026-04-27T04:00:00.000Z');
    // Settings say 10 days (set above): 27 April + 10 = 7 May, comments until 7 May 23:59:59 local.
    expect(a.commentClosesAt).toBe('2026-05-07T18:00:00.000Z');
    expect(a.commentsOpen).toBe(true);
    expect(a.plot.status).toBe('proposed_for_lease');
    const stored = await getAnnouncement(a.id);
    expect(stored.title).toEqual({ ky: 'Жайкы веранда үчүн убактылуу ижара', ru: 'Временная аренда под летнюю веранду', en: 'Жайкы веранда үчүн убактылуу ижара' });
    expect(stored.description).toEqual({ ky: 'Аренда на сезон.', ru: 'Аренда на сезон.', en: 'Аренда на сезон.' });
    const passport = json(await call(null, 'GET', `/land/plots/${plotId}`));
    expect(passport.history.map((h: { kind: string }) => h.kind)).toEqual(['imported', 'announcement_published', 'status_changed']);
    expect(passport.history[2].details).toMatchObject({ from: 'available', to: 'proposed_for_lease', announcementId: a.id });
    expect((await db().select().from(auditLog).where(and(eq(auditLog.entityType, 'land_announcement'), eq(auditLog.entityId, a.id)))).map((x) => x.action)).toEqual(['publish']);

    await t.services.jobs.runDue();
    const rows = await db().select().from(notifications).where(and(eq(notifications.event, 'land_announcement'), eq(notifications.channel, 'in_app')));
    expect(rows.map((r) => r.recipientId).sort()).toEqual([citizens.district!.id, citizens.near!.id].sort());
    expect(rows[0]!.link).toBe(`/bishkek/land/announcements/${a.id}`);
    expect(rows.find((r) => r.locale === 'ky')?.body ?? rows[0]!.body).toContain('1-03-01-0001-0001');
    // A rerun adds nothing.
    await t.services.jobs.runDue();
    expect(await db().select().from(notifications).where(and(eq(notifications.event, 'land_announcement'), eq(notifications.channel, 'in_app')))).toHaveLength(2);

    // One announcement per plot at a time.
    const second = await call(admin, 'POST', '/admin/land/announcements', { plotId, kind: 'other', title: { en: 'Another' } });
    expect(second.statusCode).toBe(409);
    expect(json(second).error.code).toBe('announcement_open');
  });

  it('other kinds put the plot under discussion; bad input is refused in the asked language and changes nothing', async () => {
    const plotId = await plot();
    const ru = { 'accept-language': 'ru' };
    const noTitle = await call(admin, 'POST', '/admin/land/announcements', { plotId, kind: 'change_of_use', title: { ru: '  ' } }, ru);
    expect(json(noTitle).error).toMatchObject({ code: 'title_required', message: 'Укажите название хотя бы на одном языке.' });
    const noLease = await call(admin, 'POST', '/admin/land/announcements', { plotId, kind: 'temporary_lease', title: { ru: 'Аренда' } }, ru);
    expect(json(noLease).error.code).toBe('leased_until_required');
    const backwards = await call(admin, 'POST', '/admin/land/announcements', { plotId, kind: 'other', title: { ru: 'x' }, commentOpensAt: '2026-05-02T00:00:00+06:00', commentClosesAt: '2026-05-01T00:00:00+06:00' }, ru);
    expect(json(backwards).error.code).toBe('comment_dates');
    expect(await db().select().from(landAnnouncements).where(eq(landAnnouncements.plotId, plotId))).toHaveLength(0);
    const a = await announce({ plotId, kind: 'change_of_use', title: { en: 'A square instead of a car park' } });
    expect(a.plot.status).toBe('under_discussion');
  });

  it('permissions: an executor 403, anonymous 401; the land commission may', async () => {
    const plotId = await plot();
    const body = { plotId, kind: 'public_use', title: { ky: 'Сквер' } };
    expect((await call(await t.staff('executor.roads'), 'POST', '/admin/land/announcements', body)).statusCode).toBe(403);
    expect((await call(null, 'POST', '/admin/land/announcements', body)).statusCode).toBe(401);
    expect((await call(citizens.near!.session, 'POST', '/admin/land/announcements', body)).statusCode).toBe(403);
    const a = await announce({ ...body });
    expect((await call(null, 'POST', `/admin/land/announcements/${a.id}/withdraw`, { reason: 'Ошибка в описании' })).statusCode).toBe(401);
    const commission = await t.staff('commission');
    expect((await call(commission, 'POST', `/admin/land/announcements/${a.id}/withdraw`, { reason: 'Ошибка в описании' })).statusCode).toBe(200);
  });

  it('the public list shows open ones first, with no person in it', async () => {
    const list = json(await call(null, 'GET', '/land/announcements'));
    expect(list.total).toBeGreaterThanOrEqual(3);
    const statuses = list.items.map((a: { status: string }) => a.status);
    expect(statuses.indexOf('withdrawn')).toBeGreaterThan(statuses.lastIndexOf('published'));
    expect(list.items[0]).toHaveProperty('cadastralNumber');
    expect(json(await call(null, 'GET', '/land/announcements?status=withdrawn')).items.every((a: { status: string }) => a.status === 'withdrawn')).toBe(true);
    const me = json(await t.app.inject({ method: 'GET', url: '/api/v1/auth/me', headers: admin.headers }));
    const text = JSON.stringify(list) + JSON.stringify(await getAnnouncement(list.items[0].id));
    for (const secret of [me.id, me.fullName, me.email]) expect(text).not.toContain(secret);
    expect(text).not.toContain('createdById');
  });
});

describe('the comment-period job', () => {
  it('at the edge: one second before closing still open, at closing closed — exactly once, with one waiting agenda item', async () => {
    t.clock.set('2026-04-28T04:00:00Z');
    const plotId = await plot();
    const a = await announce({ plotId, kind: 'lease', title: { ru: 'Аренда под автомойку' }, commentClosesAt: '2026-05-01T00:00:00+06:00' });
    expect(a.commentClosesAt).toBe('2026-04-30T18:00:00.000Z');

    t.clock.set(new Date(Date.parse(a.commentClosesAt) - 1000));
    expect(await closeEndedCommentPeriods({ db: db(), clock: t.clock }, mid)).toBe(0);
    expect(await getAnnouncement(a.id)).toMatchObject({ status: 'published', commentsOpen: true });

    t.clock.set(a.commentClosesAt);
    // Before the job runs, the period is already over for readers.
    expect((await getAnnouncement(a.id)).commentsOpen).toBe(false);
    await t.services.jobs.runDue({ includeRecurring: true });
    expect(await getAnnouncement(a.id)).toMatchObject({ status: 'closed', commentsOpen: false });
    // Again, by the job and directly: nothing more.
    await t.services.jobs.runDue({ includeRecurring: true });
    expect(await closeEndedCommentPeriods({ db: db(), clock: t.clock }, mid)).toBe(0);
    t.clock.advance(120_000);
    await t.services.jobs.runDue({ includeRecurring: true });
    const items = await agendaFor(a.id);
    expect(items).toHaveLength(1);
    expect(items[0]).toMatchObject({ meetingId: null, addedBy: 'comment_period', plotId, decision: null });
    const history = json(await call(null, 'GET', `/land/plots/${plotId}`)).history;
    expect(history.filter((h: { kind: string }) => h.kind === 'comment_period_closed')).toHaveLength(1);
    expect(history.at(-1)).toMatchObject({ kind: 'comment_period_closed', refId: a.id });
    const passport = json(await call(null, 'GET', `/land/plots/${plotId}`));
    expect(passport.decisions).toEqual([expect.objectContaining({ subjectType: 'announcement', subjectId: a.id, addedBy: 'comment_period', meeting: null, decision: null })]);
  });

  it('withdrawing a closed announcement: withdrawn, the plot back to its status, the waiting item removed, passport and audit', async () => {
    t.clock.set('2026-05-02T04:00:00Z');
    const plotId = await plot({ status: 'reserved_public' });
    const a = await announce({ plotId, kind: 'change_of_use', title: { ru: 'Смена назначения' }, commentClosesAt: '2026-05-03T00:00:00+06:00' });
    expect(a.plot.status).toBe('under_discussion');
    t.clock.set('2026-05-03T00:00:00+06:00');
    expect(await closeEndedCommentPeriods({ db: db(), clock: t.clock }, mid)).toBe(1);
    expect(await agendaFor(a.id)).toHaveLength(1);
    const short = await call(admin, 'POST', `/admin/land/announcements/${a.id}/withdraw`, { reason: 'x' });
    expect(short.statusCode).toBe(400);
    const res = await call(admin, 'POST', `/admin/land/announcements/${a.id}/withdraw`, { reason: 'Комиссия не будет рассматривать вопрос в этом году.' });
    expect(res.statusCode, res.body).toBe(200);
    expect(json(res)).toMatchObject({ status: 'withdrawn', commentsOpen: false, plot: { status: 'reserved_public' } });
    expect(await agendaFor(a.id)).toHaveLength(0);
    const history = json(await call(null, 'GET', `/land/plots/${plotId}`)).history;
    expect(history.slice(-2).map((h: { kind: string; details: Record<string, unknown> }) => [h.kind, h.details])).toEqual([
      ['announcement_withdrawn', { announcementId: a.id, reason: 'Комиссия не будет рассматривать вопрос в этом году.' }],
      ['status_changed', { from: 'under_discussion', to: 'reserved_public', announcementId: a.id }],
    ]);
    const audit = await db().select().from(auditLog).where(and(eq(auditLog.entityType, 'land_announcement'), eq(auditLog.entityId, a.id))).orderBy(auditLog.id);
    expect(audit.map((x) => [x.action, x.actorKind])).toEqual([['publish', 'staff'], ['close_comments', 'system'], ['withdraw', 'staff']]);
    expect(audit[2]!.reason).toBe('Комиссия не будет рассматривать вопрос в этом году.');
    const again = await call(admin, 'POST', `/admin/land/announcements/${a.id}/withdraw`, { reason: 'Ещё раз' });
    expect(again.statusCode).toBe(409);
    expect(json(again).error.code).toBe('announcement_not_withdrawable');
    // The plot is free for a new announcement.
    await announce({ plotId, kind: 'other', title: { ru: 'Новое объявление' } });
  });
});

describe('area subscriptions', () => {
  it('validates, lists only one\'s own, allows at most 10 per account, deletes one\'s own only, audited without the point', async () => {
    const me = await t.citizen('+996700300001');
    const other = await t.citizen('+996700300002');
    const bad = [
      { lat: 42.87, lon: 74.59, radiusM: 50, label: 'x' },
      { lat: 42.87, lon: 74.59, radiusM: 5001, label: 'x' },
      { lat: 42.87, lon: 74.59, radiusM: 500 },
      { districtId: '00000000-0000-4000-8000-000000000000' },
      { lat: 40.53, lon: 72.8, radiusM: 500, label: 'Ош' },
      { districtId: leninsky, lat: 42.87 },
    ];
    for (const body of bad) expect((await call(me, 'POST', '/land/subscriptions', body)).statusCode, JSON.stringify(body)).toBe(400);
    expect((await call(null, 'POST', '/land/subscriptions', { districtId: leninsky })).statusCode).toBe(401);
    expect((await call(null, 'GET', '/land/subscriptions')).statusCode).toBe(401);
    expect((await call(admin, 'POST', '/land/subscriptions', { districtId: leninsky })).statusCode).toBe(403);
    const ids: string[] = [];
    for (let i = 0; i < 10; i++) {
      const res = await call(me, 'POST', '/land/subscriptions', i === 0 ? { districtId: leninsky } : { lat: 42.87, lon: 74.59 + i / 1000, radiusM: 100 * i + 100, label: `Место ${i}` });
      expect(res.statusCode, res.body).toBe(201);
      ids.push(json(res).id);
    }
    const eleventh = await call(me, 'POST', '/land/subscriptions', { districtId: oktyabrsky }, { 'accept-language': 'ru' });
    expect(eleventh.statusCode).toBe(409);
    expect(json(eleventh).error.message).toBe('На один аккаунт — не более 10 подписок на районы и места.');
    const mine = json(await call(me, 'GET', '/land/subscriptions'));
    expect(mine.items).toHaveLength(10);
    expect(mine.items.find((x: { label: string }) => x.label === 'Место 1')).toMatchObject({ lat: 42.87, radiusM: 200, districtId: null });
    expect(json(await call(other, 'GET', '/land/subscriptions')).items).toHaveLength(0);
    expect((await call(other, 'DELETE', `/land/subscriptions/${ids[0]}`)).statusCode).toBe(404);
    expect((await call(me, 'DELETE', `/land/subscriptions/${ids[0]}`)).statusCode).toBe(200);
    expect((await call(me, 'POST', '/land/subscriptions', { districtId: oktyabrsky })).statusCode).toBe(201);
    const audit = await db().select().from(auditLog).where(eq(auditLog.entityType, 'land_area_subscription'));
    const mineAudit = audit.filter((x) => ids.includes(x.entityId));
    expect(mineAudit.map((x) => x.action).sort()).toEqual([...Array(10).fill('create'), 'delete'].sort());
    expect(JSON.stringify(mineAudit)).not.toContain('42.87');
  });
});
