/**
 * The land commission over HTTP on a real database: meetings and their agenda, decisions that need reasons, what a
 * decision does to its proposal or announcement and to the plot (status, passport), who hears of it, postponement,
 * cancelled meetings, minutes, and the public pages without anyone's name.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { and, asc, eq } from 'drizzle-orm';
import { createTestApp, json, type Session, type TestApp } from '../../test-support/test-app.js';
import { auditLog, landAnnouncements, landPlotEvents, landPlots, landSettings, notifications } from '../../platform/db/schema.js';

let t: TestApp;
let mid: string;
let secretary: Session;
let author: Session;
const supporters: Session[] = [];
let commenter: Session;
const M = '/api/v1/m/bishkek';

type Method = 'GET' | 'POST' | 'PATCH';
const call = (session: Session | null, method: Method, url: string, payload?: object) =>
  t.app.inject({ method, url: `${M}${url}`, headers: session?.headers ?? {}, ...(payload ? { payload } : {}) });
const db = () => t.services.database.db;
const me = async (s: Session) => json(await t.app.inject({ method: 'GET', url: '/api/v1/auth/me', headers: s.headers })).id as string;

let plotN = 0;
async function plot(status: string): Promise<string> {
  plotN++;
  const [row] = await db().insert(landPlots).values({
    municipalityId: mid, cadastralNumber: `1-05-06-0007-000${plotN}`, address: `ул. Токтогула, ${plotN}`, status,
    geometry: { type: 'Polygon', coordinates: [[[74.6, 42.87], [74.601, 42.87], [74.601, 42.871], [74.6, 42.87]]] },
    centerLat: 42.8705, centerLon: 74.6005, minLat: 42.87, minLon: 74.6, maxLat: 42.871, maxLon: 74.601,
  }).returning();
  return row!.id;
}

/** A proposal on the plot that three supports put on the agenda, with a comment; returns its id and agenda item. */
async function proposalOnAgenda(plotId: string, title: string): Promise<{ id: string; itemId: string }> {
  const res = await call(author, 'POST', '/land/proposals', {
    plotId, useKind: 'playground', title, description: 'Балдар үчүн оюн аянтчасы керек, жакын жерде эч нерсе жок.', authorName: 'Айпери', language: 'ky',
  });
  expect(res.statusCode, res.body).toBe(201);
  const id = json(res).id;
  expect((await call(commenter, 'POST', `/land/proposals/${id}/comments`, { body: 'Толугу менен колдойм', authorName: 'Нурлан' })).statusCode).toBe(201);
  for (const s of supporters) expect((await call(s, 'POST', `/land/proposals/${id}/support`)).statusCode).toBe(200);
  const waiting = json(await call(secretary, 'GET', '/admin/land/agenda/waiting')).items;
  const item = waiting.find((i: { subject: { id: string } }) => i.subject.id === id);
  expect(item).toBeDefined();
  return { id, itemId: item.id };
}

async function meeting(title = 'Жер комиссиясынын отуруму'): Promise<string> {
  const res = await call(secretary, 'POST', '/admin/land/meetings', { title, startsAt: '2026-05-20T05:00:00Z', place: 'Мэрия, 3-зал' });
  expect(res.statusCode, res.body).toBe(201);
  return json(res).id;
}
const schedule = async (meetingId: string, itemId: string) => {
  const res = await call(secretary, 'POST', `/admin/land/meetings/${meetingId}/items`, { itemId });
  expect(res.statusCode, res.body).toBe(200);
  return json(res);
};
const REASONS = 'Аянтча жашоочулардын сунушу боюнча курулат; жер тилкеси бош жана коопсуз.';
const decide = (itemId: string, decision: string, reasons = REASONS) =>
  call(secretary, 'POST', `/admin/land/agenda/${itemId}/decision`, { decision, reasons, votesFor: 7, votesAgainst: 1, votesAbstained: 1 });
const passport = (plotId: string) => db().select().from(landPlotEvents).where(eq(landPlotEvents.plotId, plotId)).orderBy(asc(landPlotEvents.seq));
const plotRow = async (id: string) => (await db().select().from(landPlots).where(eq(landPlots.id, id)))[0]!;

