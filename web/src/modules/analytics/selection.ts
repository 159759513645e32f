/**
 * What the analytics pages show is all in the address, so a view can be bookmarked and shared: the period
 * (?from=YYYY-MM&to=YYYY-MM), the comparison, and the filters (repeatable: ?district=a&district=b). This file reads
 * and writes that part of the address; anything malformed is dropped (the server's defaults apply instead).
 */

export const FILTER_KEYS = ['category', 'district', 'service', 'channel', 'form', 'kind', 'status'] as const;
export type FilterKey = (typeof FILTER_KEYS)[number];

export const CHANNELS = ['in_person', 'phone', 'letter', 'web', 'mobile_app', 'tunduk', 'open311', 'email', 'import'] as const;
export const FORMS = ['oral', 'written', 'electronic'] as const;
export const KINDS = ['proposal', 'statement', 'complaint'] as const;
export const STATUSES = ['registered', 'assigned', 'in_progress', 'extended', 'answered', 'closed', 'redirected', 'left_without_consideration', 'reopened'] as const;
export const COMPARE = ['previous', 'year_before', 'none'] as const;
export type Compare = (typeof COMPARE)[number];

export const CUBE_DIMENSIONS = ['category_group', 'category', 'district', 'form', 'channel', 'kind', 'status', 'service', 'month'] as const;
export type CubeDimension = (typeof CUBE_DIMENSIONS)[number];
export const GROUP_DIMENSIONS = ['age_band', 'gender', 'social_group'] as const;
export type GroupDimension = (typeof GROUP_DIMENSIONS)[number];
export type Dimension = CubeDimension | GroupDimension;

export const MONTH = /^\d{4}-(0[1-9]|1[0-2])$/;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Which values a filter accepts: ids for directory filters, codes for the rest. */
const VALID: Record<FilterKey, (v: string) => boolean> = {
  category: (v) => UUID.test(v), district: (v) => UUID.test(v), service: (v) => UUID.test(v),
  channel: (v) => (CHANNELS as readonly string[]).includes(v), form: (v) => (FORMS as readonly string[]).includes(v),
  kind: (v) => (KINDS as readonly string[]).includes(v), status: (v) => (STATUSES as readonly string[]).includes(v),
};

export type Filters = Partial<Record<FilterKey, string[]>>;
export interface Selection { from?: string; to?: string; compare: Compare; filters: Filters }

export function readSelection(params: URLSearchParams): Selection {
  const from = params.get('from') ?? '';
  const to = params.get('to') ?? '';
  const compare = params.get('compare') ?? '';
  const filters: Filters = {};
  for (const key of FILTER_KEYS) {
    const values = [...new Set(params.getAll(key).filter(VALID[key]))];
    if (values.length) filters[key] = values;
  }
  return {
    ...(MONTH.test(from) ? { from } : {}), ...(MONTH.test(to) ? { to } : {}),
    compare: (COMPARE as readonly string[]).includes(compare) ? (compare as Compare) : 'previous',
    filters,
  };
}

/** The selection as the API's query (the period and filters; `compare` only where a route takes it). */
export function apiQuery(sel: Selection, withCompare = false): Record<string, string | string[]> {
  const q: Record<string, string | string[]> = {};
  if (sel.from) q.from = sel.from;
  if (sel.to) q.to = sel.to;
  for (const key of FILTER_KEYS) if (sel.filters[key]?.length) q[key] = sel.filters[key]!;
  if (withCompare) q.compare = sel.compare;
  return q;
}

/** The selection as URL parameters in a stable order (`extra` appended: the page's own choices). */
export function searchOf(sel: Selection, extra: Record<string, string | undefined> = {}): URLSearchParams {
  const p = new URLSearchParams();
  if (sel.from) p.set('from', sel.from);
  if (sel.to) p.set('to', sel.to);
  if (sel.compare !== 'previous') p.set('compare', sel.compare);
  for (const key of FILTER_KEYS) for (const v of sel.filters[key] ?? []) p.append(key, v);
  for (const [k, v] of Object.entries(extra)) if (v) p.set(k, v);
  return p;
}

export const queryString = (p: URLSearchParams) => {
  const s = p.toString();
  return s ? `?${s}` : '';
};

/** The selection narrowed to one value of a filter (a drill-down replaces that filter's values). */
export function withFilter(sel: Selection, key: FilterKey, value: string): Selection {
  return { ...sel, filters: { ...sel.filters, [key]: [value] } };
}

/** The selection without one value of a filter (a chip's "remove"). */
export function withoutFilter(sel: Selection, key: FilterKey, value: string): Selection {
  const rest = (sel.filters[key] ?? []).filter((v) => v !== value);
  const filters = { ...sel.filters };
  if (rest.length) filters[key] = rest; else delete filters[key];
  return { ...sel, filters };
}

/**
 * The selection without the filters a table cannot take (groups of residents have no service or status; the heat
 * map only period, category and district), and which of those were set.
 */
export function without(sel: Selection, keys: readonly FilterKey[]): { sel: Selection; dropped: FilterKey[] } {
  const filters = { ...sel.filters };
  const dropped = keys.filter((k) => filters[k]?.length);
  for (const k of keys) delete filters[k];
  return { sel: { ...sel, filters }, dropped };
}
export const NOT_FOR_GROUPS: readonly FilterKey[] = ['service', 'status'];
export const NOT_FOR_MAP: readonly FilterKey[] = ['service', 'status', 'channel', 'form', 'kind'];

/** The selection over one month (a drill-down from a month's row). */
export function inMonth(sel: Selection, month: string): Selection {
  return { ...sel, from: month, to: month };
}

/**
 * The filter a row of a breakdown narrows to: a category group is a category filter (it includes its
 * subcategories), a month is the period. Rows without a value ("not set") have no drill-down.
 */
export function drillOf(sel: Selection, by: CubeDimension, key: string): Selection | null {
  if (key === 'none') return null;
  switch (by) {
    case 'category_group': case 'category': return VALID.category(key) ? withFilter(sel, 'category', key) : null;
    case 'month': return MONTH.test(key) ? inMonth(sel, key) : null;
    default: return VALID[by](key) ? withFilter(sel, by, key) : null;
  }
}

export function addMonths(month: string, n: number): string {
  const [y, m] = month.split('-').map(Number) as [number, number];
  const i = y * 12 + (m - 1) + n;
  return `${Math.floor(i / 12)}-${String((i % 12) + 1).padStart(2, '0')}`;
}

export function thisMonth(): string {
  const d = new Date();
  return `${d.getFullYear()}-${String(d.getMonth() + 1).padStart(2, '0')}`;
}

/** Months from `latest` back, newest first (the period pickers' choices). */
export function monthsBack(latest: string, count: number): string[] {
  return Array.from({ length: count }, (_, i) => addMonths(latest, -i));
}
