/**
 * An import source's column mapping as the form edits it (every field a string, value maps as rows) and back, the
 * form's own checks, and the header line of a sample CSV file read in the browser (nothing is uploaded for it).
 */
import i18n from '../../i18n/index.js';
import type { paths } from '../../api/schema.js';

type Base = '/api/v1/m/{municipality}/admin/imports';
type Json<R> = R extends { content: { 'application/json': infer J } } ? J : never;
type GetOk<P extends keyof paths> = paths[P] extends { get: { responses: { 200: infer R } } } ? Json<R> : never;
type BodyOf<O> = O extends { requestBody?: infer B } ? Json<NonNullable<B>> : never;

export type ImportSource = GetOk<`${Base}/sources`>['items'][number];
export type ImportSourceCreate = BodyOf<paths[`${Base}/sources`]['post']>;
export type ImportMapping = ImportSourceCreate['mapping'];
export type ImportChannel = ImportSourceCreate['channel'];
type Delimiter = NonNullable<ImportMapping['delimiter']>;
type Language = NonNullable<ImportMapping['language']>;
type Kind = Extract<ImportMapping['kind'], { constant: unknown }>['constant'];
type TextField = ImportMapping['subject'];
type DateField = ImportMapping['receivedAt'];

export const CHANNELS = ['in_person', 'phone', 'letter', 'web', 'mobile_app', 'tunduk', 'open311', 'email', 'import'] as const satisfies readonly ImportChannel[];
export const DELIMITERS = [',', ';', '\t', '|'] as const satisfies readonly Delimiter[];
export const KINDS = ['proposal', 'statement', 'complaint'] as const satisfies readonly Kind[];
/** Date patterns offered while typing (the server takes any with YYYY, MM and DD). */
export const DATE_FORMATS = ['DD.MM.YYYY', 'DD.MM.YYYY HH:mm', 'YYYY-MM-DD', 'iso', 'MM/DD/YYYY hh:mm:ss A'] as const;

/** A row of a value map: the value as the file writes it, and our code. `id` keeps React's keys and field names stable. */
export interface MapRow { id: number; from: string; to: string }
export interface TextDraft { mode: 'column' | 'template'; column: string; template: string }
export interface DateDraft { column: string; format: string }
export interface MappingDraft {
  delimiter: Delimiter;
  language: Language;
  externalId: string;
  receivedAt: DateDraft;
  registeredAt: DateDraft;
  closedAt: DateDraft;
  kind: { mode: 'constant' | 'column'; constant: Kind | ''; column: string; values: MapRow[]; default: Kind | '' };
  category: { column: string; values: MapRow[]; default: string };
  district: { column: string; values: MapRow[] };
  subject: TextDraft;
  body: TextDraft;
  address: TextDraft;
  location: { mode: 'none' | 'latlon' | 'point'; lat: string; lon: string; point: string };
  channel: { column: string; values: MapRow[] };
  applicantName: string;
}
/** The value maps of a draft, by their path in the mapping. */
export const VALUE_MAPS = ['kind', 'category', 'district', 'channel'] as const;
export type ValueMapName = (typeof VALUE_MAPS)[number];

let nextRowId = 1;
export const newRow = (from = '', to = ''): MapRow => ({ id: nextRowId++, from, to });
const rowsOf = (values: Record<string, string> | undefined): MapRow[] => Object.entries(values ?? {}).map(([from, to]) => newRow(from, to));
const textDraft = (f: TextField | undefined): TextDraft => (f && 'template' in f
  ? { mode: 'template', column: '', template: f.template }
  : { mode: 'column', column: f?.column ?? '', template: '' });
const dateDraft = (f: DateField | undefined, format = ''): DateDraft => ({ column: f?.column ?? '', format: f?.format ?? format });

