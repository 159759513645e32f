/**
 * What the public scorecard pages share: the period in the address (?from=YYYY-MM&to=YYYY-MM) and its picker, a
 * loader with "try again", the figures as a definition list, and one figure as text (a dash, read out as "no
 * data", where there is nothing to count).
 */
import { Fragment, useCallback, useEffect, useId, useState, type FormEvent, type ReactNode } from 'react';
import { useSearchParams } from 'react-router-dom';
import { useTranslation } from 'react-i18next';
import type { paths } from '../../api/schema.js';
import { Button, Select } from '../../ui/ui.js';
import { isNetworkFailure } from '../resident/shared.js';
import { formatDays, formatMonth, formatNumber, formatPct, formatRating, monthChoices, MONTH_RE, thisMonth } from './format.js';

export type CityScorecard = paths['/api/v1/m/{municipality}/scorecards']['get']['responses'][200]['content']['application/json'];
export type ServiceScorecard = paths['/api/v1/m/{municipality}/scorecards/services/{id}']['get']['responses'][200]['content']['application/json'];
export type ServiceScore = CityScorecard['services'][number];
export type Figures = ServiceScorecard['trend'][number]['figures'];
export type CurrentFigures = ServiceScore['figures'];

export interface Period { from?: string; to?: string }

/** The period in the address, if any (an invalid one is ignored: the server's default applies). */
export function usePeriod(): [Period, (p: { from: string; to: string }) => void] {
  const [params, setParams] = useSearchParams();
  const from = params.get('from');
  const to = params.get('to');
  const period: Period = {
    ...(from && MONTH_RE.test(from) ? { from } : {}),
    ...(to && MONTH_RE.test(to) ? { to } : {}),
  };
  const set = useCallback((p: { from: string; to: string }) => setParams({ from: p.from, to: p.to }), [setParams]);
  return [period, set];
}

/** "?from=…&to=…" for links that keep the period. */
export function periodQuery(p: { from: string; to: string }): string {
  return `?from=${p.from}&to=${p.to}`;
}

type Loaded<T> = { state: 'loading' } | { state: 'ok'; data: T } | { state: 'error'; message: string; offline: boolean };

/** Loads with `load` whenever `key` changes; keeps the last data shown while the next period loads. */
export function useLoaded<T>(key: string, load: () => Promise<{ data?: T; error?: unknown }>): { result: Loaded<T>; loading: boolean; retry: () => void } {
  const [result, setResult] = useState<Loaded<T>>({ state: 'loading' });
  const [loading, setLoading] = useState(true);
  const [attempt, setAttempt] = useState(0);
  useEffect(() => {
    let live = true;
    setLoading(true);
    load().then(({ data, error }) => {
      if (!live) return;
      if (data) setResult({ state: 'ok', data });
      else setResult({ state: 'error', message: (error as { error?: { message?: string } } | undefined)?.error?.message ?? '', offline: false });
    }, (e: unknown) => {
      if (live) setResult({ state: 'error', message: '', offline: isNetworkFailure(e) });
    }).finally(() => { if (live) setLoading(false); });
    return () => { live = false; };
    // `load` is a new function every render; `key` says when what it loads has changed.
  }, [key, attempt]);
  const retry = useCallback(() => setAttempt((n) => n + 1), []);
  return { result, loading, retry };
}

/** From and to months (newest first, the last three years) and "Show". */
export function PeriodPicker({ shown, onChange }: { shown: { from: string; to: string }; onChange: (p: { from: string; to: string }) => void }) {
  const { t, i18n } = useTranslation('resident');
  const lang = i18n.language;
  const headingId = useId();
  const [from, setFrom] = useState(shown.from);
  const [to, setTo] = useState(shown.to);
  const [error, setError] = useState<string | undefined>();
  useEffect(() => { setFrom(shown.from); setTo(shown.to); }, [shown.from, shown.to]);

  const latest = [thisMonth(), shown.to].sort().at(-1)!;
  const choices = monthChoices(latest);
  for (const m of [shown.from, shown.to]) if (!choices.includes(m)) choices.push(m);
  choices.sort().reverse();

  function submit(e: FormEvent) {
    e.preventDefault();
    if (from > to) { setError(t('scorecards.period.order')); return; }
    setError(undefined);
    onChange({ from, to });
  }

  return (
    <form className="sc-period" onSubmit={submit} aria-labelledby={headingId} noValidate>
      <h2 id={headingId} className="visually-hidden">{t('scorecards.period.heading')}</h2>
      <Select label={t('scorecards.period.from')} value={from} onChange={(e) => { setFrom(e.target.value); setError(undefined); }} error={error}>
        {choices.map((m) => <option key={m} value={m}>{formatMonth(m, lang)}</option>)}
      </Select>
      <Select label={t('scorecards.period.to')} value={to} onChange={(e) => { setTo(e.target.value); setError(undefined); }}>
        {choices.map((m) => <option key={m} value={m}>{formatMonth(m, lang)}</option>)}
      </Select>
      <Button type="submit" variant="secondary">{t('scorecards.period.show')}</Button>
    </form>
  );
}

