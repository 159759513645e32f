/**
 * The acceptance rule: "Garbage, wrong types, huge bodies and broken JSON sent to any route get a 4xx JSON error
 * {error: {code, message, details}}, never a 5xx, and the server stays up"; messages in the request's language.
 *
 * The list of routes is the OpenAPI document itself (checked against the router, so no route escapes it). Every
 * operation is sent bad path parameters, bad bodies, bad query strings and bad headers — anonymously, as a city
 * admin (session cookie + CSRF token) and as a citizen (bearer token), so that validation beyond "401" is reached.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { randomUUID } from 'node:crypto';
import type { Locale } from '@shaar/contracts';
import { createTestApp, json, type Session } from '../src/test-support/test-app.js';
import { CSRF_EXEMPT } from '../src/app.js';
import { translate } from '../src/platform/i18n/messages.js';

// ---- the application, its document and some real data to aim at -------------------------------------------------

const t = await createTestApp();
afterAll(async () => { await t.close(); });

type Schema = Record<string, any>;
interface Operation { method: string; path: string; key: string; spec: Schema }
interface Res { statusCode: number; headers: Record<string, unknown>; body: string }

const docRes = await t.app.inject({ method: 'GET', url: '/api/openapi.json' });
const doc = json<{ openapi: string; paths: Record<string, Record<string, Schema>> }>(docRes);
const METHODS = ['get', 'post', 'put', 'patch', 'delete'];
const operations: Operation[] = Object.entries(doc.paths)
  .filter(([path]) => path.startsWith('/api/v1/'))
  .flatMap(([path, item]) => Object.entries(item).filter(([m]) => METHODS.includes(m))
    .map(([m, spec]) => ({ method: m.toUpperCase(), path, key: `${m.toUpperCase()} ${path}`, spec })));

const ids = await t.ids();
let phoneSeq = 0;
const nextPhone = () => `+996777${String(++phoneSeq).padStart(6, '0')}`;
let admin: Session = await t.staff('admin');
let citizen: Session = await t.citizen(nextPhone());

const appealBody = () => ({
  kind: 'complaint', categoryId: ids.category('roads.pothole'), subject: 'Pothole on Chui avenue',
  body: 'There is a deep pothole near the crossing with Sovetskaya; cars swerve into the oncoming lane.',
  applicant: { fullName: 'Asel Bekova' },
});
const filed = await t.app.inject({ method: 'POST', url: '/api/v1/m/bishkek/appeals', headers: citizen.headers, payload: appealBody() });
const appealId: string = json(filed).id;

/** The routes of the core API this test was written against: they must stay documented. */
const KNOWN = [
  'POST /api/v1/auth/staff/login', 'POST /api/v1/auth/code/request', 'POST /api/v1/auth/code/verify', 'POST /api/v1/auth/logout',
  'GET /api/v1/auth/me', 'GET /api/v1/municipalities', 'GET /api/v1/m/{municipality}',
  'POST /api/v1/m/{municipality}/appeals', 'GET /api/v1/m/{municipality}/appeals', 'POST /api/v1/m/{municipality}/reception/appeals',
  'GET /api/v1/m/{municipality}/appeals/{id}', 'GET /api/v1/m/{municipality}/appeals/{id}/audit',
  'GET /api/v1/m/{municipality}/my/appeals', 'GET /api/v1/m/{municipality}/my/appeals/{id}',
  ...['assign', 'start', 'redirect', 'extend', 'answer', 'close', 'reopen', 'leave-without-consideration', 'notes', 'links', 'attachments']
    .map((a) => `POST /api/v1/m/{municipality}/appeals/{id}/${a}`),
  'GET /api/v1/m/{municipality}/attachments/{id}',
];

/** A valid body for the operations whose validity needs real data; others get one built from their schema. */
const VALID_BODY: Record<string, () => unknown> = {
  'POST /api/v1/auth/staff/login': () => ({ municipality: 'bishkek', email: 'admin@bishkek.example', password: 'not-the-password' }),
  'POST /api/v1/auth/code/request': () => ({ destination: 'robustness@example.kg' }),
  'POST /api/v1/auth/code/verify': () => ({ destination: 'robustness@example.kg', code: '000000' }),
  'POST /api/v1/m/{municipality}/appeals': appealBody,
  'POST /api/v1/m/{municipality}/reception/appeals': () => ({ ...appealBody(), channel: 'in_person' }),
  'POST /api/v1/m/{municipality}/appeals/{id}/assign': () => ({ serviceId: ids.service('roads-enterprise') }),
  'POST /api/v1/m/{municipality}/appeals/{id}/redirect': () => ({ externalBody: 'Ministry of Transport', reason: 'A national road, not the city’s' }),
  'POST /api/v1/m/{municipality}/appeals/{id}/extend': () => ({ days: 1, reason: 'Needs a site visit' }),
  'POST /api/v1/m/{municipality}/appeals/{id}/answer': () => ({ body: 'The pothole was filled on Monday; thank you.' }),
  'POST /api/v1/m/{municipality}/appeals/{id}/reopen': () => ({ reason: 'Not fixed after all' }),
  'POST /api/v1/m/{municipality}/appeals/{id}/leave-without-consideration': () => ({ ground: 'anonymous', reason: 'No name was given' }),
  'POST /api/v1/m/{municipality}/appeals/{id}/notes': () => ({ body: 'Called the resident back.' }),
  'POST /api/v1/m/{municipality}/appeals/{id}/links': () => ({ duplicateOfId: null }),
};