beforeAll(async () => {
  t = await createTestApp({ now: '2026-05-11T04:00:00Z' });
  mid = (await t.ids()).municipalityId;
  await db().insert(landSettings).values({ municipalityId: mid, supportThreshold: 3 });
  secretary = await t.staff('commission');
  author = await t.citizen('+996700400001');
  commenter = await t.citizen('+996700400002');
  for (let i = 0; i < 3; i++) supporters.push(await t.citizen(`+99670040010${i}`));
});
afterAll(async () => { await t?.close(); });

describe('meetings and the agenda', () => {
  it('only the commission and admins plan meetings', async () => {
    const body = { title: 'Отурум', startsAt: '2026-05-20T05:00:00Z' };
    expect((await call(null, 'POST', '/admin/land/meetings', body)).statusCode).toBe(401);
    expect((await call(author, 'POST', '/admin/land/meetings', body)).statusCode).toBe(403);
    expect((await call(await t.staff('moderator'), 'POST', '/admin/land/meetings', body)).statusCode).toBe(403);
    expect((await call(await t.staff('admin'), 'POST', '/admin/land/meetings', body)).statusCode).toBe(201);
    expect((await call(author, 'GET', '/admin/land/agenda/waiting')).statusCode).toBe(403);
  });

  it('an item must be on a meeting before it is decided; a decision needs reasons and sane votes', async () => {
    const { itemId } = await proposalOnAgenda(await plot('available'), 'Аянтча A');
    expect(json(await decide(itemId, 'approved')).error.code).toBe('agenda_item_not_scheduled');
    const mId = await meeting();
    await schedule(mId, itemId);
    const again = await call(secretary, 'POST', `/admin/land/meetings/${mId}/items`, { itemId });
    expect(json(again).error.code).toBe('already_on_agenda');
    // Taken off the agenda it waits again, and can be put back.
    expect((await t.app.inject({ method: 'DELETE', url: `${M}/admin/land/meetings/${mId}/items/${itemId}`, headers: author.headers })).statusCode).toBe(403);
    const off = await t.app.inject({ method: 'DELETE', url: `${M}/admin/land/meetings/${mId}/items/${itemId}`, headers: secretary.headers });
    expect(json(off)).toMatchObject({ id: itemId, meetingId: null });
    expect(json(await call(secretary, 'GET', '/admin/land/agenda/waiting')).items.map((i: { id: string }) => i.id)).toContain(itemId);
    await schedule(mId, itemId);
    const noReasons = await call(secretary, 'POST', `/admin/land/agenda/${itemId}/decision`, { decision: 'approved', votesFor: 1, votesAgainst: 0, votesAbstained: 0 });
    expect(noReasons.statusCode).toBe(400);
    expect((await decide(itemId, 'approved', 'Жакшы')).statusCode).toBe(400);
    const negative = await call(secretary, 'POST', `/admin/land/agenda/${itemId}/decision`, { decision: 'approved', reasons: REASONS, votesFor: -1, votesAgainst: 0, votesAbstained: 0 });
    expect(negative.statusCode).toBe(400);
    expect(json(await call(null, 'GET', `/land/meetings/${mId}`)).items[0].decision).toBeNull();
  });
});

