/**
 * Open311 GeoReport v2 conformance: every endpoint in JSON and XML, errors included; JSON answers validated
 * against the official JSON Schemas (when ../shared/reference is present) and against our own transcription;
 * a generic client's flow; api_key, jurisdiction, location and attribute checks; the admins' attribute routes.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Ajv, type ValidateFunction } from 'ajv';
import addFormats from 'ajv-formats';
import { and, eq } from 'drizzle-orm';
import { createTestApp, json, type Ids, type Session, type TestApp } from '../../test-support/test-app.js';
import { appealApplicants, appeals, auditLog } from '../../platform/db/schema.js';
import { transcribedSchemas } from './open311.json-schemas.js';
import { coarsen, endOfLocalDay } from './open311.routes.js';
import { escapeXml } from './open311.format.js';

// ---- schemas ---------------------------------------------------------------------------------------------------

const OFFICIAL_DIR = resolve(dirname(fileURLToPath(import.meta.url)), '../../../../../shared/reference/open311/json-schemas');
const hasOfficial = existsSync(OFFICIAL_DIR);

function officialValidators(): Record<string, ValidateFunction> | null {
  if (!hasOfficial) return null;
  const ajv = new Ajv({ strict: false, allErrors: true });
  addFormats.default(ajv);
  for (const f of readdirSync(OFFICIAL_DIR).filter((x) => x.endsWith('.json') && x !== 'swagger.json')) {
    ajv.addSchema(JSON.parse(readFileSync(join(OFFICIAL_DIR, f), 'utf8')) as object, f);
  }
  return Object.fromEntries(['services.json', 'service-definition.json', 'requests.json', 'request.json'].map((k) => [k, ajv.getSchema(k)!]));
}

function ourValidators(): Record<string, ValidateFunction> {
  const ajv = new Ajv({ strict: true, strictRequired: false, allErrors: true });
  addFormats.default(ajv);
  for (const s of transcribedSchemas) ajv.addSchema(s);
  return Object.fromEntries(transcribedSchemas.map((s) => [s.$id.replace('shaar/', ''), ajv.getSchema(s.$id)!]));
}

const official = officialValidators();
const ours = ourValidators();

/** Valid against our schema `name`, and against the official one of the same name when there is one. */
function expectValid(name: string, body: unknown) {
  const v = ours[name];
  if (!v) throw new Error(`no schema ${name}`);
  expect(v(body), JSON.stringify(v.errors)).toBe(true);
  const o = official?.[name];
  if (o) expect(o(body), JSON.stringify(o.errors)).toBe(true);
}

// ---- a strict little XML reader for the tests ---------------------------------------------------------------------

interface XNode { name: string; children: XNode[]; text: string }
function parseXml(xml: string): XNode {
  expect(xml.startsWith('<?xml version="1.0" encoding="utf-8"?>\n')).toBe(true);
  let i = xml.indexOf('?>') + 2;
  const unescape = (s: string) => s.replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&quot;/g, '"').replace(/&apos;/g, "'").replace(/&amp;/g, '&');
  const node = (): XNode => {
    while (/\s/.test(xml[i]!)) i++;
    const open = /^<([A-Za-z_][\w.-]*)(\/?)>/.exec(xml.slice(i));
    if (!open) throw new Error(`expected an element at ${i}: ${xml.slice(i, i + 40)}`);
    i += open[0].length;
    const n: XNode = { name: open[1]!, children: [], text: '' };
    if (open[2]) return n;
    for (;;) {
      const close = `</${n.name}>`;
      const rest = xml.slice(i);
      if (/^\s*</.test(rest) && !/^\s*<\//.test(rest)) { n.children.push(node()); continue; }
      const end = rest.indexOf('<');
      if (end < 0) throw new Error('unterminated');
      const t = rest.slice(0, end);
      if (/[<>&](?!(amp|lt|gt|quot|apos);)/.test(t.replace(/&(amp|lt|gt|quot|apos);/g, ''))) throw new Error(`unescaped text: ${t}`);
      if (n.children.length === 0) n.text = unescape(t);
      i += end;
      if (!xml.startsWith(close, i)) throw new Error(`expected ${close} at ${i}: ${xml.slice(i, i + 40)}`);
      i += close.length;
      return n;
    }
  };
  const root = node();
  expect(xml.slice(i).trim()).toBe('');
  return root;
}
const child = (n: XNode, name: string) => n.children.find((c) => c.name === name);
const childText = (n: XNode, name: string) => child(n, name)?.text;

