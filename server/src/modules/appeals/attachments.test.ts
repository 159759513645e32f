/**
 * Files of an appeal: a resident's photo goes up as multipart, shows in "My appeals" and comes back byte for byte;
 * nobody else's eyes see it; wrong types, oversized files and broken uploads are refused and leave nothing behind.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readdir } from 'node:fs/promises';
import { basename, join } from 'node:path';
import { eq } from 'drizzle-orm';
import { createTestApp, json, type Ids, type Session, type TestApp } from '../../test-support/test-app.js';
import { attachments } from '../../platform/db/schema.js';
import { translate } from '../../platform/i18n/messages.js';

const UPLOAD_MAX = 2048;
const BOUNDARY = '----ShaarTestBoundary7MA4YWxkTrZu0gW';

interface Part { name: string; data: Buffer | string; filename?: string; type?: string }

/** A multipart/form-data body built by hand: boundary, part headers, CRLFs. */
function multipart(parts: Part[], boundary = BOUNDARY) {
  const chunks: Buffer[] = [];
  for (const p of parts) {
    const disposition = `form-data; name="${p.name}"${p.filename !== undefined ? `; filename="${p.filename}"` : ''}`;
    chunks.push(Buffer.from(`--${boundary}\r\nContent-Disposition: ${disposition}\r\n${p.type ? `Content-Type: ${p.type}\r\n` : ''}\r\n`));
    chunks.push(Buffer.isBuffer(p.data) ? p.data : Buffer.from(p.data));
    chunks.push(Buffer.from('\r\n'));
  }
  chunks.push(Buffer.from(`--${boundary}--\r\n`));
  return { payload: Buffer.concat(chunks), headers: { 'content-type': `multipart/form-data; boundary=${boundary}` } };
}

/** A small "JPEG": the SOI marker, a JFIF header, bytes of every value, the EOI marker. */
const JPEG = Buffer.concat([
  Buffer.from([0xff, 0xd8, 0xff, 0xe0, 0x00, 0x10, 0x4a, 0x46, 0x49, 0x46, 0x00, 0x01]),
  Buffer.from(Array.from({ length: 700 }, (_, i) => (i * 37 + 11) % 256)),
  Buffer.from([0xff, 0xd9]),
]);

let t: TestApp;
let ids: Ids;
let owner: Session;
let stranger: Session;
let operator: Session;
let appealId: string;
let uploadRoot: string;

async function filesOnDisk(): Promise<string[]> {
  const walk = async (dir: string): Promise<string[]> => {
    const entries = await readdir(dir, { withFileTypes: true }).catch(() => []);
    return (await Promise.all(entries.map((e) => (e.isDirectory() ? walk(join(dir, e.name)) : [join(dir, e.name)])))).flat();
  };
  return walk(uploadRoot);
}
const rowsOf = (appeal: string) => t.services.database.db.select().from(attachments).where(eq(attachments.appealId, appeal));

const upload = (appeal: string, headers: Record<string, string>, parts: Part[], extra: Record<string, string> = {}) => {
  const body = multipart(parts);
  return t.app.inject({ method: 'POST', url: `/api/v1/m/bishkek/appeals/${appeal}/attachments`, headers: { ...headers, ...body.headers, ...extra }, payload: body.payload });
};
const photo = (filename = 'pothole.jpg', data: Buffer = JPEG, type = 'image/jpeg'): Part[] => [{ name: 'file', filename, type, data }];

async function fileAppeal(session: Session): Promise<string> {
  const res = await t.app.inject({
    method: 'POST', url: '/api/v1/m/bishkek/appeals', headers: session.headers,
    payload: {
      kind: 'complaint', categoryId: ids.category('roads.pothole'), subject: 'Pothole on Chui avenue',
      body: 'There is a deep pothole near the crossing with Sovetskaya; cars swerve into the oncoming lane.',
      applicant: { fullName: 'Asel Bekova' },
    },
  });
  expect(res.statusCode).toBe(201);
  return json(res).id;
}

beforeAll(async () => {
  t = await createTestApp({ env: { UPLOAD_MAX_BYTES: String(UPLOAD_MAX) } });
  ids = await t.ids();
  uploadRoot = join(t.services.config.dataDir, 'uploads');
  owner = await t.citizen('+996700111222');
  stranger = await t.citizen('+996700333444');
  operator = await t.staff('operator');
  appealId = await fileAppeal(owner);
});
afterAll(async () => { await t?.close(); });

