/**
 * The systemic-problems API as the staff pages use it: types from the generated OpenAPI types (none written by
 * hand), the filters as they sit in the page's address, and the export links.
 */
import type { paths } from '../../api/schema.js';
import type { Json200 } from '../staff/shared.js';

export type ProblemList = Json200<'/api/v1/m/{municipality}/systemic-problems', 'get'>;
export type Problem = ProblemList['items'][number];
export type ProblemDetail = Json200<'/api/v1/m/{municipality}/systemic-problems/{id}', 'get'>;
export type ListQuery = NonNullable<paths['/api/v1/m/{municipality}/systemic-problems']['get']['parameters']['query']>;

export const STATUSES = ['new', 'confirmed', 'dismissed', 'merged'] as const;
export const KINDS = ['spatial', 'repeat', 'seasonal'] as const;
export const PAGE_SIZE = 25;
/** Who may run the detector now (the server says the same). */
export const DETECT_ROLES = ['analyst', 'admin'];

export type Filters = Pick<ListQuery, 'status' | 'kind' | 'categoryId' | 'districtId' | 'active' | 'minScore'>;
export const FILTER_KEYS = ['status', 'kind', 'categoryId', 'districtId', 'active', 'minScore'] as const;

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const oneOf = <T extends string>(list: readonly T[], v: string | null): T | undefined => (v && (list as readonly string[]).includes(v) ? v as T : undefined);

/** The filters of the address; anything malformed is left out rather than sent (and refused). */
export function filtersOf(params: URLSearchParams): Filters {
  const score = Number(params.get('minScore'));
  const f: Filters = {};
  const status = oneOf(STATUSES, params.get('status'));
  const kind = oneOf(KINDS, params.get('kind'));
  const active = oneOf(['true', 'false'] as const, params.get('active'));
  if (status) f.status = status;
  if (kind) f.kind = kind;
  if (active) f.active = active;
  if (UUID.test(params.get('categoryId') ?? '')) f.categoryId = params.get('categoryId')!;
  if (UUID.test(params.get('districtId') ?? '')) f.districtId = params.get('districtId')!;
  if (params.get('minScore') && Number.isFinite(score) && score >= 0 && score <= 1) f.minScore = score;
  return f;
}

/** The address of the list with these filters (and page). */
export function searchOf(filters: Filters, offset = 0): string {
  const p = new URLSearchParams();
  for (const k of FILTER_KEYS) if (filters[k] !== undefined && filters[k] !== '') p.set(k, String(filters[k]));
  if (offset > 0) p.set('offset', String(offset));
  const s = p.toString();
  return s ? `?${s}` : '';
}

/** The list as a file, in the page's language (a download link cannot set Accept-Language). */
export function exportHref(city: string, filters: Filters, format: 'csv' | 'xlsx', lang: string): string {
  const p = new URLSearchParams();
  for (const k of FILTER_KEYS) if (filters[k] !== undefined) p.set(k, String(filters[k]));
  p.set('format', format);
  if (lang === 'ky' || lang === 'ru' || lang === 'en') p.set('lang', lang);
  return `/api/v1/m/${encodeURIComponent(city)}/systemic-problems/export?${p.toString()}`;
}
