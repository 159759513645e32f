/**
 * A streaming XLSX reader for imports: yields the first worksheet's rows in groups, like the CSV reader.
 *
 * A ZIP's directory is at its end, so the upload is first spooled to a private temporary directory (deleted when
 * the reader finishes, fails or is abandoned with return()). Then the workbook, its relationships and styles (all
 * small) are read, the shared strings streamed into a memory-bounded table (see shared-strings.ts), and the sheet
 * streamed through the XML scanner: only one inflated chunk and the rows of it are in memory at a time.
 *
 * Cells become the text a CSV of the sheet would hold: shared, inline and formula strings as written (rich-text
 * runs joined, phonetic runs left out, entities and _xHHHH_ escapes decoded), booleans TRUE/FALSE, errors as
 * shown (#N/A), numbers in their shortest form (42.87, not 42.869999999999997). A number whose style is a date
 * format (built-in ids 14–22, 27–36, 45–47, 50–58, or a custom format with d, m, y, h or s outside quotes and
 * brackets) is turned into a date text: in a column the mapping reads as a date, in the mapping's own format (so a
 * column holding real dates in some rows and typed text in others reads alike); elsewhere as YYYY-MM-DD, with
 * " HH:mm:ss" when it has a time of day. Both calendars are understood (1900, with Excel's phantom 29 Feb 1900, and
 * 1904). Cell references place cells in their columns, so rows with gaps keep their columns; rows keep the sheet's
 * numbers (rowNumbers: the sheet's row minus the header's, so 1 is a row right under the header, and empty rows
 * are skipped but keep later rows' numbers). Trailing empty cells are dropped, short rows padded to the header.
 */
import { createWriteStream } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, posix } from 'node:path';
import { pipeline } from 'node:stream/promises';
import { StringDecoder } from 'node:string_decoder';
import { SharedStrings, SharedStringsError } from './shared-strings.js';
import { attr, attrs, decodeXmlText, XmlScanner, XmlSyntaxError, type XmlHandler } from './xml-scanner.js';
import { ZipFile, ZipFormatError, type ZipEntry } from './zip-reader.js';

/**
 * unreadable: no ZIP or a broken one (before any row was read); no_worksheet: a ZIP without a worksheet part;
 * legacy_xls: an Excel 97–2003 or password-protected workbook (both OLE compound files); corrupt: the sheet breaks
 * off after rows were read; too_large: a cell or the shared strings past their limits.
 */
export type XlsxProblem = 'unreadable' | 'no_worksheet' | 'legacy_xls' | 'corrupt' | 'too_large';

export class XlsxFormatError extends Error {
  /** @param row the last row read (header = 0) when it happened mid-sheet */
  constructor(readonly problem: XlsxProblem, detail: string, readonly row: number | null = null) { super(`${problem}: ${detail}`); }
}

export const XLSX_MIME = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

/** The first bytes are a ZIP's, or the name or type says XLSX (then a file that is no ZIP is a broken one). */
export function looksLikeXlsx(head: Buffer, fileName: string, mimeType = ''): boolean {
  return (head.length >= 4 && head.readUInt32LE(0) === 0x04034b50) || /\.xlsx$/i.test(fileName) || mimeType === XLSX_MIME;
}

/** An OLE compound file: .xls, or an .xlsx Excel saved with a password. */
export function looksLikeOle(head: Buffer): boolean {
  return head.length >= 8 && head.readUInt32BE(0) === 0xd0cf11e0 && head.readUInt32BE(4) === 0xa1b11ae1;
}

export interface RecordBatch {
  records: string[][];
  /** Each record's number: the sheet's row minus the header row's. Absent: records are counted (CSV). */
  rowNumbers?: number[];
}

export interface XlsxOptions {
  /** Header name → the mapping's date format (compileDateFormat's patterns, or 'iso') for date cells in that column. */
  dateFormats?: ReadonlyMap<string, string>;
  /** The shared strings kept in memory before the rest spill to disk. */
  sharedStringsMemoryBytes?: number;
}

/** The longest cell text accepted (Excel's own limit is 32 767 characters). */
const MAX_CELL_CHARS = 1_000_000;
/** Excel's last column, XFD. */
const MAX_COLUMNS = 16_384;

