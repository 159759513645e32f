/**
 * The notifications API over HTTP on a real database: feeds are each person's own (pages, unread counts, marking
 * read), preferences are validated and audited, staff see what an appeal's people were told with addresses masked
 * and only for appeals they may see, and the dev outbox is for admins and exists only in outbox mode.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { and, eq } from 'drizzle-orm';
import { createTestApp, json, type Ids, type Session, type TestApp } from '../../test-support/test-app.js';
import { auditLog, municipalities, notifications } from '../../platform/db/schema.js';

let t: TestApp;
let ids: Ids;
let operator: Session;
let admin: Session;
let executor: Session;
let supervisor: Session;
const M = '/api/v1/m/bishkek';

type Method = 'GET' | 'POST' | 'PUT';
const call = (s: Session | null, method: Method, url: string, payload?: object, headers: Record<string, string> = {}) =>
  t.app.inject({ method, url, headers: { ...(s?.headers ?? {}), ...headers }, ...(payload !== undefined ? { payload } : {}) });
const db = () => t.services.database.db;

async function file(citizen: Session, subject: string) {
  t.clock.advance(60_000);
  const res = await call(citizen, 'POST', `${M}/appeals`, {
    kind: 'proposal', categoryId: ids.category('roads.pothole'), language: 'en', subject,
    body: 'Please repaint the pedestrian crossing near school No. 5; the markings are gone.',
    applicant: { fullName: 'Dinara Sydykova', phone: '0700 555 010' },
  });
  expect(res.statusCode, res.body).toBe(201);
  await t.services.jobs.runDue();
  return json<{ id: string; registrationNumber: string }>(res);
}

let alice: Session;
let bob: Session;
let aliceAppeals: { id: string; registrationNumber: string }[] = [];

beforeAll(async () => {
  t = await createTestApp({ env: { SESSION_DAYS: '90' } });
  ids = await t.ids();
  [operator, admin, executor, supervisor] = await Promise.all([t.staff('operator'), t.staff('admin'), t.staff('executor.roads'), t.staff('supervisor')]);
  alice = await t.citizen('alice.resident@example.kg');
  bob = await t.citizen('+996700999001');
  aliceAppeals = [];
  for (let i = 0; i < 5; i++) aliceAppeals.push(await file(alice, `Crossing No. ${i + 1}`));
});
afterAll(async () => { await t?.close(); });

describe("a citizen's feed", () => {
  it('pages newest first with the unread count of the whole feed', async () => {
    const first = json(await call(alice, 'GET', '/api/v1/my/notifications?limit=2'));
    expect(first.unreadCount).toBe(5);
    expect(first.items.map((i: { appealId: string }) => i.appealId)).toEqual([aliceAppeals[4]!.id, aliceAppeals[3]!.id]);
    expect(first.items[0]).toMatchObject({ event: 'registered', municipality: 'bishkek', subject: `Appeal No. ${aliceAppeals[4]!.registrationNumber} registered` });
    const second = json(await call(alice, 'GET', `/api/v1/my/notifications?limit=2&cursor=${first.nextCursor}`));
    const third = json(await call(alice, 'GET', `/api/v1/my/notifications?limit=2&cursor=${second.nextCursor}`));
    expect([...second.items, ...third.items].map((i: { appealId: string }) => i.appealId)).toEqual([aliceAppeals[2]!.id, aliceAppeals[1]!.id, aliceAppeals[0]!.id]);
    expect(third.nextCursor).toBeNull();
  });

  it('never shows another person\'s items, and another person cannot mark them read', async () => {
    const bobs = json(await call(bob, 'GET', '/api/v1/my/notifications'));
    expect(bobs).toEqual({ items: [], nextCursor: null, unreadCount: 0 });
    const alices = json(await call(alice, 'GET', '/api/v1/my/notifications'));
    const res = await call(bob, 'POST', '/api/v1/my/notifications/read', { ids: alices.items.map((i: { id: string }) => i.id) });
    expect(res.statusCode, res.body).toBe(200);
    expect(json(res)).toEqual({ updated: 0, unreadCount: 0 });
    expect(json(await call(bob, 'POST', '/api/v1/my/notifications/read', { all: true }))).toEqual({ updated: 0, unreadCount: 0 });
    expect(json(await call(alice, 'GET', '/api/v1/my/notifications')).unreadCount).toBe(5);
    // Staff messages are in no citizen's feed, and staff have no citizen feed.
    expect((await call(executor, 'GET', '/api/v1/my/notifications')).statusCode).toBe(403);
    expect((await call(null, 'GET', '/api/v1/my/notifications')).statusCode).toBe(401);
  });

  it('marks chosen items read, then all, and records it in the audit log', async () => {
    const feed = json(await call(alice, 'GET', '/api/v1/my/notifications'));
    const two = feed.items.slice(0, 2).map((i: { id: string }) => i.id);
    expect(json(await call(alice, 'POST', '/api/v1/my/notifications/read', { ids: two }))).toEqual({ updated: 2, unreadCount: 3 });
    // Again: nothing new to mark.
    expect(json(await call(alice, 'POST', '/api/v1/my/notifications/read', { ids: two }))).toEqual({ updated: 0, unreadCount: 3 });
    const after = json(await call(alice, 'GET', '/api/v1/my/notifications'));
    expect(after.items.filter((i: { readAt: string | null }) => i.readAt !== null).map((i: { id: string }) => i.id).sort()).toEqual([...two].sort());
    expect(json(await call(alice, 'POST', '/api/v1/my/notifications/read', { all: true }))).toEqual({ updated: 3, unreadCount: 0 });
    const entries = await db().select().from(auditLog).where(and(eq(auditLog.entityType, 'notification_feed'), eq(auditLog.action, 'mark_read')));
    expect(entries.map((e) => (e.after as { count: number }).count)).toEqual([2, 3]);
    expect(entries.every((e) => e.actorKind === 'citizen')).toBe(true);
  });

  it('refuses a body with neither ids nor all, both, unknown fields, and a forged cursor, in the request\'s language', async () => {
    for (const body of [{}, { all: false }, { ids: [] }, { all: true, ids: [aliceAppeals[0]!.id] }, { all: true, everything: true }, { ids: ['not-a-uuid'] }]) {
      const res = await call(alice, 'POST', '/api/v1/my/notifications/read', body, { 'accept-language': 'ru' });
      expect(res.statusCode, JSON.stringify(body)).toBe(400);
      expect(json(res).error).toMatchObject({ code: 'validation_failed', message: 'Некоторые поля заполнены неверно.' });
    }
    const forged = await call(alice, 'GET', `/api/v1/my/notifications?cursor=${Buffer.from('{"at":"x"}').toString('base64url')}`);
    expect(forged.statusCode).toBe(400);
    expect((await call(alice, 'GET', '/api/v1/my/notifications?limit=1000')).statusCode).toBe(400);
  });
});

describe('preferences', () => {
  it('are on by default, replaced whole, validated, and audited in every city', async () => {
    expect(json(await call(bob, 'GET', '/api/v1/my/notification-preferences'))).toEqual({ email: true, sms: true, inApp: true, mutedEvents: [] });
    const bad = await call(bob, 'PUT', '/api/v1/my/notification-preferences', { email: true, sms: false, inApp: true, mutedEvents: ['lunch_break'] }, { 'accept-language': 'en' });
    expect(bad.statusCode).toBe(400);
    expect(json(bad).error.code).toBe('validation_failed');
    expect((await call(bob, 'PUT', '/api/v1/my/notification-preferences', { email: true })).statusCode).toBe(400);
    expect(json(await call(bob, 'GET', '/api/v1/my/notification-preferences')).sms).toBe(true);

    const saved = await call(bob, 'PUT', '/api/v1/my/notification-preferences', { email: false, sms: true, inApp: false, mutedEvents: ['closed', 'registered', 'closed'] });
    expect(saved.statusCode, saved.body).toBe(200);
    expect(json(saved)).toEqual({ email: false, sms: true, inApp: false, mutedEvents: ['registered', 'closed'] });
    expect(json(await call(bob, 'GET', '/api/v1/my/notification-preferences'))).toEqual(json(saved));

    const bobId = json(await call(bob, 'GET', '/api/v1/auth/me')).id;
    const entries = await db().select().from(auditLog).where(and(eq(auditLog.entityType, 'notification_preferences'), eq(auditLog.entityId, bobId)));
    const cities = await db().select({ id: municipalities.id }).from(municipalities);
    expect(entries.map((e) => e.municipalityId).sort()).toEqual(cities.map((c) => c.id).sort());
    expect(entries[0]).toMatchObject({ actorKind: 'citizen', actorId: bobId, before: { email: true, sms: true }, after: { email: false, inApp: false } });
  });

  it('are each staff member\'s own, in their own city', async () => {
    const put = await call(supervisor, 'PUT', `${M}/notification-preferences`, { email: true, sms: false, inApp: true, mutedEvents: ['due_soon'] });
    expect(put.statusCode, put.body).toBe(200);
    expect(json(await call(supervisor, 'GET', `${M}/notification-preferences`)).mutedEvents).toEqual(['due_soon']);
    expect(json(await call(executor, 'GET', `${M}/notification-preferences`)).mutedEvents).toEqual([]);
    expect((await call(supervisor, 'GET', '/api/v1/m/osh/notification-preferences')).statusCode).toBe(403);
    expect((await call(alice, 'GET', `${M}/notification-preferences`)).statusCode).toBe(403);
  });
});

describe("a staff member's feed", () => {
  it('shows only their own items in their city', async () => {
    const a = aliceAppeals[0]!;
    t.clock.advance(60_000);
    const executorId = json(await call(executor, 'GET', '/api/v1/auth/me')).id;
    expect((await call(operator, 'POST', `${M}/appeals/${a.id}/assign`, { executorId })).statusCode).toBe(200);
    await t.services.jobs.runDue();

    const mine = json(await call(executor, 'GET', `${M}/notifications`));
    expect(mine.unreadCount).toBe(1);
    expect(mine.items).toHaveLength(1);
    expect(mine.items[0]).toMatchObject({ event: 'assigned', appealId: a.id, municipality: 'bishkek', link: `/staff/bishkek/appeals/${a.id}` });
    expect(json(await call(supervisor, 'GET', `${M}/notifications`)).items).toEqual([]);
    expect(json(await call(supervisor, 'POST', `${M}/notifications/read`, { ids: [mine.items[0].id] }))).toEqual({ updated: 0, unreadCount: 0 });
    expect((await call(executor, 'GET', '/api/v1/m/osh/notifications')).statusCode).toBe(403);
    expect((await call(alice, 'GET', `${M}/notifications`)).statusCode).toBe(403);
    expect(json(await call(executor, 'POST', `${M}/notifications/read`, { all: true }))).toEqual({ updated: 1, unreadCount: 0 });
  });
});

describe("what an appeal's people were told", () => {
  it('lists every message with the address masked, for overseers and the appeal\'s own service only', async () => {
    const a = aliceAppeals[0]!;
    const res = await call(operator, 'GET', `${M}/appeals/${a.id}/notifications`);
    expect(res.statusCode, res.body).toBe(200);
    const items = json(res).items as { event: string; channel: string; recipientKind: string; address: string | null; status: string; recipientStaffId: string | null }[];
    expect(items.map((i) => [i.event, i.channel, i.recipientKind, i.address, i.status])).toEqual(expect.arrayContaining([
      ['registered', 'email', 'citizen', 'a***@example.kg', 'sent'],
      ['registered', 'sms', 'citizen', '+996******010', 'sent'],
      ['registered', 'in_app', 'citizen', null, 'sent'],
      ['assigned', 'email', 'staff', 'e***@bishkek.example', 'sent'],
    ]));
    expect(res.body).not.toContain('alice.resident');
    expect(res.body).not.toContain('700555010');
    expect(items.find((i) => i.event === 'assigned')!.recipientStaffId).toBe(json(await call(executor, 'GET', '/api/v1/auth/me')).id);

    for (const key of ['admin', 'supervisor', 'executor.roads', 'head.roads']) {
      expect((await call(await t.staff(key), 'GET', `${M}/appeals/${a.id}/notifications`)).statusCode, key).toBe(200);
    }
    expect((await call(await t.staff('executor.water'), 'GET', `${M}/appeals/${a.id}/notifications`)).statusCode).toBe(404);
    expect((await call(await t.staff('analyst'), 'GET', `${M}/appeals/${a.id}/notifications`)).statusCode).toBe(403);
    expect((await call(alice, 'GET', `${M}/appeals/${a.id}/notifications`)).statusCode).toBe(403);
    expect((await call(await t.staff('operator', 'osh'), 'GET', `/api/v1/m/osh/appeals/${a.id}/notifications`)).statusCode).toBe(404);
    expect((await call(operator, 'GET', `${M}/appeals/00000000-0000-4000-8000-000000000000/notifications`)).statusCode).toBe(404);
  });
});

describe('the dev outbox', () => {
  it('shows admins the latest messages kept instead of being sent', async () => {
    const res = await call(admin, 'GET', '/api/v1/dev/outbox?limit=3');
    expect(res.statusCode, res.body).toBe(200);
    const items = json(res).items as { id: number; channel: string; recipient: string; subject: string }[];
    expect(items).toHaveLength(3);
    expect(items.map((i) => i.id)).toEqual([...items.map((i) => i.id)].sort((x, y) => y - x));
    // The newest is the last e-mail sent: the executor's assignment (the staff feed test above), kept under its notification's id.
    const [assigned] = await db().select().from(notifications).where(and(eq(notifications.event, 'assigned'), eq(notifications.channel, 'email')));
    expect(items[0]).toMatchObject({ channel: 'email', recipient: 'executor.roads@bishkek.example', subject: assigned!.subject, body: assigned!.body });
    expect((await call(operator, 'GET', '/api/v1/dev/outbox')).statusCode).toBe(403);
    expect((await call(alice, 'GET', '/api/v1/dev/outbox')).statusCode).toBe(403);
    expect((await call(null, 'GET', '/api/v1/dev/outbox')).statusCode).toBe(401);
    expect((await call(admin, 'GET', '/api/v1/dev/outbox?limit=0')).statusCode).toBe(400);
  });

  it('does not exist when messages are really sent', async () => {
    const real = await createTestApp({ env: { DELIVERY: 'real', SMTP_URL: 'smtp://127.0.0.1:2525' } });
    try {
      const res = await real.app.inject({ method: 'GET', url: '/api/v1/dev/outbox', headers: (await real.staff('admin')).headers });
      expect(res.statusCode).toBe(404);
      expect(json(res).error.code).toBe('route_not_found');
    } finally {
      await real.close();
    }
  });
});
