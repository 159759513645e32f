/**
 * The land discussion over HTTP on a real database: no anonymous comments, official answers by staff only,
 * threads, an announcement's comment period to the second, and moderation — what a hidden comment shows and to
 * whom, reports once per account, who may hide, keep and restore.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { and, eq } from 'drizzle-orm';
import { createTestApp, json, type Session, type TestApp } from '../../test-support/test-app.js';
import { auditLog, landAnnouncements, landCommentReports, landPlots, landSettings } from '../../platform/db/schema.js';
import { DEFAULT_DISCUSSION_RULES } from './land-settings.routes.js';

let t: TestApp;
let mid: string;
let plotId: string;
let announcementId: string;
let alice: Session;
let bob: Session;
let admin: Session;
let moderator: Session;
const M = '/api/v1/m/bishkek';
const OPENS = '2026-05-04T04:00:00Z';
const CLOSES = '2026-05-18T12:00:00Z'; // 18:00 in Bishkek

type Method = 'GET' | 'POST';
const call = (session: Session | null, method: Method, url: string, payload?: object, headers: Record<string, string> = {}) =>
  t.app.inject({ method, url: `${M}${url}`, headers: { ...(session?.headers ?? {}), ...headers }, ...(payload ? { payload } : {}) });
const db = () => t.services.database.db;
const commentNow = (session: Session | null, path: string, payload: object, headers: Record<string, string> = {}) =>
  call(session, 'POST', `${path}/comments`, payload, headers);
/** Comments a second apart, as in life. */
const comment = (session: Session | null, path: string, payload: object, headers: Record<string, string> = {}) => {
  t.clock.advance(1000);
  return call(session, 'POST', `${path}/comments`, payload, headers);
};

beforeAll(async () => {
  t = await createTestApp({ now: '2026-05-05T04:00:00Z' });
  mid = (await t.ids()).municipalityId;
  const [plot] = await db().insert(landPlots).values({
    municipalityId: mid, cadastralNumber: '1-04-05-0006-0007', address: 'ул. Ахунбаева, 100', status: 'proposed_for_lease',
    geometry: { type: 'Polygon', coordinates: [[[74.6, 42.84], [74.601, 42.84], [74.601, 42.841], [74.6, 42.84]]] },
    centerLat: 42.8405, centerLon: 74.6005, minLat: 42.84, minLon: 74.6, maxLat: 42.841, maxLon: 74.601,
  }).returning();
  plotId = plot!.id;
  const [ann] = await db().insert(landAnnouncements).values({
    municipalityId: mid, plotId, kind: 'temporary_lease', title: { ky: 'Убактылуу ижара', ru: 'Временная аренда', en: 'Temporary lease' },
    description: { ky: 'Сүрөттөмө', ru: 'Описание', en: 'Description' }, leaseUntil: '2027-05-01',
    commentOpensAt: new Date(OPENS), commentClosesAt: new Date(CLOSES), publishedAt: new Date('2026-05-03T04:00:00Z'),
  }).returning();
  announcementId = ann!.id;
  alice = await t.citizen('+996700300001');
  bob = await t.citizen('+996700300002');
  admin = await t.staff('admin');
  moderator = await t.staff('moderator');
});
afterAll(async () => { await t?.close(); });

