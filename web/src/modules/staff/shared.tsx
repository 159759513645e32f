/**
 * What the staff pages share: the signed-in staff member, the city's reference data and staff list (loaded once
 * per city), names in the current language, and the API's types for these pages.
 */
import { useCallback, useEffect, useState, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { api } from '../../api/client.js';
import type { paths } from '../../api/schema.js';
import { pickName } from '../../app/cities.js';
import { formatDate as formatDateIn } from '../../i18n/index.js';
import { useSession } from '../../app/session.js';

export type Json200<P extends keyof paths, M extends 'get' | 'post' | 'put'> = paths[P][M] extends { responses: { 200: { content: { 'application/json': infer R } } } } ? R : never;

export type CityReference = Json200<'/api/v1/m/{municipality}', 'get'>;
export type AppealPage = Json200<'/api/v1/m/{municipality}/appeals', 'get'>;
export type AppealSummary = AppealPage['items'][number];
export type AppealListQuery = NonNullable<paths['/api/v1/m/{municipality}/appeals']['get']['parameters']['query']>;
export type StaffAppeal = Json200<'/api/v1/m/{municipality}/appeals/{id}', 'get'>;
export type StaffMember = Json200<'/api/v1/m/{municipality}/workspace/staff', 'get'>['items'][number];
export type AnswerTemplate = Json200<'/api/v1/m/{municipality}/workspace/answer-templates', 'get'>['items'][number];
export type SavedFilter = Json200<'/api/v1/m/{municipality}/workspace/saved-filters', 'get'>['items'][number];
export type DuplicateHints = Json200<'/api/v1/m/{municipality}/workspace/duplicate-hints', 'get'>;
export type BulkAssignResult = Json200<'/api/v1/m/{municipality}/workspace/appeals/bulk-assign', 'post'>;
export type Category = CityReference['categories'][number];

type StaffMe = { kind: 'staff'; id: string; municipality: string; fullName: string; roles: string[]; serviceId: string | null };

/** The signed-in staff member, or null. */
export function useStaffMe(): StaffMe | null {
  const { me } = useSession();
  return me && me.kind === 'staff' ? (me as StaffMe) : null;
}

export const hasRole = (me: { roles: readonly string[] } | null, ...roles: string[]) => Boolean(me?.roles.some((r) => roles.includes(r)));
/** Who registers appeals at reception. */
export const RECEPTION_ROLES = ['operator', 'admin', 'supervisor'];

// ---- reference data, once per city -------------------------------------------------------------------------------

const referenceCache = new Map<string, Promise<CityReference | null>>();
const staffCache = new Map<string, Promise<StaffMember[]>>();

function loadReference(city: string) {
  let p = referenceCache.get(city);
  if (!p) {
    p = api.GET('/api/v1/m/{municipality}', { params: { path: { municipality: city } } }).then((r) => r.data ?? null);
    p.then((v) => { if (!v) referenceCache.delete(city); }, () => referenceCache.delete(city));
    referenceCache.set(city, p);
  }
  return p;
}

function loadStaff(city: string) {
  let p = staffCache.get(city);
  if (!p) {
    p = api.GET('/api/v1/m/{municipality}/workspace/staff', { params: { path: { municipality: city }, query: {} } }).then((r) => r.data?.items ?? []);
    p.then((v) => { if (v.length === 0) staffCache.delete(city); }, () => staffCache.delete(city));
    staffCache.set(city, p);
  }
  return p;
}

/** The city's active districts, categories and services (for filters, pickers and names). */
export function useCityReference(city: string): CityReference | null {
  const [ref, setRef] = useState<CityReference | null>(null);
  useEffect(() => {
    let live = true;
    void loadReference(city).then((r) => { if (live) setRef(r); }).catch(() => {});
    return () => { live = false; };
  }, [city]);
  return ref;
}

/** The city's active staff (names, roles, services) for assignment pickers and names in the timeline. */
export function useStaffList(city: string): StaffMember[] {
  const [list, setList] = useState<StaffMember[]>([]);
  useEffect(() => {
    let live = true;
    void loadStaff(city).then((r) => { if (live) setList(r); }).catch(() => {});
    return () => { live = false; };
  }, [city]);
  return list;
}

/** Names of reference items in the current language. */
export function useNames(ref: CityReference | null) {
  const { i18n } = useTranslation();
  const lang = i18n.language;
  return {
    lang,
    category: useCallback((id: string | null | undefined) => {
      const c = id ? ref?.categories.find((x) => x.id === id) : undefined;
      if (!c) return '';
      const parent = c.parentId ? ref?.categories.find((x) => x.id === c.parentId) : undefined;
      return parent ? `${pickName(parent.name, lang)} › ${pickName(c.name, lang)}` : pickName(c.name, lang);
    }, [ref, lang]),
    service: useCallback((id: string | null | undefined) => {
      const s = id ? ref?.services.find((x) => x.id === id) : undefined;
      return s ? pickName(s.name, lang) : '';
    }, [ref, lang]),
    district: useCallback((id: string | null | undefined) => {
      const d = id ? ref?.districts.find((x) => x.id === id) : undefined;
      return d ? pickName(d.name, lang) : '';
    }, [ref, lang]),
  };
}

/** Categories as option groups: each top-level category with its subcategories (a group may be chosen too). */
export function CategoryOptions({ categories, lang, filter = '' }: { categories: readonly Category[]; lang: string; filter?: string }): ReactNode {
  const needle = filter.trim().toLocaleLowerCase(lang);
  const matches = (c: Category) => !needle || pickName(c.name, lang).toLocaleLowerCase(lang).includes(needle)
    || c.keywords.some((k) => k.toLocaleLowerCase(lang).includes(needle)) || c.code.includes(needle);
  return categories.filter((c) => !c.parentId).map((group) => {
    const children = categories.filter((c) => c.parentId === group.id);
    const groupMatches = matches(group);
    const shown = groupMatches ? children : children.filter(matches);
    if (!groupMatches && shown.length === 0) return null;
    const label = pickName(group.name, lang);
    return (
      <optgroup key={group.id} label={label}>
        {groupMatches ? <option value={group.id}>{label}</option> : null}
        {shown.map((c) => <option key={c.id} value={c.id}>{pickName(c.name, lang)}</option>)}
      </optgroup>
    );
  });
}

/** The ids of the categories the filter leaves, in the order CategoryOptions shows them. */
export function filteredCategoryIds(categories: readonly Category[], lang: string, filter: string): string[] {
  const needle = filter.trim().toLocaleLowerCase(lang);
  const matches = (c: Category) => !needle || pickName(c.name, lang).toLocaleLowerCase(lang).includes(needle)
    || c.keywords.some((k) => k.toLocaleLowerCase(lang).includes(needle)) || c.code.includes(needle);
  const out: string[] = [];
  for (const group of categories.filter((c) => !c.parentId)) {
    const children = categories.filter((c) => c.parentId === group.id);
    if (matches(group)) out.push(group.id, ...children.map((c) => c.id));
    else out.push(...children.filter(matches).map((c) => c.id));
  }
  return out;
}

/** The server's error message (already in the user's language), or a generic one. */
export function problem(error: unknown, fallback: string): string {
  const e = error as { error?: { message?: string } } | undefined;
  return e?.error?.message ?? fallback;
}

export function errorCode(error: unknown): string | undefined {
  return (error as { error?: { code?: string } } | undefined)?.error?.code;
}

/** Uploads a file to an appeal (optionally to one of its answers). */
export async function uploadAttachment(city: string, appealId: string, file: File, answerId?: string) {
  const form = new FormData();
  if (answerId) form.append('answerId', answerId);
  form.append('file', file, file.name);
  return api.POST('/api/v1/m/{municipality}/appeals/{id}/attachments', {
    params: { path: { municipality: city, id: appealId } },
    body: form as never,
    bodySerializer: (b: unknown) => b as FormData,
  } as never) as Promise<{ data?: unknown; error?: unknown; response: Response }>;
}

/** The locale Intl formats in: the language itself, or Russian conventions where the browser lacks Kyrgyz data. */
export function intlLocale(lang: string): string {
  return Intl.DateTimeFormat.supportedLocalesOf([lang]).length ? lang : 'ru';
}

/** A date (or date and time) in the current language's format. */
export function formatDate(value: string | Date, lang: string, withTime = false): string {
  return formatDateIn(value, lang, withTime);
}

/** File sizes in kB/MB, with the locale's own unit names. */
export function fileSize(bytes: number, lang: string): string {
  lang = intlLocale(lang);
  const mb = bytes >= 1024 * 1024;
  return new Intl.NumberFormat(lang, { style: 'unit', unit: mb ? 'megabyte' : 'kilobyte', unitDisplay: 'short', maximumFractionDigits: 1 })
    .format(mb ? bytes / 1024 / 1024 : Math.max(1, Math.round(bytes / 1024)));
}
