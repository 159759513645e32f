/**
 * The app API over HTTP on a real database: a 'My City' app signs a citizen in with a code, works with bearer tokens
 * only (no cookie, no CSRF token), polls the feed cheaply, rotates its refresh token, and loses the whole sign-in
 * when a spent refresh token shows up again. Access and refresh tokens expire on the app's clock.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { desc, eq, isNull } from 'drizzle-orm';
import { createTestApp, json, type Ids, type TestApp } from '../../test-support/test-app.js';
import { appRefreshTokens, devOutbox, sessions } from '../../platform/db/schema.js';
import { sha256 } from './secrets.js';

interface Pair { accessToken: string; accessTokenExpiresAt: string; refreshToken: string; refreshTokenExpiresAt: string; tokenType: string }

let t: TestApp;
let ids: Ids;
const logLines: string[] = [];
const M = '/api/v1/m/bishkek';
const db = () => t.services.database.db;

type Method = 'GET' | 'POST' | 'DELETE';
const call = (method: Method, url: string, o: { token?: string; payload?: object; headers?: Record<string, string> } = {}) =>
  t.app.inject({
    method, url,
    headers: { ...(o.token ? { authorization: `Bearer ${o.token}` } : {}), ...(o.headers ?? {}) },
    ...(o.payload !== undefined ? { payload: o.payload } : {}),
  });

/** The app's sign-in: a code by SMS (read from the dev outbox), then the token pair. */
async function signIn(destination: string, deviceName?: string): Promise<Pair> {
  const req = await call('POST', '/api/v1/app/auth/code/request', { payload: { destination } });
  expect(req.statusCode, req.body).toBe(202);
  const [msg] = await db().select().from(devOutbox).where(isNull(devOutbox.messageKey)).orderBy(desc(devOutbox.id)).limit(1);
  const code = /\b(\d{6})\b/.exec(msg?.body ?? '')?.[1];
  const res = await call('POST', '/api/v1/app/auth/code/verify', { payload: { destination, code, ...(deviceName ? { deviceName } : {}) } });
  expect(res.statusCode, res.body).toBe(200);
  expect(res.headers['set-cookie']).toBeUndefined();
  return json<Pair>(res);
}

const refresh = (refreshToken: string, headers: Record<string, string> = {}) =>
  call('POST', '/api/v1/app/auth/refresh', { payload: { refreshToken }, headers });
const me = (token: string) => call('GET', '/api/v1/auth/me', { token });

beforeAll(async () => {
  t = await createTestApp({ logLines });
  ids = await t.ids();
});
afterAll(async () => { await t?.close(); });

