/**
 * Plot import from a GeoJSON FeatureCollection or a CSV file (the same columns, the outline as GeoJSON text in a
 * `geometry` column). Columns / properties: cadastral_number (required), address, district (the district's code),
 * area_m2, zoning, permitted_use, current_use, status, leased_until, and the outline.
 *
 * Rules (README):
 * - Numbers in the report: a feature's position in the collection (1 = the first); a CSV row's line in the file
 *   (the header is row 1, so the first plot is row 2).
 * - Idempotent by cadastral number: a known plot is updated only if something differs ("unchanged" otherwise),
 *   never duplicated. An empty or absent field leaves a known plot's value as it is; the area, when not given,
 *   is computed from the outline; the district, when not given, is the one holding the centre (if the city's
 *   districts have boundaries) for a new plot.
 * - Rows with problems are reported (number, field, reason in the request's language) and skipped; the others are
 *   written in transactions of 500 rows. dryRun checks and counts everything and writes nothing.
 */
import { and, eq, inArray } from 'drizzle-orm';
import type { Locale } from '@shaar/contracts';
import { landPlots } from '../../platform/db/schema.js';
import { AppError } from '../../platform/http/errors.js';
import type { Actor } from '../../platform/audit.js';
import { translate, type MessageKey, type MessageParams } from '../../platform/i18n/messages.js';
import { CsvFormatError, CsvParser } from '../imports/csv-stream.js';
import type { Municipality } from '../municipalities/municipalities.service.js';
import { districtOfPoint } from '../directory/directory.cache.js';
import { derivedOf, MAX_POSITIONS, validatePlotGeometry, type PlotGeometry } from './land-geometry.js';
import {
  CADASTRAL_PATTERN, PLOT_STATUSES, plotChanges, savePlot, TEXT_LIMITS, type PlotDeps, type PlotFields, type PlotRow, type PlotStatus, type SaveOutcome,
} from './plots.service.js';

export const MAX_IMPORT_PLOTS = 5000;
const BATCH = 500;

export interface ImportIssue { number: number; field: string; code: string; message: string }
export interface ImportReport {
  dryRun: boolean;
  format: 'geojson' | 'csv';
  total: number;
  created: number;
  updated: number;
  unchanged: number;
  failed: number;
  issues: ImportIssue[];
}

/** One feature or row before checking: its number, its properties as given, and its outline (or why there is none). */
interface RawPlot { number: number; props: Record<string, unknown>; geometry: unknown; geometryText?: string }

const formatError = () => new AppError(400, 'import_format', 'error.land_import_format');
const tooMany = () => new AppError(400, 'import_too_many', 'error.land_import_too_many', { max: MAX_IMPORT_PLOTS });

export function rawFromGeoJson(doc: unknown): RawPlot[] {
  const fc = doc as { type?: unknown; features?: unknown };
  if (!fc || typeof fc !== 'object' || fc.type !== 'FeatureCollection' || !Array.isArray(fc.features)) throw formatError();
  if (fc.features.length > MAX_IMPORT_PLOTS) throw tooMany();
  return fc.features.map((f, i) => {
    const feature = f as { type?: unknown; properties?: unknown; geometry?: unknown };
    if (!feature || typeof feature !== 'object' || feature.type !== 'Feature') return { number: i + 1, props: { __notFeature: true }, geometry: null };
    const props = feature.properties && typeof feature.properties === 'object' ? feature.properties as Record<string, unknown> : {};
    return { number: i + 1, props, geometry: feature.geometry };
  });
}

export function rawFromCsv(text: string): RawPlot[] {
  const parser = new CsvParser({ delimiter: sniffDelimiter(text), maxRecordChars: 2_000_000 });
  let records: string[][];
  try {
    records = parser.push(text.replace(/^\uFEFF/, ''));
    const last = parser.end();
    if (last) records.push(last);
  } catch (err) {
    if (err instanceof CsvFormatError) throw formatError();
    throw err;
  }
  const [header, ...rows] = records;
  const names = (header ?? []).map((h) => h.trim().toLowerCase());
  if (!names.includes('cadastral_number')) throw formatError();
  const data = rows.map((r, i) => ({ r, line: i + 2 })).filter(({ r }) => r.some((c) => c.trim() !== ''));
  if (data.length > MAX_IMPORT_PLOTS) throw tooMany();
  return data.map(({ r, line }) => {
    const props: Record<string, unknown> = {};
    names.forEach((n, i) => { if (n !== 'geometry') props[n] = r[i] ?? ''; });
    const geometryText = (r[names.indexOf('geometry')] ?? '').trim();
    return { number: line, props, geometry: undefined, geometryText };
  });
}

