/**
 * The tests play the provider's security server: they send what it forwards to the service URL
 * ({base URL}{path} with X-Road-Client, X-Road-Service, X-Road-Id, X-Road-UserId) and check every answer's X-Road
 * headers, the X-Road error bodies, the consumers' rights, idempotent retries, the audit and the logs.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { and, eq } from 'drizzle-orm';
import { appealApplicants, appeals, auditLog, xroadConsumers } from '../../platform/db/schema.js';
import { createTestApp, json, type Session, type TestApp } from '../../test-support/test-app.js';
import { parseClientId } from './xroad-headers.js';
import { isPersonalNumber } from './xroad.schemas.js';
import { DEMO_XROAD_CLIENT, seedDemoIntegrators } from '../../demo/demo-integrator.js';

const BASE = '/xroad/v1/bishkek';
const PORTAL = 'KG/GOV/70000001/portal';
const KIOSK = 'KG/COM/12345678/kiosk';
const MAILROOM = 'KG/GOV/70000002/mailroom';
const OLD = 'KG/GOV/70000003/old';
const SERVICE = 'KG/GOV/70000099/shaar-bishkek/appeals';
const PIN = '21505199012345';
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

const lines: string[] = [];
let t: TestApp;
let admin: Session;
const keyOf: Record<string, string> = {};

interface Call { client?: string | null; id?: string; body?: unknown; lang?: string; remoteAddress?: string; headers?: Record<string, string> }
/** A request as the provider's security server forwards it. */
const call = (method: 'GET' | 'POST', path: string, c: Call = {}) => t.app.inject({
  method, url: `${BASE}${path}`, remoteAddress: c.remoteAddress ?? '127.0.0.1',
  headers: {
    ...(c.client === null ? {} : { 'x-road-client': c.client ?? PORTAL }),
    'x-road-service': SERVICE,
    ...(c.id ? { 'x-road-id': c.id } : {}),
    'x-road-userid': 'KG12345',
    'accept-language': c.lang ?? 'en',
    ...c.headers,
  },
  ...(c.body !== undefined ? { payload: c.body as object } : {}),
});

/** Every answer, errors included, carries the X-Road headers. */
function expectXRoadHeaders(res: { headers: Record<string, unknown> }, sent: { client?: string | null; id?: string }) {
  expect(res.headers['x-road-request-id']).toMatch(UUID);
  if (sent.id) expect(res.headers['x-road-id']).toBe(sent.id);
  else expect(res.headers['x-road-id']).toMatch(UUID);
  if (sent.client !== null) expect(res.headers['x-road-client']).toBe(sent.client ?? PORTAL);
  expect(res.headers['x-road-service']).toBe(SERVICE);
}

function expectXRoadError(res: { statusCode: number; body: string; headers: Record<string, unknown> }, status: number, type: string) {
  expect(res.statusCode, res.body).toBe(status);
  expect(res.headers['content-type']).toMatch(/^application\/json/);
  expect(res.headers['x-road-error']).toBeUndefined(); // only security servers set it
  const body = json(res);
  expect(body).toMatchObject({ type, message: expect.any(String), detail: res.headers['x-road-request-id'] });
  expect(body.message.length).toBeGreaterThan(10);
  return body as { type: string; message: string; detail: string; issues?: { path: string; message: string }[] };
}

const appeal = (over: Record<string, unknown> = {}) => ({
  kind: 'complaint',
  category: 'roads.pothole',
  description: 'Глубокая яма у остановки, машины объезжают по встречной.',
  location: { address: 'пр. Чуй, 253' },
  applicant: { fullName: 'Айгүл Токтосунова', phone: '+996 700 111 222', personalNumber: PIN },
  language: 'ru',
  ...over,
});

beforeAll(async () => {
  t = await createTestApp({ logLines: lines });
  admin = await t.staff('admin');
  const register = async (clientId: string, scopes: string[], mayListByPersonalNumber: boolean) => {
    const res = await t.app.inject({ method: 'POST', url: '/api/v1/m/bishkek/admin/xroad/consumers', headers: admin.headers,
      payload: { clientId, newKey: { name: `Tunduk ${clientId}`, scopes }, mayListByPersonalNumber } });
    expect(res.statusCode, res.body).toBe(201);
    keyOf[clientId] = json(res).apiKeyId;
    return json(res);
  };
  await register(PORTAL, ['appeals:write', 'appeals:read'], true);
  await register(KIOSK, ['appeals:write', 'appeals:read'], false);
  await register(MAILROOM, ['appeals:write'], false);
  const old = await register(OLD, ['appeals:write', 'appeals:read'], true);
  const revoked = await t.app.inject({ method: 'POST', url: `/api/v1/m/bishkek/admin/xroad/consumers/${old.id}/revoke`, headers: admin.headers });
  expect(json(revoked).revokedAt).not.toBeNull();
});
afterAll(async () => { await t?.close(); });

