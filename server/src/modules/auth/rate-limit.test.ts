/**
 * Sign-in and code requests are limited per client address: password guessing and SMS bombing stop at the
 * limit with a 429, a Retry-After header and a message in the user's language.
 */
import { afterAll, beforeAll, expect, it } from 'vitest';
import { createTestApp, json, type TestApp } from '../../test-support/test-app.js';

let t: TestApp;
beforeAll(async () => { t = await createTestApp({ env: { RATE_LIMIT_AUTH_PER_MINUTE: '3' } }); });
afterAll(async () => { await t?.close(); });

it('stops the fourth sign-in attempt in a minute from one address', async () => {
  const attempt = () => t.app.inject({ method: 'POST', url: '/api/v1/auth/staff/login', remoteAddress: '10.1.1.1', headers: { 'accept-language': 'ru' },
    payload: { municipality: 'bishkek', email: 'admin@bishkek.example', password: 'wrong-password-1' } });
  for (let i = 0; i < 3; i++) expect((await attempt()).statusCode).toBe(401);
  const limited = await attempt();
  expect(limited.statusCode).toBe(429);
  expect(Number(limited.headers['retry-after'])).toBeGreaterThan(0);
  expect(json(limited).error.code).toBe('rate_limited');
  expect(json(limited).error.message).toMatch(/Слишком много запросов/);
  // Another address is not affected.
  const other = await t.app.inject({ method: 'POST', url: '/api/v1/auth/staff/login', remoteAddress: '10.1.1.2',
    payload: { municipality: 'bishkek', email: 'admin@bishkek.example', password: 'wrong-password-1' } });
  expect(other.statusCode).toBe(401);
});

it('limits code requests per address across many destinations', async () => {
  const statuses: number[] = [];
  for (const destination of ['+996700000001', '+996700000002', '+996700000003', '+996700000004']) {
    const res = await t.app.inject({ method: 'POST', url: '/api/v1/auth/code/request', remoteAddress: '10.2.2.2', payload: { destination } });
    statuses.push(res.statusCode);
  }
  expect(statuses).toEqual([202, 202, 202, 429]);
});
