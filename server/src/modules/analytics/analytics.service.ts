/**
 * Analytics as people read them: the cube's sums (analytics.queries.ts) turned into figures, shares, comparisons,
 * cross-tabs and the figures by groups of residents (suppressed: analytics-suppression.ts). Nothing here reads the
 * appeals table except the drill-down page; nothing is written.
 *
 * Filters are resolved once against the city's directory: a category group stands for itself and its
 * subcategories, a form for its channels; an unknown id is the caller's mistake (400), never an empty answer.
 */
import {
  AGE_BANDS, APPEAL_KINDS, APPEAL_STATUSES, CHANNELS, formOfChannel, GENDERS, SOCIAL_GROUPS, type Channel,
} from '@shaar/contracts';
import { z } from 'zod';
import type { Db } from '../../platform/db/database.js';
import type { LocalizedText } from '../../platform/db/schema.js';
import { AppError, errors } from '../../platform/http/errors.js';
import { decodeCursor, encodeCursor } from '../../platform/http/schemas.js';
import type { Directory } from '../directory/directory.cache.js';
import { MAP_RESOLUTION } from './analytics-refresh.js';
import {
  addMonths, comparePeriodOf, currentMonth, MAX_PERIOD_MONTHS, monthAt, monthsBetween, resolvePeriod, type Compare, type Month, type Period,
} from './analytics-period.js';
import {
  addTally, drillDownPage, emptyTally, refreshedAt, sumCells, sumCube, sumCubeSets, sumGroupCube,
  type CubeColumn, type CubeFilter, type DrillDownRow, type GroupCubeColumn, type GroupTally, type Tally,
} from './analytics.queries.js';
import { SUPPRESSION_THRESHOLD, suppressCount, suppressList, suppressRatio, suppressTable } from './analytics-suppression.js';
import {
  CUBE_DIMENSIONS, FORMS, GROUP_DIMENSIONS,
  type AnalyticsFilters as FilterQuery, type FiguresOut,
} from './analytics.schemas.js';

export type CubeDimension = (typeof CUBE_DIMENSIONS)[number];
export type GroupDimension = (typeof GROUP_DIMENSIONS)[number];
export type Dimension = CubeDimension | GroupDimension;

/** The filters of a request; every one may be left out. */
export type AnalyticsFilters = Partial<FilterQuery>;

export interface AnalyticsContext {
  db: Db;
  municipalityId: string;
  timezone: string;
  now: Date;
  directory: Directory;
}

// ---------------------------------------------------------------------------------------------------------------
// Input: periods and filters

const periodError = () => new AppError(400, 'invalid_period', 'error.analytics_period', { max: String(MAX_PERIOD_MONTHS) });

export function periodOf(ctx: AnalyticsContext, query: { from?: string | undefined; to?: string | undefined }): Period {
  const period = resolvePeriod(query, ctx.now, ctx.timezone);
  if (!period) throw periodError();
  return period;
}

/** The filter for the cube: ids checked against the directory, category groups expanded, forms turned into channels. */
export function resolveFilter(ctx: AnalyticsContext, q: AnalyticsFilters, period: Period): CubeFilter {
  const dir = ctx.directory;
  const known = (ids: string[] | undefined, map: Map<string, unknown>, field: string) => {
    if (ids?.some((id) => !map.has(id))) throw errors.invalidReference(field);
    return ids ? [...new Set(ids)] : undefined;
  };
  const categories = known(q.category, dir.categories, 'category');
  const categoryIds = categories && [...new Set(categories.flatMap((id) => [
    id, ...[...dir.categories.values()].filter((c) => c.parentId === id).map((c) => c.id),
  ]))];
  let channels: string[] | undefined = q.channel ? [...new Set(q.channel)] : undefined;
  if (q.form) {
    const forms = new Set<string>(q.form);
    channels = (channels ?? [...CHANNELS]).filter((c) => forms.has(formOfChannel(c as Channel)));
  }
  return {
    municipalityId: ctx.municipalityId, period, categoryIds,
    districtIds: known(q.district, dir.districts, 'district'), serviceIds: known(q.service, dir.services, 'service'),
    channels, kinds: q.kind && [...new Set(q.kind)], statuses: q.status && [...new Set(q.status)],
  };
}

