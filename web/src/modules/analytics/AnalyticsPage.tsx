/**
 * The analytics dashboard (/staff/:city/analytics) for analysts, supervisors and administrators: the filter bar,
 * the headline figures against a comparison period, a breakdown by any dimension, the monthly trend, a cross-tab,
 * groups of residents and the maps. Everything on it is in the address, so a view can be bookmarked and shared;
 * every count opens the appeals behind it (/staff/:city/analytics/appeals with the same filters).
 */
import { lazy, Suspense, useCallback, useMemo } from 'react';
import { Link, useParams, useSearchParams } from 'react-router-dom';
import { useTranslation } from 'react-i18next';
import { api } from '../../api/client.js';
import { Alert, Button, Loading, PageTitle } from '../../ui/ui.js';
import { PeriodText } from '../scorecards/shared.js';
import { formatDate, hasRole, useCityReference, useStaffMe } from '../staff/shared.js';
import { BreakdownSection, BREAKDOWN_DIMENSIONS } from './BreakdownSection.js';
import { BreakdownTable } from './BreakdownTable.js';
import { CROSSTAB_DIMENSIONS, CrosstabSection, MEASURES, type Measure } from './CrosstabSection.js';
import { useLoad, type Query, type Breakdown, type DistrictList, type MapCells, type MapDistricts, type Summary } from './data.js';
import { FilterBar } from './FilterBar.js';
import { GroupsSection } from './GroupsSection.js';
import { Headline } from './Headline.js';
import { CellsMap, DistrictsMap } from './MapSections.js';
import { ANALYTICS_ROLES, ExportLinks, FilterChips, FormsExplained, IgnoredFilters } from './shared.js';
import {
  apiQuery, drillOf, GROUP_DIMENSIONS, NOT_FOR_MAP, queryString, readSelection, searchOf, withFilter, without,
  type CubeDimension, type Dimension, type GroupDimension, type Selection,
} from './selection.js';

const MonthChart = lazy(() => import('./MonthChart.js'));

/** The page's own choices in the address, besides the selection. */
const VIEW_KEYS = ['by', 'xr', 'xc', 'xm', 'gb'] as const;

const oneOf = <T extends string>(list: readonly T[], v: string | null, fallback: T): T => ((list as readonly string[]).includes(v ?? '') ? (v as T) : fallback);

export function AnalyticsPage() {
  const { t } = useTranslation(['analytics', 'common']);
  const { city = '' } = useParams();
  const me = useStaffMe();
  const title = t('title');
  if (!hasRole(me, ...ANALYTICS_ROLES)) {
    return <><PageTitle title={title}>{title}</PageTitle><Alert kind="info">{t('forbidden')}</Alert></>;
  }
  return <Dashboard key={city} city={city} />;
}

function Dashboard({ city }: { city: string }) {
  const { t, i18n } = useTranslation(['analytics', 'common']);
  const lang = i18n.language;
  const [params, setParams] = useSearchParams();
  const sel = useMemo(() => readSelection(params), [params]);
  const view = {
    by: oneOf<CubeDimension>(BREAKDOWN_DIMENSIONS, params.get('by'), 'category_group'),
    xr: oneOf<Dimension>(CROSSTAB_DIMENSIONS, params.get('xr'), 'category_group'),
    xc: oneOf<Dimension>(CROSSTAB_DIMENSIONS, params.get('xc'), 'district'),
    xm: oneOf<Measure>(MEASURES, params.get('xm'), 'appeals'),
    gb: oneOf<GroupDimension>(GROUP_DIMENSIONS, params.get('gb'), 'age_band'),
  };
  const keep = Object.fromEntries(VIEW_KEYS.map((k) => [k, params.get(k) ?? undefined]));
  const ref = useCityReference(city);
  const base = `/staff/${city}/analytics`;

  const go = useCallback((next: Selection, viewChange: Record<string, string> = {}) => {
    setParams(searchOf(next, { ...keep, ...viewChange }), { preventScrollReset: true });
  }, [setParams, JSON.stringify(keep)]);
  const drillHref = useCallback((s: Selection) => `${base}/appeals${queryString(searchOf({ ...s, compare: 'previous' }))}`, [base]);
  const drill = useCallback((by: CubeDimension, key: string) => {
    const next = drillOf(sel, by, key);
    return next ? drillHref(next) : null;
  }, [sel, drillHref]);

  const summaryQuery = apiQuery(sel, true);
  const summary = useLoad<Summary>(`${city}|${JSON.stringify(summaryQuery)}`, () =>
    api.GET('/api/v1/m/{municipality}/analytics/summary', { params: { path: { municipality: city }, query: summaryQuery as Query<'/api/v1/m/{municipality}/analytics/summary'> } }));
  const shown = summary.data?.period ?? null;

  const title = t('title');
  return (
    <div className="an-page">
      <PageTitle title={title}>{title}</PageTitle>
      <p className="hint">{t('lead')}</p>
      <FilterBar sel={sel} shown={shown} ref={ref} onApply={(next) => go(next)} />
      <FilterChips sel={sel} ref={ref} base={base} keep={keep} />
      <p role="status" aria-live="polite" className="inbox-count an-status">
        {summary.loading ? t('common:loading') : shown ? <>{t('showing')} <strong><PeriodText {...shown} /></strong></> : ''}
        {summary.data ? <span className="an-fresh"> {summary.data.refreshedAt
          ? t('freshness', { time: formatDate(summary.data.refreshedAt, lang, true) })
          : t('notBuilt')}</span> : null}
      </p>
      <p className="an-links">
        <Link to={`${base}/report${shown ? `?month=${shown.to}` : ''}`}>{t('report.link')}</Link>
      </p>
      {summary.error ? <Alert kind="error"><p>{summary.error}</p><Button variant="secondary" onClick={summary.retry}>{t('tryAgain')}</Button></Alert> : null}
      {summary.data ? <Headline summary={summary.data} drillTo={drillHref(sel)} /> : summary.loading ? <Loading label={t('common:loading')} /> : null}

      <BreakdownSection city={city} sel={sel} by={view.by} onChange={(by) => go(sel, { by })} drill={drill} />
      <TrendSection city={city} sel={sel} drill={drill} />
      <CrosstabSection city={city} sel={sel} rows={view.xr} cols={view.xc} measure={view.xm} drillBase={`${base}/appeals`}
        onChange={(x) => go(sel, { xr: x.rows, xc: x.cols, xm: x.measure })} />
      <GroupsSection city={city} sel={sel} by={view.gb} onChange={(gb) => go(sel, { gb })} />
      <MapsSection city={city} sel={sel} drillDistrict={(id) => drillHref(withFilter(sel, 'district', id))} />
      <section aria-labelledby="an-forms" className="an-section">
        <h2 id="an-forms">{t('formExplained.heading')}</h2>
        <FormsExplained />
      </section>
    </div>
  );
}

