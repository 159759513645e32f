/**
 * Sign-in: citizens' one-time codes (delivery, attempts, expiry, single use, rate limit, normalisation), staff
 * passwords, sessions (cookie flags, CSRF, bearer, logout, deactivation) and who may read which inbox.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { and, desc, eq } from 'drizzle-orm';
import { createTestApp, json, type Session, type TestApp } from '../../test-support/test-app.js';
import { citizens, devOutbox, otpChallenges, sessions, staffUsers } from '../../platform/db/schema.js';
import { translate } from '../../platform/i18n/messages.js';
import { sha256 } from './secrets.js';
import { normalizeDestination } from './auth.service.js';
import { demoEmail, DEMO_PASSWORD } from '../../demo/seed-demo.js';

let t: TestApp;
let phoneSeq = 0;
/** A fresh Kyrgyz mobile number per test, so the per-destination hourly limit of one test never bites another. */
const freshPhone = () => `+996555${String(100_000 + ++phoneSeq).padStart(6, '0')}`;

beforeAll(async () => { t = await createTestApp(); });
afterAll(async () => { await t?.close(); });

const db = () => t.services.database.db;
const post = (url: string, payload: unknown, headers: Record<string, string> = {}) => t.app.inject({ method: 'POST', url, payload: payload as object, headers });
const requestCode = (destination: string, headers: Record<string, string> = {}) => post('/api/v1/auth/code/request', { destination }, headers);
const verify = (destination: string, code: string, headers: Record<string, string> = {}) => post('/api/v1/auth/code/verify', { destination, code }, headers);
const me = (headers: Record<string, string>) => t.app.inject({ method: 'GET', url: '/api/v1/auth/me', headers });

/** The code in the newest message the dev outbox holds for this recipient. */
async function lastCode(recipient: string): Promise<string> {
  const [msg] = await db().select().from(devOutbox).where(eq(devOutbox.recipient, recipient)).orderBy(desc(devOutbox.id)).limit(1);
  const code = /\b(\d{6})\b/.exec(msg?.body ?? '')?.[1];
  if (!code) throw new Error(`no code in the dev outbox for ${recipient}`);
  return code;
}
/** A six-digit code that is certainly not `code`. */
const wrong = (code: string) => String((Number(code) + 1) % 1_000_000).padStart(6, '0');
const bearer = (token: string) => ({ authorization: `Bearer ${token}` });