/** The groups cube has no service or status (kept coarse, so more of its cells reach the threshold): refused, not ignored. */
function refuseForGroups(f: CubeFilter, dims: Dimension[] = []): void {
  if (f.serviceIds || f.statuses || dims.includes('service') || dims.includes('status')) {
    throw new AppError(400, 'not_for_groups', 'error.analytics_groups_filter');
  }
}

// ---------------------------------------------------------------------------------------------------------------
// Figures

const round = (n: number, digits: number) => Math.round(n * 10 ** digits) / 10 ** digits;
const pct = (part: number, whole: number, digits = 1) => (whole > 0 ? round((100 * part) / whole, digits) : null);

/** The figures of a tally; `total` is the appeals of the whole selection its share is of. */
export function figuresOf(t: Tally, total: number): FiguresOut {
  return {
    appeals: t.appeals, share: pct(t.appeals, total, 2),
    collective: t.collective, repeats: t.repeats, answered: t.answered, answeredOnTime: t.answeredOnTime,
    onTimePct: pct(t.answeredOnTime, t.answered),
    averageDays: t.answered > 0 ? round(t.answerDaysSum / t.answered, 1) : null,
    ratings: t.ratings, averageRating: t.ratings > 0 ? round(t.ratingSum / t.ratings, 2) : null,
    solvedPct: pct(t.solvedYes, t.ratings), partlySolvedPct: pct(t.solvedPartly, t.ratings),
  };
}

const totalOf = (rows: { tally: Tally }[]) => rows.reduce((s, r) => addTally(s, r.tally), emptyTally());

// ---------------------------------------------------------------------------------------------------------------
// Dimensions: which cube column, which key, which name, which order

const COLUMN: Record<Dimension, CubeColumn | GroupCubeColumn> = {
  category: 'category_id', category_group: 'category_id', district: 'district_id', service: 'service_id',
  channel: 'channel', form: 'channel', kind: 'kind', status: 'status', month: 'month',
  age_band: 'age_band', gender: 'gender', social_group: 'social_group',
};
/** Dimensions whose keys are codes of a fixed vocabulary: listed in its order. */
const VOCABULARY: Partial<Record<Dimension, readonly string[]>> = {
  channel: CHANNELS, form: FORMS, kind: APPEAL_KINDS, status: APPEAL_STATUSES,
  age_band: AGE_BANDS, gender: GENDERS, social_group: SOCIAL_GROUPS,
};

/** The key of a cube row's column value along a dimension ('none' = not set). */
function keyOf(dim: Dimension, raw: string | null, dir: Directory): string {
  if (raw === null) return 'none';
  if (dim === 'category_group') return dir.categories.get(raw)?.parentId ?? raw;
  if (dim === 'form') return formOfChannel(raw as Channel);
  return raw;
}

/** Directory rows have names in three languages; codes are translated by the client. */
export function labelOf(dim: Dimension, key: string, dir: Directory): LocalizedText | null {
  if (key === 'none') return null;
  if (dim === 'category' || dim === 'category_group') return dir.categories.get(key)?.name ?? null;
  if (dim === 'district') return dir.districts.get(key)?.name ?? null;
  if (dim === 'service') return dir.services.get(key)?.name ?? null;
  return null;
}

/** The keys in reading order: months in time, codes in their vocabulary's order, the rest busiest first; 'none' last. */
function orderKeys(dim: Dimension, keys: Iterable<string>, appealsOf: (key: string) => number, period: Period): string[] {
  if (dim === 'month') return monthsBetween(period.from, period.to);
  const vocabulary = VOCABULARY[dim];
  // 'none' last; a code the vocabulary no longer has (old data) after the known ones.
  const rank = (k: string) => (k === 'none' ? Infinity : !vocabulary ? 0 : vocabulary.includes(k) ? vocabulary.indexOf(k) : vocabulary.length);
  return [...new Set(keys)].sort((a, b) => rank(a) - rank(b) || (vocabulary ? 0 : appealsOf(b) - appealsOf(a)) || a.localeCompare(b));
}

