/**
 * Public writes are limited per address and per API key: the next write past a limit gets a 429 with Retry-After
 * and a message in the caller's language, writes by staff are not counted, and a caller who waits gets through.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, json, type TestApp } from '../../test-support/test-app.js';
import { WriteLimits } from './write-limits.js';

describe('WriteLimits (the counting)', () => {
  it('refuses the write over the limit, says how long to wait, and lets it through after the wait', () => {
    let now = 1_000_000 * 60_000 + 30_000; // half-way into a minute window
    const limits = new WriteLimits({ perIpPerMinute: 3, perKeyPerMinute: 100, now: () => now });
    for (let i = 0; i < 3; i++) limits.hit('10.0.0.1');
    let wait = 0;
    try { limits.hit('10.0.0.1'); } catch (err) { wait = Number((err as { params: { seconds: string } }).params.seconds); }
    expect(wait).toBe(30);
    // A refused write is not counted; another address is counted apart.
    limits.hit('10.0.0.2');
    // Into the next window the previous one still weighs: 3 × (1 − 0.5) = 1.5 used → one more fits, not two.
    now += 60_000;
    limits.hit('10.0.0.1');
    expect(() => limits.hit('10.0.0.1')).toThrow();
    now += 60_000;
    limits.hit('10.0.0.1');
  });

  it('limits a key across addresses', () => {
    const limits = new WriteLimits({ perIpPerMinute: 100, perKeyPerMinute: 2, now: () => 0 });
    limits.hit('10.0.0.1', 'key-a');
    limits.hit('10.0.0.2', 'key-a');
    expect(() => limits.hit('10.0.0.3', 'key-a')).toThrow();
    limits.hit('10.0.0.3', 'key-b');
  });
});

describe('limits on the public API', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp({ env: { RATE_LIMIT_WRITES_PER_IP_PER_MINUTE: '3', RATE_LIMIT_WRITES_PER_KEY_PER_MINUTE: '2' } });
  });
  afterAll(async () => { await t?.close(); });

  const webAppeal = (ip: string, headers: Record<string, string> = {}) => t.app.inject({
    method: 'POST', url: '/api/v1/m/bishkek/appeals', remoteAddress: ip, headers: { 'accept-language': 'ky', ...headers },
    payload: {
      kind: 'statement', categoryId: null, description: 'Көчөдөгү жарык күйбөй калды, кечинде караңгы.',
      applicant: { fullName: 'Тестов Тест', email: 'test.limits@example.kg' }, consentToProcessing: true, channel: 'web',
    },
  });

  it('answers the fourth anonymous write from one address with 429, Retry-After and a Kyrgyz message', async () => {
    const statuses: number[] = [];
    for (let i = 0; i < 3; i++) statuses.push((await webAppeal('10.9.0.1')).statusCode);
    expect(statuses.every((s) => s !== 429)).toBe(true);
    const limited = await webAppeal('10.9.0.1');
    expect(limited.statusCode).toBe(429);
    expect(Number(limited.headers['retry-after'])).toBeGreaterThan(0);
    expect(json(limited).error.code).toBe('rate_limited');
    expect(json(limited).error.message).toMatch(/Сурамдар өтө көп/);
    // Another address still gets through; reads are never limited.
    expect((await webAppeal('10.9.0.2')).statusCode).not.toBe(429);
    const read = await t.app.inject({ method: 'GET', url: '/api/v1/municipalities', remoteAddress: '10.9.0.1' });
    expect(read.statusCode).toBe(200);
  });

  it('does not count staff work', async () => {
    const operator = await t.staff('operator');
    for (let i = 0; i < 5; i++) {
      expect((await webAppeal('10.9.0.3', operator.headers)).statusCode).not.toBe(429);
    }
  });

  it('limits an Open311 key across addresses, in the spec\'s error format', async () => {
    const ids = await t.ids();
    const { key } = await t.services.auth.createApiKey(ids.municipalityId, 'Limits test app', ['appeals:write']);
    const post = (ip: string) => t.app.inject({
      method: 'POST', url: '/open311/v2/requests.json', remoteAddress: ip,
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      payload: `jurisdiction_id=bishkek&api_key=${encodeURIComponent(key)}&service_code=nonexistent&lat=42.87&long=74.59&description=x`,
    });
    expect((await post('10.8.0.1')).statusCode).not.toBe(429);
    expect((await post('10.8.0.2')).statusCode).not.toBe(429);
    const limited = await post('10.8.0.3');
    expect(limited.statusCode).toBe(429);
    expect(Number(limited.headers['retry-after'])).toBeGreaterThan(0);
    expect(Array.isArray(JSON.parse(limited.body))).toBe(true);
    expect(JSON.parse(limited.body)[0].code).toBe(429);
  });
});
