/**
 * The answer composer's checks over HTTP: the templates that apply to the appeal, the category's "result photo"
 * flag (set by admins, inherited from the group), who may check, and that checking changes nothing.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, json, type Ids, type Session, type TestApp } from '../../test-support/test-app.js';

let t: TestApp;
let ids: Ids;
let admin: Session;
let operator: Session;
let supervisor: Session;
let executor: Session;
let waterExecutor: Session;
let analyst: Session;
const M = '/api/v1/m/bishkek';

const call = (session: Session, method: 'GET' | 'POST' | 'PATCH', url: string, payload?: object) =>
  t.app.inject({ method, url: `${M}${url}`, headers: session.headers, ...(payload ? { payload } : {}) });

async function register(categoryCode: string): Promise<string> {
  const res = await call(operator, 'POST', '/reception/appeals', {
    kind: 'complaint', channel: 'in_person', categoryId: ids.category(categoryCode), subject: 'Проблема во дворе',
    body: 'Прошу разобраться с проблемой у нашего дома, она тянется уже месяц.', applicant: { fullName: 'Азамат Керимов', phone: '0700 123 456' }, language: 'ru',
  });
  expect(res.statusCode, res.body).toBe(201);
  return json(res).id;
}

const check = async (session: Session, appealId: string, body: string, resultPhotoCount?: number) => {
  const res = await call(session, 'POST', `/appeals/${appealId}/answer-check`, { body, ...(resultPhotoCount === undefined ? {} : { resultPhotoCount }) });
  expect(res.statusCode, res.body).toBe(200);
  const out = json<{ warnings: { code: string }[]; requiresResultPhoto: boolean }>(res);
  return { codes: out.warnings.map((w) => w.code), requiresResultPhoto: out.requiresResultPhoto };
};

const ROADS_TEMPLATE = 'Ваше обращение рассмотрено. Ремонт дорожного покрытия выполнен бригадой предприятия, результат проверен мастером участка.';
const WATER_TEMPLATE = 'Ваше обращение рассмотрено. Подача воды восстановлена после замены участка трубы, давление в сети проверено диспетчером.';
const OWN = 'Яма у дома 253 по проспекту Чуй заделана 30 апреля бригадой №3. Если она появится снова, позвоните по номеру 1313.';

beforeAll(async () => {
  t = await createTestApp();
  ids = await t.ids();
  [admin, operator, supervisor, executor, waterExecutor, analyst] = await Promise.all([
    t.staff('admin'), t.staff('operator'), t.staff('supervisor'), t.staff('executor.roads'), t.staff('executor.water'), t.staff('analyst'),
  ]);
  for (const [serviceId, body] of [[ids.service('roads-enterprise'), ROADS_TEMPLATE], [ids.service('vodokanal'), WATER_TEMPLATE]] as const) {
    const res = await call(supervisor, 'POST', '/workspace/answer-templates', { title: { ru: 'Выполнено' }, body: { ru: body }, serviceId });
    expect(res.statusCode, res.body).toBe(201);
  }
});
afterAll(async () => { await t?.close(); });

describe('answer check', () => {
  it('is quiet about a complete answer of its own with a photo of the result', async () => {
    const id = await register('roads.pothole');
    expect(await check(executor, id, OWN, 1)).toEqual({ codes: [], requiresResultPhoto: true });
  });

  it('warns of a short answer, a template of the appeal\'s service sent as it is, and a missing photo', async () => {
    const id = await register('roads.pothole');
    expect((await check(executor, id, 'Сделано!!!', 1)).codes).toEqual(['too_short']);
    expect((await check(executor, id, `  ${ROADS_TEMPLATE.replaceAll(' ', '  ').toLowerCase()}  `, 1)).codes).toEqual(['template_unchanged']);
    expect((await check(executor, id, OWN)).codes).toEqual(['result_photo_missing']);
    // Another service's template does not apply to a roads appeal: using its text is the executor's own choice.
    expect((await check(executor, id, WATER_TEMPLATE, 1)).codes).toEqual([]);
  });

  it('follows the category flag that admins set, a subcategory inheriting its group\'s', async () => {
    const id = await register('roads.stop');
    expect(await check(executor, id, OWN, 0)).toEqual({ codes: [], requiresResultPhoto: false });
    const cats = json(await call(admin, 'GET', '/admin/categories')).items as { id: string; code: string; requiresResultPhoto: boolean }[];
    expect(cats.find((c) => c.code === 'roads.pothole')?.requiresResultPhoto).toBe(true);
    expect(cats.find((c) => c.code === 'roads')?.requiresResultPhoto).toBe(false);
    const patched = await call(admin, 'PATCH', `/admin/categories/${ids.category('roads')}`, { requiresResultPhoto: true });
    expect(patched.statusCode, patched.body).toBe(200);
    expect(json(patched).requiresResultPhoto).toBe(true);
    expect(await check(executor, id, OWN, 0)).toEqual({ codes: ['result_photo_missing'], requiresResultPhoto: true });
    expect((await call(admin, 'PATCH', `/admin/categories/${ids.category('roads')}`, { requiresResultPhoto: false })).statusCode).toBe(200);
    expect((await check(executor, id, OWN, 0)).requiresResultPhoto).toBe(false);
    // Only admins set it.
    expect((await call(supervisor, 'PATCH', `/admin/categories/${ids.category('roads')}`, { requiresResultPhoto: true })).statusCode).toBe(403);
  });

  it('lets admins create a category that asks for a photo of the result', async () => {
    const res = await call(admin, 'POST', '/admin/categories', {
      code: 'roads.markings', parentId: ids.category('roads'), name: { ky: 'Жол белгилери', ru: 'Разметка', en: 'Road markings' }, requiresResultPhoto: true,
    });
    expect(res.statusCode, res.body).toBe(201);
    expect(json(res)).toMatchObject({ code: 'roads.markings', requiresResultPhoto: true });
    expect((await call(admin, 'POST', '/admin/categories', { code: 'roads.bad', parentId: ids.category('roads'),
      name: { ky: 'a', ru: 'a', en: 'a' }, requiresResultPhoto: 'yes' })).statusCode).toBe(400);
  });

  it('is for those who may answer: another service\'s executor gets 404, an analyst 403; bad input 400', async () => {
    const id = await register('roads.pothole');
    expect((await call(waterExecutor, 'POST', `/appeals/${id}/answer-check`, { body: OWN })).statusCode).toBe(404);
    expect((await call(analyst, 'POST', `/appeals/${id}/answer-check`, { body: OWN })).statusCode).toBe(403);
    expect((await call(executor, 'POST', `/appeals/${id}/answer-check`, { resultPhotoCount: 1 })).statusCode).toBe(400);
    expect((await call(executor, 'POST', `/appeals/${id}/answer-check`, { body: OWN, resultPhotoCount: -1 })).statusCode).toBe(400);
    expect((await call(executor, 'POST', '/appeals/00000000-0000-4000-8000-000000000000/answer-check', { body: OWN })).statusCode).toBe(404);
  });

  it('changes nothing', async () => {
    const id = await register('roads.pothole');
    const before = json(await call(operator, 'GET', `/appeals/${id}`));
    await check(executor, id, 'Коротко');
    const after = json(await call(operator, 'GET', `/appeals/${id}`));
    expect(after.version).toBe(before.version);
    expect(after.timeline).toHaveLength(before.timeline.length);
  });
});