// ---- setup ---------------------------------------------------------------------------------------------------------

const BASE = '/open311/v2';
let t: TestApp;
let ids: Ids;
let admin: Session;
let apiKey: string;
let oshKey: string;

beforeAll(async () => {
  t = await createTestApp();
  ids = await t.ids();
  admin = await t.staff('admin');
  const create = async (slug: string, session: Session, scopes: string[]) => {
    const res = await t.app.inject({ method: 'POST', url: `/api/v1/m/${slug}/admin/api-keys`, headers: session.headers, payload: { name: 'Open311 client', scopes } });
    expect(res.statusCode).toBe(201);
    return json(res).key as string;
  };
  apiKey = await create('bishkek', admin, ['appeals:write']);
  oshKey = await create('osh', await t.staff('admin', 'osh'), ['appeals:write']);
  // Extra questions: one on the group (asked for all its services), two on the pothole itself.
  const attr = (categoryCode: string, payload: object) => t.app.inject({
    method: 'POST', url: `/api/v1/m/bishkek/admin/categories/${ids.category(categoryCode)}/attributes`, headers: admin.headers, payload,
  });
  const l = (ky: string, ru: string, en: string) => ({ ky, ru, en });
  expect((await attr('roads', { code: 'danger', datatype: 'singlevaluelist', required: true, description: l('Коркунучтуубу?', 'Опасно ли?', 'Is it dangerous?'),
    values: [{ key: 'yes', name: l('Ооба', 'Да', 'Yes') }, { key: 'no', name: l('Жок', 'Нет', 'No') }] })).statusCode).toBe(201);
  expect((await attr('roads.pothole', { code: 'depth_cm', datatype: 'number', description: l('Тереңдиги, см', 'Глубина, см', 'Depth, cm'), sortOrder: 1 })).statusCode).toBe(201);
  expect((await attr('roads.pothole', { code: 'lanes', datatype: 'multivaluelist', description: l('Тилкелер', 'Полосы', 'Lanes'), sortOrder: 2,
    values: [{ key: 'left', name: l('Сол', 'Левая', 'Left <&> "lane"') }, { key: 'right', name: l('Оң', 'Правая', 'Right') }] })).statusCode).toBe(201);
}, 120_000);
afterAll(async () => { await t?.close(); });

const get = (path: string, headers: Record<string, string> = {}) => t.app.inject({ method: 'GET', url: `${BASE}/${path}`, headers });
const postForm = (path: string, fields: [string, string][], headers: Record<string, string> = {}) => t.app.inject({
  method: 'POST', url: `${BASE}/${path}`, headers: { 'content-type': 'application/x-www-form-urlencoded', ...headers },
  payload: new URLSearchParams(fields).toString(),
});
const potholeForm = (extra: [string, string][] = []): [string, string][] => [
  ['api_key', apiKey], ['jurisdiction_id', 'bishkek'], ['service_code', 'roads.pothole'], ['lat', '42.8746'], ['long', '74.5698'],
  ['attribute[danger]', 'yes'], ['first_name', 'Айгүл'], ['last_name', 'Токтогулова'], ['email', 'aigul@example.kg'], ['phone', '+996 700 123 456'],
  ['description', 'A deep pothole in the right lane near the bus stop.'], ...extra,
];

function expectError(res: { statusCode: number; body: string; headers: Record<string, unknown> }, status: number, format: 'json' | 'xml') {
  expect(res.statusCode).toBe(status);
  if (format === 'json') {
    expect(res.headers['content-type']).toMatch(/application\/json/);
    const body = json(res);
    expectValid('errors.json', body);
    expect(body[0].code).toBe(status);
    return body[0].description as string;
  }
  expect(res.headers['content-type']).toMatch(/text\/xml/);
  const root = parseXml(res.body);
  expect(root.name).toBe('errors');
  expect(root.children[0]!.name).toBe('error');
  expect(childText(root.children[0]!, 'code')).toBe(String(status));
  return childText(root.children[0]!, 'description')!;
}

// ---- tests ---------------------------------------------------------------------------------------------------------