/** Sums rows into one tally per key of a dimension (mapping the column's values to the dimension's keys). */
function byKey<T extends object>(dim: Dimension, rows: { keys: (string | null)[]; tally: T }[], dir: Directory, empty: () => T): Map<string, T> {
  const out = new Map<string, T>();
  for (const r of rows) {
    const key = keyOf(dim, r.keys[0] ?? null, dir);
    let t = out.get(key);
    if (!t) out.set(key, t = empty());
    addTally(t as Partial<Tally>, r.tally as Partial<Tally>);
  }
  return out;
}

// ---------------------------------------------------------------------------------------------------------------
// Routes' answers

const periodOut = (p: Period) => ({ from: p.from, to: p.to, months: p.months });

export async function summary(ctx: AnalyticsContext, q: AnalyticsFilters & { compare?: Compare | undefined }) {
  const period = periodOf(ctx, q);
  const compared = comparePeriodOf(period, q.compare ?? 'previous');
  const f = resolveFilter(ctx, q, period);
  const [current, before, fresh] = await Promise.all([
    sumCube(ctx.db, f), compared ? sumCube(ctx.db, { ...f, period: compared }) : null, refreshedAt(ctx.db, ctx.municipalityId),
  ]);
  const t = totalOf(current);
  const c = before && totalOf(before);
  return {
    period: periodOut(period), comparePeriod: compared && periodOut(compared),
    figures: figuresOf(t, t.appeals), compareFigures: c && figuresOf(c, c.appeals), refreshedAt: fresh,
  };
}

export interface BreakdownRow { key: string; label: LocalizedText | null; figures: FiguresOut; compareFigures: FiguresOut | null }

export async function breakdown(ctx: AnalyticsContext, q: AnalyticsFilters & { by: CubeDimension; compare?: Compare | undefined }) {
  const period = periodOf(ctx, q);
  const compared = comparePeriodOf(period, q.compare ?? 'none');
  const f = resolveFilter(ctx, q, period);
  const column = COLUMN[q.by] as CubeColumn;
  const [current, before, fresh] = await Promise.all([
    sumCube(ctx.db, f, [column]), compared ? sumCube(ctx.db, { ...f, period: compared }, [column]) : null, refreshedAt(ctx.db, ctx.municipalityId),
  ]);
  const cur = byKey(q.by, current, ctx.directory, emptyTally);
  // A comparison month stands against the month at the same place in the period.
  const cmp = before && byKey(q.by, q.by === 'month' && compared
    ? before.map((r) => ({ ...r, keys: [monthAt(compared, period, r.keys[0] as Month)] }))
    : before, ctx.directory, emptyTally);
  const total = totalOf(current);
  const compareTotal = before && totalOf(before);
  const keys = orderKeys(q.by, [...cur.keys(), ...(cmp?.keys() ?? [])], (k) => cur.get(k)?.appeals ?? 0, period);
  const rows: BreakdownRow[] = keys.map((key) => ({
    key, label: labelOf(q.by, key, ctx.directory),
    figures: figuresOf(cur.get(key) ?? emptyTally(), total.appeals),
    compareFigures: cmp && compareTotal ? figuresOf(cmp.get(key) ?? emptyTally(), compareTotal.appeals) : null,
  }));
  return {
    period: periodOut(period), comparePeriod: compared && periodOut(compared), by: q.by,
    total: figuresOf(total, total.appeals), rows, refreshedAt: fresh,
  };
}

type Measure = 'appeals' | 'onTimePct' | 'averageRating' | 'solvedPct';