describe('citizen one-time code', () => {
  it('is delivered to the dev outbox, signs the citizen in, and /auth/me says citizen', async () => {
    const phone = freshPhone();
    const res = await requestCode(phone, { 'accept-language': 'ru' });
    expect(res.statusCode).toBe(202);
    expect(json(res)).toEqual({ ok: true });
    const [msg] = await db().select().from(devOutbox).where(eq(devOutbox.recipient, phone)).orderBy(desc(devOutbox.id)).limit(1);
    expect(msg).toMatchObject({ channel: 'sms', subject: translate('ru', 'otp.subject') });
    const code = await lastCode(phone);
    expect(msg!.body).toBe(translate('ru', 'otp.body', { code, minutes: 10 }));
    // Only hashes are kept: neither the number nor the code appear in the challenge.
    const [challenge] = await db().select().from(otpChallenges).where(eq(otpChallenges.destinationHash, sha256(phone)));
    expect(challenge).toBeDefined();
    expect(JSON.stringify(challenge)).not.toContain(code);
    expect(JSON.stringify(challenge)).not.toContain(phone.slice(1));

    const signed = await verify(phone, code);
    expect(signed.statusCode).toBe(200);
    const body = json(signed);
    expect(body.token).toMatch(/^[A-Za-z0-9_-]{40,}$/);
    expect(body.csrfToken).toBeTruthy();
    expect(Date.parse(body.expiresAt)).toBe(t.clock.now().getTime() + 14 * 86_400_000);

    const who = await me(bearer(body.token));
    expect(who.statusCode).toBe(200);
    expect(json(who)).toMatchObject({ kind: 'citizen', phone, email: null, csrfToken: body.csrfToken });
  });

  it('accepts an e-mail too, case-insensitively, as one account', async () => {
    const a = await t.citizen('Aida.Test@Example.KG');
    const b = await t.citizen('aida.test@example.kg');
    const [ma, mb] = [json(await me(a.headers)), json(await me(b.headers))];
    expect(ma).toMatchObject({ kind: 'citizen', email: 'aida.test@example.kg', phone: null });
    expect(mb.id).toBe(ma.id);
  });

  it('refuses a wrong code (400 otp_invalid) and, after 5 wrong attempts, even the right one (429)', async () => {
    const phone = freshPhone();
    await requestCode(phone);
    const code = await lastCode(phone);
    for (let i = 0; i < 5; i++) {
      const res = await verify(phone, wrong(code), { 'accept-language': 'en' });
      expect(res.statusCode).toBe(400);
      expect(json(res).error).toEqual({ code: 'otp_invalid', message: translate('en', 'error.otp_invalid') });
    }
    const right = await verify(phone, code);
    expect(right.statusCode).toBe(429);
    expect(json(right).error.code).toBe('too_many_attempts');
    expect(right.headers['set-cookie']).toBeUndefined();
  });

  it('counts attempts made at the same moment: 10 parallel guesses get at most 5 comparisons', async () => {
    const phone = freshPhone();
    await requestCode(phone);
    const code = await lastCode(phone);
    const results = await Promise.all(Array.from({ length: 10 }, () => verify(phone, wrong(code))));
    const statuses = results.map((r) => r.statusCode).sort();
    expect(statuses.filter((s) => s === 400)).toHaveLength(5);
    expect(statuses.filter((s) => s === 429)).toHaveLength(5);
    const [challenge] = await db().select().from(otpChallenges).where(eq(otpChallenges.destinationHash, sha256(phone)));
    expect(challenge!.attempts).toBeLessThanOrEqual(5);
    // And the right code is now refused as well.
    expect((await verify(phone, code)).statusCode).toBe(429);
  });

  it('expires after OTP_TTL_SECONDS (600)', async () => {
    const [a, b] = [freshPhone(), freshPhone()];
    await requestCode(a);
    await requestCode(b);
    const [codeA, codeB] = [await lastCode(a), await lastCode(b)];
    t.clock.advance(599_000);
    expect((await verify(a, codeA)).statusCode).toBe(200);
    t.clock.advance(2_000);
    const res = await verify(b, codeB);
    expect(res.statusCode).toBe(400);
    expect(json(res).error.code).toBe('otp_invalid');
  });

  it('works once only, and a newly requested code supersedes the one sent before', async () => {
    const phone = freshPhone();
    await requestCode(phone);
    const older = await lastCode(phone);
    await requestCode(phone);
    const newer = await lastCode(phone);
    // Both were issued at the same instant (the test clock stands still): the newer one must still be the one checked.
    if (older !== newer) {
      const stale = await verify(phone, older);
      expect(stale.statusCode).toBe(400);
      expect(json(stale).error.code).toBe('otp_invalid');
    }
    expect((await verify(phone, newer)).statusCode).toBe(200);
    const again = await verify(phone, newer);
    expect(again.statusCode).toBe(400);
    expect(json(again).error.code).toBe('otp_invalid');
    expect(again.headers['set-cookie']).toBeUndefined();
  });

  it('sends at most 5 codes per destination per hour; the 6th gets 429 with Retry-After', async () => {
    const phone = freshPhone();
    for (let i = 0; i < 5; i++) expect((await requestCode(phone)).statusCode).toBe(202);
    const sixth = await requestCode(phone, { 'accept-language': 'ky' });
    expect(sixth.statusCode).toBe(429);
    expect(json(sixth).error).toEqual({ code: 'too_many_attempts', message: translate('ky', 'error.too_many_attempts') });
    expect(Number(sixth.headers['retry-after'])).toBeGreaterThan(0);
    expect(Number(sixth.headers['retry-after'])).toBeLessThanOrEqual(3600);
    const sent = await db().select().from(devOutbox).where(eq(devOutbox.recipient, phone));
    expect(sent).toHaveLength(5);
    // An hour later the window has moved on.
    t.clock.advance(3_601_000);
    expect((await requestCode(phone)).statusCode).toBe(202);
  });

  it('holds the hourly limit under parallel requests too (no burst of messages to one phone)', async () => {
    const phone = freshPhone();
    const results = await Promise.all(Array.from({ length: 12 }, () => requestCode(phone)));
    expect(results.filter((r) => r.statusCode === 202)).toHaveLength(5);
    expect(results.filter((r) => r.statusCode === 429)).toHaveLength(7);
    expect(await db().select().from(devOutbox).where(eq(devOutbox.recipient, phone))).toHaveLength(5);
  });

  it('treats 0700 123 456, +996 700 123 456, +996700123456 and 00996700123456 as one phone, one account', () => {
    for (const raw of ['0700 123 456', '+996 700 123 456', '+996700123456', '996700123456', '00996700123456', '+996 (700) 12-34-56']) {
      expect(normalizeDestination(raw), raw).toEqual({ channel: 'sms', value: '+996700123456' });
    }
    expect(normalizeDestination('not a phone')).toBeNull();
    expect(normalizeDestination('a\u0000b@example.kg')).toBeNull();
  });

  it('signs a local and an international spelling of a number into the same account', async () => {
    const a = await t.citizen('0700 123 456');
    const b = await t.citizen('+996700123456');
    const [ma, mb] = [json(await me(a.headers)), json(await me(b.headers))];
    expect(ma).toMatchObject({ kind: 'citizen', phone: '+996700123456' });
    expect(mb.id).toBe(ma.id);
    expect(await db().select().from(citizens).where(eq(citizens.phone, '+996700123456'))).toHaveLength(1);
  });

  it('refuses a destination that is neither an e-mail nor a phone, with the field named', async () => {
    const res = await requestCode('hello world', { 'accept-language': 'en' });
    expect(res.statusCode).toBe(400);
    expect(json(res).error.code).toBe('validation_failed');
    expect(json(res).error.details).toEqual([expect.objectContaining({ path: 'destination' })]);
    const nul = await requestCode('a\u0000b@example.kg');
    expect(nul.statusCode).toBe(400);
  });

  it('answers a code for an unknown destination with the same otp_invalid as a wrong one', async () => {
    const res = await verify(freshPhone(), '123456');
    expect(res.statusCode).toBe(400);
    expect(json(res).error.code).toBe('otp_invalid');
  });
});