describe('the whole app flow', () => {
  let pair: Pair;
  let appealId: string;
  let etag: string;

  it('signs in with a code and gets a bearer pair with the configured lifetimes, no cookie, no web session', async () => {
    const before = (await db().select().from(sessions)).length;
    pair = await signIn('+996700111222', "Aigul's phone");
    expect(pair.tokenType).toBe('Bearer');
    expect(new Date(pair.accessTokenExpiresAt).getTime() - t.clock.now().getTime()).toBe(60 * 60_000);
    expect(new Date(pair.refreshTokenExpiresAt).getTime() - t.clock.now().getTime()).toBe(90 * 86_400_000);
    // Only the access session remains: the web session the code check opens is ended at once.
    expect((await db().select().from(sessions)).length).toBe(before + 1);
    // Stored only as hashes.
    const [stored] = await db().select().from(appRefreshTokens).where(eq(appRefreshTokens.tokenHash, sha256(pair.refreshToken)));
    expect(stored).toMatchObject({ accessTokenHash: sha256(pair.accessToken), deviceName: "Aigul's phone", usedAt: null });
    expect(JSON.stringify(await db().select().from(appRefreshTokens))).not.toContain(pair.refreshToken);
    expect(json(await me(pair.accessToken))).toMatchObject({ kind: 'citizen', phone: '+996700111222' });
  });

  it('files an appeal with the bearer alone (no CSRF token) and lists it under my appeals', async () => {
    t.clock.advance(60_000);
    const res = await call('POST', `${M}/appeals`, {
      token: pair.accessToken,
      payload: {
        kind: 'complaint', categoryId: ids.category('roads.pothole'), language: 'ru', subject: 'Яма во дворе',
        body: 'Во дворе дома 12 на улице Токтогула глубокая яма, дети спотыкаются.', applicant: { fullName: 'Айгуль Токтосунова', phone: '+996700111222' },
      },
    });
    expect(res.statusCode, res.body).toBe(201);
    appealId = json(res).id;
    const mine = json(await call('GET', `${M}/my/appeals`, { token: pair.accessToken }));
    expect(mine.items.map((a: { id: string }) => a.id)).toEqual([appealId]);
  });

  it('shows "registered" in the feed with the unread count; an unchanged feed answers 304; since filters', async () => {
    const empty = await call('GET', '/api/v1/my/notifications', { token: pair.accessToken });
    expect(json(empty)).toMatchObject({ items: [], unreadCount: 0 });
    const emptyTag = empty.headers.etag as string;
    await t.services.jobs.runDue();

    const res = await call('GET', '/api/v1/my/notifications', { token: pair.accessToken, headers: { 'if-none-match': emptyTag } });
    expect(res.statusCode).toBe(200);
    const feed = json(res);
    expect(feed.unreadCount).toBe(1);
    expect(feed.items).toMatchObject([{ event: 'registered', appealId, readAt: null }]);
    etag = res.headers.etag as string;
    expect(etag).toMatch(/^W\/"[\w-]+"$/);
    expect(etag).not.toBe(emptyTag);

    const same = await call('GET', '/api/v1/my/notifications', { token: pair.accessToken, headers: { 'if-none-match': etag } });
    expect(same.statusCode).toBe(304);
    expect(same.body).toBe('');
    // Another page of the same feed is another representation: its own tag.
    expect((await call('GET', '/api/v1/my/notifications?limit=5', { token: pair.accessToken, headers: { 'if-none-match': etag } })).statusCode).toBe(200);

    const newest = feed.items[0].createdAt as string;
    expect(json(await call('GET', `/api/v1/my/notifications?since=${encodeURIComponent(newest)}`, { token: pair.accessToken })).items).toEqual([]);
    const earlier = new Date(new Date(newest).getTime() - 1).toISOString();
    expect(json(await call('GET', `/api/v1/my/notifications?since=${encodeURIComponent(earlier)}`, { token: pair.accessToken })).items).toHaveLength(1);
  });

  it('marks read, which changes the tag and the count', async () => {
    const res = await call('POST', '/api/v1/my/notifications/read', { token: pair.accessToken, payload: { all: true } });
    expect(res.statusCode, res.body).toBe(200);
    expect(json(res)).toEqual({ updated: 1, unreadCount: 0 });
    const after = await call('GET', '/api/v1/my/notifications', { token: pair.accessToken, headers: { 'if-none-match': etag } });
    expect(after.statusCode).toBe(200);
    expect(json(after).unreadCount).toBe(0);
  });

  it('rotates on refresh: the old access token is 401, the new one works', async () => {
    const res = await refresh(pair.refreshToken);
    expect(res.statusCode, res.body).toBe(200);
    const next = json<Pair>(res);
    expect(next.refreshToken).not.toBe(pair.refreshToken);
    expect((await call('GET', `${M}/my/appeals`, { token: pair.accessToken })).statusCode).toBe(401);
    expect((await call('GET', `${M}/my/appeals`, { token: next.accessToken })).statusCode).toBe(200);
    const [spent] = await db().select().from(appRefreshTokens).where(eq(appRefreshTokens.tokenHash, sha256(pair.refreshToken)));
    expect(spent!.usedAt).not.toBeNull();
    const old = pair;
    pair = next;

    // The spent token again: the whole family ends, the newest pair included.
    const reuse = await refresh(old.refreshToken, { 'accept-language': 'ru' });
    expect(reuse.statusCode).toBe(401);
    expect(json(reuse).error).toEqual({ code: 'refresh_token_reused', message: expect.stringContaining('Войдите снова') });
    expect((await me(pair.accessToken)).statusCode).toBe(401);
    expect(json(await refresh(pair.refreshToken)).error.code).toBe('refresh_token_reused');
    expect(logLines.some((l) => l.includes('app_refresh_token_reused'))).toBe(true);
  });

  it('signs out: both tokens of the device stop working, other devices do not', async () => {
    const phone = await signIn('+996700111222', 'Phone');
    t.clock.advance(60_000);
    const tablet = await signIn('+996700111222', 'Tablet');
    const devices = json(await call('GET', '/api/v1/app/sessions', { token: phone.accessToken })).items;
    expect(devices.map((d: { deviceName: string; current: boolean }) => [d.deviceName, d.current])).toEqual([['Tablet', false], ['Phone', true]]);

    const out = await call('POST', '/api/v1/app/auth/logout', { token: phone.accessToken, payload: {} });
    expect(out.statusCode, out.body).toBe(200);
    expect((await me(phone.accessToken)).statusCode).toBe(401);
    expect(json(await refresh(phone.refreshToken)).error.code).toBe('invalid_refresh_token');
    expect((await me(tablet.accessToken)).statusCode).toBe(200);

    // A lost tablet, signed out from another device; nobody else's device can be touched.
    const laptop = await signIn('+996700111222', 'Laptop');
    const stranger = await signIn('stranger@example.kg');
    const tabletId = json(await call('GET', '/api/v1/app/sessions', { token: laptop.accessToken })).items
      .find((d: { deviceName: string }) => d.deviceName === 'Tablet').id;
    expect((await call('DELETE', `/api/v1/app/sessions/${tabletId}`, { token: stranger.accessToken })).statusCode).toBe(404);
    expect((await me(tablet.accessToken)).statusCode).toBe(200);
    expect((await call('DELETE', `/api/v1/app/sessions/${tabletId}`, { token: laptop.accessToken })).statusCode).toBe(200);
    expect((await me(tablet.accessToken)).statusCode).toBe(401);
    expect(json(await refresh(tablet.refreshToken)).error.code).toBe('invalid_refresh_token');

    // With an expired access token the app signs out with its refresh token.
    t.clock.advance(61 * 60_000);
    expect((await call('POST', '/api/v1/app/auth/logout', { payload: { refreshToken: laptop.refreshToken } })).statusCode).toBe(200);
    expect(json(await refresh(laptop.refreshToken)).error.code).toBe('invalid_refresh_token');
    expect((await call('POST', '/api/v1/app/auth/logout', { payload: {} })).statusCode).toBe(401);
  });
});