describe('Open311 GeoReport v2', () => {
  it('uses the official JSON Schemas when ../shared/reference is there', () => {
    expect(ours['requests.json']).toBeTypeOf('function');
    if (hasOfficial) expect(official!['requests.json']).toBeTypeOf('function');
  });

  it('discovery in JSON and XML', async () => {
    const j = await get('discovery.json');
    expect(j.statusCode).toBe(200);
    const body = json(j);
    expectValid('discovery.json', body);
    expect(body.endpoints[0].url).toMatch(/\/open311\/v2$/);
    expect(body.contact).toContain('jurisdiction_id=bishkek');
    const x = parseXml((await get('discovery.xml')).body);
    expect(x.name).toBe('discovery');
    const endpoint = child(child(x, 'endpoints')!, 'endpoint')!;
    expect(child(endpoint, 'formats')!.children.map((f) => f.text)).toEqual(['text/xml', 'application/json']);
  });

  it('lists services (subcategories) in the asked language with group, keywords and metadata', async () => {
    const res = await get('services.json?jurisdiction_id=bishkek&locale=en');
    expect(res.statusCode).toBe(200);
    const list = json(res) as Record<string, unknown>[];
    expectValid('services.json', list);
    const pothole = list.find((s) => s.service_code === 'roads.pothole')!;
    expect(pothole).toMatchObject({ service_name: 'Pothole', group: 'Roads and transport infrastructure', type: 'realtime', metadata: true });
    expect(pothole.keywords).toContain('асфальт');
    // A sibling inherits the group's question; a category of another group has none.
    expect(list.find((s) => s.service_code === 'roads.sidewalk')!.metadata).toBe(true);
    expect(list.find((s) => s.service_code === 'cleaning.rubbish')!.metadata).toBe(false);
    expect(list.some((s) => s.service_code === 'roads')).toBe(false);

    const ru = json(await get('services.json?jurisdiction_id=bishkek', { 'accept-language': 'ru-RU,ru;q=0.9' }));
    expect(ru.find((s: { service_code: string }) => s.service_code === 'roads.pothole').service_name).toBe('Яма на дороге');

    const x = parseXml((await get('services.xml?jurisdiction_id=bishkek&locale=en')).body);
    expect(x.name).toBe('services');
    expect(x.children.length).toBe(list.length);
    const first = x.children.find((s) => childText(s, 'service_code') === 'roads.pothole')!;
    expect(childText(first, 'metadata')).toBe('true');
    expect(childText(first, 'group')).toBe('Roads and transport infrastructure');
  });

  it('requires jurisdiction_id (several cities) and knows only real ones', async () => {
    for (const format of ['json', 'xml'] as const) {
      expect(expectError(await get(`services.${format}?locale=en`), 400, format)).toMatch(/jurisdiction_id is required.*bishkek.*osh/);
      expect(expectError(await get(`services.${format}?jurisdiction_id=atlantis&locale=en`), 404, format)).toContain('atlantis');
    }
    // Each city has its own services.
    expect(json(await get('services.json?jurisdiction_id=osh')).length).toBeGreaterThan(0);
  });

  it('reads a service definition with own and inherited attributes, escaped in XML', async () => {
    const res = await get('services/roads.pothole.json?jurisdiction_id=bishkek&locale=en');
    expect(res.statusCode).toBe(200);
    const def = json(res);
    expectValid('service-definition.json', def);
    expect(def.attributes.map((a: { code: string }) => a.code)).toEqual(['danger', 'depth_cm', 'lanes']);
    expect(def.attributes.map((a: { order: number }) => a.order)).toEqual([1, 2, 3]);
    expect(def.attributes[0]).toMatchObject({ variable: true, datatype: 'singlevaluelist', required: true, description: 'Is it dangerous?', values: [{ key: 'yes', name: 'Yes' }, { key: 'no', name: 'No' }] });
    expect(def.attributes[1]).toMatchObject({ datatype: 'number', required: false });

    const xml = (await get('services/roads.pothole.xml?jurisdiction_id=bishkek&locale=en')).body;
    expect(xml).toContain('<name>Left &lt;&amp;&gt; &quot;lane&quot;</name>');
    const x = parseXml(xml);
    expect(x.name).toBe('service_definition');
    const attrs = child(x, 'attributes')!.children;
    expect(attrs.map((a) => a.name)).toEqual(['attribute', 'attribute', 'attribute']);
    const lanes = attrs[2]!;
    expect(child(lanes, 'values')!.children.map((v) => childText(v, 'name'))).toEqual(['Left <&> "lane"', 'Right']);

    expectError(await get('services/no.such.json?jurisdiction_id=bishkek'), 404, 'json');
    expectError(await get('services/no.such.xml?jurisdiction_id=bishkek'), 404, 'xml');
  });

  it('answers 404 in the spec\'s format for unknown formats and resources', async () => {
    expectError(await get('services.csv?jurisdiction_id=bishkek'), 404, 'json');
    expectError(await get('services?jurisdiction_id=bishkek'), 404, 'json');
    expectError(await get('nothing.xml'), 404, 'xml');
    expectError(await get('services/roads.pothole.html?jurisdiction_id=bishkek'), 404, 'json');
    expectError(await t.app.inject({ method: 'POST', url: `${BASE}/services.json` }), 404, 'json');
  });

  it('a generic client: discover → services → definition → post (form) → token → request', async () => {
    const discovery = json(await get('discovery.json'));
    const root = new URL(discovery.endpoints[0].url).pathname;
    const services = json(await t.app.inject({ method: 'GET', url: `${root}/services.json?jurisdiction_id=bishkek` }));
    const service = services.find((s: { metadata: boolean; group: string | null }) => s.metadata);
    const def = json(await t.app.inject({ method: 'GET', url: `${root}/services/${service.service_code}.json?jurisdiction_id=bishkek` }));
    // Answer every required question with its first value (what a generic form would do).
    const answers: [string, string][] = def.attributes.filter((a: { required: boolean }) => a.required)
      .map((a: { code: string; values: { key: string }[] }) => [`attribute[${a.code}]`, a.values[0]?.key ?? '1']);
    const posted = await t.app.inject({
      method: 'POST', url: `${root}/requests.json`, headers: { 'content-type': 'application/x-www-form-urlencoded' },
      payload: new URLSearchParams([['api_key', apiKey], ['jurisdiction_id', 'bishkek'], ['service_code', service.service_code],
        ['address_string', 'Chui Avenue 100'], ['description', 'Generic client report & test <ok>'], ...answers]).toString(),
    });
    expect(posted.statusCode).toBe(201);
    const [created] = json(posted);
    expectValid('post-response.json', json(posted));
    expect(created.service_request_id).toMatch(/^BSK-2026-\d{6}$/);
    expect(created.account_id).toBeNull();
    expect(created.service_notice).toContain(created.service_request_id);

    const tok = await t.app.inject({ method: 'GET', url: `${root}/tokens/${created.token}.json?jurisdiction_id=bishkek` });
    expect(tok.statusCode).toBe(200);
    expectValid('token.json', json(tok));
    expect(json(tok)[0].service_request_id).toBe(created.service_request_id);

    const one = await t.app.inject({ method: 'GET', url: `${root}/requests/${json(tok)[0].service_request_id}.json?jurisdiction_id=bishkek` });
    expect(one.statusCode).toBe(200);
    const [request] = json(one);
    expectValid('requests.json', json(one));
    expectValid('request.json', request);
    expect(request).toMatchObject({ service_request_id: created.service_request_id, status: 'open', service_code: service.service_code, lat: null, long: null });
    expect(request.agency_responsible).toBeTruthy();
    expect(request.expected_datetime).toMatch(/T23:59:59\+06:00$/);

    // Registered through the registry: channel open311, submitted by the key, applicant as placeholder.
    const [row] = await t.services.database.db.select().from(appeals).where(eq(appeals.registrationNumber, created.service_request_id));
    expect(row).toMatchObject({ channel: 'open311', kind: 'statement', submittedByKind: 'integrator', address: 'Chui Avenue 100', source: 'open311:Open311 client' });
    expect(row!.body).toBe('Generic client report & test <ok>');
  });

  it('posts with a JSON body too, storing attributes and media_url, and never shows names, contacts, text or the exact point', async () => {
    const res = await t.app.inject({
      method: 'POST', url: `${BASE}/requests.xml`, headers: { 'accept-language': 'en' },
      payload: { api_key: apiKey, jurisdiction_id: 'bishkek', service_code: 'roads.pothole', lat: 42.8746, long: 74.5698,
        attribute: { danger: 'no', depth_cm: '12.5', lanes: ['left', 'right'] }, first_name: 'Бакыт', last_name: 'Асанов',
        email: 'bakyt@example.kg', description: 'Pothole 12 cm deep', media_url: 'https://photos.example.org/p/1.jpg' },
    });
    expect(res.statusCode).toBe(201);
    const x = parseXml(res.body);
    expect(x.name).toBe('service_requests');
    const id = childText(x.children[0]!, 'service_request_id')!;
    expect(child(x.children[0]!, 'account_id')!.text).toBe('');

    const [row] = await t.services.database.db.select().from(appeals).where(eq(appeals.registrationNumber, id));
    expect(row!.attributes).toEqual({ danger: 'no', depth_cm: '12.5', lanes: ['left', 'right'], _media_url: 'https://photos.example.org/p/1.jpg' });
    expect(row!.lat).toBe(42.8746);
    const [applicant] = await t.services.database.db.select().from(appealApplicants).where(eq(appealApplicants.appealId, row!.id));
    expect(applicant).toMatchObject({ fullName: 'Бакыт Асанов', email: 'bakyt@example.kg' });

    for (const format of ['json', 'xml'] as const) {
      const one = await get(`requests/${id}.${format}?jurisdiction_id=bishkek`);
      expect(one.statusCode).toBe(200);
      for (const secret of ['Бакыт', 'Асанов', 'bakyt@', 'Pothole 12 cm', '42.8746', '74.5698']) expect(one.body).not.toContain(secret);
      if (format === 'json') {
        const [r] = json(one);
        expectValid('request.json', r);
        expect(r.media_url).toBe('https://photos.example.org/p/1.jpg');
        expect(r.lat).toBe(coarsen(42.8746, 74.5698).lat);
        expect(Math.abs(r.lat - 42.8746)).toBeLessThan(0.01);
        expect(r.lat).not.toBe(42.8746);
        expect(r.description).toBeNull();
      } else {
        const req = parseXml(one.body).children[0]!;
        expect(childText(req, 'service_request_id')).toBe(id);
        expect(childText(req, 'status')).toBe('open');
        expect(childText(req, 'media_url')).toBe('https://photos.example.org/p/1.jpg');
      }
    }
  });

  it('accepts a multipart form (files drained, not stored) and answers 400 to a body it cannot read', async () => {
    const boundary = '----open311test';
    const fields = potholeForm([['attribute[lanes][]', 'left'], ['attribute[lanes][]', 'right']]);
    const parts = fields.map(([k, v]) => `--${boundary}\r\nContent-Disposition: form-data; name="${k}"\r\n\r\n${v}\r\n`).join('')
      + `--${boundary}\r\nContent-Disposition: form-data; name="media"; filename="p.jpg"\r\nContent-Type: image/jpeg\r\n\r\n\xff\xd8\xff\xe0 not really a photo\r\n`
      + `--${boundary}--\r\n`;
    const res = await t.app.inject({ method: 'POST', url: `${BASE}/requests.json`, headers: { 'content-type': `multipart/form-data; boundary=${boundary}` }, payload: parts });
    expect(res.statusCode, res.body).toBe(201);
    const [row] = await t.services.database.db.select().from(appeals).where(eq(appeals.registrationNumber, json(res)[0].service_request_id));
    expect(row!.attributes).toEqual({ danger: 'yes', lanes: ['left', 'right'] });

    const bad = await t.app.inject({ method: 'POST', url: `${BASE}/requests.xml`, headers: { 'content-type': 'application/json' }, payload: '{"api_key": ' });
    expectError(bad, 400, 'xml');
  });

  it('refuses a bad api_key with 403, in JSON and XML, and registers nothing', async () => {
    const count = async () => (await t.services.database.db.select({ id: appeals.id }).from(appeals).where(eq(appeals.channel, 'open311'))).length;
    const before = await count();
    for (const format of ['json', 'xml'] as const) {
      expectError(await postForm(`requests.${format}`, potholeForm().map(([k, v]) => [k, k === 'api_key' ? `${v}x` : v])), 403, format);
      expectError(await postForm(`requests.${format}`, potholeForm().filter(([k]) => k !== 'api_key')), 403, format);
      // A key of another city is not a key of this one.
      expectError(await postForm(`requests.${format}`, potholeForm().map(([k, v]) => [k, k === 'api_key' ? oshKey : v])), 403, format);
    }
    expect(await count()).toBe(before);
  });

  it('a read-only key cannot post', async () => {
    const res = await t.app.inject({ method: 'POST', url: '/api/v1/m/bishkek/admin/api-keys', headers: admin.headers, payload: { name: 'Reader', scopes: ['appeals:read'] } });
    expectError(await postForm('requests.json', potholeForm().map(([k, v]) => [k, k === 'api_key' ? json(res).key : v])), 403, 'json');
  });

  it('validates location, jurisdiction, description and attributes with 400s naming each problem', async () => {
    const without = (...keys: string[]) => potholeForm().filter(([k]) => !keys.includes(k));
    for (const format of ['json', 'xml'] as const) {
      expect(expectError(await postForm(`requests.${format}?locale=en`, without('lat', 'long')), 400, format)).toMatch(/location is required/);
    }
    expect(expectError(await postForm('requests.json?locale=en', [...without('long')]), 400, 'json')).toMatch(/lat and long/);
    expect(expectError(await postForm('requests.json?locale=en', without('jurisdiction_id')), 400, 'json')).toMatch(/jurisdiction_id/);
    expectError(await postForm('requests.json', potholeForm().map(([k, v]) => [k, k === 'jurisdiction_id' ? 'atlantis' : v])), 404, 'json');
    expect(expectError(await postForm('requests.json?locale=en', without('service_code')), 400, 'json')).toMatch(/service_code/);
    expect(expectError(await postForm('requests.json?locale=en', [...without('description'), ['description', 'x'.repeat(4001)]]), 400, 'json')).toMatch(/description/);

    // Attributes: required, datatype, list values, unknown codes — all reported at once.
    const res = await postForm('requests.json?locale=en', [...without('attribute[danger]'), ['attribute[depth_cm]', 'deep'],
      ['attribute[lanes][]', 'left'], ['attribute[lanes][]', 'middle'], ['attribute[colour]', 'red']]);
    expect(res.statusCode).toBe(400);
    const messages = (json(res) as { description: string }[]).map((e) => e.description).join(' | ');
    expect(messages).toMatch(/attribute\[danger\] is required/);
    expect(messages).toMatch(/attribute\[depth_cm\] is not a valid number/);
    expect(messages).toMatch(/attribute\[lanes\]: middle/);
    expect(messages).toMatch(/attribute\[colour\] is not an attribute/);
    expect(expectError(await postForm('requests.json?locale=en', [...without('attribute[danger]'), ['attribute[danger]', 'maybe']]), 400, 'json')).toMatch(/danger/);
    // A NUL byte is refused before anything is registered.
    const before = (await t.services.database.db.select({ id: appeals.id }).from(appeals)).length;
    expectError(await postForm('requests.xml', [...without('description'), ['description', 'bad\u0000byte']]), 400, 'xml');
    expect((await t.services.database.db.select({ id: appeals.id }).from(appeals)).length).toBe(before);
    // In Russian when asked.
    expect(expectError(await postForm('requests.json', without('lat', 'long'), { 'accept-language': 'ru' }), 400, 'json')).toMatch(/Нужно место/);
  });

  it('lists requests with the spec\'s filters and 90-day default window', async () => {
    const a = json(await postForm('requests.json', potholeForm()))[0].service_request_id as string;
    const b = json(await postForm('requests.json', potholeForm().map(([k, v]) => [k, k === 'service_code' ? 'roads.sidewalk' : v])))[0].service_request_id as string;

    const all = await get('requests.json?jurisdiction_id=bishkek');
    expect(all.statusCode).toBe(200);
    const list = json(all) as { service_request_id: string; service_code: string; status: string; requested_datetime: string }[];
    expectValid('requests.json', list);
    expect(list.length).toBeLessThanOrEqual(1000);
    expect(list.map((r) => r.service_request_id)).toEqual(expect.arrayContaining([a, b]));
    const now = t.clock.now().getTime();
    for (const r of list) expect(now - Date.parse(r.requested_datetime)).toBeLessThanOrEqual(90 * 86_400_000);

    const byCode = json(await get('requests.json?jurisdiction_id=bishkek&service_code=roads.sidewalk')) as typeof list;
    expect(byCode.length).toBeGreaterThan(0);
    expect(byCode.every((r) => r.service_code === 'roads.sidewalk')).toBe(true);

    const byIds = json(await get(`requests.json?jurisdiction_id=bishkek&service_request_id=${a},${b}`)) as typeof list;
    expect(byIds.map((r) => r.service_request_id).sort()).toEqual([a, b].sort());

    const future = json(await get('requests.json?jurisdiction_id=bishkek&start_date=2026-04-28T00:00:00Z&end_date=2026-05-01T00:00:00Z'));
    expect(future).toEqual([]);
    const today = json(await get('requests.json?jurisdiction_id=bishkek&start_date=2026-04-27T00:00:00Z')) as typeof list;
    expect(today.map((r) => r.service_request_id)).toEqual(expect.arrayContaining([a, b]));

    const closed = json(await get('requests.json?jurisdiction_id=bishkek&status=closed')) as typeof list;
    expect(closed.every((r) => r.status === 'closed')).toBe(true);
    expect(closed.map((r) => r.service_request_id)).not.toContain(a);
    const open = json(await get('requests.json?jurisdiction_id=bishkek&status=open')) as typeof list;
    expect(open.every((r) => r.status === 'open')).toBe(true);

    const x = parseXml((await get(`requests.xml?jurisdiction_id=bishkek&service_request_id=${a}`)).body);
    expect(x.name).toBe('service_requests');
    expect(x.children.map((r) => childText(r, 'service_request_id'))).toEqual([a]);

    for (const format of ['json', 'xml'] as const) {
      expectError(await get(`requests.${format}?jurisdiction_id=bishkek&start_date=2026-01-01T00:00:00Z&end_date=2026-04-27T00:00:00Z`), 400, format);
      expectError(await get(`requests.${format}?jurisdiction_id=bishkek&start_date=yesterday`), 400, format);
      expectError(await get(`requests.${format}?jurisdiction_id=bishkek&status=pending`), 400, format);
      expectError(await get(`requests/BSK-1900-000000.${format}?jurisdiction_id=bishkek`), 404, format);
      expectError(await get(`tokens/${crypto.randomUUID()}.${format}?jurisdiction_id=bishkek`), 404, format);
      expectError(await get(`tokens/not-a-token.${format}?jurisdiction_id=bishkek`), 404, format);
    }
    // Another city's request is not found in this one.
    expectError(await get(`requests/${a}.json?jurisdiction_id=osh`), 404, 'json');
  });

  it('maps our states to open/closed with status notes, and publishes updates (servicerequestupdates)', async () => {
    const id = json(await postForm('requests.json', potholeForm()))[0].service_request_id as string;
    const [row] = await t.services.database.db.select().from(appeals).where(eq(appeals.registrationNumber, id));
    const act = async (action: string, payload: object) => {
      const res = await t.app.inject({ method: 'POST', url: `/api/v1/m/bishkek/appeals/${row!.id}/${action}`, headers: admin.headers, payload });
      expect(res.statusCode, res.body).toBe(200);
    };
    t.clock.advance(60_000);
    await act('assign', { serviceId: row!.serviceId });
    await act('answer', { body: 'The pothole was repaired on Monday.' });
    const [r] = json(await get(`requests/${id}.json?jurisdiction_id=bishkek&locale=en`));
    expect(r).toMatchObject({ status: 'closed', status_notes: 'answered' });
    expectValid('request.json', r);
    const closed = json(await get('requests.json?jurisdiction_id=bishkek&status=closed')) as { service_request_id: string }[];
    expect(closed.map((x) => x.service_request_id)).toContain(id);

    const res = await get('servicerequestupdates.json?jurisdiction_id=bishkek&locale=en');
    expect(res.statusCode).toBe(200);
    const updates = (json(res) as { service_request_id: string; status: string; description: string; update_id: string }[]);
    expectValid('updates.json', updates);
    const mine = updates.filter((u) => u.service_request_id === id);
    expect(mine.map((u) => [u.status, u.description])).toEqual([['open', 'registered'], ['open', 'assigned'], ['closed', 'answered']]);
    // Only public entries, never the answer's text.
    expect(res.body).not.toContain('repaired on Monday');
    const publicCount = (await t.services.database.db.select({ id: auditLog.id }).from(auditLog)
      .where(and(eq(auditLog.entityId, row!.id), eq(auditLog.isPublic, true)))).length;
    expect(mine.length).toBeLessThanOrEqual(publicCount);

    const x = parseXml((await get('servicerequestupdates.xml?jurisdiction_id=bishkek')).body);
    expect(x.name).toBe('service_request_updates');
    expect(x.children.every((c) => c.name === 'request_update')).toBe(true);
    expect(x.children.some((c) => childText(c, 'service_request_id') === id && childText(c, 'status') === 'closed')).toBe(true);
    expectError(await get('servicerequestupdates.xml?jurisdiction_id=bishkek&start_date=2025-01-01T00:00:00Z&end_date=2026-01-01T00:00:00Z'), 400, 'xml');
    const none = json(await get('servicerequestupdates.json?jurisdiction_id=bishkek&start_date=2026-05-01T00:00:00Z&end_date=2026-05-02T00:00:00Z'));
    expect(none).toEqual([]);
  });
});

