/**
 * A source's column mapping (saved with the source, used by each run) and the conversion of one CSV row into an
 * appeal under it, with every reason to reject the row. Dates in the file are local times of the municipality.
 */
import { z } from 'zod';
import { APPEAL_KINDS, CHANNELS, LOCALES, type AppealKind } from '@shaar/contracts';
import type { RowErrorCode } from './import-messages.js';

const Column = z.string().trim().min(1).max(200).describe('A column name of the file\'s header row');
/** A text built from the file: one column, or a template naming columns in braces: "{Category}: {Request.Type}". */
const TextField = z.union([
  z.object({ column: Column }).strict(),
  z.object({ template: z.string().min(1).max(2000).refine((t) => /\{[^{}]+\}/.test(t), 'a template names at least one {column}') }).strict(),
]);
const DateFormat = z.string().min(2).max(40)
  .refine((f) => f === 'iso' || (/YYYY/.test(f) && /MM/.test(f) && /DD/.test(f)), 'iso, or a pattern with YYYY, MM and DD (and optionally HH or hh, mm, ss, A)')
  .describe('iso, or a pattern: DD.MM.YYYY, DD.MM.YYYY HH:mm, MM/DD/YYYY hh:mm:ss A …');
const DateField = z.object({ column: Column, format: DateFormat }).strict();
const ValueMap = z.record(z.string().max(200), z.string().min(1).max(100)).refine((m) => Object.keys(m).length <= 5000, 'at most 5000 values');

export const ImportMapping = z.object({
  delimiter: z.enum([',', ';', '\t', '|']).default(','),
  /** The language the appeals were written in (the file does not say). */
  language: z.enum(LOCALES).default('ru'),
  externalId: Column.describe('The row key in the source: re-importing the same key adds nothing'),
  receivedAt: DateField,
  registeredAt: DateField.optional().describe('Defaults to the received date'),
  kind: z.union([
    z.object({ constant: z.enum(APPEAL_KINDS) }).strict(),
    z.object({ column: Column, values: z.record(z.string().max(200), z.enum(APPEAL_KINDS)), default: z.enum(APPEAL_KINDS).optional() }).strict(),
  ]),
  category: z.object({
    column: Column, values: ValueMap.describe('Source value → our category code'), default: z.string().min(1).max(100).optional(),
  }).strict(),
  district: z.object({ column: Column, values: ValueMap.describe('Source value → our district code') }).strict().optional()
    .describe('Without it the district comes from the point, when districts have boundaries'),
  address: TextField.optional(),
  location: z.union([
    z.object({ lat: Column, lon: Column }).strict(),
    z.object({ point: Column.describe('"(lat, lon)"') }).strict(),
  ]).optional(),
  subject: TextField,
  body: TextField,
  channel: z.object({ column: Column, values: z.record(z.string().max(200), z.enum(CHANNELS)) }).strict().optional()
    .describe('Per-row channel (Voice In → phone…); a value not in the map, or no column, gives the source\'s channel'),
  closedAt: DateField.optional().describe('A row with a date here is imported closed; without one it stays registered'),
  applicantName: Column.optional().describe('Without it (or with it empty) the appeal is an anonymous historical record'),
}).strict();
export type ImportMapping = z.infer<typeof ImportMapping>;

export const ImportChannel = z.enum(CHANNELS);

/** Every column the mapping reads. */
export function mappingColumns(m: ImportMapping): string[] {
  const out = new Set<string>([m.externalId, m.receivedAt.column, m.category.column]);
  const text = (f: z.infer<typeof TextField> | undefined) => {
    if (!f) return;
    if ('column' in f) out.add(f.column);
    else for (const x of f.template.matchAll(/\{([^{}]+)\}/g)) out.add(x[1]!);
  };
  if (m.registeredAt) out.add(m.registeredAt.column);
  if ('column' in m.kind) out.add(m.kind.column);
  if (m.district) out.add(m.district.column);
  text(m.address); text(m.subject); text(m.body);
  if (m.location) for (const c of 'point' in m.location ? [m.location.point] : [m.location.lat, m.location.lon]) out.add(c);
  if (m.closedAt) out.add(m.closedAt.column);
  if (m.channel) out.add(m.channel.column);
  if (m.applicantName) out.add(m.applicantName);
  return [...out];
}

// ---- dates ----

interface LocalTime { y: number; mo: number; d: number; h: number; mi: number; s: number; offsetMs: number | null }
type DateParser = (text: string) => LocalTime | null;

