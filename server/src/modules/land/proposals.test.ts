/**
 * Residents' proposals over HTTP on a real database: submitting (on a plot or a place), one support per account,
 * the threshold putting a proposal on the commission's agenda exactly once (also under concurrent supports), the
 * notices to its author and supporters, withdrawals, and sketches or photos.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { and, eq } from 'drizzle-orm';
import { createTestApp, json, type Session, type TestApp } from '../../test-support/test-app.js';
import { auditLog, citizens, commissionAgendaItems, landPlotEvents, landPlots, landProposals, landSettings, notifications } from '../../platform/db/schema.js';

let t: TestApp;
let mid: string;
let plotId: string;
let author: Session;
let authorId: string;
const M = '/api/v1/m/bishkek';
const residents: Session[] = [];

type Method = 'GET' | 'POST' | 'DELETE';
const call = (session: Session | null, method: Method, url: string, payload?: object) =>
  t.app.inject({ method, url: `${M}${url}`, headers: session?.headers ?? {}, ...(payload ? { payload } : {}) });
const db = () => t.services.database.db;

const setThreshold = (n: number) => db().insert(landSettings).values({ municipalityId: mid, supportThreshold: n })
  .onConflictDoUpdate({ target: landSettings.municipalityId, set: { supportThreshold: n } });

const playground = (extra: object = {}) => ({
  plotId, useKind: 'playground', title: 'Балдар аянтчасы', description: 'Кичи райондун балдары үчүн коопсуз оюн аянтчасы керек.',
  beneficiaries: 'Кичи райондун 300 баласы', authorName: 'Айпери К.', language: 'ky', ...extra,
});
async function propose(extra: object = {}): Promise<string> {
  const res = await call(author, 'POST', '/land/proposals', playground(extra));
  expect(res.statusCode, res.body).toBe(201);
  return json(res).id;
}
const agendaItems = (proposalId: string) => db().select().from(commissionAgendaItems).where(eq(commissionAgendaItems.subjectId, proposalId));
const passport = async (kind: string) => (await db().select().from(landPlotEvents).where(and(eq(landPlotEvents.plotId, plotId), eq(landPlotEvents.kind, kind))));

beforeAll(async () => {
  t = await createTestApp({ now: '2026-05-04T04:00:00Z' });
  mid = (await t.ids()).municipalityId;
  const [plot] = await db().insert(landPlots).values({
    municipalityId: mid, cadastralNumber: '1-02-03-0004-0005', address: 'мкр Джал, 12', status: 'available',
    geometry: { type: 'Polygon', coordinates: [[[74.58, 42.84], [74.581, 42.84], [74.581, 42.841], [74.58, 42.84]]] },
    centerLat: 42.8405, centerLon: 74.5805, minLat: 42.84, minLon: 74.58, maxLat: 42.841, maxLon: 74.581,
  }).returning();
  plotId = plot!.id;
  author = await t.citizen('+996700100001');
  authorId = json(await t.app.inject({ method: 'GET', url: '/api/v1/auth/me', headers: author.headers })).id;
  for (let i = 0; i < 12; i++) residents.push(await t.citizen(`+9967002000${String(i).padStart(2, '0')}`));
});
afterAll(async () => { await t?.close(); });

describe('submitting', () => {
  it('on a plot: the plot\'s centre, a passport line, an audit entry; public without contacts', async () => {
    const id = await propose();
    const res = await call(null, 'GET', `/land/proposals/${id}`);
    expect(res.statusCode).toBe(200);
    const p = json(res);
    expect(p).toMatchObject({ plotId, lat: 42.8405, lon: 74.5805, status: 'open', supportCount: 0, authorName: 'Айпери К.', supportedByMe: null, isMine: false });
    expect(p.plot.cadastralNumber).toBe('1-02-03-0004-0005');
    expect(res.body).not.toContain('+996700100001');
    expect((await passport('proposal_submitted')).some((e) => e.refId === id)).toBe(true);
    const audit = await db().select().from(auditLog).where(and(eq(auditLog.entityType, 'land_proposal'), eq(auditLog.entityId, id)));
    expect(audit.map((a) => a.action)).toEqual(['submit']);
  });

  it('at a place: inside the city only; the name defaults to the account\'s, required without one', async () => {
    const place = { useKind: 'sidewalk', title: 'Тротуар', description: 'Мектепке чейин тротуар жок, балдар жол менен жүрүшөт.', language: 'ky' };
    const far = await call(author, 'POST', '/land/proposals', { ...place, lat: 40.53, lon: 72.8, authorName: 'Айпери' });
    expect(far.statusCode).toBe(400);
    expect(json(far).error.code).toBe('outside_city');
    const nameless = await call(author, 'POST', '/land/proposals', { ...place, lat: 42.87, lon: 74.6 });
    expect(nameless.statusCode).toBe(400);
    expect(json(nameless).error.code).toBe('author_name_required');
    await db().update(citizens).set({ fullName: 'Айпери Касымова' }).where(eq(citizens.id, authorId));
    const ok = await call(author, 'POST', '/land/proposals', { ...place, lat: 42.87, lon: 74.6 });
    expect(ok.statusCode, ok.body).toBe(201);
    expect(json(ok)).toMatchObject({ plotId: null, lat: 42.87, authorName: 'Айпери Касымова', isMine: true });
  });

  it('anonymous: 401; staff: 403; neither plotId nor a place: 400', async () => {
    expect((await call(null, 'POST', '/land/proposals', playground())).statusCode).toBe(401);
    expect((await call(await t.staff('admin'), 'POST', '/land/proposals', playground())).statusCode).toBe(403);
    expect((await call(author, 'POST', '/land/proposals', playground({ plotId: undefined }))).statusCode).toBe(400);
  });
});

describe('supports', () => {
  it('one per account: a second is 409 and the count stays; withdrawn and given again', async () => {
    await setThreshold(100);
    const id = await propose();
    const first = await call(residents[0]!, 'POST', `/land/proposals/${id}/support`);
    expect(first.statusCode, first.body).toBe(200);
    expect(json(first)).toEqual({ supportCount: 1, status: 'open', supported: true });
    const second = await call(residents[0]!, 'POST', `/land/proposals/${id}/support`);
    expect(second.statusCode).toBe(409);
    expect(json(second).error.code).toBe('already_supported');
    expect(json(await call(residents[0]!, 'GET', `/land/proposals/${id}`))).toMatchObject({ supportCount: 1, supportedByMe: true });
    expect(json(await call(residents[1]!, 'GET', `/land/proposals/${id}`)).supportedByMe).toBe(false);
    const gone = await call(residents[0]!, 'DELETE', `/land/proposals/${id}/support`);
    expect(json(gone)).toEqual({ supportCount: 0, status: 'open', supported: false });
    expect(json(await call(residents[0]!, 'DELETE', `/land/proposals/${id}/support`)).error.code).toBe('not_supported');
    expect(json(await call(residents[0]!, 'POST', `/land/proposals/${id}/support`)).supportCount).toBe(1);
    // The author may back their own proposal.
    expect(json(await call(author, 'POST', `/land/proposals/${id}/support`)).supportCount).toBe(2);
    expect((await call(null, 'POST', `/land/proposals/${id}/support`)).statusCode).toBe(401);
  });

  it('the threshold: 2 of 3 stay open; the 3rd puts it on the agenda with a passport line and notices', async () => {
    await setThreshold(3);
    const id = await propose();
    await call(residents[0]!, 'POST', `/land/proposals/${id}/support`);
    const two = await call(residents[1]!, 'POST', `/land/proposals/${id}/support`);
    expect(json(two)).toMatchObject({ supportCount: 2, status: 'open' });
    expect(await agendaItems(id)).toHaveLength(0);
    // A comment makes its author part of the audience too.
    expect((await call(residents[5]!, 'POST', `/land/proposals/${id}/comments`, { body: 'Колдойм!', authorName: 'Бекзат' })).statusCode).toBe(201);
    const three = await call(residents[2]!, 'POST', `/land/proposals/${id}/support`);
    expect(json(three)).toEqual({ supportCount: 3, status: 'on_agenda', supported: true });
    const items = await agendaItems(id);
    expect(items).toHaveLength(1);
    expect(items[0]).toMatchObject({ subjectType: 'proposal', addedBy: 'threshold', plotId, meetingId: null, decision: null });
    const line = (await passport('proposal_on_agenda')).filter((e) => e.refId === id);
    expect(line).toHaveLength(1);
    expect(line[0]!.details).toMatchObject({ supportCount: 3, threshold: 3 });
    const [row] = await db().select().from(landProposals).where(eq(landProposals.id, id));
    expect(row!.onAgendaAt?.toISOString()).toBe('2026-05-04T04:00:00.000Z');

    await t.services.jobs.runDue();
    const told = await db().select().from(notifications).where(and(eq(notifications.event, 'land_proposal_on_agenda'), eq(notifications.channel, 'in_app')));
    const ids = await Promise.all([author, residents[0]!, residents[1]!, residents[2]!, residents[5]!].map(async (s) =>
      json(await t.app.inject({ method: 'GET', url: '/api/v1/auth/me', headers: s.headers })).id as string));
    expect(new Set(told.map((n) => n.recipientId))).toEqual(new Set(ids));
    expect(told.find((n) => n.recipientId === authorId)!.subject).toContain('Балдар аянтчасы');
    // More supports show demand but add no second item; withdrawing a support is closed now.
    expect(json(await call(residents[3]!, 'POST', `/land/proposals/${id}/support`))).toMatchObject({ supportCount: 4, status: 'on_agenda' });
    expect(await agendaItems(id)).toHaveLength(1);
    expect(json(await call(residents[0]!, 'DELETE', `/land/proposals/${id}/support`)).error.code).toBe('proposal_not_open');
  });

  it('10 supports at once with threshold 5: exactly one agenda item, all 10 counted', async () => {
    await setThreshold(5);
    const id = await propose();
    const results = await Promise.all(residents.slice(0, 10).map((s) => call(s, 'POST', `/land/proposals/${id}/support`)));
    expect(results.map((r) => r.statusCode)).toEqual(Array(10).fill(200));
    expect(results.filter((r) => json(r).status === 'on_agenda' && json(r).supportCount === 5)).toHaveLength(1);
    expect(await agendaItems(id)).toHaveLength(1);
    const [row] = await db().select().from(landProposals).where(eq(landProposals.id, id));
    expect(row).toMatchObject({ supportCount: 10, status: 'on_agenda' });
    expect((await passport('proposal_on_agenda')).filter((e) => e.refId === id)).toHaveLength(1);
  });

  it('the same account twice at once: one support', async () => {
    await setThreshold(100);
    const id = await propose();
    const both = await Promise.all([0, 1].map(() => call(residents[7]!, 'POST', `/land/proposals/${id}/support`)));
    expect(both.map((r) => r.statusCode).sort()).toEqual([200, 409]);
    expect(json(await call(null, 'GET', `/land/proposals/${id}`)).supportCount).toBe(1);
  });
});

describe('withdrawal, list', () => {
  it('the author withdraws an open proposal; others may not; a withdrawn one takes no support', async () => {
    await setThreshold(100);
    const id = await propose();
    expect((await call(residents[0]!, 'POST', `/land/proposals/${id}/withdraw`)).statusCode).toBe(403);
    const res = await call(author, 'POST', `/land/proposals/${id}/withdraw`);
    expect(json(res).status).toBe('withdrawn');
    expect(json(await call(author, 'POST', `/land/proposals/${id}/withdraw`)).error.code).toBe('proposal_not_open');
    expect(json(await call(residents[0]!, 'POST', `/land/proposals/${id}/support`)).error.code).toBe('proposal_closed');
    expect(json(await call(null, 'GET', `/land/proposals/${id}`)).supportCount).toBe(0);
  });

  it('filters and sorts', async () => {
    const all = json(await call(null, 'GET', '/land/proposals?sort=most_supported&limit=100'));
    expect(all.total).toBeGreaterThan(4);
    const counts = all.items.map((p: { supportCount: number }) => p.supportCount);
    expect(counts).toEqual([...counts].sort((a, b) => b - a));
    const onAgenda = json(await call(null, 'GET', `/land/proposals?status=on_agenda&plotId=${plotId}`));
    expect(onAgenda.items.length).toBe(2);
    expect(json(await call(null, 'GET', '/land/proposals?useKind=sidewalk')).items.every((p: { useKind: string }) => p.useKind === 'sidewalk')).toBe(true);
    expect((await call(null, 'GET', '/land/proposals?status=nonsense')).statusCode).toBe(400);
  });
});

describe('files', () => {
  const BOUNDARY = 'land-boundary';
  const JPEG = Buffer.concat([Buffer.from([0xff, 0xd8, 0xff, 0xe0, 0x00, 0x10, 0x4a, 0x46, 0x49, 0x46, 0x00, 0x01]), Buffer.alloc(300, 7), Buffer.from([0xff, 0xd9])]);
  const upload = (session: Session, id: string, data: Buffer, type: string, filename = 'sketch.jpg') => {
    const payload = Buffer.concat([
      Buffer.from(`--${BOUNDARY}\r\nContent-Disposition: form-data; name="file"; filename="${filename}"\r\nContent-Type: ${type}\r\n\r\n`), data,
      Buffer.from(`\r\n--${BOUNDARY}--\r\n`),
    ]);
    return t.app.inject({ method: 'POST', url: `${M}/land/proposals/${id}/files`, headers: { ...session.headers, 'content-type': `multipart/form-data; boundary=${BOUNDARY}` }, payload });
  };

  it('the author attaches up to 3 (jpeg, png, pdf; the bytes must match); anyone downloads', async () => {
    const id = await propose();
    expect((await upload(residents[0]!, id, JPEG, 'image/jpeg')).statusCode).toBe(403);
    expect((await upload(author, id, Buffer.from('MZ not an image'), 'image/jpeg')).statusCode).toBe(415);
    expect((await upload(author, id, JPEG, 'image/gif')).statusCode).toBe(415);
    const first = await upload(author, id, JPEG, 'image/jpeg');
    expect(first.statusCode, first.body).toBe(201);
    const file = json(first);
    const down = await t.app.inject({ method: 'GET', url: file.url });
    expect(down.statusCode).toBe(200);
    expect(down.headers['content-type']).toBe('image/jpeg');
    expect(Buffer.compare(down.rawPayload, JPEG)).toBe(0);
    expect((await upload(author, id, Buffer.from('%PDF-1.4 plan'), 'application/pdf', 'plan.pdf')).statusCode).toBe(201);
    expect((await upload(author, id, JPEG, 'image/jpeg')).statusCode).toBe(201);
    const fourth = await upload(author, id, JPEG, 'image/jpeg');
    expect(fourth.statusCode).toBe(409);
    expect(json(fourth).error.code).toBe('too_many_files');
    expect(json(await call(null, 'GET', `/land/proposals/${id}`)).files).toHaveLength(3);
    expect((await t.app.inject({ method: 'GET', url: `/api/v1/m/osh/land/proposal-files/${file.id}` })).statusCode).toBe(404);
  });
});
