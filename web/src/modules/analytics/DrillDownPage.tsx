/**
 * The appeals behind a figure (/staff/:city/analytics/appeals?…): the dashboard's filters shown as removable chips,
 * how many appeals match, the list newest first with "load more", and the list's export. Each row opens the appeal.
 */
import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import { Link, useParams, useSearchParams } from 'react-router-dom';
import { useTranslation } from 'react-i18next';
import { api } from '../../api/client.js';
import { Alert, Button, Loading, PageTitle } from '../../ui/ui.js';
import { PeriodText } from '../scorecards/shared.js';
import { formatNumber } from '../scorecards/format.js';
import { formatDate, hasRole, useCityReference, useNames, useStaffMe } from '../staff/shared.js';
import { useLoad, type Query, type DrillDown, type DrillDownItem } from './data.js';
import { ANALYTICS_ROLES, ExportLinks, FilterChips } from './shared.js';
import { apiQuery, queryString, readSelection, searchOf } from './selection.js';

const PAGE_SIZE = 50;

export function DrillDownPage() {
  const { t } = useTranslation(['analytics', 'common']);
  const { city = '' } = useParams();
  const me = useStaffMe();
  const title = t('drill.title');
  if (!hasRole(me, ...ANALYTICS_ROLES)) {
    return <><PageTitle title={title}>{title}</PageTitle><Alert kind="info">{t('forbidden')}</Alert></>;
  }
  return <AppealsList key={city} city={city} />;
}

function AppealsList({ city }: { city: string }) {
  const { t, i18n } = useTranslation(['analytics', 'common']);
  const lang = i18n.language;
  const [params] = useSearchParams();
  const sel = useMemo(() => readSelection(params), [params]);
  const ref = useCityReference(city);
  const names = useNames(ref);
  const base = `/staff/${city}/analytics`;
  const query = apiQuery(sel);
  const key = `${city}|${JSON.stringify(query)}`;

  const first = useLoad<DrillDown>(key, () =>
    api.GET('/api/v1/m/{municipality}/analytics/appeals', { params: { path: { municipality: city }, query: { ...query, limit: PAGE_SIZE } as Query<'/api/v1/m/{municipality}/analytics/appeals'> } }));
  const [more, setMore] = useState<{ items: DrillDownItem[]; nextCursor: string | null } | null>(null);
  const [loadingMore, setLoadingMore] = useState(false);
  const [moreError, setMoreError] = useState<string | null>(null);
  const firstNewRow = useRef<number | null>(null);
  const tableRef = useRef<HTMLTableElement>(null);
  useEffect(() => { setMore(null); setMoreError(null); }, [key, first.data]);

  const items = [...(first.data?.items ?? []), ...(more?.items ?? [])];
  const nextCursor = more ? more.nextCursor : first.data?.nextCursor ?? null;

  const loadMore = useCallback(async () => {
    if (!nextCursor) return;
    setLoadingMore(true);
    try {
      const { data, error } = await api.GET('/api/v1/m/{municipality}/analytics/appeals', {
        params: { path: { municipality: city }, query: { ...query, limit: PAGE_SIZE, cursor: nextCursor } as Query<'/api/v1/m/{municipality}/analytics/appeals'> },
      });
      if (!data) { setMoreError((error as { error?: { message?: string } } | undefined)?.error?.message ?? t('common:error.generic')); return; }
      firstNewRow.current = items.length;
      setMore((m) => ({ items: [...(m?.items ?? []), ...data.items], nextCursor: data.nextCursor }));
      setMoreError(null);
    } catch {
      setMoreError(t('common:error.offline'));
    } finally {
      setLoadingMore(false);
    }
  }, [nextCursor, city, key, items.length, t]);

  // After "load more", keyboard focus goes to the first new row, not back to the top.
  useEffect(() => {
    if (firstNewRow.current === null) return;
    const link = tableRef.current?.querySelectorAll<HTMLAnchorElement>('tbody tr th a')[firstNewRow.current];
    firstNewRow.current = null;
    link?.focus();
  }, [more]);

  const title = t('drill.title');
  const period = sel.from && sel.to ? { from: sel.from, to: sel.to } : null;
  return (
    <div className="an-page">
      <PageTitle title={title}>{title}</PageTitle>
      <p><Link to={`${base}${queryString(searchOf(sel))}`}>{t('drill.back')}</Link></p>
      <h2 className="an-subheading">{t('drill.filters')}</h2>
      {period ? <p>{t('showing')} <strong><PeriodText {...period} /></strong></p> : <p>{t('drill.defaultPeriod')}</p>}
      <FilterChips sel={sel} ref={ref} base={`${base}/appeals`} />
      <p role="status" aria-live="polite" className="inbox-count an-total">
        {first.loading && !first.data ? t('common:loading') : first.data
          ? t('drill.total', { count: first.data.total, n: formatNumber(first.data.total, lang), shown: formatNumber(items.length, lang) })
          : ''}
      </p>
      {first.error ? <Alert kind="error"><p>{first.error}</p><Button variant="secondary" onClick={first.retry}>{t('tryAgain')}</Button></Alert> : null}
      {first.data ? (
        <>
          <ExportLinks city={city} table="appeals" query={query} what={title} />
          {items.length === 0 ? <p>{t('drill.empty')}</p> : (
            <div className="table-wrap" role="region" aria-labelledby="an-drill-caption" tabIndex={0}>
              <table className="inbox-table an-drill-table" ref={tableRef}>
                <caption id="an-drill-caption" className="visually-hidden">{title}</caption>
                <thead>
                  <tr>
                    <th scope="col">{t('common:registrationNumber')}</th>
                    <th scope="col">{t('drill.col.registered')}</th>
                    <th scope="col">{t('drill.col.subject')}</th>
                    <th scope="col">{t('filter.category')}</th>
                    <th scope="col">{t('filter.district')}</th>
                    <th scope="col">{t('filter.channel')}</th>
                    <th scope="col">{t('filter.status')}</th>
                    <th scope="col">{t('common:dueDate')}</th>
                    <th scope="col">{t('drill.col.answered')}</th>
                    <th scope="col" className="num">{t('col.averageRating')}</th>
                  </tr>
                </thead>
                <tbody>
                  {items.map((a) => (
                    <tr key={a.id}>
                      <th scope="row" className="reg-number"><Link to={`/staff/${city}/appeals/${a.id}`}>{a.registrationNumber}</Link></th>
                      <td className="nowrap">{formatDate(a.registeredAt, lang)}</td>
                      <td>{a.subject}</td>
                      <td>{names.category(a.categoryId) || '—'}</td>
                      <td>{names.district(a.districtId) || '—'}</td>
                      <td>{t(`common:channel.${a.channel}`)}</td>
                      <td><span className="status">{t(`common:status.${a.status}`)}</span></td>
                      <td className="nowrap">{formatDate(a.dueDate, lang)}</td>
                      <td className="nowrap">
                        {a.answeredAt ? <>{formatDate(a.answeredAt, lang)}{a.onTime === false ? <span className="overdue"> ({t('drill.late')})</span> : null}</> : '—'}
                      </td>
                      <td className="num">{a.rating ?? '—'}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          )}
          {nextCursor ? <Button variant="secondary" onClick={() => void loadMore()} disabled={loadingMore}>{loadingMore ? t('common:loading') : t('drill.more')}</Button> : null}
          {moreError ? <Alert kind="error">{moreError}</Alert> : null}
        </>
      ) : first.loading ? <Loading label={t('common:loading')} /> : null}
    </div>
  );
}
