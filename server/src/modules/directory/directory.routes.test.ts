import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, json, type Ids, type Session, type TestApp } from '../../test-support/test-app.js';

const base = '/api/v1/m/bishkek/admin';
const name = (en: string) => ({ ky: en, ru: en, en });
const square = { type: 'Polygon', coordinates: [[[74.5, 42.8], [74.6, 42.8], [74.6, 42.9], [74.5, 42.9], [74.5, 42.8]]] };

let t: TestApp;
let admin: Session;
let operator: Session;
let ids: Ids;

beforeAll(async () => {
  t = await createTestApp();
  [admin, operator, ids] = await Promise.all([t.staff('admin'), t.staff('operator'), t.ids()]);
});
afterAll(async () => { await t?.close(); });

const call = (session: Session | null, method: 'GET' | 'POST' | 'PATCH' | 'DELETE', url: string, payload?: unknown) =>
  t.app.inject({ method, url, headers: session?.headers ?? {}, ...(payload !== undefined ? { payload: payload as object } : {}) });

describe('districts', () => {
  it('lists the districts to any staff member of the city, and to nobody else', async () => {
    const res = await call(operator, 'GET', `${base}/districts`);
    expect(res.statusCode).toBe(200);
    expect(json(res).items.map((d: { code: string }) => d.code)).toEqual(['leninsky', 'oktyabrsky', 'pervomaisky', 'sverdlovsky']);
    expect((await call(null, 'GET', `${base}/districts`)).statusCode).toBe(401);
    const oshAdmin = await t.staff('admin', 'osh');
    expect((await call(oshAdmin, 'GET', `${base}/districts`)).statusCode).toBe(403);
  });

  it('creates a district with a boundary, which then places points on the map', async () => {
    const res = await call(admin, 'POST', `${base}/districts`, { code: 'alamedin', name: name('Alamedin'), population: 1000, boundary: square });
    expect(res.statusCode).toBe(201);
    const d = json(res);
    expect(d).toMatchObject({ code: 'alamedin', kind: 'district', population: 1000, active: true, boundary: square });
    const city = json(await call(null, 'GET', '/api/v1/m/bishkek'));
    expect(city.districts.find((x: { id: string }) => x.id === d.id)).toMatchObject({ hasBoundary: true });
  });

  it('refuses a non-admin (403), a duplicate code (409) and a boundary that is not a polygon (400)', async () => {
    expect((await call(operator, 'POST', `${base}/districts`, { code: 'x1', name: name('X') })).statusCode).toBe(403);
    const dup = await call(admin, 'POST', `${base}/districts`, { code: 'leninsky', name: name('Again') });
    expect(dup.statusCode).toBe(409);
    expect(json(dup).error).toMatchObject({ code: 'code_taken' });
    expect(json(dup).error.message).toContain('leninsky');
    const point = await call(admin, 'POST', `${base}/districts`, { code: 'x2', name: name('X'), boundary: { type: 'Point', coordinates: [74.5, 42.8] } });
    expect(point.statusCode).toBe(400);
    const open = await call(admin, 'POST', `${base}/districts`, { code: 'x3', name: name('X'), boundary: { type: 'Polygon', coordinates: [[[1, 2], [3, 4]]] } });
    expect(open.statusCode).toBe(400);
    expect(json(open).error.details[0]).toMatchObject({ path: 'boundary' });
  });

  it('updates a district: removes its boundary, renames it, deactivates it; the change is audited', async () => {
    const id = ids.district('sverdlovsky');
    const res = await call(admin, 'PATCH', `${base}/districts/${id}`, { name: name('Sverdlov'), boundary: null, active: false });
    expect(res.statusCode).toBe(200);
    expect(json(res)).toMatchObject({ id, name: name('Sverdlov'), boundary: null, active: false });
    const city = json(await call(null, 'GET', '/api/v1/m/bishkek'));
    expect(city.districts.some((x: { id: string }) => x.id === id)).toBe(false);

    const audit = json(await call(admin, 'GET', `${base}/audit?entityType=district&entityId=${id}`));
    expect(audit.items[0]).toMatchObject({ action: 'update', actorName: 'Айгерим Токтогулова', after: { active: false, name: name('Sverdlov') }, before: { active: true } });

    expect((await call(admin, 'PATCH', `${base}/districts/${id}`, { code: 'leninsky' })).statusCode).toBe(409);
    expect((await call(admin, 'PATCH', `${base}/districts/${crypto.randomUUID()}`, { active: false })).statusCode).toBe(404);
    expect((await call(admin, 'PATCH', `${base}/districts/${id}`, { population: -1 })).statusCode).toBe(400);
  });
});

