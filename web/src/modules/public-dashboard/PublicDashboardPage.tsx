/**
 * The public dashboard of a city (/:city/dashboard), for everyone and without sign-in, in ky / ru / en: the
 * headline figures of a period, appeals by category group, district and form (the law's oral, written and
 * electronic, explained), the monthly trend, the hexagon map with its table, and where to get the open data.
 * The public route carries counts only — no names, contacts, texts or addresses.
 */
import { lazy, Suspense, useId } from 'react';
import { Link, useParams } from 'react-router-dom';
import { useTranslation } from 'react-i18next';
import { api } from '../../api/client.js';
import type { paths } from '../../api/schema.js';
import { pickName, useCities } from '../../app/cities.js';
import { formatDate } from '../../i18n/index.js';
import { Loading, PageTitle } from '../../ui/ui.js';
import { LoadFailed, ResidentLayout } from '../resident/shared.js';
import { Figure, PeriodPicker, PeriodText, usePeriod, useLoaded, type FigureKind } from '../scorecards/shared.js';
import { CellsMap } from '../analytics/MapSections.js';
import { FormsExplained, rowLabel } from '../analytics/shared.js';
import '../analytics/analytics.css';

const MonthChart = lazy(() => import('../analytics/MonthChart.js'));

type PublicAnalytics = paths['/api/v1/m/{municipality}/public/analytics']['get']['responses'][200]['content']['application/json'];
type Row = PublicAnalytics['byCategoryGroup'][number];
type Figures = PublicAnalytics['figures'];

const TILES: { key: keyof Figures & string; kind: FigureKind }[] = [
  { key: 'appeals', kind: 'count' }, { key: 'answered', kind: 'count' }, { key: 'onTimePct', kind: 'pct' },
  { key: 'averageDays', kind: 'days' }, { key: 'averageRating', kind: 'rating' }, { key: 'solvedPct', kind: 'pct' },
];

export function PublicDashboardPage() {
  const { t, i18n } = useTranslation('dashboard');
  const { city = '' } = useParams();
  const cities = useCities();
  const cityName = pickName(cities?.find((c) => c.slug === city)?.name, i18n.language);
  const title = cityName ? t('titleIn', { city: cityName }) : t('title');
  return (
    <ResidentLayout city={city}>
      <div className="sc-page an-public">
        <PageTitle title={title}>{title}</PageTitle>
        <p className="r-lead">{t('lead')}</p>
        <Dashboard key={city} city={city} />
      </div>
    </ResidentLayout>
  );
}