// ---- schemas: a valid sample, and one with every property of the wrong type ---------------------------------------

function sample(s: Schema | undefined, depth = 0): unknown {
  if (!s || depth > 8) return null;
  if ('const' in s) return s.const;
  if (s.enum) return s.enum[0];
  if (s.default !== undefined && s.default !== null) return s.default;
  const alternatives = s.anyOf ?? s.oneOf;
  if (alternatives) return sample(alternatives.find((a: Schema) => a.type !== 'null') ?? alternatives[0], depth + 1);
  if (s.allOf) return sample(s.allOf[0], depth + 1);
  switch (s.type) {
    case 'string': {
      if (s.format === 'uuid') return randomUUID();
      if (s.format === 'email') return 'robustness@example.kg';
      if (s.format === 'date') return '2026-06-01';
      if (s.format === 'date-time') return '2026-06-01T10:00:00+06:00';
      const min = Math.max(s.minLength ?? 1, 1);
      const candidates = ['robustness', 'robust-1', '123456', 'a'.repeat(min), 'Robustness sample text, long enough.'];
      const fits = (c: string) => c.length >= min && c.length <= (s.maxLength ?? Infinity) && (!s.pattern || new RegExp(s.pattern).test(c));
      return candidates.find(fits) ?? 'x'.repeat(min);
    }
    case 'integer': case 'number': return Math.min(Math.max(s.minimum ?? 1, 1), s.maximum ?? Infinity);
    case 'boolean': return true;
    case 'array': return Array.from({ length: s.minItems ?? 0 }, () => sample(s.items, depth + 1));
    case 'object': return Object.fromEntries((s.required ?? []).map((k: string) => [k, sample(s.properties?.[k], depth + 1)]));
    default: return null;
  }
}

function wrongTypeFor(s: Schema | undefined): unknown {
  const type = s?.type ?? (s?.anyOf ?? s?.oneOf)?.find((a: Schema) => a.type !== 'null')?.type ?? (s?.enum ? 'string' : undefined);
  switch (type) {
    case 'string': return 12345;
    case 'integer': case 'number': return 'twelve';
    case 'boolean': return 'yes';
    case 'array': return { not: 'an array' };
    case 'object': return ['not', 'an', 'object'];
    default: return { unexpected: [true] };
  }
}

/** Paths to every string in a value (for putting a NUL into each, one at a time). */
function stringLeaves(v: unknown, at: (string | number)[] = []): (string | number)[][] {
  if (typeof v === 'string') return [at];
  if (Array.isArray(v)) return v.flatMap((x, i) => stringLeaves(x, [...at, i]));
  if (v && typeof v === 'object') return Object.entries(v).flatMap(([k, x]) => stringLeaves(x, [...at, k]));
  return [];
}
function withLeaf(v: unknown, at: (string | number)[], f: (s: string) => string): unknown {
  const copy = structuredClone(v) as Record<string | number, unknown>;
  let node = copy;
  for (const k of at.slice(0, -1)) node = node[k] as Record<string | number, unknown>;
  node[at.at(-1)!] = f(node[at.at(-1)!] as string);
  return copy;
}

const acceptsNull = (s: Schema): boolean => s.type === 'null' || (Array.isArray(s.type) && s.type.includes('null'))
  || [...(s.anyOf ?? []), ...(s.oneOf ?? [])].some(acceptsNull);
const bodySchemaOf = (op: Operation): Schema | undefined => op.spec.requestBody?.content?.['application/json']?.schema;

// ---- who asks ----------------------------------------------------------------------------------------------------

type Who = 'anonymous' | 'admin' | 'citizen';
const WHO: Who[] = ['anonymous', 'admin', 'citizen'];
const headersOf = (who: Who): Record<string, string> =>
  who === 'admin' ? { ...admin.headers } : who === 'citizen' ? { authorization: `Bearer ${citizen.token}` } : {};