describe('submitAppeal → getAppealStatus → listAppealsByPersonalNumber', () => {
  let id: string;
  let number: string;

  it('registers an appeal through the registry, channel tunduk, with the consumer as the audited actor', async () => {
    const sent = { id: crypto.randomUUID() };
    const res = await call('POST', '/appeals', { ...sent, body: appeal() });
    expect(res.statusCode, res.body).toBe(201);
    expectXRoadHeaders(res, sent);
    const body = json(res);
    expect(body).toMatchObject({ status: 'registered', replayed: false, registrationNumber: expect.stringMatching(/^BSK-2026-\d{6}$/), dueDate: '2026-05-25' });
    ({ id, registrationNumber: number } = body);

    const db = t.services.database.db;
    const [row] = await db.select().from(appeals).where(eq(appeals.id, id));
    expect(row).toMatchObject({ channel: 'tunduk', source: `xroad:${PORTAL}`, externalId: sent.id, submittedByKind: 'integrator', submittedById: keyOf[PORTAL], language: 'ru' });
    const [applicant] = await db.select().from(appealApplicants).where(eq(appealApplicants.appealId, id));
    expect(applicant!.personalNumber).toBe(PIN);
    const audit = await db.select().from(auditLog).where(and(eq(auditLog.entityType, 'appeal'), eq(auditLog.entityId, id)));
    expect(audit).toEqual([expect.objectContaining({ action: 'register', actorKind: 'integrator', actorId: keyOf[PORTAL] })]);
  });

  it('a retry of the same message (same X-Road-Id) or the same reference registers nothing new', async () => {
    const sent = { id: crypto.randomUUID() };
    const first = json(await call('POST', '/appeals', { ...sent, body: appeal() }));
    const again = await call('POST', '/appeals', { ...sent, body: appeal() });
    expect(again.statusCode).toBe(200);
    expect(again.headers['idempotent-replayed']).toBe('true');
    expectXRoadHeaders(again, sent);
    expect(json(again)).toMatchObject({ id: first.id, registrationNumber: first.registrationNumber, replayed: true });

    // The consumer's own reference wins over X-Road-Id: two messages, one appeal.
    const a = json(await call('POST', '/appeals', { id: crypto.randomUUID(), body: appeal({ reference: 'portal-case-77' }) }));
    const b = json(await call('POST', '/appeals', { id: crypto.randomUUID(), body: appeal({ reference: 'portal-case-77' }) }));
    expect(b).toMatchObject({ id: a.id, replayed: true });
    // The same reference from another consumer is another appeal.
    const c = json(await call('POST', '/appeals', { client: KIOSK, body: appeal({ reference: 'portal-case-77' }) }));
    expect(c.id).not.toBe(a.id);
    const rows = await t.services.database.db.select().from(appeals).where(eq(appeals.externalId, 'portal-case-77'));
    expect(rows.map((r) => r.source).sort()).toEqual([`xroad:${KIOSK}`, `xroad:${PORTAL}`]);
  });

  it('gives the status by id or registration number, and the official answer once answered, without staff names', async () => {
    const byId = await call('GET', `/appeals/${id}`, { lang: 'ru' });
    expect(byId.statusCode, byId.body).toBe(200);
    expectXRoadHeaders(byId, {});
    expect(json(byId)).toMatchObject({ id, registrationNumber: number, status: 'registered', statusText: 'зарегистрировано', category: 'roads.pothole', answered: false, answer: null, dueDate: '2026-05-25' });
    expect(json(await call('GET', `/appeals/${number.toLowerCase()}`))).toMatchObject({ id });

    const [row] = await t.services.database.db.select().from(appeals).where(eq(appeals.id, id));
    for (const [action, payload] of [['assign', { serviceId: row!.serviceId }], ['answer', { body: 'Яма заделана бригадой №3 30 апреля.' }]] as const) {
      const res = await t.app.inject({ method: 'POST', url: `/api/v1/m/bishkek/appeals/${id}/${action}`, headers: admin.headers, payload });
      expect(res.statusCode, res.body).toBe(200);
    }
    const answered = json(await call('GET', `/appeals/${id}`));
    expect(answered).toMatchObject({ status: 'answered', answered: true, answer: { text: 'Яма заделана бригадой №3 30 апреля.', language: 'ru' } });
    expect(JSON.stringify(answered)).not.toMatch(/Мамытов|executor|authorId|author/i);
  });

  it("lists a person's appeals by personal number for an allowed consumer, including other consumers' appeals of that person", async () => {
    const kiosks = json(await call('POST', '/appeals', { client: KIOSK, body: appeal({ category: undefined, categoryText: 'Не горит фонарь во дворе', kind: 'statement' }) }));
    const other = json(await call('POST', '/appeals', { body: appeal({ applicant: { fullName: 'Бакыт Осмонов', personalNumber: '10203198500123' } }) }));

    const res = await call('POST', '/appeals/by-personal-number', { body: { personalNumber: PIN } });
    expect(res.statusCode, res.body).toBe(200);
    expectXRoadHeaders(res, {});
    const ids = (json(res).items as { id: string }[]).map((i) => i.id);
    expect(ids).toContain(id);
    expect(ids).toContain(kiosks.id);
    expect(ids).not.toContain(other.id);
    const kioskItem = json(res).items.find((i: { id: string }) => i.id === kiosks.id);
    expect(kioskItem.category).toBe('lighting.off'); // the words best matched, not the first category mentioning 'двор'

    // The allowed consumer may read that person's appeal; the kiosk may read only its own.
    expect((await call('GET', `/appeals/${kiosks.id}`)).statusCode).toBe(200);
    expectXRoadError(await call('GET', `/appeals/${id}`, { client: KIOSK }), 404, 'Client.NotFound');
    expect((await call('GET', `/appeals/${kiosks.id}`, { client: KIOSK })).statusCode).toBe(200);
  });

  it('refuses listing by personal number to consumers without that right, and reads to write-only consumers', async () => {
    const denied = expectXRoadError(await call('POST', '/appeals/by-personal-number', { client: KIOSK, body: { personalNumber: PIN }, lang: 'ru' }), 403, 'Client.AccessDenied');
    expect(denied.message).toContain('персональному номеру');
    expectXRoadError(await call('GET', `/appeals/${id}`, { client: MAILROOM }), 403, 'Client.AccessDenied');
    expect((await call('POST', '/appeals', { client: MAILROOM, body: appeal() })).statusCode).toBe(201);
  });
});

