/**
 * The staff workspace API over HTTP, on a real database: the staff list for pickers, answer templates, saved
 * filters, bulk assignment through the single-assignment use case, and duplicate hints for reception.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { and, eq } from 'drizzle-orm';
import { auditLog } from '../../platform/db/schema.js';
import { createTestApp, json, type Ids, type Session, type TestApp } from '../../test-support/test-app.js';

let t: TestApp;
let ids: Ids;
let admin: Session;
let operator: Session;
let supervisor: Session;
let executor: Session;
let analyst: Session;
const M = '/api/v1/m/bishkek';
const W = `${M}/workspace`;

type Method = 'GET' | 'POST' | 'PATCH' | 'DELETE';
const call = (session: Session | null, method: Method, url: string, payload?: unknown) =>
  t.app.inject({ method, url, headers: session?.headers ?? {}, ...(payload !== undefined ? { payload: payload as object } : {}) });

const oral = (over: Record<string, unknown> = {}) => ({
  kind: 'complaint', channel: 'in_person', categoryId: ids.category('roads.pothole'),
  subject: 'Яма на проспекте Чуй', body: 'Глубокая яма у остановки уже месяц, машины объезжают по встречной.',
  applicant: { fullName: 'Азамат Керимов', phone: '0700 123 456' }, language: 'ru', ...over,
});

async function register(body: Record<string, unknown> = oral()) {
  const res = await call(operator, 'POST', `${M}/reception/appeals`, body);
  expect(res.statusCode, res.body).toBe(201);
  return json<{ id: string; registrationNumber: string }>(res);
}

async function auditOf(entityType: string, entityId: string) {
  return t.services.database.db.select().from(auditLog)
    .where(and(eq(auditLog.municipalityId, ids.municipalityId), eq(auditLog.entityType, entityType), eq(auditLog.entityId, entityId))).orderBy(auditLog.id);
}

beforeAll(async () => {
  t = await createTestApp();
  ids = await t.ids();
  [admin, operator, supervisor, executor, analyst] = await Promise.all([
    t.staff('admin'), t.staff('operator'), t.staff('supervisor'), t.staff('executor.roads'), t.staff('analyst'),
  ]);
});
afterAll(async () => { await t?.close(); });

describe('staff for pickers', () => {
  it('lists the active staff with roles and services, never e-mails; any staff member may read', async () => {
    const res = await call(analyst, 'GET', `${W}/staff`);
    expect(res.statusCode).toBe(200);
    const items = json(res).items as { id: string; fullName: string; roles: string[]; serviceId: string | null }[];
    expect(items.map((s) => s.fullName)).toContain('Бакыт Мамытов');
    expect(items.find((s) => s.fullName === 'Бакыт Мамытов')).toMatchObject({ roles: ['executor'], serviceId: ids.service('roads-enterprise') });
    expect(res.body).not.toMatch(/@|email|password/i);
    expect(Object.keys(items[0]!).sort()).toEqual(['fullName', 'id', 'roles', 'serviceId']);
  });

  it('filters by role and service', async () => {
    const res = await call(operator, 'GET', `${W}/staff?role=executor&serviceId=${ids.service('roads-enterprise')}`);
    // The roads enterprise's executor and its head (who answers too); nobody from other services.
    expect(json(res).items.map((s: { fullName: string }) => s.fullName).sort()).toEqual(['Азамат Исаков', 'Бакыт Мамытов']);
    const heads = await call(operator, 'GET', `${W}/staff?role=service_head&serviceId=${ids.service('roads-enterprise')}`);
    expect(json(heads).items.map((s: { fullName: string }) => s.fullName)).toEqual(['Азамат Исаков']);
  });

  it('refuses strangers: no session, a citizen, another city\'s staff', async () => {
    expect((await call(null, 'GET', `${W}/staff`)).statusCode).toBe(401);
    const citizen = await t.citizen('resident@example.org');
    expect((await call(citizen, 'GET', `${W}/staff`)).statusCode).toBe(403);
    const osh = await t.staff('operator', 'osh');
    expect((await call(osh, 'GET', `${W}/staff`)).statusCode).toBe(403);
  });
});

describe('answer templates', () => {
  let templateId: string;

  it('admins and supervisors add templates; the audit records it', async () => {
    const res = await call(supervisor, 'POST', `${W}/answer-templates`, {
      title: { ru: 'Яма будет заделана', ky: 'Чуңкур оңдолот' },
      body: { ru: 'Ваше обращение рассмотрено. Ремонт включён в план на текущий месяц.', ky: 'Кайрылууңуз каралды. Оңдоо ушул айдын планына киргизилди.' },
      serviceId: ids.service('roads-enterprise'), categoryId: ids.category('roads'),
    });
    expect(res.statusCode, res.body).toBe(201);
    const tpl = json(res);
    templateId = tpl.id;
    expect(tpl).toMatchObject({ languages: ['ky', 'ru'], serviceId: ids.service('roads-enterprise'), categoryId: ids.category('roads') });
    const audit = await auditOf('answer_template', templateId);
    expect(audit).toHaveLength(1);
    expect(audit[0]).toMatchObject({ action: 'create', actorKind: 'staff' });

    const general = await call(admin, 'POST', `${W}/answer-templates`, { title: { en: 'Received' }, body: { en: 'Your appeal has been received and is being considered.' } });
    expect(general.statusCode, general.body).toBe(201);
  });

  it('operators, executors and analysts may not manage them', async () => {
    const body = { title: { ru: 'Нет' }, body: { ru: 'Текст' } };
    for (const s of [operator, executor, analyst]) expect((await call(s, 'POST', `${W}/answer-templates`, body)).statusCode).toBe(403);
    expect((await call(executor, 'PATCH', `${W}/answer-templates/${templateId}`, body)).statusCode).toBe(403);
    expect((await call(executor, 'DELETE', `${W}/answer-templates/${templateId}`)).statusCode).toBe(403);
  });

  it('refuses a title without a body in the same language, no language at all, and unknown references', async () => {
    expect((await call(admin, 'POST', `${W}/answer-templates`, { title: { ru: 'A', en: 'B' }, body: { ru: 'Текст' } })).statusCode).toBe(400);
    expect((await call(admin, 'POST', `${W}/answer-templates`, { title: {}, body: {} })).statusCode).toBe(400);
    expect((await call(admin, 'POST', `${W}/answer-templates`, { title: { ru: 'A' }, body: { ru: 'B' }, lang: 'ru' })).statusCode).toBe(400);
    const osh = await t.ids('osh');
    const foreign = await call(admin, 'POST', `${W}/answer-templates`, { title: { ru: 'A' }, body: { ru: 'B' }, serviceId: osh.service('tazalyk') });
    expect(foreign.statusCode).toBe(400);
    expect(json(foreign).error.code).toBe('invalid_reference');
  });

  it('every staff member reads them; filters find those for an appeal\'s language, service and (sub)category', async () => {
    const all = json(await call(executor, 'GET', `${W}/answer-templates`)).items;
    expect(all).toHaveLength(2);
    const q = (s: string) => call(executor, 'GET', `${W}/answer-templates?${s}`).then((r) => json(r).items.map((x: { id: string }) => x.id));
    // The pothole subcategory is covered by the template for its group "roads".
    expect(await q(`language=ru&serviceId=${ids.service('roads-enterprise')}&categoryId=${ids.category('roads.pothole')}`)).toEqual([templateId]);
    expect(await q(`language=en&serviceId=${ids.service('roads-enterprise')}&categoryId=${ids.category('roads.pothole')}`)).toHaveLength(1);
    expect(await q(`language=ky&serviceId=${ids.service('tazalyk')}`)).toEqual([]);
    expect(await q(`categoryId=${ids.category('water.none')}`)).not.toContain(templateId);
  });

  it('changes and deletes, each with an audit entry; a missing one is 404', async () => {
    const res = await call(admin, 'PATCH', `${W}/answer-templates/${templateId}`, { categoryId: null });
    expect(res.statusCode, res.body).toBe(200);
    expect(json(res).categoryId).toBeNull();
    expect((await call(admin, 'PATCH', `${W}/answer-templates/${templateId}`, { title: { ru: 'Только заголовок' } })).statusCode).toBe(400);
    expect((await call(admin, 'DELETE', `${W}/answer-templates/${templateId}`)).statusCode).toBe(200);
    expect((await call(admin, 'DELETE', `${W}/answer-templates/${templateId}`)).statusCode).toBe(404);
    expect((await call(admin, 'PATCH', `${W}/answer-templates/${templateId}`, { categoryId: null })).statusCode).toBe(404);
    expect((await auditOf('answer_template', templateId)).map((e) => e.action)).toEqual(['create', 'update', 'delete']);
  });
});

describe('saved filters', () => {
  let filterId: string;

  it('saves a normalised inbox query per staff member, with an audit entry', async () => {
    const res = await call(operator, 'POST', `${W}/saved-filters`, { name: 'Дороги, просрочено', query: `?overdue=true&q=&serviceId=${ids.service('roads-enterprise')}` });
    expect(res.statusCode, res.body).toBe(201);
    const f = json(res);
    filterId = f.id;
    expect(f.query).toBe(`serviceId=${ids.service('roads-enterprise')}&overdue=true`);
    expect((await auditOf('saved_filter', filterId))[0]).toMatchObject({ action: 'create' });
  });

  it('the same name replaces the query; each staff member sees only their own', async () => {
    const res = await call(operator, 'POST', `${W}/saved-filters`, { name: 'Дороги, просрочено', query: 'status=registered' });
    expect(res.statusCode).toBe(200);
    expect(json(res)).toMatchObject({ id: filterId, query: 'status=registered' });
    expect(json(await call(operator, 'GET', `${W}/saved-filters`)).items).toHaveLength(1);
    expect(json(await call(supervisor, 'GET', `${W}/saved-filters`)).items).toHaveLength(0);
    expect((await call(supervisor, 'DELETE', `${W}/saved-filters/${filterId}`)).statusCode).toBe(404);
  });

  it('refuses parameters the inbox does not know, or values it would refuse', async () => {
    for (const query of ['foo=bar', 'status=registered&status=closed', 'dueWithinDays=1000', 'cursor=abc', 'serviceId=not-a-uuid']) {
      const res = await call(operator, 'POST', `${W}/saved-filters`, { name: `bad ${query}`, query });
      expect(res.statusCode, query).toBe(400);
    }
    expect((await call(operator, 'POST', `${W}/saved-filters`, { name: '', query: '' })).statusCode).toBe(400);
  });

  it('deletes with an audit entry', async () => {
    expect((await call(operator, 'DELETE', `${W}/saved-filters/${filterId}`)).statusCode).toBe(200);
    expect(json(await call(operator, 'GET', `${W}/saved-filters`)).items).toHaveLength(0);
    expect((await auditOf('saved_filter', filterId)).map((e) => e.action)).toEqual(['create', 'update', 'delete']);
  });
});

describe('bulk assignment', () => {
  it('assigns each appeal through the single assignment: state machine, rights and audit apply per appeal', async () => {
    const a = await register();
    const b = await register();
    const closed = await register();
    // Make one appeal unassignable: left without consideration.
    expect((await call(supervisor, 'POST', `${M}/appeals/${closed.id}/leave-without-consideration`, { ground: 'anonymous', reason: 'Без имени' })).statusCode).toBe(200);
    const executors = json(await call(operator, 'GET', `${W}/staff?role=executor&serviceId=${ids.service('roads-enterprise')}`)).items;
    const missing = '00000000-0000-4000-8000-000000000000';

    const res = await call(operator, 'POST', `${W}/appeals/bulk-assign`, {
      appealIds: [a.id, b.id, closed.id, missing, a.id], serviceId: ids.service('roads-enterprise'), executorId: executors[0].id,
    });
    expect(res.statusCode, res.body).toBe(200);
    const out = json(res);
    expect(out).toMatchObject({ assigned: 2, failed: 2 });
    expect(out.results).toHaveLength(4);
    expect(out.results[0]).toMatchObject({ id: a.id, ok: true, status: 'assigned', version: 2 });
    expect(out.results[2]).toMatchObject({ id: closed.id, ok: false, code: 'transition_not_allowed' });
    expect(out.results[3]).toMatchObject({ id: missing, ok: false, code: 'not_found' });

    const detail = json(await call(operator, 'GET', `${M}/appeals/${b.id}`));
    expect(detail).toMatchObject({ status: 'assigned', executorId: executors[0].id, serviceId: ids.service('roads-enterprise') });
    expect((await auditOf('appeal', b.id)).map((e) => e.action)).toEqual(['register', 'assign']);
  });

  it('an executor may not assign appeals of another service; an analyst may not assign at all', async () => {
    const water = await register(oral({ categoryId: ids.category('water.none'), subject: 'Нет воды' }));
    const res = await call(executor, 'POST', `${W}/appeals/bulk-assign`, { appealIds: [water.id], serviceId: ids.service('roads-enterprise') });
    expect(json(res).results[0]).toMatchObject({ ok: false, code: 'not_in_your_service' });
    const byAnalyst = await call(analyst, 'POST', `${W}/appeals/bulk-assign`, { appealIds: [water.id], serviceId: ids.service('vodokanal') });
    // The same refusal a single assignment gives.
    const single = await call(analyst, 'POST', `${M}/appeals/${water.id}/assign`, { serviceId: ids.service('vodokanal') });
    expect(single.statusCode).toBe(403);
    expect(json(byAnalyst).results[0]).toMatchObject({ ok: false, code: json(single).error.code, message: json(single).error.message });
  });

  it('refuses more than 100 appeals, none, and neither a service nor an executor', async () => {
    const many = Array.from({ length: 101 }, () => crypto.randomUUID());
    expect((await call(operator, 'POST', `${W}/appeals/bulk-assign`, { appealIds: many, serviceId: ids.service('tazalyk') })).statusCode).toBe(400);
    expect((await call(operator, 'POST', `${W}/appeals/bulk-assign`, { appealIds: [], serviceId: ids.service('tazalyk') })).statusCode).toBe(400);
    expect((await call(operator, 'POST', `${W}/appeals/bulk-assign`, { appealIds: [crypto.randomUUID()] })).statusCode).toBe(400);
  });

  it('an unknown service is refused per appeal, as a single assignment refuses it', async () => {
    const a = await register();
    const res = await call(operator, 'POST', `${W}/appeals/bulk-assign`, { appealIds: [a.id], serviceId: crypto.randomUUID() });
    expect(json(res).results[0]).toMatchObject({ ok: false, code: 'invalid_reference' });
  });
});

describe('duplicate hints', () => {
  const hints = (query: string, session = operator) => call(session, 'GET', `${W}/duplicate-hints?${query}`);

  it('finds open appeals of the same applicant by normalised phone or lower-cased e-mail', async () => {
    const first = await register(oral({ applicant: { fullName: 'Айжан Садыкова', phone: '+996 (555) 11-22-33', email: 'Aijan@Example.org' }, subject: 'Не вывозят мусор' }));
    const res = await hints(`phone=${encodeURIComponent('0555 112 233')}`);
    expect(res.statusCode, res.body).toBe(200);
    const body = json(res);
    expect(body.sameApplicant.map((h: { id: string }) => h.id)).toEqual([first.id]);
    expect(body.sameApplicant[0]).toMatchObject({ registrationNumber: first.registrationNumber, subject: 'Не вывозят мусор', status: 'registered', matchedBy: ['phone'] });
    expect(json(await hints('email=aijan%40example.ORG')).sameApplicant[0]).toMatchObject({ id: first.id, matchedBy: ['email'] });
    expect(json(await hints(`phone=%2B996555112233&email=aijan%40example.org`)).sameApplicant[0].matchedBy).toEqual(['phone', 'email']);
    // A number still being typed matches nothing and is no error.
    expect(json(await hints('phone=0555')).sameApplicant).toEqual([]);
  });

  it('a closed appeal is no duplicate', async () => {
    const a = await register(oral({ applicant: { fullName: 'Эркин Токтосунов', phone: '0777 000 111' } }));
    await call(supervisor, 'POST', `${M}/appeals/${a.id}/leave-without-consideration`, { ground: 'anonymous', reason: 'Без адреса' });
    expect(json(await hints('phone=0777000111')).sameApplicant).toEqual([]);
  });

  it('finds open appeals of the same category within 300 m of a point, nearest first, without personal data', async () => {
    const point = { lat: 42.8746, lon: 74.6122 };
    const near = await register(oral({ location: { ...point, address: 'пр. Чуй, 120' }, applicant: { fullName: 'Секретное Имя', phone: '0700 999 888' } }));
    const within = await register(oral({ location: { lat: point.lat + 0.0018, lon: point.lon } })); // ≈ 200 m north
    await register(oral({ location: { lat: point.lat + 0.0045, lon: point.lon } })); // ≈ 500 m: too far
    await register(oral({ categoryId: ids.category('lighting.off'), location: point })); // another category
    const res = await hints(`categoryId=${ids.category('roads.pothole')}&lat=${point.lat}&lon=${point.lon + 0.0001}`);
    const body = json(res);
    expect(body.nearbyBy).toBe('point');
    expect(body.nearby.map((h: { id: string }) => h.id)).toEqual([near.id, within.id]);
    expect(body.nearby[0].distanceMeters).toBeLessThan(20);
    expect(body.nearby[1].distanceMeters).toBeGreaterThan(150);
    expect(body.nearby[1].distanceMeters).toBeLessThan(300);
    // The phone in any of the forms it could take (ids are random hex and may contain 999 by chance).
    expect(res.body).not.toMatch(/Секретное|999 888|999888|0700999888|\+996700999888|fullName|phone|email|address|пр\. Чуй, 120/);
  });

  it('without a point, "nearby" is the same district; without a category, nothing', async () => {
    const inDistrict = await register(oral({ categoryId: ids.category('roads.courtyard'), location: { districtId: ids.district('leninsky') } }));
    await register(oral({ categoryId: ids.category('roads.courtyard'), location: { districtId: ids.district('oktyabrsky') } }));
    const body = json(await hints(`categoryId=${ids.category('roads.courtyard')}&districtId=${ids.district('leninsky')}`));
    expect(body).toMatchObject({ nearbyBy: 'district' });
    expect(body.nearby.map((h: { id: string }) => h.id)).toEqual([inDistrict.id]);
    expect(body.nearby[0].distanceMeters).toBeNull();
    expect(json(await hints(`districtId=${ids.district('leninsky')}`))).toMatchObject({ nearby: [], nearbyBy: 'none' });
  });

  it('gives at most 10 of each', async () => {
    for (let i = 0; i < 12; i++) await register(oral({ applicant: { fullName: 'Частый Заявитель', email: 'often@example.org' } }));
    expect(json(await hints('email=often%40example.org')).sameApplicant).toHaveLength(10);
  });

  it('is for reception (operators, admins, supervisors), and validates its input', async () => {
    expect((await hints('phone=0700123456', executor)).statusCode).toBe(403);
    expect((await hints('phone=0700123456', analyst)).statusCode).toBe(403);
    expect((await hints('phone=0700123456', supervisor)).statusCode).toBe(200);
    expect((await hints('lat=42.8')).statusCode).toBe(400);
    expect((await hints('lat=abc&lon=1')).statusCode).toBe(400);
    expect((await hints('categoryId=nope')).statusCode).toBe(400);
    expect((await hints('name=x')).statusCode).toBe(400);
  });
});