export async function crosstab(ctx: AnalyticsContext, q: AnalyticsFilters & { rows: Dimension; cols: Dimension; measure?: Measure | undefined }) {
  if (q.rows === q.cols) throw new AppError(400, 'same_dimension', 'error.analytics_same_dimension');
  const period = periodOf(ctx, q);
  const f = resolveFilter(ctx, q, period);
  const measure = q.measure ?? 'appeals';
  const groups = isGroup(q.rows) || isGroup(q.cols);
  if (groups) refuseForGroups(f, [q.rows, q.cols]);
  const by = [COLUMN[q.rows], COLUMN[q.cols]];
  const [sums, fresh] = await Promise.all([
    groups ? sumGroupCube(ctx.db, f, by as GroupCubeColumn[]) : sumCube(ctx.db, f, by as CubeColumn[]),
    refreshedAt(ctx.db, ctx.municipalityId),
  ]);
  const cells = new Map<string, GroupTally>();
  const rowTotals = new Map<string, number>();
  const colTotals = new Map<string, number>();
  for (const s of sums) {
    const r = keyOf(q.rows, s.keys[0] ?? null, ctx.directory);
    const c = keyOf(q.cols, s.keys[1] ?? null, ctx.directory);
    const key = `${r}|${c}`;
    cells.set(key, addTally(cells.get(key) ?? groupTally(), s.tally as GroupTally));
    rowTotals.set(r, (rowTotals.get(r) ?? 0) + s.tally.appeals);
    colTotals.set(c, (colTotals.get(c) ?? 0) + s.tally.appeals);
  }
  const rowKeys = orderKeys(q.rows, rowTotals.keys(), (k) => rowTotals.get(k) ?? 0, period);
  const colKeys = orderKeys(q.cols, colTotals.keys(), (k) => colTotals.get(k) ?? 0, period);
  const tallies = rowKeys.map((r) => colKeys.map((c) => cells.get(`${r}|${c}`) ?? groupTally()));
  const counts = tallies.map((row) => row.map((t) => t.appeals));
  const shown = groups ? suppressTable(counts) : counts;
  const values = tallies.map((row, i) => row.map((t, j) => {
    const cell = shown[i]![j]!;
    if (measure === 'appeals') return cell;
    const [value, base] = measure === 'onTimePct' ? [pct(t.answeredOnTime, t.answered), t.answered]
      : measure === 'averageRating' ? [t.ratings > 0 ? round(t.ratingSum / t.ratings, 2) : null, t.ratings]
        : [pct(t.solvedYes, t.ratings), t.ratings];
    return groups ? suppressRatio(value, cell, base) : value;
  }));
  const keysOut = (dim: Dimension, keys: string[]) => keys.map((key) => ({ key, label: labelOf(dim, key, ctx.directory) }));
  return {
    period: periodOut(period), rows: q.rows, cols: q.cols, measure,
    rowKeys: keysOut(q.rows, rowKeys), colKeys: keysOut(q.cols, colKeys), cells: values,
    suppressed: groups ? shown.flat().filter((v) => v === null).length : 0,
    suppressionThreshold: groups ? SUPPRESSION_THRESHOLD : null, refreshedAt: fresh,
  };
}

const isGroup = (d: Dimension): d is GroupDimension => (GROUP_DIMENSIONS as readonly string[]).includes(d);
const groupTally = (): GroupTally => ({ appeals: 0, answered: 0, answeredOnTime: 0, ratings: 0, ratingSum: 0, solvedYes: 0 });