/** A fuzzed request may end the session it came with (logout): sign in again for the next one. */
async function renewIfSignedOut(who: Who, op: Operation, res: Res) {
  if ((op.path === '/api/v1/auth/logout' || op.path === '/api/v1/app/auth/logout') && res.statusCode < 300) {
    if (who === 'admin') admin = await t.staff('admin');
    if (who === 'citizen') citizen = await t.citizen(nextPhone());
  }
}

// ---- requests and what every answer must look like ----------------------------------------------------------------

const UNSAFE = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

const VALID_PARAM: Record<string, () => string> = { municipality: () => 'bishkek', id: () => appealId, date: () => '2026-06-01' };
/** Path parameters that are ids (…Id): a well-formed id of nothing, so the body and query probes reach validation. */
const validParam = (name: string) => (VALID_PARAM[name] ?? (/Id$/.test(name) ? () => randomUUID() : () => 'robustness'))();
const GARBAGE_PARAMS = [
  'not-a-uuid', '%00', 'x'.repeat(5000), '%E0%A4%A', '%zz', '..%2F..%2Fetc%2Fpasswd', '%F0%9F%92%A9', '-1', '%20', randomUUID().toUpperCase(),
  "1'%20OR%20'1'%3D'1", '00000000-0000-0000-0000-000000000000', '2026-13-45',
];

function urlOf(op: Operation, params: Record<string, string> = {}, query = '') {
  const path = op.path.replace(/\{(\w+)\}/g, (_, name: string) => params[name] ?? validParam(name));
  return query ? `${path}?${query}` : path;
}

interface Expectation { status?: number; code?: string; detailPath?: string }
interface Probe { label: string; url: string; payload?: string | Buffer; headers?: Record<string, string>; expect?: Expectation }

/** Everything wrong with one answer, as text (empty: fine). */
function problemsOf(res: Res, expected: Expectation | undefined, opKey: string): string[] {
  const p: string[] = [];
  if (res.statusCode >= 500) p.push(`status ${res.statusCode} (a 5xx): ${res.body.slice(0, 200)}`);
  if (res.statusCode < 200) p.push(`status ${res.statusCode}`);
  if (res.statusCode >= 400) {
    if (!/^application\/json/.test(String(res.headers['content-type']))) p.push(`content-type ${String(res.headers['content-type'])}`);
    let body: any;
    try { body = JSON.parse(res.body); } catch { p.push(`body is not JSON: ${res.body.slice(0, 120)}`); }
    const e = body?.error;
    if (!e || typeof e.code !== 'string' || !e.code || typeof e.message !== 'string' || !e.message) p.push(`not {error:{code,message}}: ${res.body.slice(0, 160)}`);
    else if (Object.keys(body).length !== 1 || Object.keys(e).some((k) => !['code', 'message', 'details'].includes(k))) p.push(`extra keys: ${res.body.slice(0, 160)}`);
    if (expected?.code && e?.code !== expected.code) p.push(`code ${e?.code}, expected ${expected.code}`);
    if (expected?.detailPath !== undefined && !(Array.isArray(e?.details) && e.details.some((d: { path?: string }) => d.path === expected.detailPath))) {
      p.push(`details name no "${expected.detailPath}": ${JSON.stringify(e?.details)?.slice(0, 160)}`);
    }
  } else if (res.statusCode < 300 && !opKey.startsWith('GET /api/v1/m/{municipality}/attachments/')
    // Downloads (exports of a list or table as CSV/XLSX) are files, not JSON.
    && !String(res.headers['content-disposition'] ?? '').startsWith('attachment')) {
    // GeoJSON for maps is JSON under its own media type.
    if (!/^application\/(geo\+)?json/.test(String(res.headers['content-type']))) p.push(`2xx with content-type ${String(res.headers['content-type'])}`);
  }
  if (expected?.status !== undefined && res.statusCode !== expected.status) p.push(`status ${res.statusCode}, expected ${expected.status}: ${res.body.slice(0, 160)}`);
  return p;
}

async function run(op: Operation, who: Who, probe: Probe, failures: string[]) {
  const res = await t.app.inject({
    method: op.method as 'GET', url: probe.url, payload: probe.payload,
    headers: { ...headersOf(who), ...probe.headers },
  });
  for (const problem of problemsOf(res, probe.expect, op.key)) failures.push(`${op.key} [${who}] ${probe.label}: ${problem}`);
  await renewIfSignedOut(who, op, res);
  return res;
}

// ---- the kinds of bad input --------------------------------------------------------------------------------------

const JSON_TYPE = { 'content-type': 'application/json' };
const TWO_MB = `{"subject":"${'a'.repeat(2 * 1024 * 1024)}"}`;
const DEEP_OBJECT = `${'{"a":'.repeat(100_000)}1${'}'.repeat(100_000)}`;
const DEEP_ARRAY = `${'['.repeat(400_000)}${']'.repeat(400_000)}`;
const MANY_KEYS = JSON.stringify(Object.fromEntries(Array.from({ length: 20_000 }, (_, i) => [`k${i}`, i])));