/** Appeals month by month: a chart (lazy) and the same figures as a table, each month opening its appeals. */
function TrendSection({ city, sel, drill }: { city: string; sel: Selection; drill: (by: CubeDimension, key: string) => string | null }) {
  const { t } = useTranslation('analytics');
  const query = { ...apiQuery(sel, true), by: 'month' as const };
  const { data, error, loading, retry } = useLoad<Breakdown>(`${city}|${JSON.stringify(query)}`, () =>
    api.GET('/api/v1/m/{municipality}/analytics/breakdown', { params: { path: { municipality: city }, query: query as Query<'/api/v1/m/{municipality}/analytics/breakdown'> } }));
  const caption = t('trend.caption');
  return (
    <section aria-labelledby="an-trend" className="an-section">
      <h2 id="an-trend">{t('trend.heading')}</h2>
      {error ? <Alert kind="error"><p>{error}</p><Button variant="secondary" onClick={retry}>{t('tryAgain')}</Button></Alert> : null}
      {!data ? (loading ? <Loading label={t('common:loading')} /> : null) : (
        <>
          <Suspense fallback={<Loading label={t('trend.loading')} />}>
            <MonthChart rows={data.rows.map((r) => ({ month: r.key, value: r.figures.appeals }))} title={t('trend.chart')} seeTable={t('trend.seeTable')} />
          </Suspense>
          <BreakdownTable by="month" rows={data.rows} total={data.total} compared={data.comparePeriod !== null} caption={caption} drill={drill} />
          <ExportLinks city={city} table="breakdown" query={query} what={caption} />
        </>
      )}
    </section>
  );
}

/** The hexagon heat map and the district map, each with its table; the district boundaries come from the directory. */
function MapsSection({ city, sel, drillDistrict }: { city: string; sel: Selection; drillDistrict: (districtId: string) => string }) {
  const { t } = useTranslation('analytics');
  // The heat map's cube is by period, category and district only.
  const forCells = without(sel, NOT_FOR_MAP);
  const cellsQuery = apiQuery(forCells.sel);
  const query = apiQuery(sel);
  const cells = useLoad<MapCells>(`${city}|${JSON.stringify(cellsQuery)}`, () =>
    api.GET('/api/v1/m/{municipality}/analytics/map/cells', { params: { path: { municipality: city }, query: cellsQuery as Query<'/api/v1/m/{municipality}/analytics/map/cells'> } }));
  const districts = useLoad<MapDistricts>(`${city}|${JSON.stringify(query)}`, () =>
    api.GET('/api/v1/m/{municipality}/analytics/map/districts', { params: { path: { municipality: city }, query: query as Query<'/api/v1/m/{municipality}/analytics/map/districts'> } }));
  const directory = useLoad<DistrictList>(city, () => api.GET('/api/v1/m/{municipality}/admin/districts', { params: { path: { municipality: city } } }));
  const boundaries = useMemo(() => new Map((directory.data?.items ?? []).filter((d) => d.boundary).map((d) => [d.id, d.boundary])), [directory.data]);
  return (
    <section aria-labelledby="an-maps" className="an-section">
      <h2 id="an-maps">{t('maps.heading')}</h2>
      <h3>{t('maps.hex')}</h3>
      <IgnoredFilters keys={forCells.dropped} />
      {cells.error ? <Alert kind="error"><p>{cells.error}</p><Button variant="secondary" onClick={cells.retry}>{t('tryAgain')}</Button></Alert> : null}
      {cells.data ? <CellsMap ns="analytics" cells={cells.data.cells} caption={t('maps.cellsCaption')} />
        : cells.loading ? <Loading label={t('common:loading')} /> : null}
      <h3>{t('maps.districts')}</h3>
      {districts.error ? <Alert kind="error"><p>{districts.error}</p><Button variant="secondary" onClick={districts.retry}>{t('tryAgain')}</Button></Alert> : null}
      {districts.data && !directory.loading ? (
        <DistrictsMap ns="analytics" districts={districts.data.districts} boundaries={boundaries} caption={t('maps.districtsCaption')} drill={drillDistrict} />
      ) : districts.loading ? <Loading label={t('common:loading')} /> : null}
    </section>
  );
}
