/**
 * What the residents' land pages share: typed API shapes, the page frame, loading, a sign-in link that returns to
 * the page, status words, dates in the resident's language, and the lazily loaded map.
 */
import { lazy, Suspense, type ReactNode } from 'react';
import { Link, useLocation } from 'react-router-dom';
import { useTranslation } from 'react-i18next';
import type { paths } from '../../api/schema.js';
import { api, errorMessage, fieldErrors } from '../../api/client.js';
import { formatDate, formatNumber } from '../../i18n/index.js';
import { Loading } from '../../ui/ui.js';
import { LoadFailed, ResidentLayout } from '../resident/shared.js';
import { useLoaded } from '../scorecards/shared.js';
import { STATUS_COLOURS, PLOT_STATUSES } from './status.js';
import type { PlotMapProps } from './PlotMap.js';
import './land.css';

type Get<P extends keyof paths> = paths[P] extends { get: { responses: { 200: { content: { 'application/json': unknown } } } } }
  ? paths[P]['get']['responses'][200]['content']['application/json'] : never;
export type PlotMapData = Get<'/api/v1/m/{municipality}/land/plots.geojson'>;
export type AnnouncementList = Get<'/api/v1/m/{municipality}/land/announcements'>;
export type Announcement = Get<'/api/v1/m/{municipality}/land/announcements/{id}'>;
export type ProposalList = Get<'/api/v1/m/{municipality}/land/proposals'>;
export type Proposal = Get<'/api/v1/m/{municipality}/land/proposals/{id}'>;
export type Comments = Get<'/api/v1/m/{municipality}/land/plots/{id}/comments'>;
export type Meetings = Get<'/api/v1/m/{municipality}/land/meetings'>;
export type Meeting = Get<'/api/v1/m/{municipality}/land/meetings/{id}'>;
export type Hearing = Get<'/api/v1/m/{municipality}/land/hearings/{id}'>;
export type Settings = Get<'/api/v1/m/{municipality}/land/settings'>;
export type Subscriptions = Get<'/api/v1/m/{municipality}/land/subscriptions'>;
type PlotQuery = NonNullable<paths['/api/v1/m/{municipality}/land/plots']['get']['parameters']['query']>;
export const fetchPlots = (city: string, query: PlotQuery) => api.GET('/api/v1/m/{municipality}/land/plots', { params: { path: { municipality: city }, query } });
export const fetchPassport = (city: string, id: string) => api.GET('/api/v1/m/{municipality}/land/plots/{id}', { params: { path: { municipality: city, id } } });
// Types as the client returns them (its tuples are plain arrays).
export type PlotList = NonNullable<Awaited<ReturnType<typeof fetchPlots>>['data']>;
export type Passport = NonNullable<Awaited<ReturnType<typeof fetchPassport>>['data']>;
export type Localized = { ky: string; ru: string; en: string };

export { useLoaded };
export const PlotMap = lazy(() => import('./PlotMap.js'));

export function LazyMap(props: PlotMapProps) {
  const { t } = useTranslation('land');
  return <Suspense fallback={<Loading label={t('map.loading')} />}><PlotMap {...props} /></Suspense>;
}

export function LandLayout({ city, children }: { city: string; children: ReactNode }) {
  return <ResidentLayout city={city}><div className="land-page">{children}</div></ResidentLayout>;
}

/** Renders a loaded value, or the loading line, or the failure with "try again". */
export function Loaded<T>({ loaded, children }: { loaded: ReturnType<typeof useLoaded<T>>; children: (data: T) => ReactNode }) {
  const { t } = useTranslation('land');
  const { result, retry } = loaded;
  if (result.state === 'loading') return <Loading label={t('common:loading')} />;
  if (result.state === 'error') return <LoadFailed message={result.message} offline={result.offline} onRetry={retry} />;
  return <>{children(result.data)}</>;
}

