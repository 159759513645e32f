import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { and, eq } from 'drizzle-orm';
import { sessions } from '../../platform/db/schema.js';
import { createTestApp, json, type Ids, type Session, type TestApp } from '../../test-support/test-app.js';

const base = '/api/v1/m/bishkek/admin';
const PASSWORD = 'a-long-enough-password';

let t: TestApp;
let admin: Session;
let operator: Session;
let ids: Ids;

beforeAll(async () => {
  t = await createTestApp();
  [admin, operator, ids] = await Promise.all([t.staff('admin'), t.staff('operator'), t.ids()]);
});
afterAll(async () => { await t?.close(); });

const call = (session: Session | null, method: 'GET' | 'POST' | 'PATCH', url: string, payload?: unknown) =>
  t.app.inject({ method, url, headers: session?.headers ?? {}, ...(payload !== undefined ? { payload: payload as object } : {}) });

const signIn = (email: string, password = PASSWORD) =>
  t.app.inject({ method: 'POST', url: '/api/v1/auth/staff/login', payload: { municipality: 'bishkek', email, password } });

const me = (session: Session) => t.app.inject({ method: 'GET', url: '/api/v1/auth/me', headers: session.headers });

describe('staff accounts', () => {
  let newId: string;

  it('lists the staff without any password hash', async () => {
    const res = await call(operator, 'GET', `${base}/staff`);
    expect(res.statusCode).toBe(200);
    expect(json(res).items.map((u: { email: string }) => u.email)).toContain('admin@bishkek.example');
    expect(res.body).not.toMatch(/argon2|passwordHash|password/i);
  });

  it('creates an account (e-mail lower-cased) that can sign in; the audit entry holds no hash', async () => {
    const res = await call(admin, 'POST', `${base}/staff`, { email: 'Cholpon@Bishkek.Example', fullName: 'Чолпон Асанова', password: PASSWORD, roles: ['operator', 'operator'], locale: 'ky' });
    expect(res.statusCode).toBe(201);
    const u = json(res);
    newId = u.id;
    expect(u).toMatchObject({ email: 'cholpon@bishkek.example', roles: ['operator'], serviceId: null, locale: 'ky', active: true });
    expect(res.body).not.toMatch(/argon2|passwordHash/);
    expect((await signIn('cholpon@bishkek.example')).statusCode).toBe(200);

    const audit = await call(admin, 'GET', `${base}/audit?entityType=staff_user&entityId=${newId}`);
    expect(json(audit).items.find((e: { action: string }) => e.action === 'create')).toMatchObject({ after: { email: 'cholpon@bishkek.example' } });
    expect(audit.body).not.toMatch(/argon2|passwordHash|a-long-enough/);
  });

  it('refuses a duplicate e-mail, a short password, no roles, and non-admins', async () => {
    const body = { email: 'CHOLPON@bishkek.example', fullName: 'Again', password: PASSWORD, roles: ['operator'] };
    const dup = await call(admin, 'POST', `${base}/staff`, body);
    expect(dup.statusCode).toBe(409);
    expect(json(dup).error.code).toBe('email_taken');
    expect((await call(admin, 'POST', `${base}/staff`, { ...body, email: 'x1@bishkek.example', password: 'short' })).statusCode).toBe(400);
    expect((await call(admin, 'POST', `${base}/staff`, { ...body, email: 'x2@bishkek.example', roles: [] })).statusCode).toBe(400);
    expect((await call(admin, 'POST', `${base}/staff`, { ...body, email: 'x3@bishkek.example', roles: ['mayor'] })).statusCode).toBe(400);
    expect((await call(operator, 'POST', `${base}/staff`, { ...body, email: 'x4@bishkek.example' })).statusCode).toBe(403);
  });

  it('an executor needs a service of this city, and only an executor has one', async () => {
    const body = { email: 'exec@bishkek.example', fullName: 'Эркин Усубалиев', password: PASSWORD, roles: ['executor'] };
    const missing = await call(admin, 'POST', `${base}/staff`, body);
    expect(missing.statusCode).toBe(400);
    expect(json(missing).error.code).toBe('executor_service');
    expect((await call(admin, 'POST', `${base}/staff`, { ...body, roles: ['operator'], serviceId: ids.service('tazalyk') })).statusCode).toBe(400);
    const osh = await t.ids('osh');
    expect((await call(admin, 'POST', `${base}/staff`, { ...body, serviceId: osh.service('tazalyk') })).statusCode).toBe(400);
    const ok = await call(admin, 'POST', `${base}/staff`, { ...body, serviceId: ids.service('tazalyk') });
    expect(ok.statusCode).toBe(201);
    // Dropping the executor role means leaving the service too.
    const id = json(ok).id;
    expect((await call(admin, 'PATCH', `${base}/staff/${id}`, { roles: ['operator'] })).statusCode).toBe(400);
    expect(json(await call(admin, 'PATCH', `${base}/staff/${id}`, { roles: ['operator'], serviceId: null }))).toMatchObject({ roles: ['operator'], serviceId: null });
  });

  it('changes name, roles and password; the audit says the password changed, not what it is', async () => {
    const res = await call(admin, 'PATCH', `${base}/staff/${newId}`, { fullName: 'Чолпон Асанова-Бекова', roles: ['operator', 'supervisor'], password: 'another-long-password' });
    expect(res.statusCode).toBe(200);
    expect(json(res)).toMatchObject({ fullName: 'Чолпон Асанова-Бекова', roles: ['operator', 'supervisor'] });
    expect((await signIn('cholpon@bishkek.example')).statusCode).toBe(401);
    expect((await signIn('cholpon@bishkek.example', 'another-long-password')).statusCode).toBe(200);
    const audit = json(await call(admin, 'GET', `${base}/audit?entityType=staff_user&entityId=${newId}`));
    expect(audit.items.find((e: { action: string }) => e.action === 'update')).toMatchObject({ action: 'update', after: { password: 'changed', roles: ['operator', 'supervisor'] }, before: { roles: ['operator'] } });
    expect(JSON.stringify(audit)).not.toMatch(/argon2|another-long/);
  });

  it('deactivating an account ends its sessions at once', async () => {
    const signedIn = await signIn('cholpon@bishkek.example', 'another-long-password');
    const token = json(signedIn).token as string;
    const session: Session = { token, headers: { cookie: `shaar_session=${token}`, 'x-csrf-token': json(signedIn).csrfToken } };
    expect((await me(session)).statusCode).toBe(200);

    const res = await call(admin, 'PATCH', `${base}/staff/${newId}`, { active: false });
    expect(json(res).active).toBe(false);
    expect((await me(session)).statusCode).toBe(401);
    const left = await t.services.database.db.select().from(sessions).where(and(eq(sessions.principalKind, 'staff'), eq(sessions.principalId, newId)));
    expect(left).toHaveLength(0);
    expect((await signIn('cholpon@bishkek.example', 'another-long-password')).statusCode).toBe(401);
  });

  it('an admin cannot deactivate themselves nor drop their own admin role', async () => {
    const self = json(await me(admin)).id;
    const off = await call(admin, 'PATCH', `${base}/staff/${self}`, { active: false });
    expect(off.statusCode).toBe(409);
    expect(json(off).error.code).toBe('cannot_lock_self_out');
    expect((await call(admin, 'PATCH', `${base}/staff/${self}`, { roles: ['supervisor'] })).statusCode).toBe(409);
    expect((await call(admin, 'PATCH', `${base}/staff/${self}`, { roles: ['admin', 'supervisor'] })).statusCode).toBe(200);
    expect((await call(admin, 'PATCH', `${base}/staff/${crypto.randomUUID()}`, { active: false })).statusCode).toBe(404);
  });
});

