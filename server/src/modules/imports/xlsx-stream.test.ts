/**
 * The XLSX reader on files written by the streaming test writer: cell kinds, dates, sparse and missing rows, the
 * shared-string table spilling to disk past its memory budget, broken archives, and its temporary files gone
 * whatever happens.
 */
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { renderDate, serialToParts, xlsxRecords, XlsxFormatError, isDateFormatCode, type RecordBatch, type XlsxOptions } from './xlsx-stream.js';
import { XmlScanner } from './xml-scanner.js';
import { SharedStrings } from './shared-strings.js';
import { excelSerial, STYLE, workbookParts, xmlEscape, zipBuffer, zipStream, type WorkbookSpec } from './xlsx-test-writer.js';

// Temporary files go to a directory of this test's own, so "nothing left behind" can be checked exactly.
let tmp: string;
const savedTmp = process.env.TMPDIR;
beforeAll(async () => { tmp = await mkdtemp(join(tmpdir(), 'xlsx-stream-test-')); process.env.TMPDIR = tmp; });
afterAll(async () => { process.env.TMPDIR = savedTmp; await rm(tmp, { recursive: true, force: true }); });
const leftovers = async () => (await readdir(tmp)).filter((n) => n.startsWith('shaar-import-'));

async function* chunks(buf: Buffer, size = 4096) { for (let i = 0; i < buf.length; i += size) yield buf.subarray(i, i + size); }

async function readAll(file: Buffer, options: XlsxOptions = {}): Promise<{ records: string[][]; rowNumbers: number[] }> {
  const out = { records: [] as string[][], rowNumbers: [] as number[] };
  for await (const b of xlsxRecords(chunks(file), options)) { out.records.push(...b.records); out.rowNumbers.push(...b.rowNumbers!); }
  return out;
}
const book = (spec: WorkbookSpec) => zipBuffer(workbookParts(spec));
const si = (xml: string) => `<si>${xml}</si>`;
const s = (ref: string, i: number) => `<c r="${ref}" t="s"><v>${i}</v></c>`;
const n = (ref: string, v: number | string, style = 0) => `<c r="${ref}"${style ? ` s="${style}"` : ''}><v>${v}</v></c>`;
const inline = (ref: string, xml: string) => `<c r="${ref}" t="inlineStr"><is>${xml}</is></c>`;