describe('categories', () => {
  let group: string;
  let child: string;

  it('creates a top-level category and a subcategory of it', async () => {
    const g = await call(admin, 'POST', `${base}/categories`, { code: 'animals', name: name('Animals'), sortOrder: 100 });
    expect(g.statusCode).toBe(201);
    group = json(g).id;
    const c = await call(admin, 'POST', `${base}/categories`, { code: 'animals.stray', parentId: group, name: name('Stray dogs'), keywords: ['собака', 'ит'] });
    expect(c.statusCode).toBe(201);
    child = json(c).id;
    expect(json(c)).toMatchObject({ parentId: group, keywords: ['собака', 'ит'], active: true });
    const list = json(await call(operator, 'GET', `${base}/categories`));
    expect(list.items.filter((x: { id: string }) => x.id === group || x.id === child)).toHaveLength(2);
  });

  it('refuses a third level, either way round', async () => {
    const deep = await call(admin, 'POST', `${base}/categories`, { code: 'animals.stray.puppies', parentId: child, name: name('Puppies') });
    expect(deep.statusCode).toBe(400);
    expect(json(deep).error.code).toBe('category_levels');
    // A group that has subcategories cannot itself go under another group.
    const moved = await call(admin, 'PATCH', `${base}/categories/${group}`, { parentId: ids.category('roads') });
    expect(moved.statusCode).toBe(409);
    expect((await call(admin, 'POST', `${base}/categories`, { code: 'x', parentId: crypto.randomUUID(), name: name('X') })).statusCode).toBe(400);
  });

  it('moves a subcategory to another group and deactivates it; refuses a duplicate code', async () => {
    const res = await call(admin, 'PATCH', `${base}/categories/${child}`, { parentId: ids.category('cleaning'), active: false });
    expect(res.statusCode).toBe(200);
    expect(json(res)).toMatchObject({ parentId: ids.category('cleaning'), active: false });
    expect((await call(admin, 'POST', `${base}/categories`, { code: 'roads', name: name('Roads') })).statusCode).toBe(409);
    expect((await call(operator, 'PATCH', `${base}/categories/${child}`, { active: true })).statusCode).toBe(403);
  });
});