describe('commenting', () => {
  it('no anonymous comments; a resident shows the name they choose', async () => {
    expect((await comment(null, `/land/plots/${plotId}`, { body: 'Кто я?' })).statusCode).toBe(401);
    const nameless = await comment(alice, `/land/plots/${plotId}`, { body: 'Без имени' });
    expect(json(nameless).error.code).toBe('author_name_required');
    const res = await comment(alice, `/land/plots/${plotId}`, { body: 'Здесь нужен сквер.', authorName: 'Алиса' });
    expect(res.statusCode, res.body).toBe(201);
    expect(json(res)).toMatchObject({ body: 'Здесь нужен сквер.', authorName: 'Алиса', authorKind: 'citizen', official: false, hidden: false, parentId: null });
    expect((await comment(alice, `/land/plots/${announcementId}`, { body: 'Нет такого', authorName: 'Алиса' })).statusCode).toBe(404);
  });

  it('only staff mark an official answer, under their own name', async () => {
    const citizenTry = await comment(alice, `/land/plots/${plotId}`, { body: 'Официально!', authorName: 'Алиса', official: true });
    expect(citizenTry.statusCode).toBe(403);
    const res = await comment(admin, `/land/plots/${plotId}`, { body: 'Участок рассматривается мэрией.', official: true, authorName: 'Не я' });
    expect(res.statusCode, res.body).toBe(201);
    expect(json(res)).toMatchObject({ official: true, authorKind: 'staff' });
    expect(json(res).authorName).not.toBe('Не я');
    expect((await comment(await t.staff('admin', 'osh'), `/land/plots/${plotId}`, { body: 'Из Оша' })).statusCode).toBe(403);
  });

  it('threads: replies on the same subject only; three levels, deeper replies join the third', async () => {
    const path = `/land/plots/${plotId}`;
    const top = json(await comment(alice, path, { body: 'Уровень 1', authorName: 'Алиса' })).id;
    const two = json(await comment(bob, path, { body: 'Уровень 2', authorName: 'Боб', parentId: top }));
    expect(two.parentId).toBe(top);
    const three = json(await comment(alice, path, { body: 'Уровень 3', authorName: 'Алиса', parentId: two.id }));
    expect(three.parentId).toBe(two.id);
    const four = json(await comment(bob, path, { body: 'Уровень 4?', authorName: 'Боб', parentId: three.id }));
    expect(four.parentId).toBe(two.id);
    const other = await comment(alice, `/land/announcements/${announcementId}`, { body: 'Ответ не туда', authorName: 'Алиса', parentId: top });
    expect(other.statusCode).toBe(400);
    expect(json(other).error.code).toBe('invalid_reference');
    const page = json(await call(null, 'GET', `${path}/comments`));
    const order = page.items.map((c: { id: string }) => c.id);
    expect(order.indexOf(top)).toBeLessThan(order.indexOf(two.id));
    expect(order.indexOf(two.id)).toBeLessThan(order.indexOf(four.id));
    expect(page.total).toBe(page.items.length);
    const first = json(await call(null, 'GET', `${path}/comments?limit=2`));
    expect(first.items).toHaveLength(2);
    const rest = json(await call(null, 'GET', `${path}/comments?limit=500&cursor=${first.nextCursor}`));
    expect([...first.items, ...rest.items].map((c: { id: string }) => c.id)).toEqual(order);
  });

  it('an announcement: before the period refused, at closing minus 1 s accepted, at closing refused (saying when)', async () => {
    const path = `/land/announcements/${announcementId}`;
    t.clock.set(new Date(new Date(OPENS).getTime() - 1000));
    const early = await commentNow(alice, path, { body: 'Рано', authorName: 'Алиса' }, { 'accept-language': 'en' });
    expect(early.statusCode).toBe(409);
    expect(json(early).error).toMatchObject({ code: 'comment_period_closed', message: 'The comment period opens on 2026-05-04 10:00.' });
    t.clock.set(OPENS);
    expect((await commentNow(alice, path, { body: 'Как раз', authorName: 'Алиса' })).statusCode).toBe(201);
    t.clock.set(new Date(new Date(CLOSES).getTime() - 1000));
    expect((await commentNow(bob, path, { body: 'В последнюю секунду', authorName: 'Боб' })).statusCode).toBe(201);
    t.clock.set(CLOSES);
    const late = await commentNow(bob, path, { body: 'Поздно', authorName: 'Боб' }, { 'accept-language': 'ru' });
    expect(late.statusCode).toBe(409);
    expect(json(late).error).toMatchObject({ code: 'comment_period_closed', message: 'Приём комментариев закончился 2026-05-18 18:00.' });
    const ky = await commentNow(bob, path, { body: 'Кеч', authorName: 'Боб' }, { 'accept-language': 'ky' });
    expect(json(ky).error.message).toBe('Пикир кабыл алуу мөөнөтү 2026-05-18 18:00 бүткөн.');
    expect(json(await call(null, 'GET', `${path}/comments`)).items).toHaveLength(2);
    t.clock.set('2026-05-05T04:00:00Z');
  });

  it('the rules: the default ones, then the city\'s own when written', async () => {
    expect(json(await call(null, 'GET', `/land/plots/${plotId}/comments`)).rules).toEqual(DEFAULT_DISCUSSION_RULES);
    const rules = { ky: 'Сылык болуңуз.', ru: 'Будьте вежливы.', en: 'Be civil.' };
    await db().insert(landSettings).values({ municipalityId: mid, discussionRules: rules });
    expect(json(await call(null, 'GET', `/land/plots/${plotId}/comments`)).rules).toEqual(rules);
  });
});