describe('xlsxRecords', () => {
  it('reads shared, rich, inline and formula strings, booleans, numbers and entities, cells placed by their references', async () => {
    const strings = [
      si('<t>id</t>'), si('<t>text</t>'), si('<t>n</t>'), si('<t>flag</t>'),
      // rich text runs are joined; a phonetic guide is not part of the text; spaces are kept
      si('<r><rPr><b/></rPr><t xml:space="preserve">Яма </t></r><r><t>у дома</t></r><rPh sb="0" eb="1"><t>ЯМА</t></rPh>'),
      si('<t>Tom &amp; Jerry &lt;3&gt; &#1178;&#x04A2; &quot;q&quot;</t>'),
      si('<t>line_x000D_\nbreak _x005F_x0041_</t>'),
    ];
    const rows = `<row r="1">${s('A1', 0)}${s('B1', 1)}${s('C1', 2)}${s('D1', 3)}</row>`
      + `<row r="2">${s('A2', 0)}${s('B2', 4)}${n('C2', '42.869999999999997')}<c r="D2" t="b"><v>1</v></c></row>`
      + `<row r="3">${inline('A3', '<t>X-3</t>')}${inline('B3', '<r><t>a&amp;</t></r><r><t xml:space="preserve"> b</t></r>')}${n('C3', '1E3')}<c r="D3" t="b"><v>0</v></c></row>`
      + `<row r="4">${s('A4', 5)}${s('B4', 6)}<c r="C4" t="str"><f>1/0</f><v>&lt;div&gt;</v></c><c r="D4" t="e"><v>#N/A</v></c></row>`;
    const { records, rowNumbers } = await readAll(await book({ sheets: [rows], sharedStrings: strings.join('') }));
    expect(records).toEqual([
      ['id', 'text', 'n', 'flag'],
      ['id', 'Яма у дома', '42.87', 'TRUE'],
      ['X-3', 'a& b', '1000', 'FALSE'],
      ['Tom & Jerry <3> ҚҢ "q"', 'line\r\nbreak _x0041_', '<div>', '#N/A'],
    ]);
    expect(rowNumbers).toEqual([0, 1, 2, 3]);
  });

  it('keeps sparse rows in their columns, skips empty rows but keeps the sheet\'s numbers, pads short rows', async () => {
    const rows = `<row r="3">${inline('A3', '<t>a</t>')}${inline('B3', '<t>b</t>')}${inline('C3', '<t>c</t>')}</row>`
      + `<row r="4"><c r="A4" s="1"/><c r="C4" s="1"/></row>` // formatted but empty: no record
      + `<row r="5" spans="1:3">${inline('C5', '<t>only c</t>')}</row>`
      + `<row r="7"/>`
      + `<row r="9">${inline('A9', '<t>first</t>')}</row>`
      + `<row>${inline('B10', '<t>after 9</t>')}</row>` // no row number: the one after the last
      + `<row r="11"><c><v>1</v></c><c><v>2</v></c><c r="E11"><v>5</v></c></row>`; // no references, then one past the header
    const { records, rowNumbers } = await readAll(await book({ sheets: [rows] }));
    expect(records).toEqual([['a', 'b', 'c'], ['', '', 'only c'], ['first', '', ''], ['', 'after 9', ''], ['1', '2', '', '', '5']]);
    expect(rowNumbers).toEqual([0, 2, 6, 7, 8]);
  });

  it('turns date-styled numbers into dates: in the mapping\'s format in its date columns, ISO elsewhere; text dates stay text', async () => {
    const received = excelSerial(Date.UTC(2019, 2, 5, 14, 30, 0)); // 2019-03-05 14:30 on the wall clock
    const day = excelSerial(Date.UTC(2019, 2, 12));
    const header = `<row r="1">${inline('A1', '<t>Дата</t>')}${inline('B1', '<t>Закрыто</t>')}${inline('C1', '<t>Прочее</t>')}${inline('D1', '<t>Сумма</t>')}${inline('E1', '<t>Дни</t>')}</row>`;
    const rows = header
      + `<row r="2">${n('A2', received, STYLE.dateTime)}${n('B2', day, STYLE.date)}${n('C2', received, STYLE.customDateTime)}${n('D2', 1.5, STYLE.decimal)}${n('E2', 7, STYLE.quotedD)}</row>`
      + `<row r="3">${inline('A3', '<t>06.03.2019 09:00</t>')}${n('B3', day)}${n('C3', day, STYLE.date)}<c r="D3" t="d"><v>2020-01-02T03:04:05</v></c></row>`;
    const dateFormats = new Map([['Дата', 'DD.MM.YYYY HH:mm'], ['Закрыто', 'MM/DD/YYYY hh:mm:ss A']]);
    const { records } = await readAll(await book({ sheets: [rows] }), { dateFormats });
    expect(records.slice(1)).toEqual([
      ['05.03.2019 14:30', '03/12/2019 12:00:00 AM', '2019-03-05 14:30:00', '1.5', '7'],
      ['06.03.2019 09:00', String(day), '2019-03-12', '2020-01-02 03:04:05', ''],
    ]);
  });

  it('reads the 1904 calendar and Excel\'s phantom 29 February 1900', async () => {
    const rows = `<row r="1">${inline('A1', '<t>d</t>')}</row><row r="2">${n('A2', 0, STYLE.date)}</row><row r="3">${n('A3', 43_528.5, STYLE.dateTime)}</row>`;
    expect((await readAll(await book({ sheets: [rows], date1904: true }))).records.slice(1)).toEqual([['1904-01-01'], ['2023-03-05 12:00:00']]);
    const at = (serial: number) => renderDate(serialToParts(serial, false)!);
    expect([at(1), at(59), at(60), at(61), at(43_529.999_999_9)]).toEqual(['1900-01-01', '1900-02-28', '1900-02-29', '1900-03-01', '2019-03-06']);
    expect(isDateFormatCode('[$-409]d-mmm-yy;@')).toBe(true);
    expect(isDateFormatCode('"day "0')).toBe(false);
    expect(isDateFormatCode('[Red]#,##0.00')).toBe(false);
  });

  it('imports the first worksheet in tab order, skipping a chart sheet, and falls back to xl/worksheets/sheet1.xml', async () => {
    const first = `<row r="1">${inline('A1', '<t>first</t>')}</row>`;
    const second = `<row r="1">${inline('A1', '<t>second</t>')}</row>`;
    expect((await readAll(await book({ sheets: [first, second], chartSheetFirst: true }))).records).toEqual([['first']]);
    // No workbook at all, only the conventional sheet, with a namespace prefix and CDATA.
    const bare = await zipBuffer([{ name: 'xl/worksheets/sheet1.xml', data:
      '<x:worksheet xmlns:x="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><x:sheetData><x:row r="1">'
      + '<x:c r="B1" t="inlineStr"><x:is><x:t><![CDATA[a <b> & c]]></x:t></x:is></x:c></x:row></x:sheetData></x:worksheet>', store: true }]);
    expect((await readAll(bare)).records).toEqual([['', 'a <b> & c']]);
  });

  it('spills shared strings past the memory budget to a temporary file and reads them back', async () => {
    const count = 5000;
    const items: string[] = [];
    for (let i = 0; i < count; i++) items.push(si(`<t>${xmlEscape(`Описание №${i} <${'ж'.repeat(i % 50)}> & конец`)}</t>`));
    let rows = `<row r="1">${inline('A1', '<t>k</t>')}${inline('B1', '<t>v</t>')}</row>`;
    // Looked up out of order too: backwards, then the head and the tail mixed.
    const order = [...Array.from({ length: count }, (_, i) => count - 1 - i), 0, count - 1, 1, count - 2];
    order.forEach((k, j) => { rows += `<row r="${j + 2}">${n(`A${j + 2}`, k)}${s(`B${j + 2}`, k)}</row>`; });
    const file = await book({ sheets: [rows], sharedStrings: items.join('') });
    let sawSpill = false;
    const records: string[][] = [];
    for await (const b of xlsxRecords(chunks(file), { sharedStringsMemoryBytes: 4096 })) {
      const [dir] = await leftovers();
      if (dir && (await readdir(join(tmp, dir))).includes('strings.dat')) sawSpill = true;
      records.push(...b.records);
    }
    expect(sawSpill).toBe(true);
    expect(records).toHaveLength(order.length + 1);
    for (const r of records.slice(1)) expect(r[1]).toBe(`Описание №${r[0]} <${'ж'.repeat(Number(r[0]) % 50)}> & конец`);
    expect(await leftovers()).toEqual([]);
  });

  it('refuses a truncated archive, a ZIP without a worksheet and a bad shared-string reference; no temporary file stays', async () => {
    const good = await book({ sheets: [`<row r="1">${inline('A1', '<t>x</t>')}</row>`] });
    const problem = async (file: Buffer) => readAll(file).then(() => 'read', (err: unknown) => (err instanceof XlsxFormatError ? err.problem : String(err)));
    expect(await problem(good.subarray(0, good.length - 30))).toBe('unreadable');
    expect(await problem(Buffer.from('PK\u0003\u0004 not really a zip'))).toBe('unreadable');
    expect(await problem(await zipBuffer([{ name: 'word/document.xml', data: '<document/>' }]))).toBe('no_worksheet');
    expect(await problem(await book({ sheets: [`<row r="1">${s('A1', 3)}</row>`], sharedStrings: si('<t>only one</t>') }))).toBe('corrupt');
    expect(await leftovers()).toEqual([]);
  });

  it('a sheet that breaks off mid-way fails with the last row read, after the rows before it', async () => {
    let rows = `<row r="1">${inline('A1', '<t>n</t>')}</row>`;
    for (let i = 2; i <= 20_000; i++) rows += `<row r="${i}">${n(`A${i}`, i * 7919 % 10_007)}</row>`;
    // The sheet is the archive's last entry: zero the second half of its deflated data (the directory still
    // vouches for it), so inflating fails mid-way.
    const broken = await zipBuffer(workbookParts({ sheets: [rows] }));
    const dirOffset = broken.readUInt32LE(broken.length - 22 + 16);
    const packed = broken.readUInt32LE(dirOffset - 16 + 8);
    broken.fill(0, dirOffset - 16 - Math.floor(packed / 2), dirOffset - 16);
    let seen = 0;
    const err = await (async () => { for await (const b of xlsxRecords(chunks(broken))) seen += b.records.length; })().catch((e: unknown) => e);
    expect(err).toBeInstanceOf(XlsxFormatError);
    expect((err as XlsxFormatError).problem).toBe('corrupt');
    expect(seen).toBeGreaterThan(1000);
    expect(await leftovers()).toEqual([]);
  });

  it('deletes its temporary files when the reader is abandoned half-way', async () => {
    let rows = `<row r="1">${inline('A1', '<t>n</t>')}</row>`;
    for (let i = 2; i <= 50_000; i++) rows += `<row r="${i}">${n(`A${i}`, i)}</row>`;
    const it = xlsxRecords(zipStream(workbookParts({ sheets: [rows] })))[Symbol.asyncIterator]();
    const first = await it.next();
    expect((first.value as RecordBatch).records[0]).toEqual(['n']);
    expect(await leftovers()).toHaveLength(1);
    await it.return(undefined);
    expect(await leftovers()).toEqual([]);
  });
});