describe('API keys', () => {
  const appeal = () => ({
    kind: 'statement', categoryId: ids.category('lighting.off'), subject: 'Street light out',
    body: 'The street light at the corner has been out for a week.', applicant: { fullName: 'Азамат Жээнбеков' },
  });
  const post = (key: string) => t.app.inject({ method: 'POST', url: '/api/v1/m/bishkek/appeals', headers: { 'x-api-key': key }, payload: appeal() });

  it('creates a key shown once, lists it without its secret, and revokes it: it stops working at once', async () => {
    const created = await call(admin, 'POST', `${base}/api-keys`, { name: 'My City app', scopes: ['appeals:write'] });
    expect(created.statusCode).toBe(201);
    const { id, key, prefix } = json(created);
    expect(key).toMatch(new RegExp(`^shk_${prefix}_`));
    const secret = (key as string).slice(`shk_${prefix}_`.length); // base64url: may itself contain '_'

    const list = await call(operator, 'GET', `${base}/api-keys`);
    expect(json(list).items).toEqual([expect.objectContaining({ id, name: 'My City app', prefix, scopes: ['appeals:write'], revokedAt: null })]);
    expect(list.body).not.toContain(secret);
    expect(list.body).not.toMatch(/secret|"key"/i);

    expect((await post(key)).statusCode).toBe(201);
    const revoked = await call(admin, 'POST', `${base}/api-keys/${id}/revoke`);
    expect(revoked.statusCode).toBe(200);
    expect(json(revoked).revokedAt).toBe('2026-04-27T04:00:00.000Z');
    expect((await post(key)).statusCode).toBe(401);
    // Revoking again changes nothing.
    expect(json(await call(admin, 'POST', `${base}/api-keys/${id}/revoke`)).revokedAt).toBe('2026-04-27T04:00:00.000Z');

    const audit = await call(admin, 'GET', `${base}/audit?entityType=api_key&entityId=${id}`);
    expect(json(audit).items.map((e: { action: string }) => e.action)).toEqual(['revoke', 'create']);
    expect(audit.body).not.toContain(secret);
  });

  it('refuses unknown scopes, no scopes and non-admins', async () => {
    expect((await call(admin, 'POST', `${base}/api-keys`, { name: 'X app', scopes: ['admin'] })).statusCode).toBe(400);
    expect((await call(admin, 'POST', `${base}/api-keys`, { name: 'X app', scopes: [] })).statusCode).toBe(400);
    expect((await call(operator, 'POST', `${base}/api-keys`, { name: 'X app', scopes: ['appeals:read'] })).statusCode).toBe(403);
    expect((await call(admin, 'POST', `${base}/api-keys/${crypto.randomUUID()}/revoke`)).statusCode).toBe(404);
  });
});

