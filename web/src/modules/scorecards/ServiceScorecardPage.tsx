/**
 * One service's public scorecard (/:city/scorecards/:serviceId): its figures over the period, its place in the
 * ranking, and the month-by-month trend as charts (a lazy chunk, plain SVG) with the same figures in a table for
 * screen readers and for anyone who prefers numbers.
 */
import { lazy, Suspense } from 'react';
import { Link, useParams } from 'react-router-dom';
import { useTranslation } from 'react-i18next';
import { api } from '../../api/client.js';
import { pickName } from '../../app/cities.js';
import { Loading, PageTitle } from '../../ui/ui.js';
import { LoadFailed, ResidentLayout } from '../resident/shared.js';
import { formatMonth, formatPct } from './format.js';
import { Definitions, Figure, FigureTiles, NoData, PeriodPicker, periodQuery, PeriodText, usePeriod, useLoaded, type ServiceScorecard } from './shared.js';

const TrendChart = lazy(() => import('./TrendChart.js').then((m) => ({ default: m.TrendChart })));

export function ServiceScorecardPage() {
  const { city = '', serviceId = '' } = useParams();
  return (
    <ResidentLayout city={city}>
      <div className="sc-page">
        <ServiceView key={`${city}/${serviceId}`} city={city} serviceId={serviceId} />
      </div>
    </ResidentLayout>
  );
}

function ServiceView({ city, serviceId }: { city: string; serviceId: string }) {
  const { t, i18n } = useTranslation('resident');
  const lang = i18n.language;
  const [period, setPeriod] = usePeriod();
  const { result, loading, retry } = useLoaded<ServiceScorecard>(`${period.from ?? ''}|${period.to ?? ''}`, () =>
    api.GET('/api/v1/m/{municipality}/scorecards/services/{id}', { params: { path: { municipality: city, id: serviceId }, query: period } }));

  const back = <p className="r-gap"><Link to={`/${city}/scorecards${period.from && period.to ? periodQuery({ from: period.from, to: period.to }) : ''}`}>{t('scorecards.service.back')}</Link></p>;

  if (result.state !== 'ok') {
    return (
      <>
        <PageTitle title={t('scorecards.service.title')}>{t('scorecards.service.title')}</PageTitle>
        {result.state === 'loading' ? <Loading label={t('common:loading')} /> : <LoadFailed message={result.message} offline={result.offline} onRetry={retry} />}
        {back}
      </>
    );
  }

  const { service, trend, from, to, rankedServices, minAnswersToRank } = result.data;
  const name = pickName(service.name, lang);
  const shown = { from, to };

  return (
    <>
      <PageTitle title={t('scorecards.service.pageTitle', { name })}>
        <span className="r-title-number">{t('scorecards.service.title')}</span>
        <span className="r-title-subject">{name}</span>
      </PageTitle>
      <PeriodPicker shown={shown} onChange={setPeriod} />
      <p className="sc-period-shown" role="status">
        {loading ? t('common:loading') : <>{t('scorecards.period.shown')} <strong><PeriodText {...shown} /></strong></>}
      </p>

      <section aria-labelledby="sc-figures" className="card r-card">
        <h2 id="sc-figures">{t('scorecards.service.figures')}</h2>
        <p className="sc-rank-line">
          {service.rank !== null
            ? t('scorecards.service.rank', { rank: service.rank, count: rankedServices })
            : t('scorecards.service.unranked', { count: minAnswersToRank })}
        </p>
        <FigureTiles figures={service.figures} />
      </section>

      <section aria-labelledby="sc-trend">
        <h2 id="sc-trend">{t('scorecards.trend.heading')}</h2>
        <Suspense fallback={<Loading label={t('scorecards.trend.loading')} />}>
          <TrendChart trend={trend} />
        </Suspense>
        <TrendTable trend={trend} />
      </section>

      <Definitions minAnswersToRank={minAnswersToRank} />
      {back}
    </>
  );
}

/** The trend month by month, the charts' figures as a table. */
function TrendTable({ trend }: { trend: ServiceScorecard['trend'] }) {
  const { t, i18n } = useTranslation('resident');
  const lang = i18n.language;
  return (
    <div className="table-wrap sc-table-wrap" role="region" aria-labelledby="sc-trend-caption" tabIndex={0}>
      <table className="sc-table">
        <caption id="sc-trend-caption">{t('scorecards.trend.tableCaption')}</caption>
        <thead>
          <tr>
            <th scope="col">{t('scorecards.col.month')}</th>
            <th scope="col" className="num">{t('scorecards.col.received')}</th>
            <th scope="col" className="num">{t('scorecards.col.answered')}</th>
            <th scope="col" className="num">{t('scorecards.col.onTime')}</th>
            <th scope="col" className="num">{t('scorecards.col.median')}</th>
            <th scope="col" className="num">{t('scorecards.col.p90')}</th>
            <th scope="col" className="num">{t('scorecards.col.rating')}</th>
            <th scope="col" className="num">{t('scorecards.col.solved')}</th>
            <th scope="col" className="num">{t('scorecards.col.reviews')}</th>
            <th scope="col" className="num">{t('scorecards.col.reopenings')}</th>
          </tr>
        </thead>
        <tbody>
          {[...trend].reverse().map(({ month, figures: f }) => (
            <tr key={month}>
              <th scope="row">{formatMonth(month, lang)}</th>
              <td className="num"><Figure value={f.received} kind="count" /></td>
              <td className="num"><Figure value={f.answered} kind="count" /></td>
              <td className="num"><Figure value={f.onTimePct} kind="pct" /></td>
              <td className="num"><Figure value={f.medianDays} kind="days" /></td>
              <td className="num"><Figure value={f.p90Days} kind="days" /></td>
              <td className="num"><Figure value={f.averageRating} kind="rating" /></td>
              <td className="num">{f.solvedPct === null ? <NoData /> : formatPct(f.solvedPct, lang)}</td>
              <td className="num"><Figure value={f.reviewRequests} kind="count" /></td>
              <td className="num"><Figure value={f.reopenings} kind="count" /></td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
