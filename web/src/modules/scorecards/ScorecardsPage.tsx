/**
 * The public scorecards of a city (/:city/scorecards): how each service answers its residents over a period —
 * on time, how fast, how residents rate the answers — ranked, with the city's totals. No sign-in, no staff names:
 * the server's public route carries only service-level figures.
 */
import { useId } from 'react';
import { Link, useParams } from 'react-router-dom';
import { useTranslation } from 'react-i18next';
import { api } from '../../api/client.js';
import { pickName, useCities } from '../../app/cities.js';
import { Loading, PageTitle } from '../../ui/ui.js';
import { LoadFailed, ResidentLayout } from '../resident/shared.js';
import { formatPct } from './format.js';
import { Definitions, Figure, FigureTiles, NoData, PeriodPicker, periodQuery, PeriodText, usePeriod, useLoaded, type CityScorecard, type ServiceScore } from './shared.js';

export function ScorecardsPage() {
  const { t, i18n } = useTranslation('resident');
  const { city = '' } = useParams();
  const cities = useCities();
  const cityName = pickName(cities?.find((c) => c.slug === city)?.name, i18n.language);
  const title = cityName ? t('scorecards.titleIn', { city: cityName }) : t('scorecards.title');
  return (
    <ResidentLayout city={city}>
      <div className="sc-page">
        <PageTitle title={title}>{title}</PageTitle>
        <p className="r-lead">{t('scorecards.lead')}</p>
        <Ranking key={city} city={city} />
      </div>
    </ResidentLayout>
  );
}

function Ranking({ city }: { city: string }) {
  const { t, i18n } = useTranslation('resident');
  const lang = i18n.language;
  const [period, setPeriod] = usePeriod();
  const { result, loading, retry } = useLoaded<CityScorecard>(`${city}|${period.from ?? ''}|${period.to ?? ''}`, () =>
    api.GET('/api/v1/m/{municipality}/scorecards', { params: { path: { municipality: city }, query: period } }));

  if (result.state === 'loading') return <Loading label={t('common:loading')} />;
  if (result.state === 'error') return <LoadFailed message={result.message} offline={result.offline} onRetry={retry} />;
  const data = result.data;
  const shown = { from: data.from, to: data.to };
  // Services with nothing to count in the period are named below the table rather than filling it with dashes.
  const busy = (s: ServiceScore) => s.figures.received + s.figures.answered + s.figures.overdueNow + s.figures.ratings + s.figures.reopenings > 0;
  const active = data.services.filter(busy);
  const idle = data.services.filter((s) => !busy(s));

  return (
    <>
      <PeriodPicker shown={shown} onChange={setPeriod} />
      <p className="sc-period-shown" role="status">
        {loading ? t('common:loading') : <>{t('scorecards.period.shown')} <strong><PeriodText {...shown} /></strong></>}
      </p>

      <section aria-labelledby="sc-city" className="card r-card">
        <h2 id="sc-city">{t('scorecards.city')}</h2>
        <FigureTiles figures={data.city} />
      </section>

      <section aria-labelledby="sc-ranking">
        <h2 id="sc-ranking">{t('scorecards.ranking.heading')}</h2>
        <p className="r-muted">{t('scorecards.ranking.rule', { count: data.minAnswersToRank })}</p>
        {active.length ? <RankingTable services={active} city={city} period={shown} /> : <p>{t('scorecards.ranking.empty')}</p>}
        {idle.length ? (
          <p className="sc-idle">
            {t('scorecards.ranking.idle')}{' '}
            {idle.map((s, i) => <span key={s.serviceId}>{i ? ', ' : ''}<Link to={`/${city}/scorecards/${s.serviceId}${periodQuery(shown)}`}>{pickName(s.name, lang)}</Link></span>)}.
          </p>
        ) : null}
      </section>

      <Definitions minAnswersToRank={data.minAnswersToRank} />
    </>
  );
}

function RankingTable({ services, city, period }: { services: ServiceScore[]; city: string; period: { from: string; to: string } }) {
  const { t, i18n } = useTranslation('resident');
  const lang = i18n.language;
  const captionId = useId();
  return (
    <div className="table-wrap sc-table-wrap" role="region" aria-labelledby={captionId} tabIndex={0}>
      <table className="sc-table">
        <caption id={captionId}>{t('scorecards.ranking.caption')} (<PeriodText {...period} />)</caption>
        <thead>
          <tr>
            <th scope="col">{t('scorecards.col.rank')}</th>
            <th scope="col">{t('scorecards.col.service')}</th>
            <th scope="col" className="num">{t('scorecards.col.onTime')}</th>
            <th scope="col" className="num">{t('scorecards.col.median')}</th>
            <th scope="col" className="num">{t('scorecards.col.p90')}</th>
            <th scope="col" className="num">{t('scorecards.col.answered')}</th>
            <th scope="col" className="num">{t('scorecards.col.overdueNow')}</th>
            <th scope="col" className="num">{t('scorecards.col.rating')}</th>
            <th scope="col" className="num">{t('scorecards.col.solved')}</th>
            <th scope="col" className="num">{t('scorecards.col.reviews')}</th>
            <th scope="col" className="num">{t('scorecards.col.reopenings')}</th>
          </tr>
        </thead>
        <tbody>
          {services.map((s) => {
            const f = s.figures;
            return (
              <tr key={s.serviceId} className={s.rank === null ? 'sc-unranked' : undefined}>
                <td className="sc-rank">{s.rank ?? <><span aria-hidden="true">—</span><span className="visually-hidden">{t('scorecards.ranking.unranked')}</span></>}</td>
                <th scope="row"><Link to={`/${city}/scorecards/${s.serviceId}${periodQuery(period)}`}>{pickName(s.name, lang)}</Link></th>
                <td className="num"><Figure value={f.onTimePct} kind="pct" /></td>
                <td className="num"><Figure value={f.medianDays} kind="days" /></td>
                <td className="num"><Figure value={f.p90Days} kind="days" /></td>
                <td className="num"><Figure value={f.answered} kind="count" /></td>
                <td className="num">{f.overdueNow ? <strong className="overdue"><Figure value={f.overdueNow} kind="count" /></strong> : <Figure value={0} kind="count" />}</td>
                <td className="num"><Figure value={f.averageRating} kind="rating" /></td>
                <td className="num">
                  {f.solvedPct === null ? <NoData /> : <>
                    {formatPct(f.solvedPct, lang)}
                    {f.partlySolvedPct ? <span className="sc-sub"> {t('scorecards.partly', { pct: formatPct(f.partlySolvedPct, lang) })}</span> : null}
                  </>}
                </td>
                <td className="num"><Figure value={f.reviewRequests} kind="count" /></td>
                <td className="num"><Figure value={f.reopenings} kind="count" /></td>
              </tr>
            );
          })}
        </tbody>
      </table>
    </div>
  );
}