/** A source's saved mapping as a draft; an empty draft for a new source. */
export function draftOf(saved: Record<string, unknown> | null): MappingDraft {
  const m = (saved ?? {}) as Partial<ImportMapping>;
  const kind = m.kind;
  const loc = m.location;
  return {
    delimiter: m.delimiter ?? ',', language: m.language ?? 'ru', externalId: m.externalId ?? '',
    receivedAt: dateDraft(m.receivedAt, 'DD.MM.YYYY'), registeredAt: dateDraft(m.registeredAt), closedAt: dateDraft(m.closedAt),
    kind: kind && 'column' in kind
      ? { mode: 'column', constant: '', column: kind.column, values: rowsOf(kind.values), default: kind.default ?? '' }
      : { mode: 'constant', constant: kind?.constant ?? '', column: '', values: [], default: '' },
    category: { column: m.category?.column ?? '', values: rowsOf(m.category?.values), default: m.category?.default ?? '' },
    district: { column: m.district?.column ?? '', values: rowsOf(m.district?.values) },
    subject: textDraft(m.subject), body: textDraft(m.body), address: textDraft(m.address),
    location: loc && 'point' in loc ? { mode: 'point', lat: '', lon: '', point: loc.point }
      : loc ? { mode: 'latlon', lat: loc.lat, lon: loc.lon, point: '' } : { mode: 'none', lat: '', lon: '', point: '' },
    channel: { column: m.channel?.column ?? '', values: rowsOf(m.channel?.values) },
    applicantName: m.applicantName ?? '',
  };
}

/** The field name of a value map row's part: what the form's inputs are named and its messages are keyed by. */
export const rowField = (map: ValueMapName, row: MapRow, part: 'from' | 'to') => `mapping.${map}.rows.${row.id}.${part}`;

const filled = (rows: MapRow[]) => rows.filter((r) => r.from.trim() !== '' || r.to !== '');
const mapOf = <T extends string>(rows: MapRow[]) => Object.fromEntries(filled(rows).map((r) => [r.from.trim(), r.to as T]));
const textOf = (d: TextDraft): TextField | undefined => (d.mode === 'template'
  ? (d.template.trim() ? { template: d.template.trim() } : undefined)
  : (d.column ? { column: d.column } : undefined));
const dateOf = (d: DateDraft): DateField | undefined => (d.column ? { column: d.column, format: d.format.trim() } : undefined);

/** The mapping the server takes. Call after check(problems(draft)) found nothing. */
export function mappingOf(d: MappingDraft): ImportMapping {
  const subject = textOf(d.subject)!;
  const body = textOf(d.body)!;
  const address = textOf(d.address);
  const registeredAt = dateOf(d.registeredAt);
  const closedAt = dateOf(d.closedAt);
  const location = d.location.mode === 'point' ? { point: d.location.point } : d.location.mode === 'latlon' ? { lat: d.location.lat, lon: d.location.lon } : undefined;
  return {
    delimiter: d.delimiter, language: d.language, externalId: d.externalId, receivedAt: dateOf(d.receivedAt)!,
    ...(registeredAt ? { registeredAt } : {}), ...(closedAt ? { closedAt } : {}),
    kind: d.kind.mode === 'constant'
      ? { constant: d.kind.constant as Kind }
      : { column: d.kind.column, values: mapOf<Kind>(d.kind.values), ...(d.kind.default ? { default: d.kind.default } : {}) },
    category: { column: d.category.column, values: mapOf(d.category.values), ...(d.category.default ? { default: d.category.default } : {}) },
    ...(d.district.column ? { district: { column: d.district.column, values: mapOf(d.district.values) } } : {}),
    subject, body, ...(address ? { address } : {}), ...(location ? { location } : {}),
    ...(d.channel.column ? { channel: { column: d.channel.column, values: mapOf<ImportChannel>(d.channel.values) } } : {}),
    ...(d.applicantName ? { applicantName: d.applicantName } : {}),
  };
}

const DATE_PATTERN = (f: string) => f === 'iso' || (/YYYY/.test(f) && /MM/.test(f) && /DD/.test(f));

/**
 * The draft's problems, by field name, in the page's language: checked before anything is sent. `columnsOffered`:
 * the column fields are choices (a sample was read), not typed names.
 */