const TOKENS: Record<string, string> = { YYYY: '(\\d{4})', MM: '(\\d{1,2})', DD: '(\\d{1,2})', HH: '(\\d{1,2})', hh: '(\\d{1,2})', mm: '(\\d{2})', ss: '(\\d{2})', A: '([AaPp][Mm])' };

export function compileDateFormat(format: string): DateParser {
  if (format === 'iso') {
    const re = /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(?:\.\d+)?)?)?\s*(Z|[+-]\d{2}:?\d{2})?$/;
    return (text) => {
      const x = re.exec(text);
      if (!x) return null;
      let offsetMs: number | null = null;
      if (x[7]) offsetMs = x[7] === 'Z' ? 0 : (x[7][0] === '-' ? -1 : 1) * (Number(x[7].slice(1, 3)) * 60 + Number(x[7].slice(-2))) * 60_000;
      return { y: +x[1]!, mo: +x[2]!, d: +x[3]!, h: +(x[4] ?? 0), mi: +(x[5] ?? 0), s: +(x[6] ?? 0), offsetMs };
    };
  }
  const order: string[] = [];
  const source = format.replace(/YYYY|MM|DD|HH|hh|mm|ss|A|[.*+?^${}()|[\]\\/]/g, (t) => {
    if (TOKENS[t]) { order.push(t); return TOKENS[t]; }
    return `\\${t}`;
  });
  const re = new RegExp(`^${source}$`);
  return (text) => {
    const x = re.exec(text);
    if (!x) return null;
    const v: Record<string, string> = {};
    order.forEach((t, i) => { v[t] = x[i + 1]!; });
    let h = Number(v.HH ?? v.hh ?? 0);
    if (v.A) {
      if (h < 1 || h > 12) return null;
      const pm = v.A.toUpperCase() === 'PM';
      h = (h % 12) + (pm ? 12 : 0);
    }
    return { y: +v.YYYY!, mo: +v.MM!, d: +v.DD!, h, mi: Number(v.mm ?? 0), s: Number(v.ss ?? 0), offsetMs: null };
  };
}

/** The UTC offset of a time zone on a day, memoised (a file has a few thousand distinct days). */
export class ZoneOffsets {
  private readonly memo = new Map<number, number>();
  private readonly fmt: Intl.DateTimeFormat;
  constructor(timeZone: string) {
    this.fmt = new Intl.DateTimeFormat('en-US', { timeZone, hourCycle: 'h23', year: 'numeric', month: 'numeric', day: 'numeric', hour: 'numeric', minute: 'numeric', second: 'numeric' });
  }
  offsetOn(dayUtcMs: number): number {
    let o = this.memo.get(dayUtcMs);
    if (o === undefined) {
      const noon = dayUtcMs + 12 * 3_600_000;
      const p: Record<string, number> = {};
      for (const part of this.fmt.formatToParts(new Date(noon))) if (part.type !== 'literal') p[part.type] = Number(part.value);
      o = Date.UTC(p.year!, p.month! - 1, p.day!, p.hour! % 24, p.minute!, p.second!) - noon;
      this.memo.set(dayUtcMs, o);
    }
    return o;
  }
}

/** A parsed local time as an instant and its local date; null when it is no real date. */
export function toInstant(t: LocalTime, zone: ZoneOffsets): { ms: number; date: string } | null {
  if (t.mo < 1 || t.mo > 12 || t.d < 1 || t.h > 23 || t.mi > 59 || t.s > 59 || t.y < 1900 || t.y > 2199) return null;
  const day = Date.UTC(t.y, t.mo - 1, t.d);
  if (new Date(day).getUTCDate() !== t.d) return null;
  const wall = day + ((t.h * 60 + t.mi) * 60 + t.s) * 1000;
  const ms = wall - (t.offsetMs ?? zone.offsetOn(day));
  // With an explicit offset the local date is the municipality's, not the writer's.
  const date = t.offsetMs === null ? new Date(day).toISOString().slice(0, 10) : new Date(ms + zone.offsetOn(day)).toISOString().slice(0, 10);
  return { ms, date };
}

// ---- rows ----

export interface RowError { column: string | null; code: RowErrorCode; params: Record<string, string | number> }

export interface ImportRow {
  externalId: string; kind: AppealKind; categoryId: string; districtId: string | null;
  lat: number | null; lon: number | null; address: string | null; subject: string; body: string;
  receivedMs: number; receivedDate: string; registeredMs: number; registeredDate: string; closedMs: number | null;
  applicantName: string | null;
  /** From the mapping's channel column; null: the source's channel. */
  channel: string | null;
}

