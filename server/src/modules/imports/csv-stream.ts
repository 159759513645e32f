/**
 * A streaming CSV reader (RFC 4180): quoted fields with delimiters, doubled quotes and line breaks inside; CRLF or
 * LF line ends; UTF-8 with or without a byte-order mark (multi-byte characters split across chunks are joined by
 * the decoder). It never holds more than one chunk and one unfinished record, so a file of any length streams.
 *
 * Records come out in groups, one group per input chunk: one await per chunk rather than per record.
 */
import { StringDecoder } from 'node:string_decoder';

export class CsvFormatError extends Error {
  constructor(readonly code: 'unterminated_quote' | 'record_too_large' | 'quote_in_unquoted_field', readonly record: number) {
    super(`${code} at record ${record}`);
  }
}

export interface CsvOptions {
  delimiter?: string;
  /** A record longer than this many characters is a broken file (an unclosed quote swallowing the rest). */
  maxRecordChars?: number;
}

export async function* csvRecords(input: AsyncIterable<Buffer | string>, options: CsvOptions = {}): AsyncGenerator<string[][]> {
  const parser = new CsvParser(options);
  const decoder = new StringDecoder('utf8');
  for await (const chunk of input) {
    const text = typeof chunk === 'string' ? chunk : decoder.write(chunk);
    const out = parser.push(text);
    if (out.length > 0) yield out;
  }
  const out = parser.push(decoder.end());
  const last = parser.end();
  if (last) out.push(last);
  if (out.length > 0) yield out;
}

/** The state machine, fed text piece by piece. */
export class CsvParser {
  private readonly delimiter: number;
  private readonly maxRecordChars: number;
  private field = '';
  private record: string[] = [];
  private recordChars = 0;
  private inQuotes = false;
  /** A quote seen inside a quoted field: the next character says whether it was "" or the closing quote. */
  private quotePending = false;
  /** The field started (something was read for it), so an empty last field still counts. */
  private started = false;
  private first = true;
  private skipLf = false;
  private count = 0;

  constructor(options: CsvOptions = {}) {
    const d = options.delimiter ?? ',';
    if (d.length !== 1 || d === '"' || d === '\r' || d === '\n') throw new RangeError('the delimiter must be one character, not a quote or line break');
    this.delimiter = d.charCodeAt(0);
    this.maxRecordChars = options.maxRecordChars ?? 1_000_000;
  }

  push(text: string): string[][] {
    const out: string[][] = [];
    let i = 0;
    if (this.first && text.length > 0) {
      this.first = false;
      if (text.charCodeAt(0) === 0xfeff) i = 1;
    }
    const n = text.length;
    const delim = this.delimiter;
    while (i < n) {
      if (this.inQuotes) {
        if (this.quotePending) {
          this.quotePending = false;
          if (text.charCodeAt(i) === 34) { this.field += '"'; i++; continue; }
          this.inQuotes = false;
          continue;
        }
        const q = text.indexOf('"', i);
        if (q === -1) { this.field += text.slice(i); this.grow(n - i); i = n; break; }
        this.field += text.slice(i, q);
        this.grow(q - i);
        i = q + 1;
        this.quotePending = true;
        continue;
      }
      const c = text.charCodeAt(i);
      if (this.skipLf) { this.skipLf = false; if (c === 10) { i++; continue; } }
      if (c === delim) { this.record.push(this.field); this.field = ''; this.started = true; i++; continue; }
      if (c === 13 || c === 10) {
        this.endRecord(out);
        if (c === 13) this.skipLf = true;
        i++;
        continue;
      }
      if (c === 34) {
        if (this.field.length > 0) throw new CsvFormatError('quote_in_unquoted_field', this.count + 1);
        this.inQuotes = true; this.started = true; i++;
        continue;
      }
      // A run of plain characters up to the next delimiter, quote or line break.
      let j = i + 1;
      while (j < n) {
        const d = text.charCodeAt(j);
        if (d === delim || d === 13 || d === 10 || d === 34) break;
        j++;
      }
      this.field += text.slice(i, j);
      this.grow(j - i);
      this.started = true;
      i = j;
    }
    return out;
  }

  /** The last record when the text did not end with a line break. */
  end(): string[] | null {
    if (this.inQuotes && !this.quotePending) throw new CsvFormatError('unterminated_quote', this.count + 1);
    this.inQuotes = false;
    this.quotePending = false;
    if (!this.started && this.record.length === 0 && this.field === '') return null;
    const out: string[][] = [];
    this.endRecord(out);
    return out[0] ?? null;
  }

  private grow(k: number) {
    this.recordChars += k;
    if (this.recordChars > this.maxRecordChars) throw new CsvFormatError('record_too_large', this.count + 1);
  }

  private endRecord(out: string[][]) {
    // A blank line is no record.
    if (!this.started && this.record.length === 0 && this.field === '') return;
    this.record.push(this.field);
    out.push(this.record);
    this.count++;
    this.record = [];
    this.field = '';
    this.started = false;
    this.recordChars = 0;
  }
}