export function problems(d: MappingDraft, columnsOffered: boolean): Record<string, string> {
  const out: Record<string, string> = {};
  const required = i18n.t('admin:validation.required');
  const choose = columnsOffered ? i18n.t('admin:validation.choose') : required;
  const pick = i18n.t('admin:validation.choose');
  const need = (name: string, value: string, message = required) => { if (!value.trim() && !out[name]) out[name] = message; };
  need('mapping.externalId', d.externalId, choose);
  for (const [name, date, mandatory] of [['receivedAt', d.receivedAt, true], ['registeredAt', d.registeredAt, false], ['closedAt', d.closedAt, false]] as const) {
    if (mandatory) need(`mapping.${name}.column`, date.column, choose);
    if (!date.column) continue;
    need(`mapping.${name}.format`, date.format);
    if (date.format.trim() && !DATE_PATTERN(date.format.trim())) out[`mapping.${name}.format`] = i18n.t('admin:imports.dateFormatInvalid');
  }
  if (d.kind.mode === 'constant') need('mapping.kind.constant', d.kind.constant, pick);
  else need('mapping.kind.column', d.kind.column, choose);
  need('mapping.category.column', d.category.column, choose);
  for (const name of ['subject', 'body'] as const) {
    const text = d[name];
    if (text.mode === 'column') need(`mapping.${name}.column`, text.column, choose);
    else need(`mapping.${name}.template`, text.template);
  }
  for (const name of ['subject', 'body', 'address'] as const) {
    const text = d[name];
    if (text.mode === 'template' && text.template.trim() && !/\{[^{}]+\}/.test(text.template)) out[`mapping.${name}.template`] = i18n.t('admin:imports.templateInvalid');
  }
  if (d.location.mode === 'latlon') { need('mapping.location.lat', d.location.lat, choose); need('mapping.location.lon', d.location.lon, choose); }
  if (d.location.mode === 'point') need('mapping.location.point', d.location.point, choose);
  const maps: [ValueMapName, MapRow[], boolean][] = [
    ['kind', d.kind.values, d.kind.mode === 'column'], ['category', d.category.values, true],
    ['district', d.district.values, !!d.district.column], ['channel', d.channel.values, !!d.channel.column],
  ];
  for (const [map, rows, used] of maps) {
    if (!used) continue;
    const seen = new Set<string>();
    for (const r of filled(rows)) {
      const from = r.from.trim();
      if (!from) out[rowField(map, r, 'from')] = required;
      else if (seen.has(from)) out[rowField(map, r, 'from')] = i18n.t('admin:imports.valueTwice', { value: from });
      seen.add(from);
      if (!r.to) out[rowField(map, r, 'to')] = pick;
    }
  }
  return out;
}

/**
 * The server's messages about a value map's entries (mapping.category.values.<value>, e.g. a category code that is
 * not the city's) moved onto the row that holds the value.
 */
export function onRows(fields: Record<string, string>, d: MappingDraft): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [key, message] of Object.entries(fields)) {
    const hit = /^mapping\.(kind|category|district|channel)\.values\.(.*)$/s.exec(key);
    const map = hit?.[1] as ValueMapName | undefined;
    const row = map ? d[map].values.find((r) => r.from.trim() === hit![2]) : undefined;
    out[map && row ? rowField(map, row, 'to') : key] = message;
  }
  return out;
}

// ---- the sample file's header line --------------------------------------------------------------------------

/** The first part of a file as UTF-8 text (the importer reads UTF-8 only); null when it is not UTF-8. */
export async function readStart(file: File, bytes = 64 * 1024): Promise<string | null> {
  const buffer = await file.slice(0, bytes).arrayBuffer();
  try {
    // stream: a character cut in two at the end of the slice is not an error.
    return new TextDecoder('utf-8', { fatal: true }).decode(buffer, { stream: true }).replace(/^\uFEFF/, '');
  } catch {
    return null;
  }
}

/** The first record of CSV text (quotes, doubled quotes and line breaks inside quotes as RFC 4180 has them). */
export function headerColumns(text: string, delimiter: string): string[] {
  const out: string[] = [];
  let field = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') { field += '"'; i++; } else if (c === '"') quoted = false; else field += c;
    } else if (c === '"' && field === '') quoted = true;
    else if (c === delimiter) { out.push(field.trim()); field = ''; } else if (c === '\n' || c === '\r') break;
    else field += c;
  }
  out.push(field.trim());
  return out.filter((name, i, all) => name !== '' && all.indexOf(name) === i);
}

/** The delimiter that splits the header into the most columns (a comma when none splits it). */
export function guessDelimiter(text: string): Delimiter {
  let best: Delimiter = ',';
  let most = 1;
  for (const d of DELIMITERS) {
    const n = headerColumns(text, d).length;
    if (n > most) { best = d; most = n; }
  }
  return best;
}