describe('the audit log', () => {
  it('is read by admins and supervisors, newest first, page by page', async () => {
    const supervisor = await t.staff('supervisor');
    const first = await call(supervisor, 'GET', `${base}/audit?limit=2`);
    expect(first.statusCode).toBe(200);
    const page1 = json(first);
    expect(page1.items).toHaveLength(2);
    expect(page1.items[0].id).toBeGreaterThan(page1.items[1].id);
    const page2 = json(await call(supervisor, 'GET', `${base}/audit?limit=2&cursor=${page1.nextCursor}`));
    expect(page2.items[0].id).toBeLessThan(page1.items[1].id);

    expect((await call(operator, 'GET', `${base}/audit`)).statusCode).toBe(403);
    expect((await call(await t.staff('analyst'), 'GET', `${base}/audit`)).statusCode).toBe(403);
    expect((await call(supervisor, 'GET', `${base}/audit?cursor=garbage`)).statusCode).toBe(400);
    expect((await call(supervisor, 'GET', `${base}/audit?limit=1000`)).statusCode).toBe(400);
  });

  it("shows only this city's entries", async () => {
    const oshAdmin = await t.staff('admin', 'osh');
    const osh = json(await call(oshAdmin, 'GET', '/api/v1/m/osh/admin/audit?entityType=staff_user&limit=200'));
    expect(osh.items.every((e: { actorName: string | null; entityType: string }) => e.entityType === 'staff_user')).toBe(true);
    expect(JSON.stringify(osh)).not.toContain('cholpon@bishkek.example');
    expect((await call(oshAdmin, 'GET', `${base}/audit`)).statusCode).toBe(403);
  });
});