export async function* xlsxRecords(input: AsyncIterable<Buffer>, options: XlsxOptions = {}): AsyncGenerator<RecordBatch> {
  const dir = await mkdtemp(join(tmpdir(), 'shaar-import-'));
  const strings = new SharedStrings(dir, options.sharedStringsMemoryBytes);
  let zip: ZipFile | undefined;
  try {
    const path = join(dir, 'upload.xlsx');
    await pipeline(input, createWriteStream(path, { flags: 'wx', mode: 0o600 }));
    let sheet: ZipEntry;
    let reader: SheetReader;
    try {
      zip = await ZipFile.open(path);
      const parts = await locateParts(zip);
      sheet = parts.sheet;
      const dateStyles = parts.styles ? readDateStyles(await zip.text(parts.styles)) : [];
      if (parts.strings) await readSharedStrings(zip, parts.strings, strings);
      strings.seal();
      reader = new SheetReader(strings, dateStyles, parts.date1904, options.dateFormats ?? new Map());
    } catch (err) {
      throw asFormatError(err, 'unreadable', null);
    }
    const scanner = new XmlScanner(reader);
    const decoder = new StringDecoder('utf8');
    try {
      for await (const chunk of zip.read(sheet)) {
        scanner.push(decoder.write(chunk));
        if (reader.pending()) yield reader.take();
      }
      scanner.push(decoder.end());
      scanner.end();
    } catch (err) {
      throw asFormatError(err, reader.headerRow === null ? 'unreadable' : 'corrupt', reader.lastRow());
    }
    if (reader.pending()) yield reader.take();
  } finally {
    strings.close();
    await zip?.close().catch(() => undefined);
    await rm(dir, { recursive: true, force: true });
  }
}

function asFormatError(err: unknown, problem: XlsxProblem, row: number | null): unknown {
  if (err instanceof XlsxFormatError) return err;
  if (err instanceof SharedStringsError) return new XlsxFormatError('too_large', err.message, row);
  if (err instanceof ZipFormatError || err instanceof XmlSyntaxError) return new XlsxFormatError(problem, err.message, row);
  return err;
}

// ---- the workbook's parts ----

interface Parts { sheet: ZipEntry; strings?: ZipEntry; styles?: ZipEntry; date1904: boolean }

/** Start tags of a small part, in order. */
function elements(xml: string): { name: string; attrs: Map<string, string> }[] {
  const out: { name: string; attrs: Map<string, string> }[] = [];
  const scanner = new XmlScanner({ open: (name, raw) => out.push({ name, attrs: attrs(raw) }), close: () => undefined, text: () => undefined });
  scanner.push(xml);
  scanner.end();
  return out;
}

interface Relationship { type: string; target: string }

/** A part's relationships (`dir/_rels/name.rels`), targets resolved to package paths. */
async function relationships(zip: ZipFile, part: string): Promise<Map<string, Relationship>> {
  const out = new Map<string, Relationship>();
  const entry = zip.entry(posix.join(posix.dirname(part), '_rels', `${posix.basename(part)}.rels`));
  if (!entry) return out;
  for (const e of elements(await zip.text(entry))) {
    const id = e.attrs.get('Id');
    const target = e.attrs.get('Target');
    if (e.name !== 'Relationship' || !id || !target || e.attrs.get('TargetMode') === 'External') continue;
    const path = target.startsWith('/') ? target.slice(1) : posix.join(posix.dirname(part), target);
    out.set(id, { type: e.attrs.get('Type') ?? '', target: posix.normalize(path).replace(/^\/+/, '') });
  }
  return out;
}

const ofType = (rels: Map<string, Relationship>, suffix: string) => [...rels.values()].find((r) => r.type.endsWith(suffix))?.target;

/** The first worksheet in the workbook's tab order (chart sheets skipped), its shared strings, styles and calendar. */
async function locateParts(zip: ZipFile): Promise<Parts> {
  const root = await relationships(zip, '');
  const workbookPath = ofType(root, '/officeDocument') ?? 'xl/workbook.xml';
  const workbook = zip.entry(workbookPath);
  const rels = workbook ? await relationships(zip, workbookPath) : new Map<string, Relationship>();
  let sheet: ZipEntry | undefined;
  let date1904 = false;
  if (workbook) {
    for (const e of elements(await zip.text(workbook))) {
      if (e.name === 'workbookPr') date1904 = ['1', 'true'].includes(e.attrs.get('date1904') ?? '');
      if (e.name !== 'sheet' || sheet) continue;
      const rid = [...e.attrs].find(([k]) => k === 'id' || k.endsWith(':id'))?.[1];
      const rel = rid ? rels.get(rid) : undefined;
      if (rel?.type.endsWith('/worksheet')) sheet = zip.entry(rel.target);
    }
  }
  sheet ??= zip.entry('xl/worksheets/sheet1.xml');
  if (!sheet) throw new XlsxFormatError('no_worksheet', 'no worksheet part');
  const dir = posix.dirname(workbookPath);
  const part = (suffix: string, fallback: string) => zip.entry(ofType(rels, suffix) ?? posix.join(dir, fallback));
  return { sheet, strings: part('/sharedStrings', 'sharedStrings.xml'), styles: part('/styles', 'styles.xml'), date1904 };
}