describe('XmlScanner', () => {
  it('gives the same events however the text is cut', () => {
    const xml = '<?xml version="1.0"?><!-- a > comment --><a x="1>2" y=\'q\'><b/>te&amp;xt<![CDATA[<raw>]]><c:d k="v">z</c:d></a>';
    const run = (pieces: string[]) => {
      const events: string[] = [];
      let text = '';
      const flush = () => { if (text) { events.push(`text:${text}`); text = ''; } };
      const sc = new XmlScanner({
        open: (name, attrs, self) => { flush(); events.push(`open:${name}|${attrs.trim()}|${self}`); },
        close: (name) => { flush(); events.push(`close:${name}`); },
        text: (str, a, b) => { text += str.slice(a, b); },
      });
      for (const p of pieces) sc.push(p);
      sc.end();
      flush();
      return events;
    };
    const whole = run([xml]);
    expect(whole).toEqual(['open:a|x="1>2" y=\'q\'|false', 'open:b||true', 'text:te&amp;xt&lt;raw>', 'open:d|k="v"|false', 'text:z', 'close:d', 'close:a']);
    for (let i = 1; i < xml.length; i++) expect(run([xml.slice(0, i), xml.slice(i)])).toEqual(whole);
  });
});

describe('SharedStrings', () => {
  it('keeps the head in memory and the rest on disk, in order', async () => {
    const dir = await mkdtemp(join(tmp, 'strings-'));
    const table = new SharedStrings(dir, 1000);
    const values = Array.from({ length: 3000 }, (_, i) => (i % 7 === 0 ? '' : `значение ${i} ${'x'.repeat(i % 300)}`));
    values.push('y'.repeat(300_000)); // larger than a read window
    for (const v of values) table.add(v);
    table.seal();
    expect(table.spilledCount).toBeGreaterThan(2900);
    for (let i = values.length - 1; i >= 0; i -= 13) expect(table.get(i)).toBe(values[i]);
    expect(table.get(values.length - 1)).toBe(values[values.length - 1]);
    expect(table.get(values.length)).toBeUndefined();
    table.close();
    await rm(dir, { recursive: true });
  });
});
