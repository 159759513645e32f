/**
 * XLSX files for tests and the import benchmark, written as a stream: a ZIP whose entries are deflated on the fly
 * with their sizes and CRC in data descriptors after the data (as streaming writers do), so a sheet of a million
 * rows never sits in memory. The workbook is minimal but real: content types, relationships, styles, shared
 * strings and one or more worksheets.
 */
import { Readable } from 'node:stream';
import { createDeflateRaw, crc32 } from 'node:zlib';

export interface ZipPart { name: string; data: string | Buffer | AsyncIterable<string | Buffer>; store?: boolean }

/** The ZIP as chunks: each entry deflated (or stored) with a data descriptor, then the central directory. */
export async function* zipStream(parts: readonly ZipPart[]): AsyncGenerator<Buffer> {
  const central: Buffer[] = [];
  let offset = 0;
  for (const part of parts) {
    const name = Buffer.from(part.name, 'utf8');
    const method = part.store ? 0 : 8;
    const local = Buffer.alloc(30);
    local.writeUInt32LE(0x04034b50, 0);
    local.writeUInt16LE(20, 4);
    local.writeUInt16LE(0x0808, 6); // sizes in a data descriptor; UTF-8 names
    local.writeUInt16LE(method, 8);
    local.writeUInt16LE(33, 12); // 1980-01-01
    local.writeUInt16LE(name.length, 26);
    yield local;
    yield name;
    const start = offset;
    offset += local.length + name.length;
    let crc = 0;
    let size = 0;
    async function* raw() {
      const source = typeof part.data === 'string' || Buffer.isBuffer(part.data) ? [part.data] : part.data;
      for await (const piece of source) {
        const bytes = typeof piece === 'string' ? Buffer.from(piece, 'utf8') : piece;
        crc = crc32(bytes, crc);
        size += bytes.length;
        yield bytes;
      }
    }
    let packed = 0;
    const body = method === 8 ? Readable.from(raw()).pipe(createDeflateRaw()) : raw();
    for await (const chunk of body as AsyncIterable<Buffer>) { packed += chunk.length; yield chunk; }
    const descriptor = Buffer.alloc(16);
    descriptor.writeUInt32LE(0x08074b50, 0);
    descriptor.writeUInt32LE(crc >>> 0, 4);
    descriptor.writeUInt32LE(packed, 8);
    descriptor.writeUInt32LE(size, 12);
    yield descriptor;
    offset += packed + descriptor.length;
    const c = Buffer.alloc(46);
    c.writeUInt32LE(0x02014b50, 0);
    c.writeUInt16LE(20, 4);
    c.writeUInt16LE(20, 6);
    c.writeUInt16LE(0x0808, 8);
    c.writeUInt16LE(method, 10);
    c.writeUInt16LE(33, 14);
    c.writeUInt32LE(crc >>> 0, 16);
    c.writeUInt32LE(packed, 20);
    c.writeUInt32LE(size, 24);
    c.writeUInt16LE(name.length, 28);
    c.writeUInt32LE(start, 42);
    central.push(c, name);
  }
  const dir = Buffer.concat(central);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(parts.length, 8);
  end.writeUInt16LE(parts.length, 10);
  end.writeUInt32LE(dir.length, 12);
  end.writeUInt32LE(offset, 16);
  yield dir;
  yield end;
}

export async function zipBuffer(parts: readonly ZipPart[]): Promise<Buffer> {
  const out: Buffer[] = [];
  for await (const chunk of zipStream(parts)) out.push(chunk);
  return Buffer.concat(out);
}

const HEAD = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n';
const MAIN = 'http://schemas.openxmlformats.org/spreadsheetml/2006/main';
const REL = 'http://schemas.openxmlformats.org/officeDocument/2006/relationships';
const PKG_REL = 'http://schemas.openxmlformats.org/package/2006/relationships';

/**
 * Cell styles of `workbookParts`: 0 general, 1 built-in date (14), 2 built-in date and time (22), 3 custom
 * "dd.mm.yyyy hh:mm", 4 a number with two decimals (2), 5 a custom number format with a quoted "d" (no date).
 */
export const STYLE = { general: 0, date: 1, dateTime: 2, customDateTime: 3, decimal: 4, quotedD: 5 } as const;