function bodyProbes(op: Operation, url: string): Probe[] {
  const schema = bodySchemaOf(op);
  const unsafe = UNSAFE.has(op.method);
  // Parsing happens for every unsafe method, whatever the route: these answers never depend on the route.
  const parse = (status: number, code: string): Expectation | undefined => (unsafe ? { status, code } : undefined);
  // Validation answers: for a route with a JSON body that is an object.
  const invalid: Expectation | undefined = schema ? { status: 400, code: 'validation_failed' } : undefined;
  const strictOrRequired = schema && (schema.additionalProperties === false || (schema.required ?? []).length > 0);
  const probes: Probe[] = [
    { label: 'no body', url, expect: invalid },
    { label: 'empty JSON body', url, payload: '', headers: JSON_TYPE, expect: parse(400, 'malformed_json') },
    { label: 'broken JSON', url, payload: '{"a":', headers: JSON_TYPE, expect: parse(400, 'malformed_json') },
    { label: 'broken escape', url, payload: '{"a":"\\u12"}', headers: JSON_TYPE, expect: parse(400, 'malformed_json') },
    // Invalid UTF-8 between JSON's own characters, and inside a string (decoded as U+FFFD: valid JSON, wrong body).
    { label: 'invalid UTF-8', url, payload: Buffer.from([0x7b, 0xff, 0xfe, 0x7d]), headers: JSON_TYPE, expect: parse(400, 'malformed_json') },
    { label: 'invalid UTF-8 in a key', url, payload: Buffer.from([0x7b, 0x22, 0xff, 0xfe, 0x22, 0x3a, 0x31, 0x7d]), headers: JSON_TYPE, expect: schema ? { status: 400 } : undefined },
    { label: '__proto__ key', url, payload: '{"__proto__":{"isAdmin":true}}', headers: JSON_TYPE, expect: parse(400, 'malformed_json') },
    { label: 'constructor.prototype key', url, payload: '{"constructor":{"prototype":{"isAdmin":true}}}', headers: JSON_TYPE, expect: parse(400, 'malformed_json') },
    ...['[]', '[1,2,3]', '42', '-1e999', '"a string"', 'null', 'true'].map((payload) => ({ label: `JSON ${payload}`, url, payload, headers: JSON_TYPE, expect: invalid })),
    { label: 'deeply nested object', url, payload: DEEP_OBJECT, headers: JSON_TYPE, expect: strictOrRequired ? invalid : undefined },
    { label: 'deeply nested array', url, payload: DEEP_ARRAY, headers: JSON_TYPE, expect: invalid },
    { label: '20,000 keys', url, payload: MANY_KEYS, headers: JSON_TYPE, expect: strictOrRequired ? invalid : undefined },
    { label: '2 MB body', url, payload: TWO_MB, headers: JSON_TYPE, expect: parse(413, 'body_too_large') },
    { label: 'text/plain', url, payload: 'hello', headers: { 'content-type': 'text/plain' }, expect: invalid },
    { label: 'application/xml', url, payload: '<appeal><subject>x</subject></appeal>', headers: { 'content-type': 'application/xml' }, expect: parse(415, 'unsupported_media_type') },
    { label: 'form-urlencoded', url, payload: 'subject=x&body=y', headers: { 'content-type': 'application/x-www-form-urlencoded' }, expect: parse(415, 'unsupported_media_type') },
    { label: 'content-type garbage', url, payload: '{}', headers: { 'content-type': ';;;' }, expect: parse(415, 'unsupported_media_type') },
    { label: 'multipart garbage', url, payload: 'garbage', headers: { 'content-type': 'multipart/form-data; boundary=zzz' }, expect: invalid },
    { label: 'multipart without boundary', url, payload: 'garbage', headers: { 'content-type': 'multipart/form-data' }, expect: invalid },
  ];
  if (!schema) return probes;
  const valid = (VALID_BODY[op.key] ?? (() => sample(schema)))();
  const props: Record<string, Schema> = schema.properties ?? {};
  probes.push(
    { label: 'every property of the wrong type', url, payload: JSON.stringify(Object.fromEntries(Object.entries(props).map(([k, s]) => [k, wrongTypeFor(s)]))), headers: JSON_TYPE, expect: invalid },
    { label: 'every property null', url, payload: JSON.stringify(Object.fromEntries(Object.keys(props).map((k) => [k, null]))), headers: JSON_TYPE, expect: Object.values(props).some((p) => !acceptsNull(p)) ? invalid : undefined },
    { label: 'every property a huge string', url, payload: JSON.stringify(Object.fromEntries(Object.keys(props).map((k) => [k, 'x'.repeat(30_000)]))), headers: JSON_TYPE, expect: Object.keys(props).length ? invalid : undefined },
    {
      label: 'valid body and an unknown field', url, payload: JSON.stringify({ ...(valid as object), zzzUnknown: 1 }), headers: JSON_TYPE,
      expect: schema.additionalProperties === false ? { status: 400, code: 'validation_failed', detailPath: '' } : undefined,
    },
    // Valid input: any answer but a 5xx (2xx, or 401/403/404/409 depending on who asks).
    { label: 'a valid body', url, payload: JSON.stringify(valid), headers: JSON_TYPE },
  );
  for (const leaf of stringLeaves(valid).slice(0, 8)) {
    probes.push({ label: `NUL in ${leaf.join('.')}`, url, payload: JSON.stringify(withLeaf(valid, leaf, (s) => `${s}\u0000x`)), headers: JSON_TYPE });
    probes.push({ label: `lone surrogate in ${leaf.join('.')}`, url, payload: JSON.stringify(withLeaf(valid, leaf, (s) => `${s}\ud800`)), headers: JSON_TYPE });
  }
  // A required field missing: the details name it.
  const required: string[] = schema.required ?? [];
  if (required.length && valid && typeof valid === 'object') {
    const { [required[0]!]: _, ...rest } = valid as Record<string, unknown>;
    probes.push({ label: `missing ${required[0]}`, url, payload: JSON.stringify(rest), headers: JSON_TYPE, expect: { status: 400, code: 'validation_failed', detailPath: required[0] } });
  }
  return probes;
}

