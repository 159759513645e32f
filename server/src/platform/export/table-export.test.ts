import Fastify from 'fastify';
import { crc32, inflateRawSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { columnLetters, contentDisposition, safeSheetName, sendTable, toCsv, toXlsx, type ExportColumn } from './table-export.js';

/** A small ZIP reader: walks the central directory, inflates each entry and checks its CRC. */
function unzip(buf: Buffer): Map<string, string> {
  const end = buf.lastIndexOf(Buffer.from([0x50, 0x4b, 0x05, 0x06]));
  expect(end).toBeGreaterThan(0);
  const count = buf.readUInt16LE(end + 10);
  let p = buf.readUInt32LE(end + 16);
  const files = new Map<string, string>();
  for (let i = 0; i < count; i++) {
    expect(buf.readUInt32LE(p)).toBe(0x02014b50);
    const method = buf.readUInt16LE(p + 10);
    const crc = buf.readUInt32LE(p + 16);
    const packedSize = buf.readUInt32LE(p + 20);
    const size = buf.readUInt32LE(p + 24);
    const nameLen = buf.readUInt16LE(p + 28);
    const extraLen = buf.readUInt16LE(p + 30);
    const commentLen = buf.readUInt16LE(p + 32);
    const localAt = buf.readUInt32LE(p + 42);
    const name = buf.subarray(p + 46, p + 46 + nameLen).toString('utf8');
    expect(buf.readUInt32LE(localAt)).toBe(0x04034b50);
    const dataAt = localAt + 30 + buf.readUInt16LE(localAt + 26) + buf.readUInt16LE(localAt + 28);
    const packed = buf.subarray(dataAt, dataAt + packedSize);
    const data = method === 8 ? inflateRawSync(packed) : packed;
    expect(data.length).toBe(size);
    expect(crc32(data)).toBe(crc);
    files.set(name, data.toString('utf8'));
    p += 46 + nameLen + extraLen + commentLen;
  }
  return files;
}

const columns: ExportColumn[] = [
  { key: 'number', header: 'Номер' },
  { key: 'text', header: 'Текст' },
  { key: 'count', header: 'Саны' },
  { key: 'at', header: 'Date' },
];

describe('toCsv', () => {
  it('writes RFC 4180 with CRLF and a BOM, quoting what needs it', () => {
    const csv = toCsv(columns, [
      { number: 'B-000001', text: 'a, "b"\nc', count: 3, at: new Date('2026-01-02T03:04:05Z') },
      { number: 'B-000002', text: null, count: undefined, at: undefined },
    ]);
    expect(csv.startsWith('\uFEFF')).toBe(true);
    expect(csv.slice(1).split('\r\n')).toEqual([
      'Номер,Текст,Саны,Date',
      'B-000001,"a, ""b""\nc",3,2026-01-02T03:04:05.000Z',
      'B-000002,,,',
      '',
    ]);
  });

  it('keeps a text cell from running as a formula, but leaves numbers alone', () => {
    const rows = ['=HYPERLINK("x")', '+1', '-2', '@SUM(A1)', '\t=1', 'ok = fine'].map((text) => ({ text, count: -5 }));
    const lines = toCsv([{ key: 'text', header: 't' }, { key: 'count', header: 'n' }], rows).slice(1).split('\r\n');
    expect(lines.slice(1, 7)).toEqual([
      `"'=HYPERLINK(""x"")",-5`, "'+1,-5", "'-2,-5", "'@SUM(A1),-5", "'\t=1,-5", 'ok = fine,-5',
    ]);
  });
});

describe('toXlsx', () => {
  it('is a zip of a workbook whose sheet holds the values, escaped, numbers as numbers', () => {
    const rows = [
      { number: 'B-000001', text: 'Жол <чуңкур> & "суу"', count: 42, at: new Date('2026-03-01T00:00:00Z') },
      { number: 'B-000002', text: ' пробел ', count: null, at: null },
    ];
    const files = unzip(toXlsx(columns, rows, 'Systemic: problems [2026]/all that is too long'));
    expect([...files.keys()].sort()).toEqual([
      '[Content_Types].xml', '_rels/.rels', 'xl/_rels/workbook.xml.rels', 'xl/styles.xml', 'xl/workbook.xml', 'xl/worksheets/sheet1.xml',
    ]);
    const sheet = files.get('xl/worksheets/sheet1.xml')!;
    expect(sheet).toContain('<c r="A1" s="1" t="inlineStr"><is><t>Номер</t></is></c>');
    expect(sheet).toContain('<c r="B2" t="inlineStr"><is><t>Жол &lt;чуңкур&gt; &amp; &quot;суу&quot;</t></is></c>');
    expect(sheet).toContain('<c r="C2"><v>42</v></c>');
    expect(sheet).toContain('<c r="D2" t="inlineStr"><is><t>2026-03-01T00:00:00.000Z</t></is></c>');
    expect(sheet).toContain('<t xml:space="preserve"> пробел </t>');
    expect(sheet).not.toContain('r="C3"'); // an empty cell is left out
    const name = /<sheet name="([^"]*)"/.exec(files.get('xl/workbook.xml')!)![1]!;
    expect(name.length).toBeLessThanOrEqual(31);
    expect(name).not.toMatch(/[[\]:*?/\\]/);
    expect(files.get('[Content_Types].xml')).toContain('/xl/worksheets/sheet1.xml');
  });

  it('drops characters XML cannot hold, and is byte-identical for the same table', () => {
    const rows = [{ number: 'a\u0001b\u0007c', text: 'x', count: 1, at: null }];
    const sheet = unzip(toXlsx(columns, rows, 's')).get('xl/worksheets/sheet1.xml')!;
    expect(sheet).toContain('<t>abc</t>');
    expect(toXlsx(columns, rows, 's').equals(toXlsx(columns, rows, 's'))).toBe(true);
  });

  it('names columns and sheets the way Excel wants', () => {
    expect([0, 25, 26, 51, 52, 701, 702].map(columnLetters)).toEqual(['A', 'Z', 'AA', 'AZ', 'BA', 'ZZ', 'AAA']);
    expect(safeSheetName("'[]'")).toBe('Sheet1');
    expect(safeSheetName('Системалык көйгөйлөр')).toBe('Системалык көйгөйлөр');
  });
});

