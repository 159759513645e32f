/**
 * Setting the scene over HTTP (faster than the browser, where the browser is not what is being tested): a citizen
 * signed in with a code from the dev outbox, staff signed in with the demo password, appeals filed and registered.
 */
import { randomUUID } from 'node:crypto';
import { deflateSync } from 'node:zlib';
import type { E2EServer } from './server.js';
import { DEMO_PASSWORD } from './server.js';

export interface Session {
  token: string;
  headers: Record<string, string>;
}

async function json<T>(res: Response, what: string, ok = [200, 201, 202]): Promise<T> {
  const text = await res.text();
  if (!ok.includes(res.status)) throw new Error(`${what}: ${res.status} ${text}`);
  return (text ? JSON.parse(text) : {}) as T;
}

function session(body: { token: string; csrfToken: string }): Session {
  return { token: body.token, headers: { cookie: `shaar_session=${body.token}`, 'x-csrf-token': body.csrfToken } };
}

/** A citizen signs in with an e-mail (lower case: the outbox keeps it normalized) and the code sent to it. */
export async function citizenSession(s: E2EServer, email: string): Promise<Session> {
  const mark = await s.outboxMark();
  await json(await fetch(`${s.baseUrl}/api/v1/auth/code/request`, {
    method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ destination: email, locale: 'ru' }),
  }), 'code request');
  const code = await s.codeFor(email.toLowerCase(), mark);
  return session(await json(await fetch(`${s.baseUrl}/api/v1/auth/code/verify`, {
    method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ destination: email, code }),
  }), 'code verify'));
}

/** A demo staff member of Bishkek signs in (admin, operator, executor.roads, supervisor…). */
export async function staffSession(s: E2EServer, key: string, municipality = 'bishkek'): Promise<Session> {
  return session(await json(await fetch(`${s.baseUrl}/api/v1/auth/staff/login`, {
    method: 'POST', headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ municipality, email: `${key}@${municipality}.example`, password: DEMO_PASSWORD }),
  }), `staff sign-in of ${key}`));
}

export interface Directory {
  categories: { id: string; code: string; parentId: string | null; name: Record<string, string>; keywords: string[] }[];
  districts: { id: string; name: Record<string, string> }[];
  services: { id: string; name: Record<string, string> }[];
}

export async function directory(s: E2EServer, municipality = 'bishkek'): Promise<Directory> {
  return json(await fetch(`${s.baseUrl}/api/v1/m/${municipality}`), 'directory');
}

export function categoryByCode(dir: Directory, code: string): string {
  const c = dir.categories.find((x) => x.code === code);
  if (!c) throw new Error(`no category ${code}; there are ${dir.categories.map((x) => x.code).join(', ')}`);
  return c.id;
}

export interface Registered { id: string; registrationNumber: string; dueDate: string }

/** A citizen files an appeal on the website's API. */
export async function fileAppeal(s: E2EServer, who: Session, body: Record<string, unknown>, municipality = 'bishkek'): Promise<Registered> {
  return json(await fetch(`${s.baseUrl}/api/v1/m/${municipality}/appeals`, {
    method: 'POST', headers: { ...who.headers, 'content-type': 'application/json', 'idempotency-key': randomUUID() }, body: JSON.stringify(body),
  }), 'filing an appeal');
}

/** Reception registers an appeal received by phone, in person or by letter. */
export async function receptionAppeal(s: E2EServer, who: Session, body: Record<string, unknown>, municipality = 'bishkek'): Promise<Registered> {
  return json(await fetch(`${s.baseUrl}/api/v1/m/${municipality}/reception/appeals`, {
    method: 'POST', headers: { ...who.headers, 'content-type': 'application/json', 'idempotency-key': randomUUID() }, body: JSON.stringify(body),
  }), 'registering an appeal at reception');
}

/** An action of the appeal's state machine (assign, start, answer…), at the appeal's current version. */
export async function act(s: E2EServer, who: Session, id: string, action: string, body: Record<string, unknown>, municipality = 'bishkek'): Promise<void> {
  const appeal = await json<{ version: number }>(await fetch(`${s.baseUrl}/api/v1/m/${municipality}/appeals/${id}`, { headers: who.headers }), 'loading an appeal');
  await json(await fetch(`${s.baseUrl}/api/v1/m/${municipality}/appeals/${id}/${action}`, {
    method: 'POST', headers: { ...who.headers, 'content-type': 'application/json', 'if-match': `"${appeal.version}"` }, body: JSON.stringify(body),
  }), `${action} on appeal ${id}`);
}

/** A small PNG photo (a coloured gradient, width × height), made here: no binary files in the repository. */
export function pngPhoto(width = 64, height = 48): Buffer {
  const crcTable = Array.from({ length: 256 }, (_, n) => {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    return c >>> 0;
  });
  const crc32 = (buf: Buffer) => {
    let c = 0xffffffff;
    for (const b of buf) c = crcTable[(c ^ b) & 0xff]! ^ (c >>> 8);
    return (c ^ 0xffffffff) >>> 0;
  };
  const chunk = (type: string, data: Buffer) => {
    const len = Buffer.alloc(4);
    len.writeUInt32BE(data.length);
    const body = Buffer.concat([Buffer.from(type, 'ascii'), data]);
    const crc = Buffer.alloc(4);
    crc.writeUInt32BE(crc32(body));
    return Buffer.concat([len, body, crc]);
  };
  const header = Buffer.alloc(13);
  header.writeUInt32BE(width, 0);
  header.writeUInt32BE(height, 4);
  header[8] = 8; // bit depth
  header[9] = 2; // truecolour RGB
  const rows: Buffer[] = [];
  for (let y = 0; y < height; y++) {
    const row = Buffer.alloc(1 + width * 3);
    for (let x = 0; x < width; x++) {
      row[1 + x * 3] = Math.round((x / width) * 255);
      row[2 + x * 3] = Math.round((y / height) * 255);
      row[3 + x * 3] = 96;
    }
    rows.push(row);
  }
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', header), chunk('IDAT', deflateSync(Buffer.concat(rows))), chunk('IEND', Buffer.alloc(0)),
  ]);
}