describe('decisions', () => {
  it('a proposal approved: decided, the plot reserved for public use, the passport, notices to supporters and commenters', async () => {
    const plotId = await plot('under_discussion');
    const { id, itemId } = await proposalOnAgenda(plotId, 'Аянтча B');
    const mId = await meeting();
    await schedule(mId, itemId);
    const res = await decide(itemId, 'approved');
    expect(res.statusCode, res.body).toBe(200);
    expect(json(res)).toMatchObject({ decision: 'approved', reasons: REASONS, votes: { for: 7, against: 1, abstained: 1 }, nextItemId: null });
    expect(json(await decide(itemId, 'rejected')).error.code).toBe('agenda_item_decided');

    expect(json(await call(null, 'GET', `/land/proposals/${id}`))).toMatchObject({ status: 'decided' });
    expect(await plotRow(plotId)).toMatchObject({ status: 'reserved_public' });
    const lines = await passport(plotId);
    expect(lines.map((l) => l.kind)).toEqual(['proposal_submitted', 'proposal_on_agenda', 'decided', 'status_changed']);
    expect(lines[2]!.details).toMatchObject({ decision: 'approved', reasons: REASONS, votes: { for: 7, against: 1, abstained: 1 }, title: 'Аянтча B', subjectType: 'proposal' });
    expect(lines[3]!.details).toEqual({ from: 'under_discussion', to: 'reserved_public' });
    const audit = await db().select().from(auditLog).where(and(eq(auditLog.entityType, 'commission_agenda_item'), eq(auditLog.entityId, itemId)));
    expect(audit.map((a) => a.action)).toEqual(['schedule', 'decide']);
    expect(audit[1]!.reason).toBe(REASONS);

    await t.services.jobs.runDue();
    const told = await db().select().from(notifications).where(and(eq(notifications.event, 'land_decision'), eq(notifications.channel, 'in_app')));
    const expected = await Promise.all([author, commenter, ...supporters].map(me));
    expect(new Set(told.map((n) => n.recipientId))).toEqual(new Set(expected));
    expect(told[0]!.body).toContain(REASONS);

    const decisions = json(await call(null, 'GET', `/land/decisions?plotId=${plotId}`)).items;
    expect(decisions).toHaveLength(1);
    expect(decisions[0]).toMatchObject({ decision: 'approved', reasons: REASONS, subject: { type: 'proposal', id, title: 'Аянтча B' }, meeting: { id: mId } });
  });

  it('a proposal rejected: the plot under discussion is available again', async () => {
    const plotId = await plot('under_discussion');
    const { itemId } = await proposalOnAgenda(plotId, 'Аянтча C');
    await schedule(await meeting(), itemId);
    expect((await decide(itemId, 'rejected', 'Жер тилкеси инженердик тармактардын коргоо зонасында жайгашкан.')).statusCode).toBe(200);
    expect(await plotRow(plotId)).toMatchObject({ status: 'available' });
  });

  it('a temporary lease postponed, then approved: a new waiting item; the plot leased until the announced date', async () => {
    const plotId = await plot('proposed_for_lease');
    const [ann] = await db().insert(landAnnouncements).values({
      municipalityId: mid, plotId, kind: 'temporary_lease', title: { ky: 'Убактылуу ижара', ru: 'Временная аренда', en: 'Temporary lease' },
      description: { ky: 'Сүрөттөмө', ru: 'Описание', en: 'Description' }, leaseUntil: '2027-05-01',
      commentOpensAt: new Date('2026-05-01T04:00:00Z'), commentClosesAt: new Date('2026-05-15T04:00:00Z'), publishedAt: new Date('2026-05-01T04:00:00Z'),
    }).returning();
    const annId = ann!.id;
    expect((await call(commenter, 'POST', `/land/announcements/${annId}/comments`, { body: 'Против аренды', authorName: 'Нурлан' })).statusCode).toBe(201);
    const added = await call(secretary, 'POST', '/admin/land/agenda', { subjectType: 'announcement', subjectId: annId });
    expect(added.statusCode, added.body).toBe(201);
    expect(json(added).subject).toMatchObject({ type: 'announcement', title: 'Убактылуу ижара', plot: { id: plotId } });
    expect(json(await call(secretary, 'POST', '/admin/land/agenda', { subjectType: 'announcement', subjectId: annId })).error.code).toBe('already_on_agenda');
    const first = await meeting();
    await schedule(first, json(added).id);
    const postponed = await decide(json(added).id, 'postponed', 'Ижарачынын документтери толук эмес, кийинки отурумга калтырылды.');
    expect(postponed.statusCode, postponed.body).toBe(200);
    const nextItemId = json(postponed).nextItemId;
    expect(nextItemId).toBeTruthy();
    expect((await db().select().from(landAnnouncements).where(eq(landAnnouncements.id, annId)))[0]!.status).toBe('published');
    expect(await plotRow(plotId)).toMatchObject({ status: 'proposed_for_lease' });
    const waiting = json(await call(secretary, 'GET', '/admin/land/agenda/waiting', undefined)).items;
    expect(waiting.map((i: { id: string }) => i.id)).toContain(nextItemId);

    await schedule(await meeting('Кийинки отурум'), nextItemId);
    expect((await decide(nextItemId, 'approved', 'Документтер толукталды, ижара бир жылга берилет.')).statusCode).toBe(200);
    expect(await plotRow(plotId)).toMatchObject({ status: 'leased_temporarily', leasedUntil: '2027-05-01' });
    expect((await db().select().from(landAnnouncements).where(eq(landAnnouncements.id, annId)))[0]!.status).toBe('decided');
    const lines = await passport(plotId);
    expect(lines.map((l) => l.kind)).toEqual(['decided', 'decided', 'status_changed']);
    expect(lines[0]!.details).toMatchObject({ decision: 'postponed', subjectType: 'announcement', title: { ky: 'Убактылуу ижара', ru: 'Временная аренда', en: 'Temporary lease' } });
    expect(lines[2]!.details).toEqual({ from: 'proposed_for_lease', to: 'leased_temporarily', leasedUntil: '2027-05-01' });
    await t.services.jobs.runDue();
    const told = await db().select().from(notifications).where(and(eq(notifications.event, 'land_decision'), eq(notifications.recipientId, await me(commenter))));
    expect(told.filter((n) => n.channel === 'in_app' && n.link === `/bishkek/land/announcements/${annId}`)).toHaveLength(2);
  });

  it('a cancelled meeting sends undecided items back to waiting; its agenda is closed', async () => {
    const { itemId } = await proposalOnAgenda(await plot('available'), 'Аянтча D');
    const mId = await meeting();
    await schedule(mId, itemId);
    const res = await call(secretary, 'PATCH', `/admin/land/meetings/${mId}`, { status: 'cancelled' });
    expect(res.statusCode, res.body).toBe(200);
    expect(json(res).items).toEqual([]);
    expect(json(await call(secretary, 'GET', '/admin/land/agenda/waiting')).items.map((i: { id: string }) => i.id)).toContain(itemId);
    expect(json(await call(secretary, 'POST', `/admin/land/meetings/${mId}/items`, { itemId })).error.code).toBe('meeting_closed');
    expect(json(await call(secretary, 'PATCH', `/admin/land/meetings/${mId}`, { title: 'Жаңы' })).error.code).toBe('meeting_closed');
  });
});

