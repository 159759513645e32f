/**
 * The delivery adapters at the true edge: the SMS gateway adapter speaks real HTTP to a gateway (here a local one),
 * and addresses are masked for logs.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { SmsGatewayDeliverer } from './sms-gateway-deliverer.js';
import { RoutingDeliverer, maskAddress } from './delivery.js';

let server: Server;
let url: string;
const received: { auth: string | undefined; body: unknown }[] = [];
let failNext = false;

beforeAll(async () => {
  server = createServer((req, res) => {
    let data = '';
    req.on('data', (c) => { data += c; });
    req.on('end', () => {
      if (failNext) { failNext = false; res.writeHead(503).end(); return; }
      received.push({ auth: req.headers.authorization, body: JSON.parse(data) });
      res.writeHead(200, { 'content-type': 'application/json' }).end('{"ok":true}');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/send`;
});
afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

it('posts the text to the SMS gateway with its token, and fails loudly when the gateway does', async () => {
  const sms = new SmsGatewayDeliverer(url, 'gateway-token');
  await sms.send({ channel: 'sms', to: '+996700123456', subject: 's', body: 'Код: 123456' });
  expect(received.at(-1)).toEqual({ auth: 'Bearer gateway-token', body: { to: '+996700123456', text: 'Код: 123456' } });
  failNext = true;
  await expect(sms.send({ channel: 'sms', to: '+996700123456', subject: 's', body: 'x' })).rejects.toThrow(/503/);
});

it('routes by channel and refuses a channel with no adapter', async () => {
  const routed = new RoutingDeliverer({ sms: new SmsGatewayDeliverer(url, undefined) });
  await routed.send({ channel: 'sms', to: '+996555000111', subject: 's', body: 'hello' });
  expect(received.at(-1)?.auth).toBeUndefined();
  await expect(routed.send({ channel: 'email', to: 'a@b.kg', subject: 's', body: 'x' })).rejects.toThrow(/no deliverer/);
});

it('masks addresses for logs', () => {
  expect(maskAddress('aida@example.kg')).toBe('a***@example.kg');
  expect(maskAddress('+996700123456')).toBe('+996******456');
});