describe('X-Road-Client, consumers and addresses', () => {
  it('requires X-Road-Client, and refuses a malformed one with 400 — X-Road headers still on the answer', async () => {
    const missing = await call('GET', '/appeals/BSK-2026-000001', { client: null });
    expectXRoadError(missing, 400, 'Client.InvalidClientId');
    expectXRoadHeaders(missing, { client: null });
    expect(missing.headers['x-road-client']).toBeUndefined();
    for (const bad of ['KG/GOV', 'KG/GOV/700/portal/extra', 'KG/GOV/%ZZ/portal', 'KG//700/portal', 'KG/GOV/7%2F00/portal']) {
      const sent = { client: bad, id: crypto.randomUUID() };
      const res = await call('POST', '/appeals', { ...sent, body: appeal() });
      expectXRoadError(res, 400, 'Client.InvalidClientId');
      expectXRoadHeaders(res, sent);
    }
  });

  it('decodes percent-encoded parts: an encoded client id is the same consumer', async () => {
    const res = await call('GET', '/appeals/BSK-1999-000001', { client: 'KG/GOV/%37%30000001/portal' });
    expectXRoadError(res, 404, 'Client.NotFound'); // past the consumer check: only the appeal is unknown
    expect(res.headers['x-road-client']).toBe('KG/GOV/%37%30000001/portal');
    expect(parseClientId('KG/GOV/%D0%BC%D1%8D%D1%80%D0%B8%D1%8F/app')?.canonical).toBe('KG/GOV/мэрия/app');
    expect(parseClientId('KG/COM/123')).toMatchObject({ subsystem: null, canonical: 'KG/COM/123' });
  });

  it('refuses unknown and revoked consumers with 403, and another city\'s consumer', async () => {
    expectXRoadError(await call('GET', '/appeals/BSK-2026-000001', { client: 'KG/GOV/99999999/stranger' }), 403, 'Client.AccessDenied');
    const revoked = expectXRoadError(await call('POST', '/appeals', { client: OLD, body: appeal(), lang: 'ky' }), 403, 'Client.AccessDenied');
    expect(revoked.message).toContain('жокко чыгарылган');
    const osh = await t.app.inject({ method: 'GET', url: '/xroad/v1/osh/appeals/BSK-2026-000001', headers: { 'x-road-client': PORTAL } });
    expectXRoadError(osh, 403, 'Client.AccessDenied');
    expectXRoadError(await t.app.inject({ method: 'GET', url: '/xroad/v1/atlantis/appeals/X', headers: { 'x-road-client': PORTAL } }), 404, 'Client.NotFound');
    expectXRoadError(await call('GET', '/nothing-here'), 404, 'Client.NotFound');
  });

  it('refuses a consumer whose integrator key was revoked', async () => {
    const client = 'KG/GOV/70000004/archive';
    const created = await t.app.inject({ method: 'POST', url: '/api/v1/m/bishkek/admin/xroad/consumers', headers: admin.headers,
      payload: { clientId: client, newKey: { name: 'Archive', scopes: ['appeals:read'] } } });
    expect((await call('GET', '/appeals/BSK-1999-000001', { client })).statusCode).toBe(404); // known consumer, unknown appeal
    const revoke = await t.app.inject({ method: 'POST', url: `/api/v1/m/bishkek/admin/api-keys/${json(created).apiKeyId}/revoke`, headers: admin.headers });
    expect(revoke.statusCode, revoke.body).toBe(200);
    expectXRoadError(await call('GET', '/appeals/BSK-1999-000001', { client }), 403, 'Client.AccessDenied');
  });

  it('answers only the security server\'s address (XROAD_ALLOWED_ADDRESSES; loopback by default)', async () => {
    const res = await call('POST', '/appeals', { remoteAddress: '10.20.30.40', body: appeal(), id: 'msg-1' });
    expectXRoadError(res, 403, 'Client.AccessDenied');
    expectXRoadHeaders(res, { id: 'msg-1' });
    expect((await t.app.inject({ method: 'GET', url: `${BASE}/openapi.json`, remoteAddress: '10.20.30.40' })).statusCode).toBe(403);

    const other = await createTestApp({ env: { XROAD_ALLOWED_ADDRESSES: '10.20.30.40, 10.20.30.41' } });
    try {
      expect((await other.app.inject({ method: 'GET', url: `${BASE}/openapi.json`, remoteAddress: '10.20.30.41' })).statusCode).toBe(200);
      expect((await other.app.inject({ method: 'GET', url: `${BASE}/openapi.json`, remoteAddress: '127.0.0.1' })).statusCode).toBe(403);
    } finally { await other.close(); }
  });
});