export function inLang(text: Localized | undefined, lang: string): string {
  if (!text) return '';
  return (text as Record<string, string>)[lang] || text.ru || text.ky || text.en;
}

export function useFormat() {
  const { i18n } = useTranslation();
  const lang = i18n.language;
  return {
    lang,
    day: (v: string) => formatDate(v, lang),
    time: (v: string) => formatDate(v, lang, true),
    num: (v: number) => formatNumber(v, lang),
  };
}

export function PlotStatus({ status, leasedUntil }: { status: string; leasedUntil?: string | null }) {
  const { t } = useTranslation('land');
  const { day } = useFormat();
  return (
    <span className={`land-status land-status-${status}`}>
      <span className="land-swatch" aria-hidden="true" style={{ background: STATUS_COLOURS[status] }} />
      {t(`plotStatus.${status}`)}
      {status === 'leased_temporarily' && leasedUntil ? ` ${t('plot.leasedUntil', { date: day(leasedUntil) })}` : null}
    </span>
  );
}

export function Legend() {
  const { t } = useTranslation('land');
  return (
    <div className="land-legend">
      <h3>{t('map.legend')}</h3>
      <ul>{PLOT_STATUSES.map((s) => <li key={s}><PlotStatus status={s} /></li>)}</ul>
    </div>
  );
}

/** "Sign in to …", returning to this page afterwards. */
export function SignInLink({ children }: { children: ReactNode }) {
  const location = useLocation();
  return <Link to={`/signin?next=${encodeURIComponent(location.pathname + location.search)}`}>{children}</Link>;
}

export function Votes({ votes }: { votes: { for: number; against: number; abstained: number } | null }) {
  const { t } = useTranslation('land');
  if (!votes) return null;
  return <span className="land-votes">{t('decision.votes', { for: votes.for, against: votes.against, abstained: votes.abstained })}</span>;
}

/** A commission decision with its reasons and the vote, or where the item stands. */
export function DecisionText({ item }: { item: { decision: string | null; reasons: string | null; votes: { for: number; against: number; abstained: number } | null; decidedAt: string | null; meeting?: { id: string; title: string; startsAt: string } | null }; city: string }) {
  const { t } = useTranslation('land');
  const { day } = useFormat();
  if (!item.decision) {
    return <p>{item.meeting ? t('decision.scheduled', { date: day(item.meeting.startsAt) }) : t('decision.waiting')}</p>;
  }
  return (
    <div className="land-decision">
      <p><strong>{t(`decision.kind.${item.decision}`)}</strong>{item.decidedAt ? ` — ${day(item.decidedAt)}` : null}. <Votes votes={item.votes} /></p>
      {item.reasons ? <p><span className="land-label">{t('decision.reasons')}</span> {item.reasons}</p> : null}
    </div>
  );
}

/**
 * The server's errors by field, in the user's language: validation details carry their own message; a domain error
 * naming a field (e.g. authorName required) carries none, so the field shows the error's message.
 */
export function errorsByField(error: unknown, fallback: string): Record<string, string> {
  const out = fieldErrors(error);
  const details = (error as { error?: { details?: unknown } } | undefined)?.error?.details;
  for (const d of Array.isArray(details) ? details as { path?: string; message?: string }[] : []) {
    if (d.path && !out[d.path]) out[d.path] = errorMessage(error, fallback);
  }
  return out;
}

/**
 * "Comment now until …": a period closing at local midnight (the usual case) reads "until the end of <the day
 * before>", not "until 00:00 of the next day".
 */
export function useCommentUntil() {
  const { t } = useTranslation('land');
  const { day, time } = useFormat();
  return (closesAt: string) => {
    const d = new Date(closesAt);
    if (d.getHours() === 0 && d.getMinutes() === 0) return t('announcement.commentUntilDay', { date: day(new Date(d.getTime() - 60_000).toISOString()) });
    return t('announcement.commentUntil', { time: time(closesAt) });
  };
}