describe('expiry on the clock', () => {
  it('an access token is 401 after 60 minutes; the refresh token still works', async () => {
    const pair = await signIn('+996700111333');
    t.clock.advance(59 * 60_000);
    expect((await call('GET', `${M}/my/appeals`, { token: pair.accessToken })).statusCode).toBe(200);
    t.clock.advance(2 * 60_000);
    const expired = await call('GET', `${M}/my/appeals`, { token: pair.accessToken });
    expect(expired.statusCode).toBe(401);
    expect(json(expired).error.code).toBe('unauthorized');
    const res = await refresh(pair.refreshToken);
    expect(res.statusCode, res.body).toBe(200);
    expect((await call('GET', `${M}/my/appeals`, { token: json<Pair>(res).accessToken })).statusCode).toBe(200);
  });

  it('a refresh token is refused after 90 days unused', async () => {
    const pair = await signIn('+996700111444');
    t.clock.advance(90 * 86_400_000 + 1000);
    const res = await refresh(pair.refreshToken, { 'accept-language': 'ky' });
    expect(res.statusCode).toBe(401);
    expect(json(res).error).toEqual({ code: 'invalid_refresh_token', message: 'Кирүүнүн мөөнөтү бүттү. Кайра кириңиз.' });
    // The next sign-in of that citizen clears the dead token away (only live tokens are kept).
    expect(await db().select().from(appRefreshTokens).where(eq(appRefreshTokens.tokenHash, sha256(pair.refreshToken)))).toHaveLength(1);
    await signIn('+996700111444');
    expect(await db().select().from(appRefreshTokens).where(eq(appRefreshTokens.tokenHash, sha256(pair.refreshToken)))).toHaveLength(0);
  });
});