it('limits writes per consumer subsystem (all of Tunduk comes from one address): 429 with Retry-After', async () => {
  const other = await createTestApp({ env: { RATE_LIMIT_WRITES_PER_KEY_PER_MINUTE: '2' } });
  try {
    const { municipalityId } = await other.ids('bishkek');
    const db = other.services.database.db;
    for (const clientId of [PORTAL, KIOSK]) {
      const { row } = await other.services.auth.createApiKey(municipalityId, clientId, ['appeals:write']);
      await db.insert(xroadConsumers).values({ municipalityId, clientId, apiKeyId: row.id });
    }
    const post = (client: string) => other.app.inject({ method: 'POST', url: `${BASE}/appeals`, headers: { 'x-road-client': client }, payload: appeal() });
    expect((await post(PORTAL)).statusCode).toBe(201);
    expect((await post(PORTAL)).statusCode).toBe(201);
    const limited = await post(PORTAL);
    expectXRoadError(limited, 429, 'Client.TooManyRequests');
    expect(Number(limited.headers['retry-after'])).toBeGreaterThan(0);
    expect((await post(KIOSK)).statusCode).toBe(201); // another subsystem has its own count
  } finally { await other.close(); }
});

describe('validation', () => {
  it('refuses a bad personal number and missing fields with 400 in Russian and Kyrgyz, registering nothing', async () => {
    const before = (await t.services.database.db.select().from(appeals)).length;
    const bad = appeal({ applicant: { fullName: 'Айгүл Токтосунова', personalNumber: '23102199012345' }, description: 'коротко' });
    const ru = expectXRoadError(await call('POST', '/appeals', { body: bad, lang: 'ru' }), 400, 'Client.BadRequest');
    expect(ru.message).toContain('Некоторые поля заполнены неверно');
    expect(ru.issues).toEqual(expect.arrayContaining([
      { path: 'applicant.personalNumber', message: expect.stringContaining('ПИН') },
      { path: 'description', message: 'Не менее 10 символов.' },
    ]));
    const ky = expectXRoadError(await call('POST', '/appeals', { body: bad, lang: 'ky' }), 400, 'Client.BadRequest');
    expect(ky.message).toContain('Айрым талаалар туура эмес толтурулган');
    expect(ky.issues?.find((i) => i.path === 'applicant.personalNumber')?.message).toContain('14 сандан');

    expectXRoadError(await call('POST', '/appeals', { body: appeal({ category: 'no.such' }), lang: 'ru' }), 400, 'Client.BadRequest');
    const noCategory = expectXRoadError(await call('POST', '/appeals', { body: appeal({ category: undefined }), lang: 'ky' }), 400, 'Client.BadRequest');
    expect(noCategory.message).toContain('Категорияны');
    const unresolved = expectXRoadError(await call('POST', '/appeals', { body: appeal({ category: undefined, categoryText: 'жираф в зоопарке' }) }), 400, 'Client.BadRequest');
    expect(unresolved.issues).toEqual([{ path: 'categoryText', message: expect.stringContaining('category') }]);
    expectXRoadError(await call('POST', '/appeals/by-personal-number', { body: { personalNumber: '123' } }), 400, 'Client.BadRequest');
    const broken = await call('POST', '/appeals', { headers: { 'content-type': 'application/json' }, body: '{"kind":' });
    expectXRoadError(broken, 400, 'Client.BadRequest');
    expect((await t.services.database.db.select().from(appeals)).length).toBe(before);
  });

  it('checks personal numbers for a real date of birth', () => {
    expect(isPersonalNumber(PIN)).toBe(true);
    expect(isPersonalNumber('10203198500123')).toBe(true);
    expect(isPersonalNumber('23102199012345')).toBe(false); // 31 February
    expect(isPersonalNumber('31505199012345')).toBe(false); // first digit 1 or 2
    expect(isPersonalNumber('2150519901234')).toBe(false);
  });
});

