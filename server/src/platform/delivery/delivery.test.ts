/**
 * The delivery adapters at the true edge: the SMS gateway adapter speaks real HTTP to a gateway (here a local one),
 * the SMTP adapter speaks SMTP to a local listener, the dev outbox writes to a real database; a message's key makes
 * a repeated hand-over harmless; addresses are masked for logs.
 */
import { createServer, type Server } from 'node:http';
import { createServer as createTcpServer, type AddressInfo, type Socket } from 'node:net';
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { SmsGatewayDeliverer } from './sms-gateway-deliverer.js';
import { SmtpDeliverer } from './smtp-deliverer.js';
import { OutboxDeliverer } from './outbox-deliverer.js';
import { RoutingDeliverer, maskAddress } from './delivery.js';
import { openTestDatabase } from '../../test-support/test-database.js';
import { createLogger } from '../logger.js';
import { devOutbox } from '../db/schema.js';

let server: Server;
let url: string;
const received: { auth: string | undefined; idempotencyKey: string | undefined; body: unknown }[] = [];
let failNext = false;

beforeAll(async () => {
  server = createServer((req, res) => {
    let data = '';
    req.on('data', (c) => { data += c; });
    req.on('end', () => {
      if (failNext) { failNext = false; res.writeHead(503).end(); return; }
      received.push({ auth: req.headers.authorization, idempotencyKey: req.headers['idempotency-key'] as string | undefined, body: JSON.parse(data) });
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
  expect(received.at(-1)).toEqual({ auth: 'Bearer gateway-token', idempotencyKey: undefined, body: { to: '+996700123456', text: 'Код: 123456' } });
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

it('hands the message key to the SMS gateway as an Idempotency-Key header, the same on every attempt', async () => {
  const sms = new SmsGatewayDeliverer(url, 'gateway-token');
  const key = '2f1c7a52-3f5e-4d7b-9a51-1b2c3d4e5f60';
  failNext = true;
  await expect(sms.send({ channel: 'sms', to: '+996700123456', subject: 's', body: 'Ответ готов', key })).rejects.toThrow(/503/);
  await sms.send({ channel: 'sms', to: '+996700123456', subject: 's', body: 'Ответ готов', key });
  expect(received.at(-1)).toMatchObject({ idempotencyKey: key, body: { text: 'Ответ готов' } });
});

it('keeps a keyed message in the dev outbox once, however often it is handed over', async () => {
  const database = await openTestDatabase();
  try {
    const outbox = new OutboxDeliverer(database.db, createLogger('silent'));
    const message = { channel: 'email' as const, to: 'aida@example.kg', subject: 'Ответ', body: 'Ответ готов', key: 'notification-1' };
    await outbox.send(message);
    await outbox.send(message);
    await outbox.send({ ...message, key: 'notification-2' });
    // Messages without a key (sign-in codes) are all kept.
    await outbox.send({ ...message, key: undefined });
    await outbox.send({ ...message, key: undefined });
    const rows = await database.db.select().from(devOutbox).where(eq(devOutbox.recipient, 'aida@example.kg'));
    expect(rows.map((r) => r.messageKey).sort()).toEqual(['notification-1', 'notification-2', null, null]);
  } finally {
    await database.close();
  }
});

it('sends e-mail over SMTP with a stable Message-ID made of the key', async () => {
  const mails: string[] = [];
  // The least SMTP a client needs: greet, accept the envelope, take the data up to the lone dot.
  const smtp = createTcpServer((socket: Socket) => {
    let inData = false;
    let data = '';
    let buffer = '';
    socket.write('220 test ESMTP\r\n');
    socket.on('data', (chunk) => {
      buffer += chunk.toString('utf8');
      let nl: number;
      while ((nl = buffer.indexOf('\r\n')) >= 0) {
        const line = buffer.slice(0, nl);
        buffer = buffer.slice(nl + 2);
        if (inData) {
          if (line === '.') { inData = false; mails.push(data); data = ''; socket.write('250 queued\r\n'); } else data += `${line}\n`;
        } else if (/^(EHLO|HELO)/i.test(line)) socket.write('250 test\r\n');
        else if (/^DATA/i.test(line)) { inData = true; socket.write('354 go on\r\n'); }
        else if (/^QUIT/i.test(line)) { socket.end('221 bye\r\n'); }
        else socket.write('250 ok\r\n');
      }
    });
  });
  await new Promise<void>((resolve) => smtp.listen(0, '127.0.0.1', resolve));
  try {
    const port = (smtp.address() as AddressInfo).port;
    const mail = new SmtpDeliverer(`smtp://127.0.0.1:${port}?ignoreTLS=true`, 'Shaar <no-reply@shaar.local>');
    const key = '7d0f6b1e-2a44-4c1e-8f0e-0a1b2c3d4e5f';
    await mail.send({ channel: 'email', to: 'aida@example.kg', subject: 'Answer', body: 'Your answer is ready.', key });
    await mail.send({ channel: 'email', to: 'aida@example.kg', subject: 'Answer', body: 'Your answer is ready.', key });
    expect(mails).toHaveLength(2);
    for (const m of mails) expect(m).toMatch(new RegExp(`^Message-ID: <${key}@shaar>$`, 'mi'));
  } finally {
    await new Promise<void>((resolve) => smtp.close(() => resolve()));
  }
});