export async function groupFigures(ctx: AnalyticsContext, q: AnalyticsFilters & { by: GroupDimension }) {
  const period = periodOf(ctx, q);
  const f = resolveFilter(ctx, q, period);
  refuseForGroups(f);
  const [sums, fresh] = await Promise.all([sumGroupCube(ctx.db, f, [COLUMN[q.by] as GroupCubeColumn]), refreshedAt(ctx.db, ctx.municipalityId)]);
  const tallies = byKey(q.by, sums, ctx.directory, groupTally);
  // Every value of the vocabulary is listed, so an absent group looks like a small one.
  const keys = [...(VOCABULARY[q.by] ?? []), ...(tallies.has('none') ? ['none'] : [])];
  const list = keys.map((k) => tallies.get(k) ?? groupTally());
  const shown = suppressList(list.map((t) => t.appeals));
  const profiled = list.reduce((s, t) => s + t.appeals, 0);
  return {
    period: periodOut(period), by: q.by, profiled: suppressCount(profiled),
    rows: keys.map((key, i) => {
      const t = list[i]!;
      const cell = shown[i] ?? null;
      return {
        key, appeals: cell,
        onTimePct: suppressRatio(pct(t.answeredOnTime, t.answered), cell, t.answered),
        averageRating: suppressRatio(t.ratings > 0 ? round(t.ratingSum / t.ratings, 2) : null, cell, t.ratings),
        solvedPct: suppressRatio(pct(t.solvedYes, t.ratings), cell, t.ratings),
      };
    }),
    suppressionThreshold: SUPPRESSION_THRESHOLD, refreshedAt: fresh,
  };
}

export async function mapCells(ctx: AnalyticsContext, q: AnalyticsFilters) {
  const period = periodOf(ctx, q);
  const f = resolveFilter(ctx, q, period);
  if (f.serviceIds || f.statuses || f.channels || f.kinds) throw new AppError(400, 'not_for_map', 'error.analytics_map_filter');
  const [cells, fresh] = await Promise.all([sumCells(ctx.db, f), refreshedAt(ctx.db, ctx.municipalityId)]);
  return { period: periodOut(period), resolution: MAP_RESOLUTION, cells, refreshedAt: fresh };
}

export async function mapDistricts(ctx: AnalyticsContext, q: AnalyticsFilters) {
  const period = periodOf(ctx, q);
  const f = resolveFilter(ctx, q, period);
  const [sums, fresh] = await Promise.all([sumCube(ctx.db, f, ['district_id']), refreshedAt(ctx.db, ctx.municipalityId)]);
  const counts = new Map(sums.map((s) => [s.keys[0] ?? null, s.tally.appeals]));
  const listed = [...ctx.directory.districts.values()].filter((d) => d.active || counts.has(d.id));
  const districts: { districtId: string | null; label: LocalizedText | null; appeals: number; per10k: number | null }[] = listed.map((d) => {
    const appeals = counts.get(d.id) ?? 0;
    return { districtId: d.id, label: d.name, appeals, per10k: d.population ? round((appeals * 10_000) / d.population, 2) : null };
  });
  if (counts.get(null)) districts.push({ districtId: null, label: null, appeals: counts.get(null)!, per10k: null });
  districts.sort((a, b) => (a.districtId === null ? 1 : b.districtId === null ? -1 : b.appeals - a.appeals));
  return { period: periodOut(period), districts, refreshedAt: fresh };
}

// ---------------------------------------------------------------------------------------------------------------
// Drill-down

/** registered_at to the microsecond, and the id: an exact keyset position. */
const Cursor = z.tuple([z.string().regex(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{6}Z$/), z.uuid()]);
export const DRILL_DOWN_LIMIT = 50;

export type DrillDownItem = Omit<DrillDownRow, 'at'>;

/** One page of the appeals behind a figure, newest first; `total` is the cube's count of the same selection. */
export async function drillDown(ctx: AnalyticsContext, q: AnalyticsFilters & { cursor?: string | undefined; limit?: number | undefined }) {
  const period = periodOf(ctx, q);
  const f = resolveFilter(ctx, q, period);
  const after = decodeCursor(q.cursor, Cursor);
  if (q.cursor && !after) throw new AppError(400, 'validation_failed', 'error.validation_failed', {}, [{ in: 'querystring', path: 'cursor', code: 'invalid' }]);
  const limit = q.limit ?? DRILL_DOWN_LIMIT;
  const [rows, total] = await Promise.all([
    drillDownPage(ctx.db, f, ctx.timezone, after && { at: after[0], id: after[1] }, limit + 1),
    sumCube(ctx.db, f).then((r) => totalOf(r).appeals),
  ]);
  const page = rows.slice(0, limit);
  const last = page[page.length - 1];
  return {
    items: page.map(({ at: _at, ...item }) => item),
    nextCursor: rows.length > limit && last ? encodeCursor([last.at, last.id]) : null,
    total,
  };
}