describe('the OpenAPI description for the security server', () => {
  it('is served without X-Road-Client, is OpenAPI 3.0, lists the services with their X-Road headers, and every $ref resolves', async () => {
    const res = await t.app.inject({ method: 'GET', url: `${BASE}/openapi.json` });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.headers['x-road-request-id']).toMatch(UUID);
    const doc = json(res);
    expect(doc.openapi).toMatch(/^3\.0\.\d$/);
    expect(doc.servers[0].url).toMatch(/\/xroad\/v1\/bishkek$/);
    const ops = Object.entries(doc.paths as Record<string, Record<string, { operationId: string; parameters: { $ref?: string }[]; responses: Record<string, unknown> }>>)
      .flatMap(([path, methods]) => Object.entries(methods).map(([method, op]) => ({ path, method, ...op })));
    expect(ops.map((o) => `${o.method} ${o.path} ${o.operationId}`).sort()).toEqual([
      'get /appeals/{ref} getAppealStatus', 'post /appeals submitAppeal', 'post /appeals/by-personal-number listAppealsByPersonalNumber',
    ]);
    for (const op of ops) expect(op.parameters.map((p) => p.$ref)).toContain('#/components/parameters/XRoadClient');
    expect(doc.components.parameters.XRoadClient).toMatchObject({ name: 'X-Road-Client', in: 'header', required: true });
    expect(Object.keys(doc.components.headers)).toEqual(['XRoadClient', 'XRoadService', 'XRoadId', 'XRoadRequestId']);
    expect(doc.components.schemas.SubmitAppealRequest.required).toEqual(expect.arrayContaining(['description', 'applicant']));

    const resolve = (ref: string) => ref.slice(2).split('/').reduce<unknown>((o, k) => (o as Record<string, unknown> | undefined)?.[k], doc);
    const refs: string[] = [];
    const walk = (v: unknown): void => {
      if (Array.isArray(v)) v.forEach(walk);
      else if (v && typeof v === 'object') for (const [k, x] of Object.entries(v)) k === '$ref' ? refs.push(x as string) : walk(x);
    };
    walk(doc);
    expect(refs.length).toBeGreaterThan(10);
    for (const r of refs) expect(resolve(r), r).toBeDefined();
  });

  it('stays out of the main API document', async () => {
    const main = json(await t.app.inject({ method: 'GET', url: '/api/openapi.json' }));
    expect(Object.keys(main.paths).filter((p) => p.startsWith('/xroad'))).toEqual([]);
    expect(Object.keys(main.paths)).toContain('/api/v1/m/{municipality}/admin/xroad/consumers');
  });
});

