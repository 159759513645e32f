/**
 * Public hearings over HTTP on a real database: planning (passport line, notice to residents watching the area),
 * registration within the capacity and before the start, the sign-in sheet for staff only, attendance, the public
 * summary of positions heard, cancellation.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { and, eq } from 'drizzle-orm';
import { createTestApp, json, type Session, type TestApp } from '../../test-support/test-app.js';
import { auditLog, citizens, landAreaSubscriptions, landPlotEvents, landPlots, notifications } from '../../platform/db/schema.js';

let t: TestApp;
let mid: string;
let plotId: string;
let secretary: Session;
const residents: Session[] = [];
const residentIds: string[] = [];
const M = '/api/v1/m/bishkek';
const STARTS = '2026-05-20T12:00:00Z';

type Method = 'GET' | 'POST' | 'PATCH' | 'DELETE';
const call = (session: Session | null, method: Method, url: string, payload?: object) =>
  t.app.inject({ method, url: `${M}${url}`, headers: session?.headers ?? {}, ...(payload ? { payload } : {}) });
const db = () => t.services.database.db;
const hearing = (extra: object = {}) => ({ plotId, title: 'Сквер боюнча угуу', startsAt: STARTS, place: 'Мектеп №5, акт залы', ...extra });
const registerAs = (i: number, id: string) => call(residents[i]!, 'POST', `/land/hearings/${id}/registration`);

beforeAll(async () => {
  t = await createTestApp({ now: '2026-05-11T04:00:00Z' });
  mid = (await t.ids()).municipalityId;
  const [plot] = await db().insert(landPlots).values({
    municipalityId: mid, cadastralNumber: '1-07-08-0009-0010', address: 'ул. Логвиненко, 20', status: 'under_discussion',
    geometry: { type: 'Polygon', coordinates: [[[74.6, 42.87], [74.601, 42.87], [74.601, 42.871], [74.6, 42.87]]] },
    centerLat: 42.8705, centerLon: 74.6005, minLat: 42.87, minLon: 74.6, maxLat: 42.871, maxLon: 74.601,
  }).returning();
  plotId = plot!.id;
  secretary = await t.staff('commission');
  for (let i = 0; i < 4; i++) {
    residents.push(await t.citizen(`+99670050000${i}`));
    residentIds.push(json(await t.app.inject({ method: 'GET', url: '/api/v1/auth/me', headers: residents[i]!.headers })).id);
  }
  await db().update(citizens).set({ fullName: 'Гүлнара Сыдыкова' }).where(eq(citizens.id, residentIds[0]!));
  await db().update(citizens).set({ fullName: 'Тимур Абдыкеримов' }).where(eq(citizens.id, residentIds[1]!));
  // Resident 3 watches 500 m around the plot.
  await db().insert(landAreaSubscriptions).values({ municipalityId: mid, citizenId: residentIds[3]!, centerLat: 42.871, centerLon: 74.601, radiusM: 500 });
});
afterAll(async () => { await t?.close(); });

describe('hearings', () => {
  let id: string;

  it('the commission plans one: a passport line, and residents watching the area are told', async () => {
    expect((await call(residents[0]!, 'POST', '/admin/land/hearings', hearing())).statusCode).toBe(403);
    expect((await call(await t.staff('moderator'), 'POST', '/admin/land/hearings', hearing())).statusCode).toBe(403);
    expect((await call(secretary, 'POST', '/admin/land/hearings', hearing({ plotId: mid }))).statusCode).toBe(400);
    const res = await call(secretary, 'POST', '/admin/land/hearings', hearing({ capacity: 2 }));
    expect(res.statusCode, res.body).toBe(201);
    id = json(res).id;
    expect(json(res)).toMatchObject({ status: 'planned', capacity: 2, registeredCount: 0, registrationOpen: true });
    const lines = await db().select().from(landPlotEvents).where(and(eq(landPlotEvents.plotId, plotId), eq(landPlotEvents.kind, 'hearing_planned')));
    expect(lines).toHaveLength(1);
    expect(lines[0]!.details).toMatchObject({ hearingId: id, place: 'Мектеп №5, акт залы' });
    await t.services.jobs.runDue();
    const told = await db().select().from(notifications).where(and(eq(notifications.event, 'land_hearing'), eq(notifications.channel, 'in_app')));
    expect(told.map((n) => n.recipientId)).toEqual([residentIds[3]]);
    expect(told[0]!.body).toContain('2026-05-20 18:00');
  });

  it('registration within the capacity; again changes nothing; withdrawing frees a place', async () => {
    expect((await call(null, 'POST', `/land/hearings/${id}/registration`)).statusCode).toBe(401);
    expect(json(await registerAs(0, id))).toEqual({ registered: true, registeredCount: 1 });
    expect(json(await registerAs(0, id))).toEqual({ registered: true, registeredCount: 1 });
    expect(json(await registerAs(1, id))).toEqual({ registered: true, registeredCount: 2 });
    const full = await registerAs(2, id);
    expect(full.statusCode).toBe(409);
    expect(json(full).error.code).toBe('hearing_full');
    expect(json(await call(residents[1]!, 'DELETE', `/land/hearings/${id}/registration`))).toEqual({ registered: false, registeredCount: 1 });
    expect((await call(residents[1]!, 'DELETE', `/land/hearings/${id}/registration`)).statusCode).toBe(404);
    expect(json(await registerAs(2, id)).registeredCount).toBe(2);
    expect(json(await registerAs(1, id)).error.code).toBe('hearing_full');
    expect(json(await call(residents[2]!, 'GET', `/land/hearings/${id}`)).registeredByMe).toBe(true);
    expect(json(await call(residents[1]!, 'GET', `/land/hearings/${id}`)).registeredByMe).toBe(false);
  });

  it('concurrent registrations never pass the capacity', async () => {
    const res = await call(secretary, 'POST', '/admin/land/hearings', hearing({ capacity: 2, title: 'Экинчи угуу' }));
    const other = json(res).id;
    const all = await Promise.all([0, 1, 2, 3].map((i) => registerAs(i, other)));
    expect(all.filter((r) => r.statusCode === 200)).toHaveLength(2);
    expect(all.filter((r) => r.statusCode === 409)).toHaveLength(2);
    expect(json(await call(null, 'GET', `/land/hearings/${other}`)).registeredCount).toBe(2);
  });

  it('the sign-in sheet names registrants for staff only; the public sees a count', async () => {
    expect((await call(residents[0]!, 'GET', `/admin/land/hearings/${id}/registrations`)).statusCode).toBe(403);
    const sheet = json(await call(secretary, 'GET', `/admin/land/hearings/${id}/registrations`)).items;
    expect(sheet.map((r: { fullName: string | null }) => r.fullName)).toEqual(['Гүлнара Сыдыкова', null]);
    for (const url of [`/land/hearings/${id}`, '/land/hearings']) {
      const res = await call(null, 'GET', url);
      expect(res.statusCode).toBe(200);
      expect(res.body).not.toContain('Гүлнара');
      expect(res.body).not.toContain(residentIds[0]!);
    }
  });

  it('registration closes when the hearing starts; attendance, then held with a public summary', async () => {
    t.clock.set(new Date(new Date(STARTS).getTime() - 1000));
    expect(json(await call(residents[2]!, 'DELETE', `/land/hearings/${id}/registration`)).registered).toBe(false);
    t.clock.set(STARTS);
    const late = await registerAs(3, id);
    expect(late.statusCode).toBe(409);
    expect(json(late).error.code).toBe('hearing_registration_closed');
    expect(json(await call(null, 'GET', `/land/hearings/${id}`)).registrationOpen).toBe(false);

    const marked = await call(secretary, 'POST', `/admin/land/hearings/${id}/attendance`, { citizenIds: [residentIds[0], residentIds[3]], attended: true });
    expect(json(marked)).toEqual({ marked: 1, unknown: [residentIds[3]] });
    expect(json(await call(secretary, 'GET', `/admin/land/hearings/${id}/registrations`)).items[0].attended).toBe(true);

    const summary = 'Жашоочулардын көпчүлүгү сквер курууну колдошту; эки киши унаа токтотуучу жай сурады.';
    const held = await call(secretary, 'PATCH', `/admin/land/hearings/${id}`, { status: 'held', summary, attendedCount: 34 });
    expect(held.statusCode, held.body).toBe(200);
    expect(json(await call(null, 'GET', `/land/hearings/${id}`))).toMatchObject({ status: 'held', summary, attendedCount: 34 });
    const lines = await db().select().from(landPlotEvents).where(and(eq(landPlotEvents.plotId, plotId), eq(landPlotEvents.kind, 'hearing_held')));
    expect(lines).toHaveLength(1);
    expect(lines[0]!.details).toMatchObject({ hearingId: id, attendedCount: 34, summary });
    // Correcting the summary later writes no second passport line; a held hearing cannot be cancelled.
    expect((await call(secretary, 'PATCH', `/admin/land/hearings/${id}`, { summary: `${summary} Түзөтүлдү.` })).statusCode).toBe(200);
    expect(json(await call(secretary, 'PATCH', `/admin/land/hearings/${id}`, { status: 'cancelled' })).error.code).toBe('hearing_closed');
    expect((await db().select().from(landPlotEvents).where(and(eq(landPlotEvents.plotId, plotId), eq(landPlotEvents.kind, 'hearing_held')))).length).toBe(1);
    const audit = await db().select().from(auditLog).where(and(eq(auditLog.entityType, 'public_hearing'), eq(auditLog.entityId, id)));
    expect(audit.map((a) => a.action)).toContain('attendance');
    t.clock.set('2026-05-11T04:00:00Z');
  });

  it('a cancelled hearing takes no registrations and no more changes', async () => {
    const other = json(await call(secretary, 'POST', '/admin/land/hearings', hearing({ title: 'Жокко чыгарылат' }))).id;
    expect(json(await call(secretary, 'PATCH', `/admin/land/hearings/${other}`, { status: 'cancelled' })).status).toBe('cancelled');
    expect(json(await registerAs(0, other)).error.code).toBe('hearing_registration_closed');
    expect(json(await call(secretary, 'PATCH', `/admin/land/hearings/${other}`, { title: 'Кайра' })).error.code).toBe('hearing_closed');
  });
});
