/**
 * The analytics API's types (generated from the server's OpenAPI document, none written here), a loader that keeps
 * the last figures on screen while the next ones load, and the addresses of the CSV/XLSX exports.
 */
import { useCallback, useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { paths } from '../../api/schema.js';
import { errorMessage } from '../../api/client.js';
import { useSession } from '../../app/session.js';
import { isNetworkFailure } from '../resident/shared.js';

type Ok<P extends keyof paths> = paths[P] extends { get: { responses: { 200: { content: { 'application/json': infer R } } } } } ? R : never;

export type Summary = Ok<'/api/v1/m/{municipality}/analytics/summary'>;
export type Breakdown = Ok<'/api/v1/m/{municipality}/analytics/breakdown'>;
export type BreakdownRow = Breakdown['rows'][number];
export type Figures = Summary['figures'];
export type Crosstab = Ok<'/api/v1/m/{municipality}/analytics/crosstab'>;
export type Groups = Ok<'/api/v1/m/{municipality}/analytics/groups'>;
export type MapCells = Ok<'/api/v1/m/{municipality}/analytics/map/cells'>;
export type MapDistricts = Ok<'/api/v1/m/{municipality}/analytics/map/districts'>;
export type DrillDown = Ok<'/api/v1/m/{municipality}/analytics/appeals'>;
export type DrillDownItem = DrillDown['items'][number];
export type Label = BreakdownRow['label'];
/** The city's districts as the directory lists them (with boundaries, where set). */
export type DistrictList = Ok<'/api/v1/m/{municipality}/admin/districts'>;
export type Report = Ok<'/api/v1/m/{municipality}/analytics/report'>;

/** The query a route takes (the pages build it from the address, so it is checked against the route's type here). */
export type Query<P extends keyof paths> = paths[P] extends { get: { parameters: { query?: infer Q } } } ? NonNullable<Q> : never;

type Reply<T> = { data?: T; error?: unknown; response: Response };
export type Loaded<T> = { data: T | null; error: string | null; loading: boolean; retry: () => void };

/**
 * Loads with `load` whenever `key` changes (null: nothing to load). The last data stays shown while the next
 * loads (`loading` says so); a 401 refreshes the session, which takes the user to sign-in.
 */
export function useLoad<T>(key: string | null, load: () => Promise<Reply<T>>): Loaded<T> {
  const { t } = useTranslation('common');
  const { refresh } = useSession();
  const [data, setData] = useState<T | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [loading, setLoading] = useState(key !== null);
  const [attempt, setAttempt] = useState(0);
  useEffect(() => {
    if (key === null) return;
    let live = true;
    setLoading(true);
    load().then(({ data: body, error: err, response }) => {
      if (!live) return;
      if (response.status === 401) { void refresh(); return; }
      if (body === undefined) { setError(errorMessage(err, t('error.generic'))); setData(null); return; }
      setError(null);
      setData(body);
    }, (e: unknown) => {
      if (live) setError(isNetworkFailure(e) ? t('error.offline') : t('error.generic'));
    }).finally(() => { if (live) setLoading(false); });
    return () => { live = false; };
    // `load` is a new function every render; `key` says when what it loads has changed.
  }, [key, attempt]);
  const retry = useCallback(() => setAttempt((n) => n + 1), []);
  return { data, error, loading, retry };
}

export type ExportFormat = 'csv' | 'xlsx';
export const EXPORT_FORMATS: readonly ExportFormat[] = ['csv', 'xlsx'];

/** The tables the server exports as files (…/<table>/export?format=csv|xlsx). */
export type ExportTable = 'breakdown' | 'crosstab' | 'groups' | 'appeals';

/**
 * The address of an export: the table's route with /export, the same query as the table on screen, and `format`
 * (the server answers with a file to download). Repeated filters stay repeated parameters.
 */
export function exportHref(city: string, table: ExportTable, query: Record<string, string | string[] | undefined>, format: ExportFormat): string {
  const p = new URLSearchParams();
  for (const [k, v] of Object.entries(query)) {
    if (v === undefined) continue;
    for (const one of Array.isArray(v) ? v : [v]) p.append(k, one);
  }
  p.set('format', format);
  return `/api/v1/m/${encodeURIComponent(city)}/analytics/${table}/export?${p.toString()}`;
}