describe('staff sign-in', () => {
  it('signs in with the right password, case-insensitive e-mail', async () => {
    const res = await post('/api/v1/auth/staff/login', { municipality: 'bishkek', email: demoEmail('operator', 'bishkek').toUpperCase(), password: DEMO_PASSWORD });
    expect(res.statusCode).toBe(200);
    const who = json(await me(bearer(json(res).token)));
    expect(who).toMatchObject({ kind: 'staff', municipality: 'bishkek', email: demoEmail('operator', 'bishkek'), roles: ['operator'] });
  });

  it('refuses a wrong password and an unknown e-mail alike: 401 invalid_credentials, no cookie', async () => {
    const wrongPassword = await post('/api/v1/auth/staff/login', { municipality: 'bishkek', email: demoEmail('admin', 'bishkek'), password: 'not-the-password' }, { 'accept-language': 'ru' });
    const unknown = await post('/api/v1/auth/staff/login', { municipality: 'bishkek', email: 'nobody@bishkek.example', password: DEMO_PASSWORD }, { 'accept-language': 'ru' });
    // Bishkek's admin is not Osh's: the right password in the wrong city is refused too.
    const otherCity = await post('/api/v1/auth/staff/login', { municipality: 'osh', email: demoEmail('admin', 'bishkek'), password: DEMO_PASSWORD });
    for (const res of [wrongPassword, unknown, otherCity]) {
      expect(res.statusCode).toBe(401);
      expect(json(res).error.code).toBe('invalid_credentials');
      expect(res.headers['set-cookie']).toBeUndefined();
    }
    expect(json(wrongPassword)).toEqual(json(unknown));
    expect(json(wrongPassword).error.message).toBe(translate('ru', 'error.invalid_credentials'));
  });

  it('sets the session cookie httpOnly, SameSite=Lax, Path=/', async () => {
    const res = await post('/api/v1/auth/staff/login', { municipality: 'bishkek', email: demoEmail('admin', 'bishkek'), password: DEMO_PASSWORD });
    const cookie = String(res.headers['set-cookie']);
    expect(cookie).toMatch(/^shaar_session=[A-Za-z0-9_-]{40,};/);
    expect(cookie).toMatch(/;\s*HttpOnly/i);
    expect(cookie).toMatch(/;\s*SameSite=Lax/i);
    expect(cookie).toMatch(/;\s*Path=\//i);
    expect(cookie).toContain(json(res).token);
    // The citizen's cookie too.
    const phone = freshPhone();
    await requestCode(phone);
    const c = String((await verify(phone, await lastCode(phone))).headers['set-cookie']);
    expect(c).toMatch(/;\s*HttpOnly/i);
    expect(c).toMatch(/;\s*SameSite=Lax/i);
  });
});

describe('sessions', () => {
  let citizen: Session;
  let ids: Awaited<ReturnType<TestApp['ids']>>;
  beforeAll(async () => {
    citizen = await t.citizen(freshPhone());
    ids = await t.ids();
  });
  const appeal = () => ({
    kind: 'complaint', categoryId: ids.category('roads.pothole'), subject: 'Pothole on Chui avenue',
    body: 'There is a deep pothole near the crossing with Sovetskaya.', applicant: { fullName: 'Asel Bekova' },
  });

  it('CSRF: a cookie-authenticated POST without X-CSRF-Token is refused (403 csrf_failed), with it accepted', async () => {
    const url = '/api/v1/m/bishkek/appeals';
    const noToken = await post(url, appeal(), { cookie: citizen.headers.cookie!, 'accept-language': 'en' });
    expect(noToken.statusCode).toBe(403);
    expect(json(noToken).error).toEqual({ code: 'csrf_failed', message: translate('en', 'error.csrf_failed') });
    const badToken = await post(url, appeal(), { cookie: citizen.headers.cookie!, 'x-csrf-token': 'forged' });
    expect(badToken.statusCode).toBe(403);
    const withToken = await post(url, appeal(), citizen.headers);
    expect(withToken.statusCode).toBe(201);
  });

  it('a bearer token needs no CSRF token (a header cannot be forged by another site)', async () => {
    const res = await post('/api/v1/m/bishkek/appeals', appeal(), bearer(citizen.token));
    expect(res.statusCode).toBe(201);
  });

  it('logout ends the session, by cookie or by bearer', async () => {
    const s = await t.citizen(freshPhone());
    expect((await me(s.headers)).statusCode).toBe(200);
    // Logout is an unsafe request like any other: by cookie it needs the CSRF token.
    expect((await post('/api/v1/auth/logout', {}, { cookie: s.headers.cookie! })).statusCode).toBe(403);
    expect((await me(s.headers)).statusCode).toBe(200);
    const out = await post('/api/v1/auth/logout', {}, s.headers);
    expect(out.statusCode).toBe(200);
    expect(String(out.headers['set-cookie'])).toMatch(/^shaar_session=;/);
    const after = await me(s.headers);
    expect(after.statusCode).toBe(401);
    expect(json(after).error.code).toBe('unauthorized');
    expect((await me(bearer(s.token))).statusCode).toBe(401);

    const b = await t.citizen(freshPhone());
    // Extra spaces after "Bearer" are accepted on the way in; they must be on the way out too.
    expect((await post('/api/v1/auth/logout', {}, { authorization: `Bearer   ${b.token}` })).statusCode).toBe(200);
    expect((await me(bearer(b.token))).statusCode).toBe(401);
  });

  it('logout with both a cookie and a bearer ends the session that authenticated the request (the bearer)', async () => {
    const a = await t.citizen(freshPhone());
    const b = await t.citizen(freshPhone());
    expect((await post('/api/v1/auth/logout', {}, { cookie: a.headers.cookie!, ...bearer(b.token) })).statusCode).toBe(200);
    expect((await me(bearer(b.token))).statusCode).toBe(401);
  });

  it('an unknown, expired or deactivated session is 401', async () => {
    expect((await me({ cookie: 'shaar_session=made-up-token' })).statusCode).toBe(401);
    expect((await me(bearer('made-up-token'))).statusCode).toBe(401);
    // A made-up cookie on an unsafe request is simply anonymous (401), not a CSRF failure.
    const anon = await post('/api/v1/m/bishkek/appeals', appeal(), { cookie: 'shaar_session=made-up-token' });
    expect(anon.statusCode).toBe(401);

    const supervisor = await t.staff('supervisor');
    expect((await me(supervisor.headers)).statusCode).toBe(200);
    const email = demoEmail('supervisor', 'bishkek');
    await db().update(staffUsers).set({ active: false }).where(and(eq(staffUsers.municipalityId, ids.municipalityId), eq(staffUsers.email, email)));
    try {
      expect((await me(supervisor.headers)).statusCode).toBe(401);
      expect((await t.app.inject({ method: 'GET', url: '/api/v1/m/bishkek/appeals', headers: supervisor.headers })).statusCode).toBe(401);
      // And a deactivated account cannot sign in again.
      expect((await post('/api/v1/auth/staff/login', { municipality: 'bishkek', email, password: DEMO_PASSWORD })).statusCode).toBe(401);
    } finally {
      await db().update(staffUsers).set({ active: true }).where(and(eq(staffUsers.municipalityId, ids.municipalityId), eq(staffUsers.email, email)));
    }

    const s = await t.citizen(freshPhone());
    const [row] = await db().select().from(sessions).where(eq(sessions.tokenHash, sha256(s.token)));
    expect(row!.expiresAt.getTime()).toBe(t.clock.now().getTime() + 14 * 86_400_000);
    t.clock.advance(14 * 86_400_000 + 1_000);
    expect((await me(s.headers)).statusCode).toBe(401);
  });

  it("staff of Osh cannot read Bishkek's inbox (403); Bishkek's operator can", async () => {
    const osh = await t.staff('operator', 'osh');
    const res = await t.app.inject({ method: 'GET', url: '/api/v1/m/bishkek/appeals', headers: osh.headers });
    expect(res.statusCode).toBe(403);
    expect(json(res).error.code).toBe('forbidden');
    const own = await t.app.inject({ method: 'GET', url: '/api/v1/m/osh/appeals', headers: osh.headers });
    expect(own.statusCode).toBe(200);
    const bishkek = await t.staff('operator');
    expect((await t.app.inject({ method: 'GET', url: '/api/v1/m/bishkek/appeals', headers: bishkek.headers })).statusCode).toBe(200);
  });

  it('a citizen cannot read the staff inbox (403), nor an anonymous caller (401)', async () => {
    const res = await t.app.inject({ method: 'GET', url: '/api/v1/m/bishkek/appeals', headers: (await t.citizen(freshPhone())).headers });
    expect(res.statusCode).toBe(403);
    expect(json(res).error.code).toBe('forbidden');
    expect((await t.app.inject({ method: 'GET', url: '/api/v1/m/bishkek/appeals' })).statusCode).toBe(401);
  });
});