/** Every appeal behind a figure, newest first, in pages of `batch` (for exports); stops after `max`. */
export async function* drillDownAll(ctx: AnalyticsContext, q: AnalyticsFilters, max: number, batch = 5000): AsyncGenerator<DrillDownItem[]> {
  const f = resolveFilter(ctx, q, periodOf(ctx, q));
  let after: { at: string; id: string } | null = null;
  for (let left = max; left > 0;) {
    const want = Math.min(batch, left);
    const rows = await drillDownPage(ctx.db, f, ctx.timezone, after, want);
    if (rows.length > 0) yield rows.map(({ at: _at, ...item }) => item);
    if (rows.length < want) return;
    left -= rows.length;
    const last = rows[rows.length - 1]!;
    after = { at: last.at, id: last.id };
  }
}

// ---------------------------------------------------------------------------------------------------------------
// The public dashboard

/** Headline figures, category groups, districts, forms, months and the heat map: sums only, no people. */
export async function publicDashboard(ctx: AnalyticsContext, q: { from?: string | undefined; to?: string | undefined }) {
  const period = periodOf(ctx, q);
  const f: CubeFilter = { municipalityId: ctx.municipalityId, period };
  const [[byCategory, byDistrict, byChannel, byMonth], cells, fresh] = await Promise.all([
    sumCubeSets(ctx.db, f, [['category_id'], ['district_id'], ['channel'], ['month']]), sumCells(ctx.db, f), refreshedAt(ctx.db, ctx.municipalityId),
  ]);
  const total = totalOf(byChannel);
  const rowsOf = (dim: CubeDimension, sums: { keys: (string | null)[]; tally: Tally }[]) => {
    const tallies = byKey(dim, sums, ctx.directory, emptyTally);
    return orderKeys(dim, tallies.keys(), (k) => tallies.get(k)?.appeals ?? 0, period)
      .map((key) => ({ key, label: labelOf(dim, key, ctx.directory), figures: figuresOf(tallies.get(key) ?? emptyTally(), total.appeals) }));
  };
  return {
    period: periodOut(period), figures: figuresOf(total, total.appeals),
    byCategoryGroup: rowsOf('category_group', byCategory), byDistrict: rowsOf('district', byDistrict),
    byForm: rowsOf('form', byChannel), byMonth: rowsOf('month', byMonth), cells, refreshedAt: fresh,
  };
}

// ---------------------------------------------------------------------------------------------------------------
// The printable monthly report

/** One month against the month before: totals, category groups, districts, forms, the top 10 categories, services. */
export async function monthlyReport(ctx: AnalyticsContext, q: { month?: string | undefined }) {
  const month = q.month ?? addMonths(currentMonth(ctx.now, ctx.timezone), -1);
  const query = { from: month, to: month, compare: 'previous' as const };
  const [s, groups, districts, forms, categories, services] = await Promise.all([
    summary(ctx, query),
    ...(['category_group', 'district', 'form', 'category', 'service'] as const).map((by) => breakdown(ctx, { ...query, by })),
  ]);
  return {
    month, previousMonth: s.comparePeriod!.from, figures: s.figures, compareFigures: s.compareFigures!,
    byCategoryGroup: groups!.rows, byDistrict: districts!.rows, byForm: forms!.rows,
    topCategories: categories!.rows.filter((r) => r.key !== 'none' && r.figures.appeals > 0).slice(0, 10),
    byService: services!.rows, refreshedAt: s.refreshedAt,
  };
}