const badTimestampCursor = Buffer.from(JSON.stringify(['not-a-timestamp', randomUUID()])).toString('base64url');
const farCursor = Buffer.from(JSON.stringify(['99999-01-01T00:00:00Z', randomUUID()])).toString('base64url');
/** [query, the parameter it is about, whether the schema alone must refuse it]. */
const QUERY_CASES: [string, string, boolean][] = [
  ['limit=-1', 'limit', true], ['limit=abc', 'limit', true], ['limit=1e999', 'limit', true], ['limit=0', 'limit', true],
  ['limit=99999999999999999999999', 'limit', true], ['limit=1&limit=2', 'limit', true], ['limit=2.5', 'limit', true],
  ['cursor=garbage', 'cursor', false], [`cursor=${badTimestampCursor}`, 'cursor', false], [`cursor=${farCursor}`, 'cursor', false],
  [`cursor=${'A'.repeat(501)}`, 'cursor', true], ['cursor=%00', 'cursor', false],
  ['from=2026-13-45', 'from', true], ['from=2026-02-30', 'from', true], ['from=yesterday', 'from', true],
  ['from=0000-01-01', 'from', false], ['to=9999-12-31', 'to', false], ['from=2026-06-01&to=2026-01-01', 'to', false],
  ['status=nonsense', 'status', false], ['status=registered,,closed', 'status', false], ['status=%00', 'status', true],
  ['status=registered&status=closed', 'status', false], ['overdue=maybe', 'overdue', true], ['overdue=', 'overdue', false],
  ['q=%00', 'q', false], ['q=%25%5F%5C', 'q', false], [`q=${'a'.repeat(201)}`, 'q', true], ['q=%E0%A4%A', 'q', false],
  ['dueWithinDays=-5', 'dueWithinDays', true], ['dueWithinDays=abc', 'dueWithinDays', true],
  ['categoryId=not-a-uuid', 'categoryId', true], ['districtId=%00', 'districtId', true], ['kind=nonsense', 'kind', true],
  ['year=abc', 'year', true], ['year=-1', 'year', true], ['days=abc', 'days', true], ['days=99999999', 'days', true],
  ['zzzUnknown=1', '*', false], ['a[b][c]=1', '*', false], ['%zz=%zz', '*', false], ['&&&==&', '*', false],
];

function queryProbes(op: Operation): Probe[] {
  const declared = new Set<string>((op.spec.parameters ?? []).filter((p: Schema) => p.in === 'query').map((p: Schema) => p.name));
  return QUERY_CASES.map(([query, param, schemaRefuses]) => ({
    label: `?${query.slice(0, 60)}`, url: urlOf(op, {}, query),
    expect: declared.has(param) && schemaRefuses ? { status: 400, code: 'validation_failed', detailPath: param } : undefined,
  }));
}

