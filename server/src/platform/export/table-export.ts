/**
 * Tables as downloadable files: CSV (RFC 4180) and XLSX (a minimal Office Open XML workbook written by hand and zipped
 * with node:zlib, so no spreadsheet library is needed). Used by every "export this list / table" route.
 */
import { crc32, deflateRawSync } from 'node:zlib';
import type { FastifyReply } from 'fastify';
import { z } from 'zod';

export type ExportFormat = 'csv' | 'xlsx';
export interface ExportColumn { key: string; header: string }

/** The `?format=` of an export route. */
export const ExportFormatSchema = z.enum(['csv', 'xlsx']).describe('csv or xlsx');
/** Documents an export's 200 (the bytes skip the serializer). */
export const ExportFileOut = z.string().describe('text/csv (UTF-8 with BOM) or application/vnd.openxmlformats-officedocument.spreadsheetml.sheet');

const CONTENT_TYPES: Record<ExportFormat, string> = {
  csv: 'text/csv; charset=utf-8',
  xlsx: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
};

type Cell = { kind: 'empty' } | { kind: 'number'; value: number } | { kind: 'text'; value: string };

/** One value as a cell: numbers stay numbers, dates become ISO text, null/undefined/NaN an empty cell. */
function cellOf(v: unknown): Cell {
  if (v === null || v === undefined) return { kind: 'empty' };
  if (typeof v === 'number') return Number.isFinite(v) ? { kind: 'number', value: v } : { kind: 'empty' };
  if (typeof v === 'bigint') return { kind: 'text', value: v.toString() };
  if (v instanceof Date) return Number.isNaN(v.getTime()) ? { kind: 'empty' } : { kind: 'text', value: v.toISOString() };
  if (typeof v === 'string') return { kind: 'text', value: v };
  if (typeof v === 'boolean') return { kind: 'text', value: String(v) };
  return { kind: 'text', value: JSON.stringify(v) };
}

// ---------------------------------------------------------------------------------------------------------------- CSV

/**
 * A text cell that a spreadsheet would read as a formula (= + - @, or a tab/CR that some apps strip before them) gets a
 * leading apostrophe: an exported appeal's text must never run as a formula in the analyst's Excel.
 */
function guardFormula(s: string): string {
  return /^[=+\-@\t\r]/.test(s) ? `'${s}` : s;
}