/** "May 2025 – April 2026", or one month. */
export function PeriodText({ from, to }: { from: string; to: string }) {
  const { i18n } = useTranslation();
  const lang = i18n.language;
  return <>{from === to ? formatMonth(from, lang) : `${formatMonth(from, lang)} – ${formatMonth(to, lang)}`}</>;
}

/** Nothing to count: a dash to the eye, "no data" to the ear. */
export function NoData() {
  const { t } = useTranslation('resident');
  return <><span aria-hidden="true">—</span><span className="visually-hidden">{t('scorecards.noData')}</span></>;
}

export type FigureKind = 'count' | 'pct' | 'days' | 'rating';

/** One figure as text in the page's language. */
export function Figure({ value, kind }: { value: number | null; kind: FigureKind }) {
  const { i18n } = useTranslation();
  const lang = i18n.language;
  if (value === null) return <NoData />;
  switch (kind) {
    case 'pct': return <>{formatPct(value, lang)}</>;
    case 'days': return <>{formatDays(value, lang)}</>;
    case 'rating': return <>{formatRating(value, lang)}</>;
    default: return <>{formatNumber(value, lang)}</>;
  }
}

/** The figures of a service or of the city, as labelled tiles. */
export function FigureTiles({ figures, extra }: { figures: CurrentFigures; extra?: ReactNode }) {
  const { t, i18n } = useTranslation('resident');
  const tile = (key: string, value: number | null, kind: FigureKind, note?: ReactNode) => (
    <div className="sc-tile" key={key}>
      <dt>{t(`scorecards.figures.${key}`)}</dt>
      <dd><span className="sc-tile-value"><Figure value={value} kind={kind} /></span>{note ? <span className="sc-tile-note">{note}</span> : null}</dd>
    </div>
  );
  return (
    <dl className="sc-tiles">
      {extra}
      {tile('onTimePct', figures.onTimePct, 'pct', figures.answered ? t('scorecards.ofAnswers', { count: figures.answered }) : null)}
      {tile('medianDays', figures.medianDays, 'days')}
      {tile('p90Days', figures.p90Days, 'days')}
      {tile('received', figures.received, 'count')}
      {tile('answered', figures.answered, 'count')}
      {tile('overdueNow', figures.overdueNow, 'count')}
      {tile('averageRating', figures.averageRating, 'rating', figures.ratings ? t('scorecards.ofRatings', { count: figures.ratings }) : null)}
      {tile('solvedPct', figures.solvedPct, 'pct', figures.partlySolvedPct !== null ? t('scorecards.partly', { pct: formatPct(figures.partlySolvedPct, i18n.language) }) : null)}
      {tile('reviewRequests', figures.reviewRequests, 'count')}
      {tile('reopenings', figures.reopenings, 'count')}
    </dl>
  );
}

/** What each figure means, and how services are ranked. */
export function Definitions({ minAnswersToRank }: { minAnswersToRank: number }) {
  const { t } = useTranslation('resident');
  const keys = ['onTimePct', 'medianDays', 'p90Days', 'received', 'answered', 'overdueNow', 'averageRating', 'solvedPct', 'reviewRequests', 'reopenings'];
  return (
    <details className="sc-definitions">
      <summary>{t('scorecards.definitions.heading')}</summary>
      <dl className="sc-defs">
        {keys.map((k) => <Fragment key={k}><dt>{t(`scorecards.figures.${k}`)}</dt><dd>{t(`scorecards.definitions.${k}`)}</dd></Fragment>)}
      </dl>
      <p>{t('scorecards.definitions.ranking', { count: minAnswersToRank })}</p>
      <p>{t('scorecards.definitions.private')}</p>
    </details>
  );
}