const BUILTIN_DATE_FORMATS = new Set([14, 15, 16, 17, 18, 19, 20, 21, 22, 27, 28, 29, 30, 31, 32, 33, 34, 35, 36, 45, 46, 47, 50, 51, 52, 53, 54, 55, 56, 57, 58]);

/** Whether a number format shows a date or time: a d, m, y, h or s token outside quoted text, escapes and [..]. */
export function isDateFormatCode(code: string): boolean {
  const first = code.replace(/"[^"]*"/g, '').replace(/\\.|_.|\*./g, '').replace(/\[[^\]]*\]/g, '').split(';')[0] ?? '';
  return /[dmyhs]/i.test(first);
}

/** For each cell style (cellXfs, in order): whether it formats numbers as dates. */
function readDateStyles(xml: string): boolean[] {
  const custom = new Map<number, boolean>();
  const out: boolean[] = [];
  let inCellXfs = false;
  const scanner = new XmlScanner({
    open: (name, raw, selfClosing) => {
      if (name === 'numFmt') custom.set(Number(attr(raw, 'numFmtId')), isDateFormatCode(attr(raw, 'formatCode') ?? ''));
      else if (name === 'cellXfs') inCellXfs = !selfClosing;
      else if (name === 'xf' && inCellXfs) {
        const id = Number(attr(raw, 'numFmtId') ?? 0);
        out.push(custom.get(id) ?? BUILTIN_DATE_FORMATS.has(id));
      }
    },
    close: (name) => { if (name === 'cellXfs') inCellXfs = false; },
    text: () => undefined,
  });
  scanner.push(xml);
  scanner.end();
  return out;
}

/** OOXML writes characters XML cannot hold as _xHHHH_ (and a literal "_x" as _x005F_x). */
function unescapeOoxml(s: string): string {
  if (s.indexOf('_x') === -1) return s;
  return s.replace(/_x([0-9A-Fa-f]{4})_/g, (_, hex: string) => String.fromCharCode(parseInt(hex, 16)));
}

/** <si> items: plain <t>, or rich-text runs <r><t> joined; <rPh> (phonetic guides) are not the text. */
async function readSharedStrings(zip: ZipFile, entry: ZipEntry, strings: SharedStrings): Promise<void> {
  let inRph = false;
  let capture = false;
  let raw = '';
  let current = '';
  const scanner = new XmlScanner({
    open: (name, _attrs, selfClosing) => {
      if (name === 'si') { current = ''; if (selfClosing) strings.add(''); }
      else if (name === 'rPh') inRph = !selfClosing;
      else if (name === 't' && !inRph && !selfClosing) { capture = true; raw = ''; }
    },
    close: (name) => {
      if (name === 't' && capture) {
        capture = false;
        current += decodeXmlText(raw);
        if (current.length > MAX_CELL_CHARS) throw new XlsxFormatError('too_large', 'a shared string is too long');
      } else if (name === 'rPh') inRph = false;
      else if (name === 'si') strings.add(unescapeOoxml(current));
    },
    text: (s, a, b) => {
      if (!capture) return;
      raw += s.slice(a, b);
      if (raw.length > MAX_CELL_CHARS * 2) throw new XlsxFormatError('too_large', 'a shared string is too long');
    },
  });
  const decoder = new StringDecoder('utf8');
  for await (const chunk of zip.read(entry)) scanner.push(decoder.write(chunk));
  scanner.push(decoder.end());
  scanner.end();
}

// ---- the sheet ----

/** What the text being read belongs to. */
const Capture = { None: 0, Value: 1, InlineText: 2 } as const;