function csvField(v: unknown): string {
  const c = cellOf(v);
  if (c.kind === 'empty') return '';
  const s = c.kind === 'number' ? String(c.value) : guardFormula(c.value);
  return /[",\r\n]/.test(s) ? `"${s.replaceAll('"', '""')}"` : s;
}

/** RFC 4180 CSV with CRLF line ends and a UTF-8 BOM (so Excel opens Cyrillic right). */
export function toCsv(columns: readonly ExportColumn[], rows: readonly Record<string, unknown>[]): string {
  const line = (values: unknown[]) => `${values.map(csvField).join(',')}\r\n`;
  let out = '\uFEFF' + line(columns.map((c) => c.header));
  for (const r of rows) out += line(columns.map((c) => r[c.key]));
  return out;
}

// --------------------------------------------------------------------------------------------------------------- XLSX

const EXCEL_MAX_TEXT = 32767;

/** XML 1.0 text: escaped, characters XML cannot hold removed. */
function xmlText(s: string): string {
  return s
    // eslint-disable-next-line no-control-regex
    .replace(/[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]/g, '')
    .replace(/[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g, '')
    .replaceAll('&', '&amp;').replaceAll('<', '&lt;').replaceAll('>', '&gt;').replaceAll('"', '&quot;');
}

/** A1-style column letters: 0 → A, 25 → Z, 26 → AA. */
export function columnLetters(index: number): string {
  let n = index + 1;
  let s = '';
  while (n > 0) {
    const r = (n - 1) % 26;
    s = String.fromCharCode(65 + r) + s;
    n = Math.floor((n - 1) / 26);
  }
  return s;
}

/** Excel's sheet-name rules: at most 31 characters, none of []:*?/\, not starting or ending with an apostrophe. */
export function safeSheetName(name: string): string {
  const s = name.replace(/[[\]:*?/\\]/g, ' ').replace(/^'+|'+$/g, '').trim().slice(0, 31).trim();
  return s || 'Sheet1';
}

function xlsxCell(ref: string, v: unknown, style: number): string {
  const c = cellOf(v);
  const s = style ? ` s="${style}"` : '';
  if (c.kind === 'empty') return '';
  if (c.kind === 'number') return `<c r="${ref}"${s}><v>${c.value}</v></c>`;
  const text = c.value.length > EXCEL_MAX_TEXT ? c.value.slice(0, EXCEL_MAX_TEXT) : c.value;
  const space = /^\s|\s$/.test(text) ? ' xml:space="preserve"' : '';
  return `<c r="${ref}"${s} t="inlineStr"><is><t${space}>${xmlText(text)}</t></is></c>`;
}

function sheetXml(columns: readonly ExportColumn[], rows: readonly Record<string, unknown>[]): string {
  const letters = columns.map((_, i) => columnLetters(i));
  const out: string[] = [];
  out.push(`<row r="1">${columns.map((c, i) => xlsxCell(`${letters[i]}1`, c.header, 1)).join('')}</row>`);
  rows.forEach((r, j) => {
    const n = j + 2;
    out.push(`<row r="${n}">${columns.map((c, i) => xlsxCell(`${letters[i]}${n}`, r[c.key], 0)).join('')}</row>`);
  });
  return XML_HEAD + '<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
    // The header row stays visible while scrolling.
    + '<sheetViews><sheetView workbookViewId="0"><pane ySplit="1" topLeftCell="A2" activePane="bottomLeft" state="frozen"/></sheetView></sheetViews>'
    + `<sheetData>${out.join('')}</sheetData></worksheet>`;
}

const XML_HEAD = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n';
const CONTENT_TYPES_XML = XML_HEAD
  + '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
  + '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
  + '<Default Extension="xml" ContentType="application/xml"/>'
  + '<Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
  + '<Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>'
  + '<Override PartName="/xl/styles.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.styles+xml"/>'
  + '</Types>';
const ROOT_RELS_XML = XML_HEAD
  + '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
  + '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/>'
  + '</Relationships>';
const WORKBOOK_RELS_XML = XML_HEAD
  + '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
  + '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/>'
  + '<Relationship Id="rId2" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/styles" Target="styles.xml"/>'
  + '</Relationships>';
// Style 0 is the default, style 1 the bold header.
const STYLES_XML = XML_HEAD
  + '<styleSheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
  + '<fonts count="2"><font><sz val="11"/><name val="Calibri"/></font><font><b/><sz val="11"/><name val="Calibri"/></font></fonts>'
  + '<fills count="2"><fill><patternFill patternType="none"/></fill><fill><patternFill patternType="gray125"/></fill></fills>'
  + '<borders count="1"><border><left/><right/><top/><bottom/><diagonal/></border></borders>'
  + '<cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/></cellStyleXfs>'
  + '<cellXfs count="2"><xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/>'
  + '<xf numFmtId="0" fontId="1" fillId="0" borderId="0" xfId="0" applyFont="1"/></cellXfs>'
  + '<cellStyles count="1"><cellStyle name="Normal" xfId="0" builtinId="0"/></cellStyles>'
  + '</styleSheet>';

function workbookXml(sheetName: string): string {
  return XML_HEAD + '<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" '
    + 'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">'
    + `<sheets><sheet name="${xmlText(safeSheetName(sheetName))}" sheetId="1" r:id="rId1"/></sheets></workbook>`;
}

/**
 * A ZIP archive (deflate, no ZIP64: a spreadsheet export stays far below 4 GB and 65 535 entries). A fixed timestamp
 * (1980-01-01) keeps the same table's file byte-identical.
 */
export function zip(entries: ReadonlyArray<{ name: string; data: Buffer }>): Buffer {
  const DOS_TIME = 0;
  const DOS_DATE = (0 << 9) | (1 << 5) | 1;
  const locals: Buffer[] = [];
  const centrals: Buffer[] = [];
  let offset = 0;
  for (const e of entries) {
    const name = Buffer.from(e.name, 'utf8');
    const packed = deflateRawSync(e.data);
    const crc = crc32(e.data);
    const local = Buffer.alloc(30);
    local.writeUInt32LE(0x04034b50, 0);
    local.writeUInt16LE(20, 4); // version needed: 2.0 (deflate)
    local.writeUInt16LE(0x0800, 6); // names are UTF-8
    local.writeUInt16LE(8, 8); // deflate
    local.writeUInt16LE(DOS_TIME, 10);
    local.writeUInt16LE(DOS_DATE, 12);
    local.writeUInt32LE(crc, 14);
    local.writeUInt32LE(packed.length, 18);
    local.writeUInt32LE(e.data.length, 22);
    local.writeUInt16LE(name.length, 26);
    local.writeUInt16LE(0, 28);
    const central = Buffer.alloc(46);
    central.writeUInt32LE(0x02014b50, 0);
    central.writeUInt16LE(20, 4); // made by
    central.writeUInt16LE(20, 6);
    central.writeUInt16LE(0x0800, 8);
    central.writeUInt16LE(8, 10);
    central.writeUInt16LE(DOS_TIME, 12);
    central.writeUInt16LE(DOS_DATE, 14);
    central.writeUInt32LE(crc, 16);
    central.writeUInt32LE(packed.length, 20);
    central.writeUInt32LE(e.data.length, 24);
    central.writeUInt16LE(name.length, 28);
    // extra, comment, disk, internal and external attributes: 0
    central.writeUInt32LE(offset, 42);
    locals.push(local, name, packed);
    centrals.push(central, name);
    offset += local.length + name.length + packed.length;
  }
  const dir = Buffer.concat(centrals);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(entries.length, 8);
  end.writeUInt16LE(entries.length, 10);
  end.writeUInt32LE(dir.length, 12);
  end.writeUInt32LE(offset, 16);
  return Buffer.concat([...locals, dir, end]);
}

/** One sheet: a bold, frozen header row, then the rows; text as inline strings, numbers as numbers. */
export function toXlsx(columns: readonly ExportColumn[], rows: readonly Record<string, unknown>[], sheetName: string): Buffer {
  const part = (name: string, xml: string) => ({ name, data: Buffer.from(xml, 'utf8') });
  return zip([
    part('[Content_Types].xml', CONTENT_TYPES_XML),
    part('_rels/.rels', ROOT_RELS_XML),
    part('xl/workbook.xml', workbookXml(sheetName)),
    part('xl/_rels/workbook.xml.rels', WORKBOOK_RELS_XML),
    part('xl/styles.xml', STYLES_XML),
    part('xl/worksheets/sheet1.xml', sheetXml(columns, rows)),
  ]);
}

// -------------------------------------------------------------------------------------------------------------- HTTP

/**
 * `attachment` with an ASCII fallback name (old clients) and the exact name as filename* (RFC 6266 / 5987).
 * The extension is added when `fileName` lacks it.
 */
export function contentDisposition(fileName: string, format: ExportFormat): string {
  const name = fileName.toLowerCase().endsWith(`.${format}`) ? fileName : `${fileName}.${format}`;
  const ascii = name.replace(/(?:[^\x20-\x7E]|["\\])+/g, '_');
  const encoded = encodeURIComponent(name).replace(/['()*]/g, (ch) => `%${ch.charCodeAt(0).toString(16).toUpperCase()}`);
  return `attachment; filename="${ascii}"; filename*=UTF-8''${encoded}`;
}

/** Sends the table as a download. The sheet is named after the file. */
export function sendTable(
  reply: FastifyReply, format: ExportFormat, fileName: string,
  columns: readonly ExportColumn[], rows: readonly Record<string, unknown>[],
): FastifyReply {
  const body = format === 'csv' ? Buffer.from(toCsv(columns, rows), 'utf8') : toXlsx(columns, rows, fileName);
  return reply
    .header('content-type', CONTENT_TYPES[format])
    .header('content-disposition', contentDisposition(fileName, format))
    .header('content-length', String(body.length))
    .header('x-content-type-options', 'nosniff')
    .header('cache-control', 'private, no-store')
    // A Buffer skips the serializer (the 200 schema only documents the type).
    .send(body as never);
}