describe('services and routing rules', () => {
  let vetId: string;

  it('creates and updates a service', async () => {
    const res = await call(admin, 'POST', `${base}/services`, { code: 'vet', name: name('City vet'), kind: 'municipal_enterprise', email: 'vet@bishkek.example' });
    expect(res.statusCode).toBe(201);
    vetId = json(res).id;
    expect(json(res)).toMatchObject({ kind: 'municipal_enterprise', email: 'vet@bishkek.example', phone: null, active: true });
    const patched = await call(admin, 'PATCH', `${base}/services/${vetId}`, { phone: '+996 312 000000', email: null });
    expect(json(patched)).toMatchObject({ phone: '+996 312 000000', email: null });
    expect((await call(admin, 'POST', `${base}/services`, { code: 'vet2', name: name('X'), kind: 'ministry' })).statusCode).toBe(400);
    expect((await call(admin, 'POST', `${base}/services`, { code: 'tazalyk', name: name('X'), kind: 'other' })).statusCode).toBe(409);
    expect(json(await call(operator, 'GET', `${base}/services`)).items.some((s: { id: string }) => s.id === vetId)).toBe(true);
  });

  it('routes a category in one district to a service; a second rule for the same pair is a 409', async () => {
    const pothole = ids.category('roads.pothole');
    const leninsky = ids.district('leninsky');
    const resolve = async (districtId?: string) =>
      json(await call(operator, 'GET', `${base}/routing/resolve?categoryId=${pothole}${districtId ? `&districtId=${districtId}` : ''}`));
    expect((await resolve(leninsky)).service.code).toBe('roads-enterprise');

    const created = await call(admin, 'POST', `${base}/routing/rules`, { categoryId: pothole, districtId: leninsky, serviceId: vetId });
    expect(created.statusCode).toBe(201);
    const ruleId = json(created).id;
    expect((await resolve(leninsky)).service.code).toBe('vet');
    expect((await resolve(ids.district('oktyabrsky'))).service.code).toBe('roads-enterprise');
    expect((await resolve()).service.code).toBe('roads-enterprise');

    const dup = await call(admin, 'POST', `${base}/routing/rules`, { categoryId: pothole, districtId: leninsky, serviceId: ids.service('tazalyk') });
    expect(dup.statusCode).toBe(409);
    expect(json(dup).error.code).toBe('routing_rule_exists');
    // "Any district" is one pair too: the seed already routes the group 'roads' without a district.
    expect((await call(admin, 'POST', `${base}/routing/rules`, { categoryId: ids.category('roads'), serviceId: vetId })).statusCode).toBe(409);

    const listed = json(await call(operator, 'GET', `${base}/routing/rules?categoryId=${pothole}`));
    expect(listed.items).toEqual([expect.objectContaining({ id: ruleId, categoryId: pothole, districtId: leninsky, serviceId: vetId })]);

    expect((await call(admin, 'DELETE', `${base}/routing/rules/${ruleId}`)).statusCode).toBe(200);
    expect((await resolve(leninsky)).service.code).toBe('roads-enterprise');
    expect((await call(admin, 'DELETE', `${base}/routing/rules/${ruleId}`)).statusCode).toBe(404);
  });

  it('a deactivated service stops receiving appeals', async () => {
    const pothole = ids.category('roads.pothole');
    const rule = json(await call(admin, 'POST', `${base}/routing/rules`, { categoryId: pothole, districtId: null, serviceId: vetId }));
    expect(json(await call(admin, 'GET', `${base}/routing/resolve?categoryId=${pothole}`)).service.id).toBe(vetId);
    await call(admin, 'PATCH', `${base}/services/${vetId}`, { active: false });
    expect(json(await call(admin, 'GET', `${base}/routing/resolve?categoryId=${pothole}`)).service.code).toBe('roads-enterprise');
    await call(admin, 'DELETE', `${base}/routing/rules/${rule.id}`);
  });

  it('refuses unknown references, a foreign city\'s ids and non-admins', async () => {
    const osh = await t.ids('osh');
    const body = { categoryId: ids.category('water.none'), districtId: ids.district('leninsky'), serviceId: osh.service('vodokanal') };
    const foreign = await call(admin, 'POST', `${base}/routing/rules`, body);
    expect(foreign.statusCode).toBe(400);
    expect(json(foreign).error).toMatchObject({ code: 'invalid_reference', details: [{ path: 'serviceId' }] });
    expect((await call(operator, 'POST', `${base}/routing/rules`, { ...body, serviceId: ids.service('vodokanal') })).statusCode).toBe(403);
    expect((await call(admin, 'GET', `${base}/routing/resolve?categoryId=${osh.category('water.none')}`)).statusCode).toBe(400);
    expect((await call(admin, 'GET', `${base}/routing/resolve?categoryId=nope`)).statusCode).toBe(400);
  });
});

describe('the OpenAPI document', () => {
  it('describes the admin routes under the tag admin', async () => {
    const doc = json(await t.app.inject({ method: 'GET', url: '/api/openapi.json' }));
    for (const path of ['districts', 'districts/{id}', 'categories', 'services/{id}', 'routing/rules', 'routing/resolve', 'calendar', 'calendar/working-days',
      'calendar/{date}', 'deadline-rules/{id}', 'staff', 'staff/{id}', 'api-keys', 'api-keys/{id}/revoke', 'audit']) {
      const item = doc.paths[`/api/v1/m/{municipality}/admin/${path}`];
      expect(item, path).toBeDefined();
      for (const op of Object.values(item) as { tags: string[] }[]) expect(op.tags).toEqual(['admin']);
    }
  });
});