describe('sendTable', () => {
  it('sends a download with the right type and an ASCII fallback name', async () => {
    const app = Fastify();
    app.get('/t', (_req, reply) => sendTable(reply, (_req.query as { f: 'csv' | 'xlsx' }).f, 'көйгөйлөр 2026', columns, [{ number: 'B-1', count: 1 }]));
    const csv = await app.inject({ url: '/t?f=csv' });
    expect(csv.statusCode).toBe(200);
    expect(csv.headers['content-type']).toBe('text/csv; charset=utf-8');
    expect(csv.headers['content-disposition']).toBe(
      `attachment; filename="_ 2026.csv"; filename*=UTF-8''${encodeURIComponent('көйгөйлөр 2026.csv')}`);
    expect(csv.rawPayload.subarray(0, 3)).toEqual(Buffer.from([0xef, 0xbb, 0xbf]));
    expect(csv.body).toContain('B-1,,1,');
    const xlsx = await app.inject({ url: '/t?f=xlsx' });
    expect(xlsx.headers['content-type']).toBe('application/vnd.openxmlformats-officedocument.spreadsheetml.sheet');
    expect(unzip(xlsx.rawPayload).get('xl/worksheets/sheet1.xml')).toContain('<v>1</v>');
    await app.close();
  });

  it("encodes the characters RFC 5987 does not allow bare", () => {
    expect(contentDisposition("a'b(c)*.xlsx", 'xlsx')).toBe(`attachment; filename="a'b(c)*.xlsx"; filename*=UTF-8''a%27b%28c%29%2A.xlsx`);
  });
});
