/**
 * What the resident pages share: the frame with links for the current city, the "signed-in citizen" guard, the
 * city's reference data (categories, districts, services) and small helpers for network failures.
 */
import { useCallback, useEffect, useState, type ReactNode } from 'react';
import { Navigate, NavLink, useLocation } from 'react-router-dom';
import { useTranslation } from 'react-i18next';
import { Layout } from '../../app/Layout.js';
import { useSession } from '../../app/session.js';
import { rememberCity, rememberedCity } from '../../app/cities.js';
import { api, errorMessage } from '../../api/client.js';
import type { paths } from '../../api/schema.js';
import { Alert, Button, Loading } from '../../ui/ui.js';
import { formatDate, formatNumber } from '../../i18n/index.js';

export type Me = NonNullable<ReturnType<typeof useSession>['me']>;
export type CitizenMe = Extract<Me, { kind: 'citizen' }>;
export type Directory = paths['/api/v1/m/{municipality}']['get']['responses'][200]['content']['application/json'];
export type Category = Directory['categories'][number];
export type LocalizedText = Category['name'];

/** The page frame with "New appeal", "My appeals", "Scorecards" and "Land" for the city in the address (or the remembered one). */
export function ResidentLayout({ city, children }: { city?: string | undefined; children: ReactNode }) {
  const { t } = useTranslation('resident');
  const slug = city ?? rememberedCity();
  return (
    <Layout nav={<>
      <li><NavLink to={`/${slug}/appeals/new`}>{t('common:nav.newAppeal')}</NavLink></li>
      <li><NavLink to={`/${slug}/my`}>{t('common:nav.myAppeals')}</NavLink></li>
      <li><NavLink to={`/${slug}/scorecards`}>{t('scorecards.nav')}</NavLink></li>
      <li><NavLink to={`/${slug}/land`}>{t('landNav')}</NavLink></li>
    </>}>
      {children}
    </Layout>
  );
}

/** A safe place to return to after sign-in: a path on this site, never another site. */
export function safeNext(next: string | null): string | null {
  if (!next || !next.startsWith('/') || next.startsWith('//') || next.startsWith('/\\')) return null;
  return next;
}

/** Shows its children to a signed-in citizen; sends others to sign in and back here afterwards. */
export function RequireCitizen({ children }: { children: (me: CitizenMe) => ReactNode }) {
  const { me, loading, signOut } = useSession();
  const location = useLocation();
  const { t } = useTranslation('resident');
  if (loading) return <Loading label={t('common:loading')} />;
  if (!me) return <Navigate replace to={`/signin?next=${encodeURIComponent(location.pathname + location.search)}`} />;
  if (me.kind !== 'citizen') {
    return (
      <Alert kind="info">
        <p>{t('guard.notCitizen')}</p>
        <Button variant="secondary" onClick={() => void signOut()}>{t('common:nav.signOut')}</Button>
      </Alert>
    );
  }
  return <>{children(me)}</>;
}

/** A failed fetch (no connection, DNS, a dropped request) rather than an answer from the server. */
export function isNetworkFailure(e: unknown): boolean {
  return e instanceof TypeError || (typeof navigator !== 'undefined' && navigator.onLine === false);
}

/** A UUID v4; crypto.randomUUID exists only on secure pages, getRandomValues everywhere. */
export function uuid(): string {
  if (typeof crypto.randomUUID === 'function') return crypto.randomUUID();
  const b = crypto.getRandomValues(new Uint8Array(16));
  b[6] = (b[6]! & 0x0f) | 0x40;
  b[8] = (b[8]! & 0x3f) | 0x80;
  const h = [...b].map((x) => x.toString(16).padStart(2, '0')).join('');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
}

/** A name {ky, ru, en} in the current language. */
export function nameIn(text: LocalizedText | undefined, lang: string): string {
  if (!text) return '';
  return (text as Record<string, string>)[lang] || text.ru;
}

type Loaded<T> = { state: 'loading' } | { state: 'ok'; data: T } | { state: 'error'; message: string; offline: boolean };

const directories = new Map<string, Promise<Directory>>();

class RequestError extends Error {
  constructor(message: string, readonly offline: boolean) { super(message); }
}

function fetchDirectory(city: string): Promise<Directory> {
  const cached = directories.get(city);
  if (cached) return cached;
  const loading = api.GET('/api/v1/m/{municipality}', { params: { path: { municipality: city } } }).then(({ data, error }) => {
    if (!data) throw new RequestError(errorMessage(error, ''), false);
    return data;
  }, (e: unknown) => { throw new RequestError('', isNetworkFailure(e)); });
  directories.set(city, loading);
  loading.catch(() => directories.delete(city));
  return loading;
}

/** The city's districts, categories and services (cached for the visit), with a retry for weak networks. */
export function useDirectory(city: string): { result: Loaded<Directory>; retry: () => void } {
  const [result, setResult] = useState<Loaded<Directory>>({ state: 'loading' });
  const [attempt, setAttempt] = useState(0);
  useEffect(() => {
    let live = true;
    setResult({ state: 'loading' });
    fetchDirectory(city).then((data) => {
      if (!live) return;
      rememberCity(city);
      setResult({ state: 'ok', data });
    }, (e: unknown) => {
      if (!live) return;
      const err = e as RequestError;
      setResult({ state: 'error', message: err.message, offline: err.offline });
    });
    return () => { live = false; };
  }, [city, attempt]);
  const retry = useCallback(() => setAttempt((n) => n + 1), []);
  return { result, retry };
}

/** A failed load with a "try again" button; the message is the server's, or "no connection". */
export function LoadFailed({ message, offline, onRetry }: { message: string; offline: boolean; onRetry: () => void }) {
  const { t } = useTranslation('resident');
  return (
    <Alert kind="error">
      <p>{offline ? t('offlineLoad') : message || t('common:error.generic')}</p>
      <Button variant="secondary" onClick={onRetry}>{t('tryAgain')}</Button>
    </Alert>
  );
}

/** The status of an appeal as a badge with words (never colour alone). */
export function StatusBadge({ status }: { status: string }) {
  const { t } = useTranslation('resident');
  return <span className={`status r-status-${status}`}>{t(`common:status.${status}`)}</span>;
}

/** Dates and numbers in the resident's language (with the Kyrgyz fallback of i18n/index.ts). */
export { formatDate as formatDay, formatNumber as formatNum };