/** Semicolons when the header has more of them than commas (spreadsheets in ru/ky locales save so). */
function sniffDelimiter(text: string): string {
  const firstLine = text.slice(0, text.indexOf('\n') === -1 ? text.length : text.indexOf('\n'));
  return (firstLine.match(/;/g)?.length ?? 0) > (firstLine.match(/,/g)?.length ?? 0) ? ';' : ',';
}

/** A field as text: trimmed, '' and null as absent. */
function text(props: Record<string, unknown>, key: string): string | undefined {
  const v = props[key];
  if (v === undefined || v === null) return undefined;
  const s = (typeof v === 'number' ? String(v) : typeof v === 'string' ? v : JSON.stringify(v)).trim();
  return s === '' ? undefined : s;
}

/** A checked row: what it asks for, leaving absent fields undefined (they keep a known plot's values). */
interface Checked {
  number: number;
  cadastralNumber: string;
  address?: string; districtId?: string; areaM2?: number; zoning?: string; permittedUse?: string; currentUse?: string;
  status?: PlotStatus; leasedUntil?: string;
  geometry: PlotGeometry;
}

export async function importPlots(
  deps: PlotDeps, m: Municipality, actor: Actor, raw: RawPlot[], options: { dryRun: boolean; format: 'geojson' | 'csv'; locale: Locale },
): Promise<ImportReport> {
  const issues: ImportIssue[] = [];
  const say = (number: number, field: string, code: string, key: MessageKey, params: MessageParams = {}) =>
    issues.push({ number, field, code, message: translate(options.locale, key, params) });
  const dir = await deps.directory.get(m.id);
  const byCode = new Map([...dir.districts.values()].map((d) => [d.code, d.id]));
  const firstSeen = new Map<string, number>();
  const checked: Checked[] = [];

  for (const r of raw) {
    const before = issues.length;
    if (r.props.__notFeature) { say(r.number, 'feature', 'not_a_feature', 'land.import.not_a_feature'); continue; }
    const c: Partial<Checked> = { number: r.number };
    const cad = text(r.props, 'cadastral_number');
    if (!cad) say(r.number, 'cadastral_number', 'required', 'land.import.required');
    else if (!CADASTRAL_PATTERN.test(cad)) say(r.number, 'cadastral_number', 'invalid_cadastral', 'land.import.invalid_cadastral');
    else if (firstSeen.has(cad)) say(r.number, 'cadastral_number', 'duplicate_in_file', 'land.import.duplicate_in_file', { first: firstSeen.get(cad)! });
    else { firstSeen.set(cad, r.number); c.cadastralNumber = cad; }

    for (const [field, key] of [['address', 'address'], ['zoning', 'zoning'], ['permitted_use', 'permittedUse'], ['current_use', 'currentUse']] as const) {
      const v = text(r.props, field);
      if (v === undefined) continue;
      if (v.length > TEXT_LIMITS[key]) say(r.number, field, 'too_long', 'land.import.too_long', { max: TEXT_LIMITS[key] });
      else c[key] = v;
    }
    const district = text(r.props, 'district');
    if (district !== undefined) {
      const id = byCode.get(district);
      if (!id) say(r.number, 'district', 'unknown_district', 'land.import.unknown_district', { value: district.slice(0, 60) });
      else c.districtId = id;
    }
    const area = text(r.props, 'area_m2');
    if (area !== undefined) {
      const n = Number(area.replace(',', '.').replace(/\s/g, ''));
      if (!Number.isFinite(n) || n <= 0) say(r.number, 'area_m2', 'invalid_number', 'land.import.invalid_number');
      else c.areaM2 = n;
    }
    const status = text(r.props, 'status');
    if (status !== undefined) {
      if (!(PLOT_STATUSES as readonly string[]).includes(status)) {
        say(r.number, 'status', 'invalid_status', 'land.import.invalid_status', { value: status.slice(0, 60), allowed: PLOT_STATUSES.join(', ') });
      } else c.status = status as PlotStatus;
    }
    const leased = text(r.props, 'leased_until');
    if (leased !== undefined) {
      if (!/^\d{4}-\d{2}-\d{2}$/.test(leased) || Number.isNaN(Date.parse(`${leased}T00:00:00Z`)) || new Date(`${leased}T00:00:00Z`).toISOString().slice(0, 10) !== leased) {
        say(r.number, 'leased_until', 'invalid_date', 'land.import.invalid_date');
      } else c.leasedUntil = leased;
    }
    if (c.leasedUntil && status !== undefined && c.status !== 'leased_temporarily') {
      say(r.number, 'leased_until', 'leased_until_not_allowed', 'land.import.leased_until_not_allowed');
    }
    let geometry: unknown = r.geometry;
    if (r.geometryText !== undefined) {
      if (!r.geometryText) geometry = undefined;
      else {
        try { geometry = JSON.parse(r.geometryText); } catch { say(r.number, 'geometry', 'invalid_json', 'land.import.invalid_json'); geometry = null; }
      }
    }
    if (geometry === undefined || (geometry === null && r.geometryText === undefined)) say(r.number, 'geometry', 'required', 'land.import.required');
    else if (geometry !== null) {
      const g = validatePlotGeometry(geometry);
      if (!g.ok) say(r.number, g.path ? `geometry.${g.path}` : 'geometry', g.problem, `land.geometry.${g.problem}`, { max: MAX_POSITIONS });
      else c.geometry = g.geometry;
    }
    if (issues.length === before) checked.push(c as Checked);
  }

  const report: ImportReport = { dryRun: options.dryRun, format: options.format, total: raw.length, created: 0, updated: 0, unchanged: 0, failed: 0, issues };
  const now = deps.clock.now();
  for (let i = 0; i < checked.length; i += BATCH) {
    const batch = checked.slice(i, i + BATCH);
    const run = async (tx: Parameters<Parameters<typeof deps.db.transaction>[0]>[0] | null) => {
      const db = tx ?? deps.db;
      const q = db.select().from(landPlots).where(and(eq(landPlots.municipalityId, m.id), inArray(landPlots.cadastralNumber, batch.map((c) => c.cadastralNumber))));
      const known = new Map((tx ? await q.for('update') : await q).map((p) => [p.cadastralNumber, p]));
      for (const c of batch) {
        const before = known.get(c.cadastralNumber) ?? null;
        const next = resolve(c, before, (lat, lon) => districtOfPoint(dir, lat, lon));
        if ('issue' in next) { say(c.number, next.issue.field, next.issue.code, next.issue.key); continue; }
        const outcome: SaveOutcome = tx ? (await savePlot(tx, m, actor, before, next, 'import', now)).outcome
          : !before ? 'created' : plotChanges(before, next).length > 0 ? 'updated' : 'unchanged';
        report[outcome]++;
      }
    };
    if (options.dryRun) await run(null);
    else await deps.db.transaction(async (tx) => { await run(tx); });
  }
  report.failed = new Set(issues.map((x) => x.number)).size;
  issues.sort((a, b) => a.number - b.number);
  return report;
}