describe('category attributes (admins)', () => {
  const url = (code: string) => `/api/v1/m/bishkek/admin/categories/${ids.category(code)}/attributes`;
  const l = { ky: 'Суроо', ru: 'Вопрос', en: 'Question' };

  it('lists, refuses bad definitions and duplicates, deletes with an audit entry', async () => {
    const list = await t.app.inject({ method: 'GET', url: url('roads.pothole'), headers: admin.headers });
    expect(list.statusCode).toBe(200);
    expect(json(list).map((a: { code: string }) => a.code)).toEqual(['depth_cm', 'lanes']);

    const post = (payload: object) => t.app.inject({ method: 'POST', url: url('cleaning.rubbish'), headers: admin.headers, payload });
    expect((await post({ code: 'kind', datatype: 'singlevaluelist', description: l })).statusCode).toBe(400); // a list needs values
    expect((await post({ code: 'n', datatype: 'number', description: l, values: [{ key: 'a', name: l }] })).statusCode).toBe(400);
    expect((await post({ code: '_media_url', datatype: 'string', description: l })).statusCode).toBe(400);
    const created = await post({ code: 'bags', datatype: 'number', required: true, description: l });
    expect(created.statusCode).toBe(201);
    expect((await post({ code: 'bags', datatype: 'text', description: l })).statusCode).toBe(409);
    expect(json(await get('services.json?jurisdiction_id=bishkek')).find((s: { service_code: string }) => s.service_code === 'cleaning.rubbish').metadata).toBe(true);

    const operator = await t.staff('operator');
    expect((await t.app.inject({ method: 'POST', url: url('cleaning.rubbish'), headers: operator.headers, payload: { code: 'x', datatype: 'text', description: l } })).statusCode).toBe(403);
    expect((await t.app.inject({ method: 'GET', url: `/api/v1/m/bishkek/admin/categories/${crypto.randomUUID()}/attributes`, headers: admin.headers })).statusCode).toBe(404);

    const id = json(created).id as string;
    expect((await t.app.inject({ method: 'DELETE', url: `${url('cleaning.rubbish')}/${id}`, headers: admin.headers })).statusCode).toBe(204);
    expect((await t.app.inject({ method: 'DELETE', url: `${url('cleaning.rubbish')}/${id}`, headers: admin.headers })).statusCode).toBe(404);
    const audit = await t.services.database.db.select().from(auditLog).where(and(eq(auditLog.entityType, 'category_attribute'), eq(auditLog.entityId, id)));
    expect(audit.map((a) => a.action)).toEqual(['create', 'delete']);
    expect(json(await get('services.json?jurisdiction_id=bishkek')).find((s: { service_code: string }) => s.service_code === 'cleaning.rubbish').metadata).toBe(false);
  });
});

describe('helpers', () => {
  it('escapes XML and drops characters XML cannot carry', () => {
    expect(escapeXml(`a<b>&"c"'\u0001`)).toBe('a&lt;b&gt;&amp;&quot;c&quot;&apos;');
  });
  it('gives the due date as the end of the local day with its offset', () => {
    expect(endOfLocalDay('2026-05-10', 'Asia/Bishkek')).toBe('2026-05-10T23:59:59+06:00');
    expect(endOfLocalDay('2026-05-10', 'UTC')).toBe('2026-05-10T23:59:59+00:00');
  });
});
