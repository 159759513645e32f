/**
 * Webhook receivers chosen by integrators must not point the server at private addresses: the guard refuses them by
 * IP literal and by name (the name's resolved address is checked and connected to), and lets public ones through.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addressAllowed, guardedPost } from './outbound-guard.js';
import { checkWebhookUrl } from '../../modules/webhooks/webhooks.service.js';

describe('addressAllowed', () => {
  it.each([
    '10.1.2.3', '172.16.0.1', '172.31.255.255', '192.168.1.1', '127.0.0.1', '169.254.169.254', '100.64.0.1', '0.0.0.0',
    '224.0.0.1', '255.255.255.255', '::1', '::', 'fe80::1', 'fd00::1', '::ffff:10.0.0.1', '::ffff:127.0.0.1',
  ])('refuses %s', (ip) => { expect(addressAllowed(ip, 'public-only')).toBe(false); });

  it.each(['8.8.8.8', '212.112.96.1', '172.32.0.1', '2a00:1450:4001::1', '::ffff:8.8.4.4'])('allows %s', (ip) => {
    expect(addressAllowed(ip, 'public-only')).toBe(true);
  });

  it('allows loopback only under the loopback policy, and everything under "any"', () => {
    expect(addressAllowed('127.0.0.1', 'public-and-loopback')).toBe(true);
    expect(addressAllowed('10.0.0.1', 'public-and-loopback')).toBe(false);
    expect(addressAllowed('10.0.0.1', 'any')).toBe(true);
  });
});

describe('guardedPost', () => {
  let server: Server;
  let port = 0;
  let hits = 0;
  beforeAll(async () => {
    server = createServer((req, res) => { hits += 1; req.resume(); res.statusCode = 204; res.end(); });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
    port = (server.address() as AddressInfo).port;
  });
  afterAll(async () => { await new Promise<void>((r) => server.close(() => r())); });

  it('never connects to a private address, given as an IP or as a name that resolves to one', async () => {
    for (const url of [`http://127.0.0.1:${port}/hook`, `http://localhost:${port}/hook`]) {
      await expect(guardedPost(url, '{}', {}, { timeoutMs: 2000, policy: 'public-only' })).rejects.toMatchObject({ code: 'EADDRBLOCKED' });
    }
    expect(hits).toBe(0);
  });

  it('connects where the policy allows, and reports the status', async () => {
    const res = await guardedPost(`http://localhost:${port}/hook`, '{"a":1}', { 'content-type': 'application/json' }, { timeoutMs: 2000, policy: 'public-and-loopback' });
    expect(res.status).toBe(204);
    expect(hits).toBe(1);
  });
});

describe('checkWebhookUrl in production', () => {
  const check = (url: string, allowPrivate = false) => () => checkWebhookUrl(url, { production: true, allowHttp: false, allowPrivate, locale: 'ru' });
  it('refuses private IP literals and local names at once, with a message in the caller\'s language', () => {
    for (const url of ['https://10.0.0.5/hook', 'https://169.254.169.254/latest', 'https://[::1]/x', 'https://localhost/x', 'https://db.internal/x']) {
      expect(check(url)).toThrow();
    }
    try { check('https://192.168.0.10/x')(); } catch (err) {
      expect((err as { details: { code: string; message: string }[] }).details[0]).toMatchObject({ code: 'webhook_private_address', message: expect.stringMatching(/публичный адрес/) });
    }
  });
  it('accepts public addresses, and private ones when the city allows them', () => {
    expect(check('https://hooks.example.kg/shaar')()).toBe('https://hooks.example.kg/shaar');
    expect(check('https://10.0.0.5/hook', true)()).toBe('https://10.0.0.5/hook');
  });
});