export interface RowContext {
  /** Our category and district codes → ids. */
  categoryIds: Map<string, string>;
  districtIds: Map<string, string>;
  zone: ZoneOffsets;
  nowMs: number;
  /** The district of a point, when the mapping gives no district column. */
  districtOfPoint: (lat: number, lon: number) => string | null;
}

export const MAX_BODY = 10_000;
export const MAX_SUBJECT = 200;
export const MAX_EXTERNAL_ID = 200;
const POINT = /^\(?\s*(-?\d+(?:\.\d+)?)\s*,\s*(-?\d+(?:\.\d+)?)\s*\)?$/;

/** Compiles the mapping against a header row into a function from a record to an appeal or its errors. */
export function compileRow(m: ImportMapping, header: string[], ctx: RowContext): (rec: string[]) => { row: ImportRow } | { errors: RowError[] } {
  const index = new Map<string, number>();
  header.forEach((h, i) => { if (!index.has(h.trim())) index.set(h.trim(), i); });
  const at = (column: string) => index.get(column)!;
  const text = (f: { column: string } | { template: string }): ((r: string[]) => string) => {
    if ('column' in f) { const i = at(f.column); return (r) => (r[i] ?? '').trim(); }
    const parts = f.template.split(/(\{[^{}]+\})/).map((p) => (/^\{[^{}]+\}$/.test(p) ? at(p.slice(1, -1)) : p));
    return (r) => parts.map((p) => (typeof p === 'number' ? (r[p] ?? '').trim() : p)).join('').trim();
  };
  const date = (f: { column: string; format: string }) => {
    const i = at(f.column);
    const parse = compileDateFormat(f.format);
    return (r: string[], errs: RowError[], required: boolean) => {
      const v = (r[i] ?? '').trim();
      if (!v) { if (required) errs.push({ column: f.column, code: 'required', params: { column: f.column } }); return null; }
      const local = parse(v);
      const at = local && toInstant(local, ctx.zone);
      if (!at) { errs.push({ column: f.column, code: 'invalid_date', params: { column: f.column, value: v, format: f.format } }); return null; }
      if (at.ms > ctx.nowMs) { errs.push({ column: f.column, code: 'in_future', params: { column: f.column, value: v } }); return null; }
      return at;
    };
  };
  const kindColumn = 'column' in m.kind ? at(m.kind.column) : -1;
  const catColumn = at(m.category.column);
  const distColumn = m.district ? at(m.district.column) : -1;
  const extColumn = at(m.externalId);
  const nameColumn = m.applicantName ? at(m.applicantName) : -1;
  const channelColumn = m.channel ? at(m.channel.column) : -1;
  const received = date(m.receivedAt);
  const registered = m.registeredAt ? date(m.registeredAt) : null;
  const closed = m.closedAt ? date(m.closedAt) : null;
  const subject = text(m.subject);
  const body = text(m.body);
  const address = m.address ? text(m.address) : null;
  const subjectName = 'column' in m.subject ? m.subject.column : 'subject';
  const bodyName = 'column' in m.body ? m.body.column : 'body';
  const loc = m.location;
  const latCol = loc ? ('point' in loc ? at(loc.point) : at(loc.lat)) : -1;
  const lonCol = loc && !('point' in loc) ? at(loc.lon) : -1;
  const categoryOf = new Map<string, string>();
  for (const [v, code] of Object.entries(m.category.values)) { const id = ctx.categoryIds.get(code); if (id) categoryOf.set(v.trim(), id); }
  const defaultCategory = m.category.default ? ctx.categoryIds.get(m.category.default) ?? null : null;
  const districtOf = new Map<string, string>();
  for (const [v, code] of Object.entries(m.district?.values ?? {})) { const id = ctx.districtIds.get(code); if (id) districtOf.set(v.trim(), id); }
  const width = header.length;

  return (r) => {
    const errs: RowError[] = [];
    if (r.length !== width) {
      errs.push({ column: null, code: 'wrong_column_count', params: { value: r.length, range: width } });
      return { errors: errs };
    }
    const externalId = (r[extColumn] ?? '').trim();
    if (!externalId) errs.push({ column: m.externalId, code: 'required', params: { column: m.externalId } });
    else if (externalId.length > MAX_EXTERNAL_ID) errs.push({ column: m.externalId, code: 'too_long', params: { column: m.externalId, max: MAX_EXTERNAL_ID } });

    let kind: AppealKind | null;
    if ('constant' in m.kind) kind = m.kind.constant;
    else {
      const v = (r[kindColumn] ?? '').trim();
      kind = m.kind.values[v] ?? m.kind.default ?? null;
      if (!kind) errs.push({ column: m.kind.column, code: v ? 'unknown_value' : 'required', params: { column: m.kind.column, value: v } });
    }
    const catValue = (r[catColumn] ?? '').trim();
    const categoryId = categoryOf.get(catValue) ?? defaultCategory;
    if (!categoryId) errs.push({ column: m.category.column, code: catValue ? 'unknown_value' : 'required', params: { column: m.category.column, value: catValue } });

    let districtId: string | null = null;
    if (m.district) {
      const v = (r[distColumn] ?? '').trim();
      if (v) {
        districtId = districtOf.get(v) ?? null;
        if (!districtId) errs.push({ column: m.district.column, code: 'unknown_value', params: { column: m.district.column, value: v } });
      }
    }

    let lat: number | null = null;
    let lon: number | null = null;
    if (loc) {
      let latText = (r[latCol] ?? '').trim();
      let lonText = lonCol >= 0 ? (r[lonCol] ?? '').trim() : '';
      const latName = 'point' in loc ? loc.point : loc.lat;
      const lonName = 'point' in loc ? loc.point : loc.lon;
      if ('point' in loc && latText) {
        const p = POINT.exec(latText);
        if (!p) { errs.push({ column: latName, code: 'out_of_range', params: { column: latName, value: latText, range: '(lat, lon)' } }); latText = ''; }
        else { latText = p[1]!; lonText = p[2]!; }
      }
      if (latText && lonText) {
        const a = Number(latText.replace(',', '.'));
        const o = Number(lonText.replace(',', '.'));
        if (!Number.isFinite(a) || a < -90 || a > 90) errs.push({ column: latName, code: 'out_of_range', params: { column: latName, value: latText, range: '-90…90' } });
        else if (!Number.isFinite(o) || o < -180 || o > 180) errs.push({ column: lonName, code: 'out_of_range', params: { column: lonName, value: lonText, range: '-180…180' } });
        else { lat = a; lon = o; }
      }
    }
    if (!m.district && lat !== null && lon !== null) districtId = ctx.districtOfPoint(lat, lon);

    let subj = subject(r);
    const text = body(r);
    if (!subj) subj = text.slice(0, MAX_SUBJECT);
    if (subj.length > MAX_SUBJECT) subj = `${subj.slice(0, MAX_SUBJECT - 1)}…`;
    if (!text) errs.push({ column: bodyName, code: 'required', params: { column: bodyName } });
    else if (text.length > MAX_BODY) errs.push({ column: bodyName, code: 'too_long', params: { column: bodyName, max: MAX_BODY } });
    if (!subj && text) errs.push({ column: subjectName, code: 'required', params: { column: subjectName } });

    // Journals often keep a time of receipt but only a day of registration or closing: the same day is in order,
    // and the later time stands for both.
    const rec = received(r, errs, true);
    const reg = registered ? registered(r, errs, false) ?? rec : rec;
    if (rec && reg && reg.date < rec.date && m.registeredAt) {
      errs.push({ column: m.registeredAt.column, code: 'registered_before_received', params: { column: m.registeredAt.column } });
    }
    const clo = closed ? closed(r, errs, false) : null;
    if (clo && rec && clo.date < rec.date) errs.push({ column: m.closedAt!.column, code: 'closed_before_received', params: { column: m.closedAt!.column } });
    const applicantName = nameColumn >= 0 ? (r[nameColumn] ?? '').trim().slice(0, 300) || null : null;

    if (errs.length > 0 || !kind || !categoryId || !rec || !reg) return { errors: errs };
    return {
      row: {
        externalId, kind, categoryId, districtId, lat, lon, address: address ? address(r).slice(0, 500) || null : null, subject: subj, body: text,
        receivedMs: rec.ms, receivedDate: rec.date, registeredMs: Math.max(reg.ms, rec.ms), registeredDate: reg.date,
        closedMs: clo ? Math.max(clo.ms, reg.ms, rec.ms) : null, applicantName,
        channel: m.channel ? m.channel.values[(r[channelColumn] ?? '').trim()] ?? null : null,
      },
    };
  };
}