function headerProbes(op: Operation, who: Who): Probe[] {
  const url = urlOf(op);
  const declared = new Set<string>((op.spec.parameters ?? []).filter((p: Schema) => p.in === 'header').map((p: Schema) => p.name));
  const probes: Probe[] = [
    { label: 'garbage Accept-Language', url, headers: { 'accept-language': ';;q=abc,*;q=-1,zz-ZZ' } },
    { label: 'empty bearer', url, headers: { authorization: 'Bearer ' } },
    { label: 'garbage API key', url, headers: { 'x-api-key': 'shk_zz_!!!' } },
    { label: 'garbage ApiKey scheme', url, headers: { authorization: 'ApiKey shk_abc_def' } },
    { label: 'undecodable cookie', url, headers: { cookie: 'shaar_session=%E0%A4%A; other=%zz' } },
    { label: 'huge cookie', url, headers: { cookie: `shaar_session=${'a'.repeat(8000)}` } },
  ];
  if (declared.has('if-match')) probes.push({ label: 'If-Match garbage', url, headers: { 'if-match': 'W/"nonsense"' }, expect: { status: 400, code: 'validation_failed' } });
  if (declared.has('idempotency-key')) probes.push({ label: 'Idempotency-Key too short', url, headers: { 'idempotency-key': 'x' }, expect: { status: 400, code: 'validation_failed' } });
  if (who === 'admin' && UNSAFE.has(op.method) && !CSRF_EXEMPT.has(op.path)) {
    // The cookie without the right CSRF token: refused before anything else.
    probes.push({ label: 'cookie with a forged CSRF token', url, headers: { 'x-csrf-token': 'forged' }, expect: { status: 403, code: 'csrf_failed' } });
  }
  return probes;
}

function paramProbes(op: Operation): Probe[] {
  const names = [...op.path.matchAll(/\{(\w+)\}/g)].map((m) => m[1]!);
  const probes: Probe[] = [{ label: 'random UUID ids', url: urlOf(op, { id: randomUUID() }) }];
  for (const name of names) {
    for (const garbage of GARBAGE_PARAMS) {
      probes.push({ label: `${name}=${garbage.slice(0, 40)}`, url: urlOf(op, { [name]: garbage }) });
      if (UNSAFE.has(op.method) && bodySchemaOf(op)) {
        probes.push({ label: `${name}=${garbage.slice(0, 40)} + wrong body`, url: urlOf(op, { [name]: garbage }), payload: '{"zzz":[1,{}]}', headers: JSON_TYPE });
      }
    }
  }
  return probes;
}

// ---- the document ------------------------------------------------------------------------------------------------

/** The routes the router knows (from printRoutes' tree), as "METHOD /path/{param}". */
function routerOperations(): string[] {
  const out: string[] = [];
  const stack: string[] = [];
  for (const line of t.app.printRoutes({ commonPrefix: false }).split('\n')) {
    const m = /^((?:│ {3}| {4})*)(?:├── |└── )(.*?)(?: \(([A-Z, ]+)\))?$/.exec(line);
    if (!m) continue;
    const depth = m[1]!.length / 4;
    const path = (depth > 0 ? stack[depth - 1]! : '') + m[2]!;
    stack[depth] = path;
    stack.length = depth + 1;
    for (const method of (m[3] ?? '').split(', ').filter((x) => x && x !== 'HEAD' && x !== 'OPTIONS')) {
      out.push(`${method} ${path.replace(/:(\w+)/g, '{$1}')}`);
    }
  }
  return out;
}

describe('the OpenAPI document', () => {
  it('is served as OpenAPI 3.1 and describes the known routes', () => {
    expect(docRes.statusCode).toBe(200);
    expect(doc.openapi).toMatch(/^3\.1\./);
    const documented = new Set(operations.map((o) => o.key));
    expect(KNOWN.filter((k) => !documented.has(k))).toEqual([]);
  });

  it('describes every /api/v1 route the router has, and nothing the router lacks', () => {
    const routed = routerOperations().filter((k) => k.split(' ')[1]!.startsWith('/api/v1/'));
    expect(routed).toContain('GET /api/v1/m/{municipality}/appeals/{id}/audit');
    expect(routed.length).toBeGreaterThanOrEqual(KNOWN.length);
    expect(routed.filter((k) => !operations.some((o) => o.key === k))).toEqual([]);
    expect(operations.map((o) => o.key).filter((k) => !routed.includes(k))).toEqual([]);
  });

  it('gives every operation a summary, a success response and its error responses, with schemas', () => {
    const problems: string[] = [];
    for (const op of operations) {
      const r: Record<string, Schema> = op.spec.responses ?? {};
      if (typeof op.spec.summary !== 'string' || op.spec.summary.trim().length < 5) problems.push(`${op.key}: no summary`);
      if (!Object.keys(r).some((s) => /^2\d\d$/.test(s))) problems.push(`${op.key}: no 2xx response`);
      for (const [status, resp] of Object.entries(r)) {
        if (!resp.description) problems.push(`${op.key} ${status}: no description`);
        for (const [type, media] of Object.entries<Schema>(resp.content ?? {})) if (!media.schema) problems.push(`${op.key} ${status} ${type}: no schema`);
        if (/^[45]\d\d$/.test(status) && !resp.content?.['application/json']?.schema?.properties?.error) problems.push(`${op.key} ${status}: not the error schema`);
      }
      const takesInput = (op.spec.parameters ?? []).length > 0 || op.spec.requestBody;
      if (takesInput && !r['400']) problems.push(`${op.key}: takes input but documents no 400`);
      if ((op.spec.security ?? []).length > 0 && (!r['401'] || !r['403'])) problems.push(`${op.key}: secured but documents no 401/403`);
      if (op.spec.requestBody && !bodySchemaOf(op)) problems.push(`${op.key}: a body that is not JSON`);
    }
    expect(problems).toEqual([]);
  });
});