describe('races and bad input', () => {
  it('two parallel refreshes with one token: exactly one wins, the other is reuse and ends the family', async () => {
    const pair = await signIn('+996700111555');
    const results = await Promise.all([refresh(pair.refreshToken), refresh(pair.refreshToken)]);
    const codes = results.map((r) => r.statusCode).sort();
    expect(codes).toEqual([200, 401]);
    const loser = results.find((r) => r.statusCode === 401)!;
    expect(json(loser).error.code).toBe('refresh_token_reused');
    // The winner's pair was issued before the revocation (the family lock orders them), so it is ended too.
    const winner = json<Pair>(results.find((r) => r.statusCode === 200)!);
    expect((await me(winner.accessToken)).statusCode).toBe(401);
    expect(json(await refresh(winner.refreshToken)).error.code).toBe('refresh_token_reused');
  });

  it('refuses unknown tokens and malformed bodies in the asked language, changing nothing', async () => {
    const unknown = await refresh('x'.repeat(43), { 'accept-language': 'ru' });
    expect(unknown.statusCode).toBe(401);
    expect(json(unknown).error).toEqual({ code: 'invalid_refresh_token', message: 'Срок входа истёк. Войдите снова.' });

    const rows = (await db().select().from(appRefreshTokens)).length;
    const noToken = await call('POST', '/api/v1/app/auth/refresh', { payload: {}, headers: { 'accept-language': 'ru' } });
    expect(noToken.statusCode).toBe(400);
    expect(json(noToken).error).toMatchObject({ code: 'validation_failed', message: 'Некоторые поля заполнены неверно.' });
    const extra = await call('POST', '/api/v1/app/auth/refresh', { payload: { refreshToken: 'y'.repeat(43), extra: 1 }, headers: { 'accept-language': 'ky' } });
    expect(extra.statusCode).toBe(400);
    expect(json(extra).error.code).toBe('validation_failed');
    expect(json(extra).error.message).toBe('Айрым талаалар туура эмес толтурулган.');
    const badCode = await call('POST', '/api/v1/app/auth/code/verify', { payload: { destination: '+996700111666', code: 'abc' }, headers: { 'accept-language': 'ky' } });
    expect(badCode.statusCode).toBe(400);
    const badDevice = await call('POST', '/api/v1/app/auth/code/verify', { payload: { destination: '+996700111666', code: '123456', deviceName: 'a\u0000b' } });
    expect(badDevice.statusCode).toBe(400);
    const badSince = await call('GET', '/api/v1/my/notifications?since=yesterday', { token: (await signIn('+996700111777')).accessToken });
    expect(badSince.statusCode).toBe(400);
    expect((await db().select().from(appRefreshTokens)).length).toBe(rows + 1);
  });

  it('puts no token into the log lines', async () => {
    const pair = await signIn('+996700111888');
    await call('GET', '/api/v1/my/notifications', { token: pair.accessToken });
    await refresh(pair.refreshToken);
    await refresh(pair.refreshToken);
    expect(logLines.length).toBeGreaterThan(0);
    const all = logLines.join('\n');
    expect(all).not.toContain(pair.accessToken);
    expect(all).not.toContain(pair.refreshToken);
    expect(all).not.toContain('+996700111888');
  });

  it('is in the OpenAPI document under the tag app, with bearer security', async () => {
    const doc = json(await t.app.inject({ method: 'GET', url: '/api/openapi.json' }));
    expect(doc.paths['/api/v1/app/auth/refresh'].post.tags).toEqual(['app']);
    expect(doc.paths['/api/v1/app/sessions'].get.security).toEqual([{ bearer: [] }]);
    expect(Object.keys(doc.paths['/api/v1/my/notifications'].get.responses)).toContain('304');
  });
});