/** Collects the rows of <sheetData> as the scanner reports them. */
class SheetReader implements XmlHandler {
  headerRow: number | null = null;
  private width = 0;
  private columnFormats: (string | undefined)[] = [];
  private records: string[][] = [];
  private numbers: number[] = [];
  private inSheetData = false;
  private rowNumber = 0;
  private cells: string[] = [];
  private col = -1;
  private type = 'n';
  private style = 0;
  private capture: number = Capture.None;
  private raw = '';
  private value = '';
  private inline = '';
  private inInline = false;
  private inRph = false;
  private readonly dateCache = new Map<string, string>();

  constructor(
    private readonly strings: SharedStrings, private readonly dateStyles: boolean[], private readonly date1904: boolean,
    private readonly dateFormats: ReadonlyMap<string, string>,
  ) {}

  pending(): boolean { return this.records.length > 0; }

  take(): RecordBatch {
    const out = { records: this.records, rowNumbers: this.numbers };
    this.records = [];
    this.numbers = [];
    return out;
  }

  lastRow(): number | null { return this.headerRow === null ? null : this.rowNumber - this.headerRow; }

  open(name: string, raw: string, selfClosing: boolean): void {
    switch (name) {
      case 'sheetData': this.inSheetData = !selfClosing; return;
      case 'row': {
        if (!this.inSheetData) return;
        const r = Number(attr(raw, 'r'));
        this.rowNumber = Number.isInteger(r) && r > this.rowNumber ? r : this.rowNumber + 1;
        this.cells = [];
        this.col = -1;
        if (selfClosing) this.endRow();
        return;
      }
      case 'c': {
        const ref = attr(raw, 'r');
        const col = ref ? columnIndex(ref) : -1;
        this.col = col >= 0 ? col : this.col + 1;
        if (this.col >= MAX_COLUMNS) throw new XlsxFormatError('corrupt', `a cell beyond column XFD in row ${this.rowNumber}`);
        this.type = attr(raw, 't') ?? 'n';
        this.style = Number(attr(raw, 's') ?? 0);
        this.value = '';
        this.inline = '';
        return;
      }
      case 'v': if (!selfClosing) { this.capture = Capture.Value; this.raw = ''; } return;
      case 'is': this.inInline = !selfClosing; return;
      case 'rPh': this.inRph = !selfClosing; return;
      case 't': if (this.inInline && !this.inRph && !selfClosing) { this.capture = Capture.InlineText; this.raw = ''; } return;
      default:
    }
  }

  close(name: string): void {
    switch (name) {
      case 'v': if (this.capture === Capture.Value) { this.value = this.raw; this.capture = Capture.None; } return;
      case 't': if (this.capture === Capture.InlineText) { this.inline += decodeXmlText(this.raw); this.capture = Capture.None; } return;
      case 'is': this.inInline = false; return;
      case 'rPh': this.inRph = false; return;
      case 'c': this.endCell(); return;
      case 'row': if (this.inSheetData) this.endRow(); return;
      case 'sheetData': this.inSheetData = false; return;
      default:
    }
  }

  text(s: string, start: number, end: number): void {
    if (this.capture === Capture.None) return;
    this.raw += s.slice(start, end);
    if (this.raw.length > MAX_CELL_CHARS) throw new XlsxFormatError('too_large', `a cell too long in row ${this.rowNumber}`, this.lastRow());
  }

  private endCell() {
    const text = this.cellText();
    if (text !== '') this.cells[this.col] = text;
  }

  private cellText(): string {
    const v = this.value;
    switch (this.type) {
      case 's': {
        if (v === '') return '';
        const s = this.strings.get(Number(v));
        if (s === undefined) throw new XlsxFormatError('corrupt', `row ${this.rowNumber} refers to shared string ${v}, which does not exist`, this.lastRow());
        return s;
      }
      // Some writers put an inline string's text in <v>.
      case 'inlineStr': return unescapeOoxml(this.inline !== '' ? this.inline : decodeXmlText(v));
      case 'str': case 'e': return unescapeOoxml(decodeXmlText(v));
      case 'b': return v.trim() === '1' ? 'TRUE' : v.trim() === '' ? '' : 'FALSE';
      case 'd': {
        const x = /^(\d{4})-(\d{2})-(\d{2})(?:T(\d{2}):(\d{2})(?::(\d{2}))?)?/.exec(v.trim());
        return x ? this.formatDate({ y: +x[1]!, mo: +x[2]!, d: +x[3]!, h: +(x[4] ?? 0), mi: +(x[5] ?? 0), s: +(x[6] ?? 0) }) : decodeXmlText(v);
      }
      default: {
        if (v === '') return '';
        const n = Number(v);
        if (!Number.isFinite(n)) return v.trim();
        if (this.dateStyles[this.style]) {
          // Journals repeat their days: a column's dates are rendered once each.
          const key = `${this.col}:${v}`;
          let text = this.dateCache.get(key);
          if (text === undefined) {
            const parts = serialToParts(n, this.date1904);
            text = parts ? this.formatDate(parts) : String(n);
            if (this.dateCache.size >= 20_000) this.dateCache.clear();
            this.dateCache.set(key, text);
          }
          return text;
        }
        return String(n);
      }
    }
  }