// ---- every operation, every kind of garbage ----------------------------------------------------------------------

describe('garbage to every operation: 4xx JSON errors, never a 5xx', () => {
  it('found operations to test', () => {
    expect(operations.length).toBeGreaterThanOrEqual(KNOWN.length);
  });

  for (const op of operations) {
    it(op.key, { timeout: 180_000 }, async () => {
      const failures: string[] = [];
      for (const who of WHO) {
        for (const probe of paramProbes(op)) await run(op, who, probe, failures);
        for (const probe of bodyProbes(op, urlOf(op, { id: randomUUID() }))) await run(op, who, probe, failures);
        // With the real appeal's id: past "not found", into the handlers (valid bodies and NULs reach the database).
        if (op.path.includes('{id}')) for (const probe of bodyProbes(op, urlOf(op))) await run(op, who, probe, failures);
        for (const probe of queryProbes(op)) await run(op, who, probe, failures);
        for (const probe of headerProbes(op, who)) await run(op, who, probe, failures);
      }
      expect(failures).toEqual([]);
    });
  }
});

// ---- languages ---------------------------------------------------------------------------------------------------

describe('error messages in the request language', () => {
  const LOCALES: Locale[] = ['ky', 'ru', 'en'];
  const login = (headers: Record<string, string>, payload: unknown = {}) =>
    t.app.inject({ method: 'POST', url: '/api/v1/auth/staff/login', headers, payload: payload as object });

  it.each(LOCALES)('validation_failed in %s, with a path and a translated issue for each missing field', async (locale) => {
    const res = await login({ 'accept-language': locale });
    expect(res.statusCode).toBe(400);
    const { error } = json(res);
    expect(error.code).toBe('validation_failed');
    expect(error.message).toBe(translate(locale, 'error.validation_failed'));
    expect(error.details).toEqual(expect.arrayContaining(['municipality', 'email', 'password'].map((path) => ({
      in: 'body', path, code: 'invalid_type', message: translate(locale, 'issue.required'),
    }))));
  });

  it('the three languages really differ (the catalogue is not one language thrice)', () => {
    const messages = new Set(LOCALES.map((l) => translate(l, 'error.validation_failed')));
    expect(messages.size).toBe(3);
  });

  it('a wrong type and a too-short value are explained in the language asked for', async () => {
    const res = await login({ 'accept-language': 'ru' }, { municipality: 7, email: 'ab', password: 'x' });
    const details: { path: string; message: string; code: string }[] = json(res).error.details;
    expect(details).toEqual(expect.arrayContaining([
      expect.objectContaining({ path: 'municipality', code: 'invalid_type', message: translate('ru', 'issue.invalid_type', { expected: 'string' }) }),
      expect.objectContaining({ path: 'email', code: 'too_small', message: translate('ru', 'issue.too_small_string', { minimum: 3 }) }),
    ]));
  });

  it('picks the language by weight and falls back to Kyrgyz', async () => {
    const cases: [string | undefined, Locale][] = [
      ['ru-RU,ru;q=0.9,en;q=0.8', 'ru'], ['de-DE,en;q=0.5,ru;q=0.4', 'en'], ['en;q=0.1,ky;q=0.9', 'ky'], ['de', 'ky'], [undefined, 'ky'], ['ru;q=0', 'ky'],
    ];
    for (const [header, locale] of cases) {
      const res = await login(header ? { 'accept-language': header } : {});
      expect(json(res).error.message, String(header)).toBe(translate(locale, 'error.validation_failed'));
    }
  });

  it("Fastify's own refusals speak the language too: broken JSON, too large, wrong media type, unknown route, bad URL", async () => {
    const broken = await t.app.inject({ method: 'POST', url: '/api/v1/auth/staff/login', headers: { ...JSON_TYPE, 'accept-language': 'en' }, payload: '{"a":' });
    expect(json(broken).error).toEqual({ code: 'malformed_json', message: translate('en', 'error.malformed_json') });
    const large = await t.app.inject({ method: 'POST', url: '/api/v1/auth/staff/login', headers: { ...JSON_TYPE, 'accept-language': 'ru' }, payload: TWO_MB });
    expect(large.statusCode).toBe(413);
    expect(json(large).error).toEqual({ code: 'body_too_large', message: translate('ru', 'error.body_too_large', { limit: 1_048_576 }) });
    const xml = await t.app.inject({ method: 'POST', url: '/api/v1/auth/staff/login', headers: { 'content-type': 'application/xml', 'accept-language': 'ky' }, payload: '<a/>' });
    expect(json(xml).error).toEqual({ code: 'unsupported_media_type', message: translate('ky', 'error.unsupported_media_type') });
    const route = await t.app.inject({ method: 'GET', url: '/api/v1/no/such/route', headers: { 'accept-language': 'ru' } });
    expect(route.statusCode).toBe(404);
    expect(json(route).error).toEqual({ code: 'route_not_found', message: translate('ru', 'error.route_not_found') });
    const badUrl = await t.app.inject({ method: 'GET', url: '/api/v1/m/%E0%A4%A', headers: { 'accept-language': 'en' } });
    expect(badUrl.statusCode).toBe(400);
    expect(json(badUrl).error).toEqual({ code: 'bad_url', message: translate('en', 'error.route_not_found') });
    const longParam = await t.app.inject({ method: 'GET', url: `/api/v1/m/${'x'.repeat(5000)}`, headers: { 'accept-language': 'ru' } });
    expect(longParam.statusCode).toBe(414);
    expect(json(longParam).error.message).toBe(translate('ru', 'error.route_not_found'));
    // The refused URL is not echoed back.
    expect(longParam.body).not.toContain('xxxxxxxxxx');
  });

  it('domain errors too: csrf_failed and not_found in Russian', async () => {
    const csrf = await t.app.inject({ method: 'POST', url: '/api/v1/m/bishkek/appeals', headers: { cookie: citizen.headers.cookie!, 'accept-language': 'ru' }, payload: appealBody() });
    expect(json(csrf).error).toEqual({ code: 'csrf_failed', message: translate('ru', 'error.csrf_failed') });
    const missing = await t.app.inject({ method: 'GET', url: `/api/v1/m/bishkek/my/appeals/${randomUUID()}`, headers: { ...citizen.headers, 'accept-language': 'ru' } });
    expect(missing.statusCode).toBe(404);
    expect(json(missing).error.message).toBe(translate('ru', 'error.not_found'));
  });
});

