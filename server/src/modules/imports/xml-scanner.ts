/**
 * A small streaming XML scanner for spreadsheet parts: fed text piece by piece, it reports start tags (name without
 * namespace prefix, the raw attribute text), end tags and text (as a range of the current piece, so text nobody
 * wants is never copied). Comments, processing instructions and DOCTYPE are skipped, CDATA is text. It keeps only an
 * unfinished tag between pieces. Entities are left for `decodeXmlText`, applied to whole texts: an entity may be
 * split across pieces. Not a validating parser — it trusts the file's structure and needs none of the rest.
 */
export interface XmlHandler {
  open(name: string, attrs: string, selfClosing: boolean): void;
  close(name: string): void;
  /** Raw text s[start, end): entities not decoded yet. */
  text(s: string, start: number, end: number): void;
}

export class XmlSyntaxError extends Error {}

/** A tag longer than this is a broken file (a '<' never closed swallowing the rest). */
const MAX_TAG_CHARS = 1024 * 1024;

export class XmlScanner {
  private tail = '';
  constructor(private readonly h: XmlHandler) {}

  push(piece: string): void {
    const s = this.tail.length > 0 ? this.tail + piece : piece;
    this.tail = '';
    const n = s.length;
    let i = 0;
    while (i < n) {
      const lt = s.indexOf('<', i);
      if (lt === -1) { this.h.text(s, i, n); return; }
      if (lt > i) this.h.text(s, i, lt);
      const next = s.charCodeAt(lt + 1);
      let end: number;
      if (next === 33 /* ! */) {
        if (s.startsWith('<!--', lt)) end = terminator(s, lt + 4, '-->');
        else if (s.startsWith('<![CDATA[', lt)) {
          end = terminator(s, lt + 9, ']]>');
          if (end !== -1) { const t = escapeCdata(s.slice(lt + 9, end - 2)); this.h.text(t, 0, t.length); }
        } else if (n - lt < 9) end = -1; // too short yet to tell a comment or CDATA from a declaration
        else end = tagEnd(s, lt + 2); // <!DOCTYPE …>: skipped (no entity of it is ever expanded)
      } else if (next === 63 /* ? */) end = terminator(s, lt + 2, '?>');
      else end = Number.isNaN(next) ? -1 : tagEnd(s, lt + 1);
      if (end === -1) {
        if (n - lt > MAX_TAG_CHARS) throw new XmlSyntaxError('a tag that never ends');
        this.tail = s.slice(lt);
        return;
      }
      if (next === 47 /* / */) this.h.close(localName(s, lt + 2, end));
      else if (next !== 33 && next !== 63) {
        const selfClosing = s.charCodeAt(end - 1) === 47;
        const stop = selfClosing ? end - 1 : end;
        let j = lt + 1;
        while (j < stop) { const c = s.charCodeAt(j); if (c === 32 || c === 9 || c === 10 || c === 13 || c === 47) break; j++; }
        this.h.open(localName(s, lt + 1, j), s.slice(j, stop), selfClosing);
      }
      i = end + 1;
    }
  }

  /** After the last piece: an unfinished tag means the part was cut short. */
  end(): void {
    if (this.tail.length > 0) throw new XmlSyntaxError('the part ends inside a tag');
  }
}

/** CDATA holds literal text; it is handed on escaped so that decodeXmlText gives it back unchanged. */
function escapeCdata(t: string): string { return t.replaceAll('&', '&amp;').replaceAll('<', '&lt;'); }

/** The index of the last character of `marker` found from `from`, or -1. */
function terminator(s: string, from: number, marker: string): number {
  const k = s.indexOf(marker, from);
  return k === -1 ? -1 : k + marker.length - 1;
}

/** The '>' ending a tag, skipping quoted attribute values (which may hold '>'). */
function tagEnd(s: string, from: number): number {
  let quote = 0;
  for (let j = from; j < s.length; j++) {
    const c = s.charCodeAt(j);
    if (quote !== 0) { if (c === quote) quote = 0; }
    else if (c === 34 || c === 39) quote = c;
    else if (c === 62) return j;
  }
  return -1;
}

/** "x:row" → "row": writers may bind the spreadsheet namespace to any prefix. */
function localName(s: string, start: number, end: number): string {
  let k = end;
  while (k > start) { const c = s.charCodeAt(k - 1); if (c === 32 || c === 9 || c === 10 || c === 13) k--; else break; }
  let from = start;
  for (let j = k - 1; j >= start; j--) if (s.charCodeAt(j) === 58) { from = j + 1; break; }
  return s.slice(from, k);
}

/** The value of one attribute in a start tag's raw attribute text, decoded; undefined when absent. */
export function attr(attrs: string, name: string): string | undefined {
  let from = 0;
  for (;;) {
    const k = attrs.indexOf(name, from);
    if (k === -1) return undefined;
    from = k + name.length;
    const before = k === 0 ? 32 : attrs.charCodeAt(k - 1);
    if (before !== 32 && before !== 9 && before !== 10 && before !== 13) continue;
    let j = from;
    while (j < attrs.length && /\s/.test(attrs[j]!)) j++;
    if (attrs[j] !== '=') continue;
    j++;
    while (j < attrs.length && /\s/.test(attrs[j]!)) j++;
    const q = attrs[j];
    if (q !== '"' && q !== '\'') continue;
    const close = attrs.indexOf(q, j + 1);
    if (close === -1) return undefined;
    return decodeXmlText(attrs.slice(j + 1, close));
  }
}

/** Every attribute of a start tag, by its full name (with prefix): for the few small parts that need them. */
export function attrs(raw: string): Map<string, string> {
  const out = new Map<string, string>();
  for (const m of raw.matchAll(/([^\s=/]+)\s*=\s*(?:"([^"]*)"|'([^']*)')/g)) out.set(m[1]!, decodeXmlText(m[2] ?? m[3] ?? ''));
  return out;
}

const NAMED: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: '\'' };

/** XML's five named entities and numeric character references; an unknown entity is left as it stands. */
export function decodeXmlText(raw: string): string {
  if (raw.indexOf('&') === -1) return raw;
  return raw.replace(/&(#x[0-9a-fA-F]+|#[0-9]+|[a-zA-Z]+);/g, (whole, body: string) => {
    if (body[0] !== '#') return NAMED[body] ?? whole;
    const code = body[1] === 'x' || body[1] === 'X' ? parseInt(body.slice(2), 16) : parseInt(body.slice(1), 10);
    return code > 0 && code <= 0x10ffff && !(code >= 0xd800 && code <= 0xdfff) ? String.fromCodePoint(code) : '\uFFFD';
  });
}