describe('moderation', () => {
  let target: string;
  const SECRET = 'Сосед из 5-й квартиры ворует воду';

  it('a resident reports once; staff and strangers cannot moderate', async () => {
    target = json(await comment(bob, `/land/plots/${plotId}`, { body: SECRET, authorName: 'Боб Обидчик' })).id;
    expect((await call(null, 'POST', `/land/comments/${target}/reports`, { reason: 'Оскорбление' })).statusCode).toBe(401);
    expect((await call(alice, 'POST', `/land/comments/${target}/reports`, { reason: 'Оскорбление соседей' })).statusCode).toBe(201);
    const again = await call(alice, 'POST', `/land/comments/${target}/reports`, { reason: 'Ещё раз' });
    expect(again.statusCode).toBe(409);
    expect(json(again).error.code).toBe('already_reported');
    expect((await call(moderator, 'POST', `/land/comments/${target}/reports`, { reason: 'Сотрудник' })).statusCode).toBe(403);
    const hide = { reason: 'Личные обвинения' };
    expect((await call(alice, 'POST', `/admin/land/comments/${target}/hide`, hide)).statusCode).toBe(403);
    expect((await call(await t.staff('executor.roads'), 'POST', `/admin/land/comments/${target}/hide`, hide)).statusCode).toBe(403);
    expect((await call(await t.staff('commission'), 'GET', '/admin/land/reports')).statusCode).toBe(403);
    expect((await call(null, 'GET', '/admin/land/reports')).statusCode).toBe(401);
  });

  it('the queue shows open reports with the comment; hiding shows the placeholder and reason, never text or author', async () => {
    const other = json(await comment(alice, `/land/plots/${plotId}`, { body: 'Нормальный комментарий', authorName: 'Алиса' })).id;
    t.clock.advance(1000);
    expect((await call(bob, 'POST', `/land/comments/${other}/reports`, { reason: 'Не согласен' })).statusCode).toBe(201);
    const queue = json(await call(moderator, 'GET', '/admin/land/reports'));
    expect(queue.items.map((r: { comment: { id: string } }) => r.comment.id)).toEqual([target, other]);
    expect(queue.items[0].comment).toMatchObject({ body: SECRET, hidden: false, openReports: 1 });

    expect((await call(moderator, 'POST', `/admin/land/comments/${target}/hide`, { reason: 'x' })).statusCode).toBe(400);
    const hidden = await call(moderator, 'POST', `/admin/land/comments/${target}/hide`, { reason: 'Личные обвинения' });
    expect(hidden.statusCode, hidden.body).toBe(200);
    expect(json(await call(moderator, 'POST', `/admin/land/comments/${target}/hide`, { reason: 'Личные обвинения' })).error.code).toBe('comment_already_hidden');
    // Everyone, the author too, sees the placeholder.
    for (const viewer of [null, bob, alice]) {
      const res = await call(viewer, 'GET', `/land/plots/${plotId}/comments`);
      const c = json(res).items.find((x: { id: string }) => x.id === target);
      expect(c).toMatchObject({ hidden: true, hiddenReason: 'Личные обвинения', body: null, authorName: null, authorKind: null, official: false });
      expect(res.body).not.toContain(SECRET);
      expect(res.body).not.toContain('Боб Обидчик');
    }
    const [report] = await db().select().from(landCommentReports).where(eq(landCommentReports.commentId, target));
    expect(report).toMatchObject({ resolution: 'hidden' });
    const open = json(await call(moderator, 'GET', '/admin/land/reports'));
    expect(open.items.map((r: { comment: { id: string } }) => r.comment.id)).toEqual([other]);
    const all = json(await call(moderator, 'GET', '/admin/land/reports?status=all'));
    expect(all.items.map((r: { resolution: string | null }) => r.resolution)).toEqual([null, 'hidden']);

    // Kept: the report is resolved, the comment stays.
    const keep = await call(admin, 'POST', `/admin/land/reports/${open.items[0].id}/keep`);
    expect(keep.statusCode, keep.body).toBe(200);
    expect(json(await call(admin, 'POST', `/admin/land/reports/${open.items[0].id}/keep`)).error.code).toBe('report_resolved');
    expect(json(await call(moderator, 'GET', '/admin/land/reports')).items).toEqual([]);
  });

  it('unhiding restores the comment; every step audited', async () => {
    expect((await call(alice, 'POST', `/admin/land/comments/${target}/unhide`, {})).statusCode).toBe(403);
    expect((await call(moderator, 'POST', `/admin/land/comments/${target}/unhide`, { reason: 'Ошибка модератора' })).statusCode).toBe(200);
    expect(json(await call(moderator, 'POST', `/admin/land/comments/${target}/unhide`, {})).error.code).toBe('comment_not_hidden');
    const c = json(await call(null, 'GET', `/land/plots/${plotId}/comments?limit=500`)).items.find((x: { id: string }) => x.id === target);
    expect(c).toMatchObject({ hidden: false, hiddenReason: null, body: SECRET, authorName: 'Боб Обидчик' });
    const audit = await db().select().from(auditLog).where(and(eq(auditLog.entityType, 'land_comment'), eq(auditLog.entityId, target))).orderBy(auditLog.id);
    expect(audit.map((a) => a.action)).toEqual(['create', 'hide', 'unhide']);
    expect(audit[1]!.reason).toBe('Личные обвинения');
    const reports = await db().select().from(auditLog).where(eq(auditLog.entityType, 'land_comment_report'));
    expect(reports.map((a) => a.action).sort()).toEqual(['create', 'create', 'keep']);
  });
});
