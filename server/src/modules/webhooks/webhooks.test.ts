import { createHmac } from 'node:crypto';
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { and, eq, sql } from 'drizzle-orm';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createTestApp, json, type Ids, type Session, type TestApp } from '../../test-support/test-app.js';
import { webhookDeliveries } from '../../platform/db/schema.js';
import { verifyWebhook } from './webhook-deliveries.js';

interface Received { path: string; headers: IncomingHttpHeaders; body: string }

/** A real HTTP receiver on a free port: records every request and answers with `answer(path)`. */
const received: Received[] = [];
let answer: (path: string) => number = () => 200;
let receiver: Server;
let receiverUrl = '';

let t: TestApp;
let ids: Ids;
let admin: Session;
let operator: Session;
const M = '/api/v1/m/bishkek';

beforeAll(async () => {
  receiver = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const path = req.url ?? '/';
      received.push({ path, headers: req.headers, body: Buffer.concat(chunks).toString('utf8') });
      res.statusCode = answer(path);
      res.end('ok');
    });
  });
  await new Promise<void>((r) => receiver.listen(0, '127.0.0.1', () => r()));
  receiverUrl = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}`;
  t = await createTestApp();
  ids = await t.ids();
  admin = await t.staff('admin');
  operator = await t.staff('operator');
});
afterAll(async () => {
  await t?.close();
  await new Promise<void>((r) => receiver.close(() => r()));
});
beforeEach(() => { received.length = 0; answer = () => 200; });

async function apiKey(scopes: string[], session = admin, city = 'bishkek'): Promise<string> {
  const res = await t.app.inject({ method: 'POST', url: `/api/v1/m/${city}/admin/api-keys`, headers: session.headers, payload: { name: `key ${scopes.join(' ')}`, scopes } });
  expect(res.statusCode, res.body).toBe(201);
  return json(res).key as string;
}

async function subscribe(key: string, path: string, events: string[] = [], city = 'bishkek') {
  return t.app.inject({ method: 'POST', url: `/api/v1/m/${city}/integrations/webhooks`, headers: { 'x-api-key': key }, payload: { url: `${receiverUrl}${path}`, events } });
}

const APPLICANT = { fullName: 'Азамат Керимов', phone: '0700 123 456', email: 'azamat.kerimov@example.kg', address: 'ул. Токтогула 12' };
const SUBJECT = 'Яма на проспекте Чуй';
const BODY = 'Глубокая яма у остановки уже месяц, машины объезжают по встречной.';

async function fileAppeal(): Promise<{ id: string; registrationNumber: string }> {
  const res = await t.app.inject({
    method: 'POST', url: `${M}/reception/appeals`, headers: operator.headers,
    payload: { kind: 'complaint', channel: 'in_person', categoryId: ids.category('roads.pothole'), subject: SUBJECT, body: BODY, applicant: APPLICANT, language: 'ru' },
  });
  expect(res.statusCode, res.body).toBe(201);
  return json(res);
}

async function fileByIntegrator(key: string): Promise<{ id: string; registrationNumber: string }> {
  const res = await t.app.inject({
    method: 'POST', url: `${M}/appeals`, headers: { 'x-api-key': key },
    payload: { kind: 'statement', categoryId: ids.category('lighting.off'), subject: 'Street light out', body: 'The light at the corner is out.', applicant: { fullName: 'Бермет Асанова' } },
  });
  expect(res.statusCode, res.body).toBe(201);
  return json(res);
}

const deliveriesOf = (appealId: string) => t.services.database.db.select().from(webhookDeliveries).where(eq(webhookDeliveries.appealId, appealId));

describe('webhook subscriptions', () => {
  it('creates a subscription with a secret shown once; https required except for localhost outside production', async () => {
    const key = await apiKey(['appeals:read']);
    const created = await subscribe(key, '/hook');
    expect(created.statusCode, created.body).toBe(201);
    const sub = json(created);
    expect(sub.secret).toMatch(/^whsec_[A-Za-z0-9_-]{40,}$/);
    const list = await t.app.inject({ method: 'GET', url: `${M}/integrations/webhooks`, headers: { 'x-api-key': key } });
    expect(json(list).items).toEqual([expect.objectContaining({ id: sub.id, url: `${receiverUrl}/hook`, events: [], revokedAt: null })]);
    expect(list.body).not.toContain(sub.secret);

    for (const url of ['http://example.org/hook', 'ftp://example.org/x', 'not a url', 'https://user:pw@example.org/x']) {
      const bad = await t.app.inject({ method: 'POST', url: `${M}/integrations/webhooks`, headers: { 'x-api-key': key, 'accept-language': 'ru' }, payload: { url } });
      expect(bad.statusCode, url).toBe(400);
      expect(json(bad).error.details[0]).toMatchObject({ path: 'url', code: 'webhook_url', message: expect.stringContaining('https://') });
    }
    const badEvent = await t.app.inject({ method: 'POST', url: `${M}/integrations/webhooks`, headers: { 'x-api-key': key }, payload: { url: 'https://example.org/h', events: ['exploded'] } });
    expect(badEvent.statusCode).toBe(400);
    expect((await t.app.inject({ method: 'POST', url: `${M}/integrations/webhooks`, headers: { 'x-api-key': key }, payload: { url: 'https://example.org/h' } })).statusCode).toBe(201);
    // Nothing unneeded was stored by the refused calls.
    expect(json(await t.app.inject({ method: 'GET', url: `${M}/integrations/webhooks`, headers: { 'x-api-key': key } })).items).toHaveLength(2);
  });

  it('refuses staff sessions, keys of another city (403) and other integrators\' subscriptions (404)', async () => {
    const key = await apiKey(['appeals:read']);
    const other = await apiKey(['appeals:write']);
    const sub = json(await subscribe(key, '/x'));
    const osh = await t.staff('admin', 'osh');
    const oshKey = await apiKey(['appeals:read'], osh, 'osh');
    expect((await subscribe(oshKey, '/x')).statusCode).toBe(403);
    expect((await t.app.inject({ method: 'GET', url: `${M}/integrations/webhooks`, headers: { 'x-api-key': oshKey } })).statusCode).toBe(403);
    expect((await t.app.inject({ method: 'GET', url: `${M}/integrations/webhooks`, headers: admin.headers })).statusCode).toBe(403);
    expect((await t.app.inject({ method: 'GET', url: `${M}/integrations/webhooks` })).statusCode).toBe(401);
    expect((await t.app.inject({ method: 'DELETE', url: `${M}/integrations/webhooks/${sub.id}`, headers: { 'x-api-key': other } })).statusCode).toBe(404);
    expect((await t.app.inject({ method: 'GET', url: `${M}/integrations/webhooks/${sub.id}/deliveries`, headers: { 'x-api-key': other } })).statusCode).toBe(404);
    // Osh's admin does not see Bishkek's subscriptions.
    expect((await t.app.inject({ method: 'GET', url: `${M}/admin/webhooks`, headers: osh.headers })).statusCode).toBe(403);
    expect((await t.app.inject({ method: 'GET', url: `${M}/admin/webhooks`, headers: operator.headers })).statusCode).toBe(403);
    const adminList = json(await t.app.inject({ method: 'GET', url: `${M}/admin/webhooks`, headers: admin.headers }));
    expect(adminList.items.map((s: { id: string }) => s.id)).toContain(sub.id);
    expect(JSON.stringify(adminList)).not.toContain('whsec_');
  });
});

describe('webhook deliveries', () => {
  it('sends a signed payload with public fields only; the receiver verifies the signature', async () => {
    const key = await apiKey(['appeals:read']);
    const sub = json(await subscribe(key, '/signed'));
    const a = await fileAppeal();
    await t.services.jobs.runDue();
    const got = received.filter((r) => r.path === '/signed');
    expect(got).toHaveLength(1);
    const r = got[0]!;
    const [row] = await deliveriesOf(a.id).then((rows) => rows.filter((d) => d.subscriptionId === sub.id));
    expect(row).toMatchObject({ status: 'delivered', attempts: 1, lastStatusCode: 200 });
    expect(r.headers['content-type']).toBe('application/json');
    expect(r.headers['x-shaar-event']).toBe('registered');
    expect(r.headers['x-shaar-delivery']).toBe(row!.id);
    const ts = r.headers['x-shaar-timestamp'] as string;
    expect(Number(ts)).toBe(Math.floor(t.clock.now().getTime() / 1000));
    const expected = `sha256=${createHmac('sha256', sub.secret as string).update(`${ts}.${r.body}`).digest('hex')}`;
    expect(r.headers['x-shaar-signature']).toBe(expected);
    expect(verifyWebhook(sub.secret, { timestamp: ts, signature: expected }, r.body, Number(ts))).toBe(true);
    expect(verifyWebhook(sub.secret, { timestamp: ts, signature: expected }, r.body.replace('registered', 'closed'), Number(ts))).toBe(false);
    expect(verifyWebhook(sub.secret, { timestamp: ts, signature: expected }, r.body, Number(ts) + 3600)).toBe(false);

    const payload = JSON.parse(r.body);
    expect(payload).toEqual({
      id: row!.id, event: 'registered', occurredAt: expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/), municipality: 'bishkek',
      appeal: { id: a.id, registrationNumber: a.registrationNumber, status: 'registered', kind: 'complaint', channel: 'in_person', category: 'roads.pothole', service: expect.any(String), dueDate: expect.stringMatching(/^\d{4}-\d\d-\d\d$/) },
    });
    for (const personal of [APPLICANT.fullName, 'Азамат', APPLICANT.email, '700123456', '123 456', APPLICANT.address, SUBJECT, BODY]) {
      expect(r.body).not.toContain(personal);
    }
  });

  it('filters by the subscription\'s events, and by what the key may see', async () => {
    const reader = await apiKey(['appeals:read']);
    const writer = await apiKey(['appeals:write']);
    json(await subscribe(reader, '/assigned-only', ['assigned']));
    json(await subscribe(writer, '/writer'));
    const staffFiled = await fileAppeal();
    const own = await fileByIntegrator(writer);
    await t.services.jobs.runDue();
    // The writer hears of its own appeal only; 'assigned' has not happened yet.
    expect(received.filter((r) => r.path === '/assigned-only')).toHaveLength(0);
    const writerGot = received.filter((r) => r.path === '/writer').map((r) => JSON.parse(r.body));
    expect(writerGot.map((p) => [p.event, p.appeal.id])).toEqual([['registered', own.id]]);

    received.length = 0;
    const assign = await t.app.inject({ method: 'POST', url: `${M}/appeals/${staffFiled.id}/assign`, headers: operator.headers, payload: { serviceId: ids.service('tazalyk') } });
    expect(assign.statusCode, assign.body).toBe(200);
    await t.services.jobs.runDue();
    const assigned = received.filter((r) => r.path === '/assigned-only').map((r) => JSON.parse(r.body));
    expect(assigned.map((p) => [p.event, p.appeal.id, p.appeal.status, p.appeal.service])).toEqual([['assigned', staffFiled.id, 'assigned', 'tazalyk']]);
    expect(received.filter((r) => r.path === '/writer')).toHaveLength(0);
  });

  it('retries a 500 with backoff: the same delivery id three times, then delivered with attempts 3', async () => {
    const key = await apiKey(['appeals:read']);
    const sub = json(await subscribe(key, '/flaky'));
    let calls = 0;
    answer = (path) => (path === '/flaky' && ++calls <= 2 ? 500 : 200);
    const a = await fileAppeal();
    await t.services.jobs.runDue();
    const rowOf = async () => (await deliveriesOf(a.id)).find((d) => d.subscriptionId === sub.id)!;
    expect(await rowOf()).toMatchObject({ status: 'pending', attempts: 1, lastStatusCode: 500, lastError: 'HTTP 500' });
    await t.services.jobs.runDue();
    expect(received.filter((r) => r.path === '/flaky')).toHaveLength(1); // not before its backoff
    t.clock.advance(31_000);
    await t.services.jobs.runDue();
    expect(await rowOf()).toMatchObject({ status: 'pending', attempts: 2 });
    t.clock.advance(61_000);
    await t.services.jobs.runDue();
    const row = await rowOf();
    expect(row).toMatchObject({ status: 'delivered', attempts: 3, lastStatusCode: 200, lastError: null });
    expect(row.deliveredAt).not.toBeNull();
    const got = received.filter((r) => r.path === '/flaky');
    expect(got.map((r) => r.headers['x-shaar-delivery'])).toEqual([row.id, row.id, row.id]);
    // The event's job is never queued twice: running the fan-out again adds nothing.
    t.clock.advance(3_600_000);
    await t.services.jobs.runDue();
    expect(received.filter((r) => r.path === '/flaky')).toHaveLength(3);

    const log = await t.app.inject({ method: 'GET', url: `${M}/admin/webhooks/${sub.id}/deliveries?limit=1`, headers: admin.headers });
    expect(log.statusCode, log.body).toBe(200);
    expect(json(log).items).toEqual([expect.objectContaining({ id: row.id, status: 'delivered', attempts: 3, lastStatusCode: 200 })]);
  });

  it('gives up after the last attempt: the row ends failed with the last error', async () => {
    const key = await apiKey(['appeals:read']);
    const sub = json(await subscribe(key, '/down'));
    answer = (path) => (path === '/down' ? 503 : 200);
    const a = await fileAppeal();
    for (let i = 0; i < 10; i++) {
      await t.services.jobs.runDue();
      t.clock.advance(3_600_001);
    }
    const row = (await deliveriesOf(a.id)).find((d) => d.subscriptionId === sub.id)!;
    expect(row).toMatchObject({ status: 'failed', attempts: 8, lastStatusCode: 503, lastError: 'HTTP 503', deliveredAt: null });
    expect(received.filter((r) => r.path === '/down')).toHaveLength(8);

    // The receiver is back; an admin sends the failed delivery again: same delivery id, delivered, audited.
    const resendUrl = `${M}/admin/webhooks/${sub.id}/deliveries/${row.id}/resend`;
    expect((await t.app.inject({ method: 'POST', url: resendUrl, headers: operator.headers })).statusCode).toBe(403);
    answer = () => 200;
    const resent = await t.app.inject({ method: 'POST', url: resendUrl, headers: admin.headers });
    expect(resent.statusCode, resent.body).toBe(202);
    expect(json(resent)).toMatchObject({ id: row.id, status: 'pending' });
    await t.services.jobs.runDue();
    const last = received.filter((r) => r.path === '/down');
    expect(last).toHaveLength(9);
    expect(last[8]!.headers['x-shaar-delivery']).toBe(row.id);
    expect((await deliveriesOf(a.id)).find((d) => d.subscriptionId === sub.id)).toMatchObject({ status: 'delivered', attempts: 9 });
    // A delivered one is not sent again (409), nor is a delivery of another subscription found under this one (404).
    expect((await t.app.inject({ method: 'POST', url: resendUrl, headers: admin.headers })).statusCode).toBe(409);
    const other = (await deliveriesOf(a.id)).find((d) => d.subscriptionId !== sub.id);
    if (other) expect((await t.app.inject({ method: 'POST', url: `${M}/admin/webhooks/${sub.id}/deliveries/${other.id}/resend`, headers: admin.headers })).statusCode).toBe(404);
    const audit = await t.services.database.db.execute(
      sql`select action from audit_log where entity_type = 'webhook_delivery' and entity_id = ${row.id}`);
    expect((audit.rows as { action: string }[]).map((r) => r.action)).toEqual(['resend']);
  });

  it('a revoked subscription gets nothing: neither new events nor those queued before', async () => {
    const key = await apiKey(['appeals:read']);
    const sub = json(await subscribe(key, '/revoked'));
    const before = await fileAppeal();
    // Queued (the event job ran) but not yet sent: the delivery job is still due.
    const [eventJobRan] = [await t.services.jobs.claim(50)];
    for (const j of eventJobRan) await t.services.jobs.execute(j);
    const queued = (await deliveriesOf(before.id)).find((d) => d.subscriptionId === sub.id);
    expect(queued?.status).toBe('pending');

    const del = await t.app.inject({ method: 'DELETE', url: `${M}/integrations/webhooks/${sub.id}`, headers: { 'x-api-key': key } });
    expect(del.statusCode, del.body).toBe(200);
    expect(json(del).revokedAt).not.toBeNull();
    const after = await fileAppeal();
    await t.services.jobs.runDue();
    expect(received.filter((r) => r.path === '/revoked')).toHaveLength(0);
    expect((await deliveriesOf(before.id)).find((d) => d.subscriptionId === sub.id)).toMatchObject({ status: 'failed', lastError: 'subscription revoked', attempts: 0 });
    expect((await deliveriesOf(after.id)).filter((d) => d.subscriptionId === sub.id)).toHaveLength(0);

    // Admins revoke too (idempotent), and the log shows who did it.
    const sub2 = json(await subscribe(key, '/revoked2'));
    expect((await t.app.inject({ method: 'DELETE', url: `${M}/admin/webhooks/${sub2.id}`, headers: admin.headers })).statusCode).toBe(200);
    expect((await t.app.inject({ method: 'DELETE', url: `${M}/admin/webhooks/${sub2.id}`, headers: admin.headers })).statusCode).toBe(200);
    await fileAppeal();
    await t.services.jobs.runDue();
    expect(received.filter((r) => r.path.startsWith('/revoked'))).toHaveLength(0);
  });

  it('a revoked API key\'s subscriptions get nothing', async () => {
    const created = await t.app.inject({ method: 'POST', url: `${M}/admin/api-keys`, headers: admin.headers, payload: { name: 'Short-lived', scopes: ['appeals:read'] } });
    const { id: keyId, key } = json(created);
    const sub = json(await subscribe(key, '/key-revoked'));
    const before = await fileAppeal();
    for (const j of await t.services.jobs.claim(50)) await t.services.jobs.execute(j);
    expect((await deliveriesOf(before.id)).find((d) => d.subscriptionId === sub.id)?.status).toBe('pending');
    expect((await t.app.inject({ method: 'POST', url: `${M}/admin/api-keys/${keyId}/revoke`, headers: admin.headers })).statusCode).toBe(200);
    const after = await fileAppeal();
    await t.services.jobs.runDue();
    expect(received.filter((r) => r.path === '/key-revoked')).toHaveLength(0);
    expect((await deliveriesOf(before.id)).find((d) => d.subscriptionId === sub.id)?.status).toBe('failed');
    expect((await deliveriesOf(after.id)).filter((d) => d.subscriptionId === sub.id)).toHaveLength(0);
  });

  it('pages the delivery log', async () => {
    const key = await apiKey(['appeals:read']);
    const sub = json(await subscribe(key, '/paged'));
    for (let i = 0; i < 3; i++) { await fileAppeal(); t.clock.advance(1000); }
    await t.services.jobs.runDue();
    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const res: { statusCode: number; body: string } = await t.app.inject({ method: 'GET', url: `${M}/integrations/webhooks/${sub.id}/deliveries?limit=2${cursor ? `&cursor=${cursor}` : ''}`, headers: { 'x-api-key': key } });
      expect(res.statusCode, res.body).toBe(200);
      const page = json<{ items: { id: string }[]; nextCursor: string | null }>(res);
      seen.push(...page.items.map((d) => d.id));
      cursor = page.nextCursor;
    } while (cursor);
    expect(seen).toHaveLength(3);
    expect(new Set(seen).size).toBe(3);
    const rows = await t.services.database.db.select().from(webhookDeliveries).where(and(eq(webhookDeliveries.subscriptionId, sub.id)));
    expect(new Set(rows.map((r) => r.id))).toEqual(new Set(seen));
    expect((await t.app.inject({ method: 'GET', url: `${M}/admin/webhooks/${sub.id}/deliveries?cursor=garbage`, headers: admin.headers })).statusCode).toBe(400);
  });
});