describe('a resident attaches a photo', () => {
  let uploaded: { id: string; url: string; fileName: string; contentType: string; sizeBytes: number; answerId: string | null };

  beforeAll(async () => {
    const res = await upload(appealId, owner.headers, photo());
    expect(res.statusCode).toBe(201);
    uploaded = json(res);
  });

  it('answers 201 with the file described', () => {
    expect(uploaded).toEqual({
      id: expect.any(String), fileName: 'pothole.jpg', contentType: 'image/jpeg', sizeBytes: JPEG.length, answerId: null,
      url: `/api/v1/m/bishkek/attachments/${uploaded.id}`,
    });
  });

  it('shows it in My appeals', async () => {
    const res = await t.app.inject({ method: 'GET', url: `/api/v1/m/bishkek/my/appeals/${appealId}`, headers: owner.headers });
    expect(res.statusCode).toBe(200);
    expect(json(res).attachments).toEqual([uploaded]);
    const [row] = await rowsOf(appealId);
    expect(row).toMatchObject({ uploadedByKind: 'citizen', sizeBytes: JPEG.length });
  });

  it('downloads byte-identical for the owner, as an attachment that a browser will not sniff', async () => {
    const res = await t.app.inject({ method: 'GET', url: uploaded.url, headers: owner.headers });
    expect(res.statusCode).toBe(200);
    expect(Buffer.compare(res.rawPayload, JPEG)).toBe(0);
    expect(res.headers['content-type']).toBe('image/jpeg');
    expect(res.headers['content-length']).toBe(String(JPEG.length));
    expect(res.headers['content-disposition']).toBe("attachment; filename*=UTF-8''pothole.jpg");
    expect(res.headers['x-content-type-options']).toBe('nosniff');
    // With the bearer token too (the mobile app).
    const byBearer = await t.app.inject({ method: 'GET', url: uploaded.url, headers: { authorization: `Bearer ${owner.token}` } });
    expect(Buffer.compare(byBearer.rawPayload, JPEG)).toBe(0);
  });

  it('is not found for another citizen: neither the appeal nor the file, nor may they add files to it', async () => {
    const appeal = await t.app.inject({ method: 'GET', url: `/api/v1/m/bishkek/my/appeals/${appealId}`, headers: stranger.headers });
    expect(appeal.statusCode).toBe(404);
    expect(json(appeal).error.code).toBe('not_found');
    const file = await t.app.inject({ method: 'GET', url: uploaded.url, headers: stranger.headers });
    expect(file.statusCode).toBe(404);
    expect(json(file).error.code).toBe('not_found');
    expect(file.body).not.toContain(JPEG.subarray(12, 40).toString('latin1'));
    const before = (await rowsOf(appealId)).length;
    const res = await upload(appealId, stranger.headers, photo('mine-now.jpg'));
    expect(res.statusCode).toBe(404);
    expect(await rowsOf(appealId)).toHaveLength(before);
  });

  it('needs a sign-in to download or upload', async () => {
    expect((await t.app.inject({ method: 'GET', url: uploaded.url })).statusCode).toBe(401);
    expect((await upload(appealId, {}, photo())).statusCode).toBe(401);
  });

  it('staff of the city can download it and see it in the appeal', async () => {
    const res = await t.app.inject({ method: 'GET', url: uploaded.url, headers: operator.headers });
    expect(res.statusCode).toBe(200);
    expect(Buffer.compare(res.rawPayload, JPEG)).toBe(0);
    const detail = await t.app.inject({ method: 'GET', url: `/api/v1/m/bishkek/appeals/${appealId}`, headers: operator.headers });
    expect(json(detail).attachments.map((a: { id: string }) => a.id)).toContain(uploaded.id);
  });

  it("staff of another city cannot (403), nor an executor of another service (404, as for the appeal itself)", async () => {
    const osh = await t.staff('operator', 'osh');
    expect((await t.app.inject({ method: 'GET', url: uploaded.url, headers: osh.headers })).statusCode).toBe(403);
    // Osh's URL for Bishkek's file: the file is not Osh's.
    expect((await t.app.inject({ method: 'GET', url: `/api/v1/m/osh/attachments/${uploaded.id}`, headers: osh.headers })).statusCode).toBe(404);

    const detail = json(await t.app.inject({ method: 'GET', url: `/api/v1/m/bishkek/appeals/${appealId}`, headers: operator.headers }));
    expect(detail.serviceId).toBe(ids.service('roads-enterprise'));
    const water = await t.staff('executor.water');
    expect((await t.app.inject({ method: 'GET', url: `/api/v1/m/bishkek/appeals/${appealId}`, headers: water.headers })).statusCode).toBe(404);
    const res = await t.app.inject({ method: 'GET', url: uploaded.url, headers: water.headers });
    expect(res.statusCode).toBe(404);
    const roads = await t.staff('executor.roads');
    expect((await t.app.inject({ method: 'GET', url: uploaded.url, headers: roads.headers })).statusCode).toBe(200);
  });
});