describe('public pages and minutes', () => {
  it('minutes are public once published; no names of people anywhere', async () => {
    const { itemId } = await proposalOnAgenda(await plot('available'), 'Аянтча E');
    const mId = await meeting('Ачык отурум');
    await schedule(mId, itemId);
    await decide(itemId, 'approved');
    expect(json(await call(secretary, 'POST', `/admin/land/meetings/${mId}/minutes/publish`)).error.code).toBe('minutes_empty');
    const minutes = 'Катышкандар: комиссиянын 9 мүчөсү. Бир маселе каралды.';
    const patched = await call(secretary, 'PATCH', `/admin/land/meetings/${mId}`, { status: 'held', minutes });
    expect(json(patched)).toMatchObject({ status: 'held', minutes, minutesPublished: false });
    expect(json(await call(null, 'GET', `/land/meetings/${mId}`)).minutes).toBeNull();
    expect((await call(secretary, 'POST', `/admin/land/meetings/${mId}/minutes/publish`)).statusCode).toBe(200);
    const pub = await call(null, 'GET', `/land/meetings/${mId}`);
    expect(json(pub)).toMatchObject({ status: 'held', minutes, minutesPublished: true });
    expect(json(pub).items[0]).toMatchObject({ decision: 'approved', reasons: REASONS, votes: { for: 7, against: 1, abstained: 1 }, subject: { title: 'Аянтча E' } });
    const list = await call(null, 'GET', '/land/meetings');
    expect(list.statusCode).toBe(200);
    expect(json(list).past.map((x: { id: string }) => x.id)).toContain(mId);
    for (const body of [pub.body, list.body, (await call(null, 'GET', '/land/decisions')).body]) {
      expect(body).not.toContain('Мээрим'); // the secretary
      expect(body).not.toContain('+99670040');
    }
  });

  it('upcoming meetings are listed apart, soonest first', async () => {
    const later = json(await call(secretary, 'POST', '/admin/land/meetings', { title: 'Июнь', startsAt: '2026-06-20T05:00:00Z' })).id;
    const sooner = json(await call(secretary, 'POST', '/admin/land/meetings', { title: 'Май', startsAt: '2026-05-12T05:00:00Z' })).id;
    const { upcoming } = json(await call(null, 'GET', '/land/meetings'));
    const ids = upcoming.map((x: { id: string }) => x.id);
    expect(ids.indexOf(sooner)).toBeLessThan(ids.indexOf(later));
    expect(ids.indexOf(sooner)).toBe(0);
  });
});