export const STYLES_XML = `${HEAD}<styleSheet xmlns="${MAIN}">`
  + '<numFmts count="2"><numFmt numFmtId="164" formatCode="dd\\.mm\\.yyyy\\ hh:mm"/><numFmt numFmtId="165" formatCode="&quot;day &quot;0"/></numFmts>'
  + '<fonts count="1"><font><sz val="11"/><name val="Calibri"/></font></fonts>'
  + '<fills count="1"><fill><patternFill patternType="none"/></fill></fills>'
  + '<borders count="1"><border/></borders>'
  + '<cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/></cellStyleXfs>'
  + '<cellXfs count="6"><xf numFmtId="0" xfId="0"/><xf numFmtId="14" xfId="0" applyNumberFormat="1"/>'
  + '<xf numFmtId="22" xfId="0" applyNumberFormat="1"/><xf numFmtId="164" xfId="0" applyNumberFormat="1"><alignment horizontal="left"/></xf>'
  + '<xf numFmtId="2" xfId="0" applyNumberFormat="1"/><xf numFmtId="165" xfId="0" applyNumberFormat="1"/></cellXfs>'
  + '</styleSheet>';

export interface WorkbookSpec {
  /** Each worksheet's <sheetData> content (rows), in tab order; the first is the one imported. */
  sheets: (string | AsyncIterable<string>)[];
  /** <si> items' XML, in index order; omitted: no shared-strings part. */
  sharedStrings?: string | AsyncIterable<string>;
  date1904?: boolean;
  /** A chart sheet before the worksheets, which a reader must skip. */
  chartSheetFirst?: boolean;
}

/** The parts of a workbook. Worksheets live at xl/worksheets/data{n}.xml, so only the relationships find them. */
export function workbookParts(spec: WorkbookSpec): ZipPart[] {
  const sheets = spec.sheets.map((_, i) => ({ id: `rIdS${i + 1}`, path: `worksheets/data${i + 1}.xml` }));
  const sheetTags = sheets.map((s, i) => `<sheet name="Лист${i + 1}" sheetId="${i + 1}" r:id="${s.id}"/>`);
  const rels = sheets.map((s) => `<Relationship Id="${s.id}" Type="${REL}/worksheet" Target="${s.path}"/>`);
  if (spec.chartSheetFirst) {
    sheetTags.unshift('<sheet name="Диаграмма" sheetId="99" r:id="rIdC"/>');
    rels.push(`<Relationship Id="rIdC" Type="${REL}/chartsheet" Target="/xl/chartsheets/sheet1.xml"/>`);
  }
  rels.push(`<Relationship Id="rIdStyles" Type="${REL}/styles" Target="styles.xml"/>`);
  if (spec.sharedStrings !== undefined) rels.push(`<Relationship Id="rIdStrings" Type="${REL}/sharedStrings" Target="sharedStrings.xml"/>`);
  const parts: ZipPart[] = [
    { name: '[Content_Types].xml', data: `${HEAD}<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/></Types>` },
    { name: '_rels/.rels', data: `${HEAD}<Relationships xmlns="${PKG_REL}"><Relationship Id="rId1" Type="${REL}/officeDocument" Target="xl/workbook.xml"/></Relationships>` },
    { name: 'xl/workbook.xml', data: `${HEAD}<workbook xmlns="${MAIN}" xmlns:r="${REL}"><workbookPr${spec.date1904 ? ' date1904="1"' : ''}/><sheets>${sheetTags.join('')}</sheets></workbook>` },
    { name: 'xl/_rels/workbook.xml.rels', data: `${HEAD}<Relationships xmlns="${PKG_REL}">${rels.join('')}</Relationships>` },
    { name: 'xl/styles.xml', data: STYLES_XML },
  ];
  if (spec.chartSheetFirst) parts.push({ name: 'xl/chartsheets/sheet1.xml', data: `${HEAD}<chartsheet xmlns="${MAIN}"/>` });
  spec.sheets.forEach((data, i) => parts.push({ name: `xl/${sheets[i]!.path}`, data: wrap(`${HEAD}<worksheet xmlns="${MAIN}"><sheetData>`, data, '</sheetData></worksheet>') }));
  if (spec.sharedStrings !== undefined) parts.push({ name: 'xl/sharedStrings.xml', data: wrap(`${HEAD}<sst xmlns="${MAIN}">`, spec.sharedStrings, '</sst>') });
  return parts;
}

function wrap(before: string, body: string | AsyncIterable<string>, after: string): string | AsyncIterable<string> {
  if (typeof body === 'string') return before + body + after;
  return (async function* () { yield before; yield* body; yield after; })();
}

/** Text escaped for XML. */
export const xmlEscape = (s: string) => s.replaceAll('&', '&amp;').replaceAll('<', '&lt;').replaceAll('>', '&gt;').replaceAll('"', '&quot;');

/** An Excel serial date (1900 system) of a wall-clock time given as UTC fields. */
export const excelSerial = (wallClockMs: number) => wallClockMs / 86_400_000 + 25_569;