describe('admin: Tunduk consumers', () => {
  it('lists, refuses duplicates, bad client ids and non-admins, and audits creation and revocation', async () => {
    const base = '/api/v1/m/bishkek/admin/xroad/consumers';
    const list = json(await t.app.inject({ method: 'GET', url: base, headers: admin.headers }));
    expect(list.items.map((c: { clientId: string }) => c.clientId)).toEqual([KIOSK, PORTAL, MAILROOM, OLD, 'KG/GOV/70000004/archive'].sort());
    expect(list.items.find((c: { clientId: string }) => c.clientId === PORTAL)).toMatchObject({ mayListByPersonalNumber: true, scopes: ['appeals:write', 'appeals:read'], revokedAt: null });

    expect((await t.app.inject({ method: 'POST', url: base, headers: admin.headers, payload: { clientId: PORTAL, apiKeyId: keyOf[KIOSK] } })).statusCode).toBe(409);
    expect((await t.app.inject({ method: 'POST', url: base, headers: admin.headers, payload: { clientId: 'KG/GOV', apiKeyId: keyOf[KIOSK] } })).statusCode).toBe(400);
    expect((await t.app.inject({ method: 'POST', url: base, headers: admin.headers, payload: { clientId: 'KG/GOV/1/x' } })).statusCode).toBe(400);
    expect((await t.app.inject({ method: 'POST', url: base, headers: admin.headers, payload: { clientId: 'KG/GOV/1/x', apiKeyId: crypto.randomUUID() } })).statusCode).toBe(400);
    const operator = await t.staff('operator');
    expect((await t.app.inject({ method: 'GET', url: base, headers: operator.headers })).statusCode).toBe(403);

    // An existing key can serve a second subsystem.
    const shared = await t.app.inject({ method: 'POST', url: base, headers: admin.headers, payload: { clientId: 'KG/GOV/70000001/portal-test', apiKeyId: keyOf[PORTAL] } });
    expect(shared.statusCode, shared.body).toBe(201);
    expect(json(shared)).toMatchObject({ apiKeyId: keyOf[PORTAL], mayListByPersonalNumber: false });

    const entries = await t.services.database.db.select().from(auditLog).where(eq(auditLog.entityType, 'xroad_consumer'));
    expect(entries.filter((e) => e.action === 'create')).toHaveLength(6);
    expect(entries.filter((e) => e.action === 'revoke')).toEqual([expect.objectContaining({ actorKind: 'staff' })]);

    // A revoked subsystem may be registered again (with another key, say); an active one only once.
    const again = await t.app.inject({ method: 'POST', url: base, headers: admin.headers, payload: { clientId: OLD, apiKeyId: keyOf[KIOSK] } });
    expect(again.statusCode, again.body).toBe(201);
    expect((await t.app.inject({ method: 'POST', url: base, headers: admin.headers, payload: { clientId: OLD, apiKeyId: keyOf[KIOSK] } })).statusCode).toBe(409);
  });
});

it('the demo Tunduk consumer of each city is the demo integrator, allowed to list by personal number', async () => {
  const db = t.services.database.db;
  await seedDemoIntegrators(db, ['bishkek', 'osh']);
  const printed = await seedDemoIntegrators(db, ['bishkek', 'osh']); // a second start adds nothing
  expect(printed.map((p) => p.xroadClient)).toEqual([DEMO_XROAD_CLIENT, DEMO_XROAD_CLIENT]);
  const listed = await call('POST', '/appeals/by-personal-number', { client: DEMO_XROAD_CLIENT, body: { personalNumber: PIN } });
  expect(listed.statusCode, listed.body).toBe(200);
  expect(json(listed).items.length).toBeGreaterThan(1); // the person's appeals, whichever consumer submitted them
  const osh = await t.app.inject({ method: 'POST', url: '/xroad/v1/osh/appeals/by-personal-number', headers: { 'x-road-client': DEMO_XROAD_CLIENT }, payload: { personalNumber: PIN } });
  expect(osh.statusCode, osh.body).toBe(200);
});

it('keeps personal numbers and names out of the logs, while the requests are logged', () => {
  const log = lines.join('\n');
  expect(log).toContain('/xroad/v1/bishkek/appeals');
  for (const secret of [PIN, '10203198500123', '23102199012345', 'Токтосунова', '700 111 222']) expect(log, secret).not.toContain(secret);
});