// ---- inputs the database refuses: 400, not 500 -------------------------------------------------------------------

describe('input that only the database can refuse', () => {
  it('a NUL character in a text field is a 400 validation_failed (PostgreSQL cannot store it)', async () => {
    const appeal = await t.app.inject({ method: 'POST', url: '/api/v1/m/bishkek/appeals', headers: citizen.headers, payload: { ...appealBody(), subject: 'Pot\u0000hole' } });
    expect(appeal.statusCode).toBe(400);
    expect(json(appeal).error.code).toBe('validation_failed');
    const login = await t.app.inject({ method: 'POST', url: '/api/v1/auth/staff/login', payload: { municipality: 'bishkek', email: 'ad\u0000min@bishkek.example', password: 'x' } });
    expect(login.statusCode).toBeLessThan(500);
    expect(login.statusCode).toBeGreaterThanOrEqual(400);
    const search = await t.app.inject({ method: 'GET', url: '/api/v1/m/bishkek/appeals?q=a%00b', headers: admin.headers });
    expect(search.statusCode).toBe(400);
  });

  it('a cursor holding an impossible timestamp, and a year 0 date, are 400s', async () => {
    for (const query of [`cursor=${badTimestampCursor}`, 'from=0000-01-01']) {
      const res = await t.app.inject({ method: 'GET', url: `/api/v1/m/bishkek/appeals?${query}`, headers: admin.headers });
      expect(res.statusCode, query).toBe(400);
      expect(json(res).error.code).toBe('validation_failed');
    }
  });

  it('a valid request after all that still works', async () => {
    const list = await t.app.inject({ method: 'GET', url: '/api/v1/m/bishkek/appeals?limit=5', headers: admin.headers });
    expect(list.statusCode).toBe(200);
    expect(json(list).items).toHaveLength(5);
    const one = await t.app.inject({ method: 'GET', url: `/api/v1/m/bishkek/appeals/${appealId}`, headers: admin.headers });
    expect(one.statusCode).toBe(200);
    expect(json(one).id).toBe(appealId);
  });
});

describe('the server stays up', () => {
  it('answers /healthz and /readyz after everything above', async () => {
    const health = await t.app.inject({ method: 'GET', url: '/healthz' });
    expect(health.statusCode).toBe(200);
    expect(json(health)).toEqual({ status: 'ok' });
    const ready = await t.app.inject({ method: 'GET', url: '/readyz' });
    expect(ready.statusCode).toBe(200);
    expect(json(ready).status).toBe('ready');
  });
});
