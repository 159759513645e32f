/**
 * What the staff's land pages share: the city from the address, who may do what, the API's shapes, requests that
 * give the server's message (and its messages per field) on failure, loading with "try again", the section menu,
 * dates and numbers in the page's language.
 */
import { useCallback, useEffect, useState, type ReactNode } from 'react';
import { NavLink, useParams } from 'react-router-dom';
import { useTranslation } from 'react-i18next';
import i18n, { formatDate, formatNumber } from '../../../i18n/index.js';
import type { paths } from '../../../api/schema.js';
import { useSession } from '../../../app/session.js';
import { api } from '../../../api/client.js';
import { Alert, Button, Loading } from '../../../ui/ui.js';

type Ok<P extends keyof paths, M extends 'get' | 'post' | 'put' | 'patch'> = paths[P][M] extends {
  responses: infer R } ? R extends { 200: { content: { 'application/json': infer A } } } ? A
    : R extends { 201: { content: { 'application/json': infer B } } } ? B : never : never;

// Plots and passports as the client returns them (its tuples are plain arrays).
const getPlots = (city: string) => api.GET('/api/v1/m/{municipality}/land/plots', { params: { path: { municipality: city } } });
const getPassport = (city: string, id: string) => api.GET('/api/v1/m/{municipality}/land/plots/{id}', { params: { path: { municipality: city, id } } });
export type PlotList = NonNullable<Awaited<ReturnType<typeof getPlots>>['data']>;
export type PlotSummary = PlotList['items'][number];
export type Passport = NonNullable<Awaited<ReturnType<typeof getPassport>>['data']>;
export type ImportReport = Ok<'/api/v1/m/{municipality}/admin/land/plots/import', 'post'>;
export type AnnouncementDetail = Ok<'/api/v1/m/{municipality}/land/announcements/{id}', 'get'>;
export type Settings = Ok<'/api/v1/m/{municipality}/land/settings', 'get'>;
export type Reports = Ok<'/api/v1/m/{municipality}/admin/land/reports', 'get'>;
export type Meetings = Ok<'/api/v1/m/{municipality}/land/meetings', 'get'>;
export type Meeting = Ok<'/api/v1/m/{municipality}/admin/land/meetings/{id}', 'get'>;
export type AgendaItem = Meeting['items'][number];
export type Hearings = Ok<'/api/v1/m/{municipality}/land/hearings', 'get'>;
export type Hearing = Ok<'/api/v1/m/{municipality}/land/hearings/{id}', 'get'>;
export type Registrations = Ok<'/api/v1/m/{municipality}/admin/land/hearings/{id}/registrations', 'get'>;
export type Localized = { ky: string; ru: string; en: string };

export const LANGS = ['ky', 'ru', 'en'] as const;
export const PLOT_STATUSES = ['available', 'proposed_for_lease', 'under_discussion', 'decided', 'leased_temporarily', 'reserved_public'] as const;

/** Who does what (the server checks it again). */
export const ROLES = {
  plots: ['admin', 'land_commission'],
  moderation: ['admin', 'moderator'],
  commission: ['admin', 'land_commission'],
  settings: ['admin'],
  any: ['admin', 'land_commission', 'moderator'],
} as const;

export function useCity(): string {
  return useParams().city ?? '';
}

export function useRoles(): readonly string[] {
  const { me } = useSession();
  return me && me.kind === 'staff' ? (me as { roles: string[] }).roles : [];
}

export function can(roles: readonly string[], what: keyof typeof ROLES): boolean {
  return roles.some((r) => (ROLES[what] as readonly string[]).includes(r));
}

// ---- requests ---------------------------------------------------------------------------------------------

/** A refused request: the server's message (in the user's language) and its messages per field. */
export class Failure extends Error {
  constructor(message: string, readonly code: string, readonly fields: Record<string, string>) { super(message); }
}

