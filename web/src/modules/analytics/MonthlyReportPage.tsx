/**
 * The printable monthly report (/staff/:city/analytics/report?month=YYYY-MM): the month's headline against the
 * month before, then appeals by category group, district and form, the top categories and the on-time share of
 * each service (the server's report route); printed on A4 without the site's navigation or controls.
 */
import { useMemo, type ReactNode } from 'react';
import { Link, useParams, useSearchParams } from 'react-router-dom';
import { useTranslation } from 'react-i18next';
import { api } from '../../api/client.js';
import { pickName, useCities } from '../../app/cities.js';
import { Alert, Button, Loading, PageTitle, Select } from '../../ui/ui.js';
import { formatMonth } from '../scorecards/format.js';
import { formatDate, hasRole, useStaffMe } from '../staff/shared.js';
import { BreakdownTable, type Column } from './BreakdownTable.js';
import { useLoad, type Report } from './data.js';
import { ANALYTICS_ROLES, Change, Figure, FormsExplained, HEADLINE } from './shared.js';
import { addMonths, drillOf, MONTH, monthsBack, queryString, searchOf, thisMonth, type CubeDimension, type Selection } from './selection.js';

const MONTHS_OFFERED = 36;

export function MonthlyReportPage() {
  const { t } = useTranslation(['analytics', 'common']);
  const { city = '' } = useParams();
  const me = useStaffMe();
  const [params, setParams] = useSearchParams();
  const asked = params.get('month') ?? '';
  // Without a month: the last whole month.
  const month = MONTH.test(asked) ? asked : addMonths(thisMonth(), -1);
  if (!hasRole(me, ...ANALYTICS_ROLES)) {
    const title = t('report.title');
    return <><PageTitle title={title}>{title}</PageTitle><Alert kind="info">{t('forbidden')}</Alert></>;
  }
  return <Report key={`${city}|${month}`} city={city} month={month} onMonth={(m) => setParams({ month: m })} />;
}

function Report({ city, month, onMonth }: { city: string; month: string; onMonth: (m: string) => void }) {
  const { t, i18n } = useTranslation(['analytics', 'common']);
  const lang = i18n.language;
  const cities = useCities();
  const cityName = pickName(cities?.find((c) => c.slug === city)?.name, lang);
  const sel: Selection = { from: month, to: month, compare: 'previous', filters: {} };
  const base = `/staff/${city}/analytics`;
  const drill = (by: CubeDimension, key: string) => {
    const next = drillOf(sel, by, key);
    return next ? `${base}/appeals${queryString(searchOf(next))}` : null;
  };
  const report = useLoad<Report>(`${city}|${month}`, () =>
    api.GET('/api/v1/m/{municipality}/analytics/report', { params: { path: { municipality: city }, query: { month } } }));
  const months = useMemo(() => {
    const list = monthsBack(thisMonth(), MONTHS_OFFERED);
    if (!list.includes(month)) list.push(month);
    return list.sort().reverse();
  }, [month]);

  const title = cityName ? t('report.titleIn', { month: formatMonth(month, lang), city: cityName }) : t('report.titleOf', { month: formatMonth(month, lang) });
  const shareCols: Column[] = ['appeals', 'share', 'change', 'onTimePct', 'averageRating'];
  const r = report.data;
  const table = (by: CubeDimension, rows: Report['byCategoryGroup'], caption: string, columns: Column[]) => (
    <BreakdownTable by={by} rows={rows} total={null} compared caption={caption} drill={drill} columns={columns} captionHidden />
  );

  return (
    <div className="an-page an-report">
      <div className="an-no-print">
        <p><Link to={`${base}${queryString(searchOf(sel))}`}>{t('report.toDashboard')}</Link></p>
        <div className="inline-form">
          <Select label={t('report.month')} value={month} onChange={(e) => onMonth(e.target.value)} name="month">
            {months.map((m) => <option key={m} value={m}>{formatMonth(m, lang)}</option>)}
          </Select>
          <Button variant="secondary" onClick={() => window.print()}>{t('report.print')}</Button>
        </div>
      </div>
      <PageTitle title={title}>{title}</PageTitle>
      <p className="hint">
        {t('report.lead')}
        {r?.refreshedAt ? ` ${t('freshness', { time: formatDate(r.refreshedAt, lang, true) })}` : ''}
      </p>
      {report.error ? <Alert kind="error"><p>{report.error}</p><Button variant="secondary" onClick={report.retry}>{t('tryAgain')}</Button></Alert> : null}
      {!r ? (report.loading ? <Loading label={t('common:loading')} /> : null) : (
        <>
          <Part title={t('report.headline')} id="rp-headline">
            <div className="table-wrap" role="region" aria-labelledby="rp-headline" tabIndex={0}>
              <table className="figures-table an-table an-report-headline">
                <thead>
                  <tr>
                    <th scope="col">{t('report.figure')}</th>
                    <th scope="col" className="num">{formatMonth(r.month, lang)}</th>
                    <th scope="col" className="num">{formatMonth(r.previousMonth, lang)}</th>
                    <th scope="col" className="num">{t('col.change')}</th>
                  </tr>
                </thead>
                <tbody>
                  {HEADLINE.map(({ key, kind, change }) => {
                    const now = r.figures[key] as number | null;
                    const before = r.compareFigures[key] as number | null;
                    return (
                      <tr key={key} data-figure={key}>
                        <th scope="row">{t(`figure.${key}`)}</th>
                        <td className="num"><Figure value={now} kind={kind} /></td>
                        <td className="num"><Figure value={before} kind={kind} /></td>
                        <td className="num"><Change now={now} before={before} kind={kind} change={change} /></td>
                      </tr>
                    );
                  })}
                </tbody>
              </table>
            </div>
          </Part>
          <Part title={t('report.byGroup')} id="rp-groups">{table('category_group', r.byCategoryGroup, t('report.byGroup'), shareCols)}</Part>
          <Part title={t('report.byDistrict')} id="rp-districts">{table('district', r.byDistrict, t('report.byDistrict'), shareCols)}</Part>
          <Part title={t('report.byForm')} id="rp-forms">
            {table('form', r.byForm, t('report.byForm'), shareCols)}
            <FormsExplained />
          </Part>
          <Part title={t('report.topCategories', { count: r.topCategories.length })} id="rp-top">
            {table('category', r.topCategories, t('report.topCategories', { count: r.topCategories.length }), ['appeals', 'share', 'change'])}
          </Part>
          <Part title={t('report.byService')} id="rp-services">
            {table('service', r.byService, t('report.byService'), ['appeals', 'answered', 'onTimePct', 'averageDays', 'averageRating', 'solvedPct'])}
          </Part>
        </>
      )}
    </div>
  );
}

function Part({ title, id, children }: { title: string; id: string; children: ReactNode }) {
  return (
    <section aria-labelledby={id} className="an-section an-report-part">
      <h2 id={id}>{title}</h2>
      {children}
    </section>
  );
}