describe('what is refused', () => {
  const refusedLeavesNothing = async (run: () => Promise<{ statusCode: number; body: string }>) => {
    const rowsBefore = (await rowsOf(appealId)).length;
    const filesBefore = (await filesOnDisk()).length;
    const res = await run();
    expect(await rowsOf(appealId)).toHaveLength(rowsBefore);
    expect(await filesOnDisk()).toHaveLength(filesBefore);
    return res;
  };

  it('a program or a text file: 415 file_type_not_allowed, in the request language', async () => {
    for (const [filename, type, data] of [
      ['setup.exe', 'application/x-msdownload', 'MZ\x90\x00\x03\x00\x00\x00'],
      ['setup.exe', 'application/octet-stream', 'MZ\x90\x00\x03\x00\x00\x00'],
      ['notes.txt', 'text/plain', 'just some text'],
      ['page.html', 'text/html', '<script>alert(1)</script>'],
      ['drawing.svg', 'image/svg+xml', '<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>'],
    ] as const) {
      const res = await refusedLeavesNothing(() => upload(appealId, owner.headers, [{ name: 'file', filename, type, data }], { 'accept-language': 'ru' }));
      expect(res.statusCode, `${filename} ${type}`).toBe(415);
      expect(json(res).error.code).toBe('file_type_not_allowed');
      expect(json(res).error.message).toBe(translate('ru', 'error.file_type_not_allowed', { allowed: 'image/jpeg, image/png, image/webp, image/heic, application/pdf' }));
    }
  });

  it('a program declared as a photo is refused by its bytes (415), whatever its name says', async () => {
    const res = await refusedLeavesNothing(() => upload(appealId, owner.headers, photo('holiday.jpg', Buffer.from('MZ\x90\x00\x03\x00\x00\x00'))));
    expect(res.statusCode).toBe(415);
    expect(json(res).error.code).toBe('file_type_not_allowed');
  });

  it('a photo keeps an extension that agrees with its type (never "….exe")', async () => {
    const res = await upload(appealId, owner.headers, photo('invoice.exe'));
    expect(res.statusCode).toBe(201);
    expect(json(res).fileName).toBe('invoice.exe.jpg');
    const dl = await t.app.inject({ method: 'GET', url: json(res).url, headers: owner.headers });
    expect(dl.headers['content-disposition']).toBe("attachment; filename*=UTF-8''invoice.exe.jpg");
    expect(dl.headers['content-type']).toBe('image/jpeg');
  });

  it('a file name with control characters or a NUL is cleaned, not a 500', async () => {
    const res = await upload(appealId, owner.headers, photo('bad\u0000na\u0007me.jpg'));
    expect(res.statusCode).toBe(201);
    expect(json(res).fileName).toBe('badname.jpg');
    const noName = await upload(appealId, owner.headers, photo(''));
    expect(noName.statusCode).toBe(201);
    expect(json(noName).fileName).toBe('file.jpg');
  });

  it(`a file over UPLOAD_MAX_BYTES (${UPLOAD_MAX}): 413 file_too_large, no attachment row, no file left in the upload directory`, async () => {
    for (const size of [UPLOAD_MAX + 1, UPLOAD_MAX * 3, 200_000]) {
      const big = Buffer.concat([JPEG.subarray(0, 12), Buffer.alloc(size - 12, 0x42)]);
      const res = await refusedLeavesNothing(() => upload(appealId, owner.headers, photo('huge.jpg', big), { 'accept-language': 'en' }));
      expect(res.statusCode, `size ${size}`).toBe(413);
      expect(json(res).error).toEqual({ code: 'file_too_large', message: translate('en', 'error.file_too_large', { limit: UPLOAD_MAX }) });
    }
    // Nothing half-written either: no .part files anywhere.
    expect((await filesOnDisk()).filter((f) => f.endsWith('.part'))).toEqual([]);
    // Exactly the limit is fine.
    const exact = await upload(appealId, owner.headers, photo('exact.jpg', Buffer.concat([JPEG.subarray(0, 12), Buffer.alloc(UPLOAD_MAX - 12, 0x43)])));
    expect(exact.statusCode).toBe(201);
    expect(json(exact).sizeBytes).toBe(UPLOAD_MAX);
  });

  it('a POST that is not multipart: 415 unsupported_media_type (JSON, no body) as a JSON error', async () => {
    const url = `/api/v1/m/bishkek/appeals/${appealId}/attachments`;
    for (const extra of [
      { payload: { file: 'aGVsbG8=' } },
      {},
      { payload: 'hello', headers: { 'content-type': 'text/plain' } },
    ] as { payload?: unknown; headers?: Record<string, string> }[]) {
      const res = await refusedLeavesNothing(() => t.app.inject({ method: 'POST', url, headers: { ...owner.headers, ...extra.headers }, payload: extra.payload as string }));
      expect(res.statusCode).toBe(415);
      expect(res.headers['content-type']).toMatch(/^application\/json/);
      expect(json(res).error.code).toBe('unsupported_media_type');
    }
  });

  it('a broken multipart body (no boundary, garbage, cut short, no file part): 400, not 500', async () => {
    const url = `/api/v1/m/bishkek/appeals/${appealId}/attachments`;
    const whole = multipart(photo());
    const cases: [string, string, Buffer | string][] = [
      ['no boundary', 'multipart/form-data', 'garbage'],
      ['garbage', `multipart/form-data; boundary=${BOUNDARY}`, 'garbage'],
      ['cut short', whole.headers['content-type'], whole.payload.subarray(0, 200)],
      ['cut in the headers', whole.headers['content-type'], whole.payload.subarray(0, 60)],
    ];
    for (const [label, type, payload] of cases) {
      const res = await refusedLeavesNothing(() => t.app.inject({ method: 'POST', url, headers: { ...owner.headers, 'content-type': type }, payload }));
      expect(res.statusCode, label).toBe(400);
      expect(json(res).error.code, label).toBe('validation_failed');
    }
    const noFile = await refusedLeavesNothing(() => upload(appealId, owner.headers, [{ name: 'comment', data: 'a field, no file' }]));
    expect(noFile.statusCode).toBe(400);
    expect(json(noFile).error.details).toEqual([expect.objectContaining({ path: 'file' })]);
  });

  it("answerId: only staff, only a real answer of this appeal; a citizen's or an unknown one is 400 invalid_reference", async () => {
    const supervisor = await t.staff('supervisor');
    const other = await fileAppeal(stranger);
    const act = (id: string, action: string, payload: object) =>
      t.app.inject({ method: 'POST', url: `/api/v1/m/bishkek/appeals/${id}/${action}`, headers: supervisor.headers, payload });
    expect((await act(other, 'assign', { serviceId: ids.service('roads-enterprise') })).statusCode).toBe(200);
    expect((await act(other, 'answer', { body: 'The pothole was filled on Monday; thank you for writing.' })).statusCode).toBe(200);
    const otherDetail = json(await t.app.inject({ method: 'GET', url: `/api/v1/m/bishkek/appeals/${other}`, headers: supervisor.headers }));
    const foreignAnswer: string = otherDetail.answers[0].id;

    for (const [who, answerId] of [
      [owner, foreignAnswer], [supervisor, 'zzz'], [supervisor, '11111111-1111-1111-1111-111111111111'],
      [supervisor, '7b0c3c9e-5a0e-4b7e-9a52-2f3b8d1c6e4f'], [supervisor, foreignAnswer],
    ] as const) {
      const res = await refusedLeavesNothing(() => upload(appealId, who.headers, [{ name: 'answerId', data: answerId }, ...photo('answer.jpg')]));
      expect(res.statusCode, answerId).toBe(400);
      expect(json(res).error.code).toBe('invalid_reference');
    }

    // Its own answer: fine, and the file shows under the answer for the resident.
    const res = await upload(other, supervisor.headers, [{ name: 'answerId', data: foreignAnswer }, ...photo('repaired.jpg')]);
    expect(res.statusCode).toBe(201);
    expect(json(res).answerId).toBe(foreignAnswer);
    const mine = json(await t.app.inject({ method: 'GET', url: `/api/v1/m/bishkek/my/appeals/${other}`, headers: stranger.headers }));
    expect(mine.answers[0].attachments.map((a: { fileName: string }) => a.fileName)).toEqual(['repaired.jpg']);
    expect(mine.attachments).toEqual([]);
  });

  it('every file on disk belongs to an attachment row, and every row has its file', async () => {
    const rows = await t.services.database.db.select().from(attachments);
    const onDisk = (await filesOnDisk()).map((f) => basename(f)).sort();
    expect(onDisk).toEqual(rows.map((r) => basename(r.storageKey)).sort());
    expect(rows.length).toBeGreaterThanOrEqual(6);
  });
});