/** The data of an openapi-fetch answer, or a Failure. */
export async function send<T>(request: Promise<{ data?: T; error?: unknown; response: Response }>): Promise<T> {
  let r: { data?: T; error?: unknown; response: Response };
  try {
    r = await request;
  } catch {
    throw new Failure(i18n.t(navigator.onLine ? 'common:error.generic' : 'common:error.offline'), 'network', {});
  }
  if (r.error === undefined && r.response.ok) return r.data as T;
  const e = (r.error ?? {}) as { error?: { code?: string; message?: string; details?: unknown } };
  const fields: Record<string, string> = {};
  if (Array.isArray(e.error?.details)) {
    for (const d of e.error.details as { path?: unknown; message?: unknown }[]) {
      if (typeof d.path === 'string') fields[d.path] = typeof d.message === 'string' ? d.message : e.error.message ?? '';
    }
  }
  throw new Failure(e.error?.message ?? i18n.t('common:error.generic'), e.error?.code ?? 'unknown', fields);
}

export const asFailure = (err: unknown) => err instanceof Failure ? err : new Failure(i18n.t('common:error.generic'), 'unknown', {});

type Result<T> = { state: 'loading' } | { state: 'ok'; data: T } | { state: 'error'; message: string };

/** Loads `load()` whenever `key` changes; `reload` fetches again (after a change). */
export function useData<T>(key: string, load: () => Promise<T>): { result: Result<T>; reload: () => void } {
  const [result, setResult] = useState<Result<T>>({ state: 'loading' });
  const [n, setN] = useState(0);
  useEffect(() => {
    let live = true;
    load().then((data) => { if (live) setResult({ state: 'ok', data }); },
      (err: unknown) => { if (live) setResult({ state: 'error', message: asFailure(err).message }); });
    return () => { live = false; };
    // `load` is new on every render; `key` says when what it loads has changed.
  }, [key, n]);
  return { result, reload: useCallback(() => setN((x) => x + 1), []) };
}

export function Loaded<T>({ data, children }: { data: { result: Result<T>; reload: () => void }; children: (d: T) => ReactNode }) {
  const { t } = useTranslation('landStaff');
  if (data.result.state === 'loading') return <Loading label={t('common:loading')} />;
  if (data.result.state === 'error') {
    return <Alert kind="error"><p>{data.result.message}</p><Button variant="secondary" onClick={data.reload}>{t('tryAgain')}</Button></Alert>;
  }
  return <>{children(data.result.data)}</>;
}

// ---- the frame ---------------------------------------------------------------------------------------------

/** The land section's menu: the parts this staff member may use. */
export function LandTabs() {
  const { t } = useTranslation('landStaff');
  const city = useCity();
  const roles = useRoles();
  const items: [string, keyof typeof ROLES][] = [['plots', 'plots'], ['moderation', 'moderation'], ['commission', 'commission'], ['hearings', 'commission'], ['settings', 'settings']];
  return (
    <nav className="tabs" aria-label={t('tabs.label')}>
      <ul>
        {items.filter(([, role]) => can(roles, role)).map(([path]) => (
          <li key={path}><NavLink to={`/staff/${city}/land/${path}`}>{t(`tabs.${path}`)}</NavLink></li>
        ))}
      </ul>
    </nav>
  );
}

/** Shown instead of a page to a staff member whose roles do not reach it. */
export function NotAllowed() {
  const { t } = useTranslation('landStaff');
  return <Alert kind="error"><p>{t('notAllowed')}</p></Alert>;
}

export function useFormat() {
  const { i18n: instance } = useTranslation();
  const lang = instance.language;
  return {
    lang,
    day: (v: string) => formatDate(v, lang),
    time: (v: string) => formatDate(v, lang, true),
    num: (v: number) => formatNumber(v, lang),
  };
}

export function inLang(text: Localized | undefined, lang: string): string {
  if (!text) return '';
  return (text as Record<string, string>)[lang] || text.ru || text.ky || text.en;
}

/** A datetime-local input's value (local time) as an ISO instant with the browser's offset. */
export function localToIso(value: string): string {
  return new Date(value).toISOString();
}

/** An instant as a datetime-local input's value, in local time. */
export function isoToLocal(d: Date): string {
  const p = (n: number) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${p(d.getMonth() + 1)}-${p(d.getDate())}T${p(d.getHours())}:${p(d.getMinutes())}`;
}

/** A multipart upload through the typed client (its middleware adds the language and the CSRF token). */
export function postForm<T>(path: string, params: Record<string, unknown>, form: FormData): Promise<T> {
  return send<T>(api.POST(path as never, { params, body: form, bodySerializer: (b: unknown) => b as FormData } as never) as never);
}