function Dashboard({ city }: { city: string }) {
  const { t, i18n } = useTranslation('dashboard');
  const lang = i18n.language;
  const [period, setPeriod] = usePeriod();
  const { result, loading, retry } = useLoaded<PublicAnalytics>(`${city}|${period.from ?? ''}|${period.to ?? ''}`, () =>
    api.GET('/api/v1/m/{municipality}/public/analytics', { params: { path: { municipality: city }, query: period } }));

  if (result.state === 'loading') return <Loading label={t('common:loading')} />;
  if (result.state === 'error') return <LoadFailed message={result.message} offline={result.offline} onRetry={retry} />;
  const data = result.data;
  const shown = { from: data.period.from, to: data.period.to };
  const openData = `/api/v1/m/${encodeURIComponent(city)}/open-data`;

  return (
    <>
      <PeriodPicker shown={shown} onChange={setPeriod} />
      <p className="sc-period-shown" role="status">
        {loading ? t('common:loading') : <>{t('shown')} <strong><PeriodText {...shown} /></strong></>}
        {data.refreshedAt ? <span className="an-fresh"> {t('freshness', { time: formatDate(data.refreshedAt, lang, true) })}</span> : null}
      </p>

      <section aria-labelledby="pd-headline" className="card r-card">
        <h2 id="pd-headline">{t('headline')}</h2>
        <dl className="sc-tiles">
          {TILES.map(({ key, kind }) => (
            <div className="sc-tile" key={key} data-figure={key}>
              <dt>{t(`figure.${key}`)}</dt>
              <dd><span className="sc-tile-value"><Figure value={data.figures[key] as number | null} kind={kind} /></span></dd>
            </div>
          ))}
        </dl>
      </section>

      <section aria-labelledby="pd-groups">
        <h2 id="pd-groups">{t('byCategoryGroup')}</h2>
        <RowsTable rows={data.byCategoryGroup} dim="category_group" caption={t('byCategoryGroup')} captionHidden />
      </section>

      <section aria-labelledby="pd-districts">
        <h2 id="pd-districts">{t('byDistrict')}</h2>
        <RowsTable rows={data.byDistrict} dim="district" caption={t('byDistrict')} captionHidden />
      </section>

      <section aria-labelledby="pd-forms">
        <h2 id="pd-forms">{t('byForm')}</h2>
        <RowsTable rows={data.byForm} dim="form" caption={t('byForm')} captionHidden />
        <FormsExplained ns="dashboard" />
      </section>

      <section aria-labelledby="pd-trend">
        <h2 id="pd-trend">{t('trend.heading')}</h2>
        {data.byMonth.length ? (
          <>
            <Suspense fallback={<Loading label={t('trend.loading')} />}>
              <MonthChart rows={data.byMonth.map((r) => ({ month: r.key, value: r.figures.appeals }))} title={t('trend.chart')} seeTable={t('trend.seeTable')} />
            </Suspense>
            <RowsTable rows={data.byMonth} dim="month" caption={t('trend.caption')} />
          </>
        ) : <p>{t('empty')}</p>}
      </section>

      <section aria-labelledby="pd-map">
        <h2 id="pd-map">{t('map.heading')}</h2>
        <p className="hint">{t('map.lead')}</p>
        <CellsMap ns="dashboard" cells={data.cells} caption={t('map.caption')} />
      </section>

      <section aria-labelledby="pd-more" className="card r-card">
        <h2 id="pd-more">{t('more.heading')}</h2>
        <p>{t('more.openData')}</p>
        <ul>
          <li><a href={openData}>{t('more.dataPackage')}</a></li>
          <li><a href={`${openData}/appeals.csv`} download>{t('more.csv')}</a></li>
          <li><a href={`${openData}/appeals`}>{t('more.api')}</a></li>
        </ul>
        <p>{t('more.licence')}</p>
        <p><Link to={`/${city}/scorecards`}>{t('more.scorecards')}</Link></p>
        <p className="hint">{t('more.private')}</p>
      </section>
    </>
  );
}

/** A table of rows (a category group, district, form or month each) with appeals, share, on-time share and rating. */
function RowsTable({ rows, dim, caption, captionHidden = false }: { rows: Row[]; dim: 'category_group' | 'district' | 'form' | 'month'; caption: string; captionHidden?: boolean }) {
  const { t, i18n } = useTranslation('dashboard');
  const lang = i18n.language;
  const id = useId();
  if (!rows.length) return <p>{t('empty')}</p>;
  const shown = dim === 'month' ? [...rows].reverse() : rows;
  return (
    <div className="table-wrap sc-table-wrap" role="region" aria-labelledby={id} tabIndex={0}>
      <table className="sc-table an-table" data-dim={dim}>
        <caption id={id} className={captionHidden ? 'visually-hidden' : undefined}>{caption}</caption>
        <thead>
          <tr>
            <th scope="col">{t(`col.${dim}`)}</th>
            <th scope="col" className="num">{t('col.appeals')}</th>
            <th scope="col" className="num">{t('col.share')}</th>
            <th scope="col" className="num">{t('col.onTimePct')}</th>
            <th scope="col" className="num">{t('col.averageDays')}</th>
            <th scope="col" className="num">{t('col.averageRating')}</th>
          </tr>
        </thead>
        <tbody>
          {shown.map((r) => (
            <tr key={r.key}>
              <th scope="row">{rowLabel(t, lang, dim, r.key, r.label)}</th>
              <td className="num"><Figure value={r.figures.appeals} kind="count" /></td>
              <td className="num"><Figure value={r.figures.share} kind="pct" /></td>
              <td className="num"><Figure value={r.figures.onTimePct} kind="pct" /></td>
              <td className="num"><Figure value={r.figures.averageDays} kind="days" /></td>
              <td className="num"><Figure value={r.figures.averageRating} kind="rating" /></td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