  private formatDate(p: DateParts): string {
    const format = this.headerRow === null ? undefined : this.columnFormats[this.col];
    return renderDate(p, format);
  }

  private endRow() {
    const cells = this.cells;
    if (cells.length === 0) return; // an empty row (or only empty cells)
    const record = new Array<string>(Math.max(cells.length, this.headerRow === null ? 0 : this.width));
    for (let i = 0; i < record.length; i++) record[i] = cells[i] ?? '';
    if (this.headerRow === null) {
      this.headerRow = this.rowNumber;
      this.width = record.length;
      this.columnFormats = record.map((h) => this.dateFormats.get(h.trim()));
      this.dateCache.clear(); // the header's own dates were rendered without the columns' formats
    }
    this.records.push(record);
    this.numbers.push(this.rowNumber - this.headerRow);
  }
}

/** "BC12" → 54; -1 when the reference has no letters. */
function columnIndex(ref: string): number {
  let n = 0;
  let i = 0;
  for (; i < ref.length && i < 4; i++) {
    const c = ref.charCodeAt(i) & ~0x20; // upper case
    if (c < 65 || c > 90) break;
    n = n * 26 + (c - 64);
  }
  return n - 1;
}

export interface DateParts { y: number; mo: number; d: number; h: number; mi: number; s: number }

/**
 * An Excel serial date as calendar parts. 1900 system: day 1 is 1900-01-01 and day 60 the 29 February 1900 Excel
 * believes in (so from day 61 on, day 0 is 1899-12-30); 1904 system: day 0 is 1904-01-01. Times to the second.
 */
export function serialToParts(serial: number, date1904: boolean): DateParts | null {
  if (serial < 0 || serial > 2_958_465) return null; // after 9999-12-31
  const seconds = Math.round(serial * 86_400);
  const days = Math.floor(seconds / 86_400);
  const time = seconds - days * 86_400;
  if (!date1904 && days === 60) return { y: 1900, mo: 2, d: 29, h: Math.floor(time / 3600), mi: Math.floor(time / 60) % 60, s: time % 60 };
  const epoch = date1904 ? Date.UTC(1904, 0, 1) : days < 60 ? Date.UTC(1899, 11, 31) : Date.UTC(1899, 11, 30);
  const d = new Date(epoch + days * 86_400_000);
  return { y: d.getUTCFullYear(), mo: d.getUTCMonth() + 1, d: d.getUTCDate(), h: Math.floor(time / 3600), mi: Math.floor(time / 60) % 60, s: time % 60 };
}

const pad2 = (n: number) => (n < 10 ? `0${n}` : String(n));

/**
 * Date parts as text in a mapping's format (the tokens of compileDateFormat: YYYY MM DD HH hh mm ss A; 'iso' is
 * YYYY-MM-DD HH:mm:ss, a local time); without a format YYYY-MM-DD, plus " HH:mm:ss" when there is a time of day.
 */
export function renderDate(p: DateParts, format?: string): string {
  const f = format === undefined || format === 'iso'
    ? (format === 'iso' || p.h !== 0 || p.mi !== 0 || p.s !== 0 ? 'YYYY-MM-DD HH:mm:ss' : 'YYYY-MM-DD')
    : format;
  return f.replace(/YYYY|MM|DD|HH|hh|mm|ss|A/g, (t) => {
    switch (t) {
      case 'YYYY': return String(p.y).padStart(4, '0');
      case 'MM': return pad2(p.mo);
      case 'DD': return pad2(p.d);
      case 'HH': return pad2(p.h);
      case 'hh': return pad2(p.h % 12 === 0 ? 12 : p.h % 12);
      case 'mm': return pad2(p.mi);
      case 'ss': return pad2(p.s);
      default: return p.h < 12 ? 'AM' : 'PM';
    }
  });
}