/** The plot a checked row makes, given the known plot (absent fields keep its values). */
function resolve(c: Checked, before: PlotRow | null, districtAt: (lat: number, lon: number) => string | null):
  PlotFields | { issue: { field: string; code: string; key: MessageKey } } {
  const status = c.status ?? (before?.status as PlotStatus | undefined) ?? 'available';
  const leasedUntil = status === 'leased_temporarily' ? c.leasedUntil ?? before?.leasedUntil ?? null : null;
  if (status === 'leased_temporarily' && !leasedUntil) return { issue: { field: 'leased_until', code: 'leased_until_required', key: 'land.import.leased_until_required' } };
  if (status !== 'leased_temporarily' && c.leasedUntil) return { issue: { field: 'leased_until', code: 'leased_until_not_allowed', key: 'land.import.leased_until_not_allowed' } };
  const d = derivedOf(c.geometry);
  return {
    cadastralNumber: c.cadastralNumber,
    address: c.address ?? before?.address ?? null,
    districtId: c.districtId ?? before?.districtId ?? districtAt(d.centerLat, d.centerLon),
    areaM2: c.areaM2 ?? d.areaM2,
    zoning: c.zoning ?? before?.zoning ?? null,
    permittedUse: c.permittedUse ?? before?.permittedUse ?? null,
    currentUse: c.currentUse ?? before?.currentUse ?? null,
    status, leasedUntil, geometry: c.geometry,
  };
}
