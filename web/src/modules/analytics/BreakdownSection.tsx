/**
 * The breakdown of the selection by one dimension (category group, category, district, form, channel, kind,
 * status, service), chosen with a row of toggle buttons and kept in the address (by). Each count opens its appeals.
 */
import { useTranslation } from 'react-i18next';
import { api } from '../../api/client.js';
import { Alert, Button, Loading } from '../../ui/ui.js';
import { PeriodText } from '../scorecards/shared.js';
import { BreakdownTable } from './BreakdownTable.js';
import { useLoad, type Query, type Breakdown } from './data.js';
import { ExportLinks } from './shared.js';
import { apiQuery, CUBE_DIMENSIONS, type CubeDimension, type Selection } from './selection.js';

/** The dimensions offered here; months have their own section (the trend). */
export const BREAKDOWN_DIMENSIONS = CUBE_DIMENSIONS.filter((d) => d !== 'month');

export function BreakdownSection({ city, sel, by, onChange, drill }: {
  city: string; sel: Selection; by: CubeDimension; onChange: (by: CubeDimension) => void; drill: (by: CubeDimension, key: string) => string | null;
}) {
  const { t } = useTranslation('analytics');
  const query = { ...apiQuery(sel, true), by };
  const { data, error, loading, retry } = useLoad<Breakdown>(`${city}|${JSON.stringify(query)}`, () =>
    api.GET('/api/v1/m/{municipality}/analytics/breakdown', { params: { path: { municipality: city }, query: query as Query<'/api/v1/m/{municipality}/analytics/breakdown'> } }));
  const caption = t('breakdown.caption', { by: t(`by.${by}`) });
  return (
    <section aria-labelledby="an-breakdown" className="an-section">
      <h2 id="an-breakdown">{t('breakdown.heading')}</h2>
      <div className="an-toggles" role="group" aria-label={t('breakdown.choose')}>
        {BREAKDOWN_DIMENSIONS.map((d) => (
          <button key={d} type="button" className="btn btn-small btn-secondary" aria-pressed={d === by} data-by={d} onClick={() => onChange(d)}>
            {t(`by.${d}`)}
          </button>
        ))}
      </div>
      {error ? <Alert kind="error"><p>{error}</p><Button variant="secondary" onClick={retry}>{t('tryAgain')}</Button></Alert> : null}
      {!data ? (loading ? <Loading label={t('common:loading')} /> : null) : (
        <>
          {data.comparePeriod ? <p className="hint">{t('breakdown.changeAgainst')} <PeriodText {...data.comparePeriod} /></p> : null}
          {data.rows.length ? <BreakdownTable by={data.by} rows={data.rows} total={data.total} compared={data.comparePeriod !== null} caption={caption} drill={drill} /> : <p>{t('empty')}</p>}
          <ExportLinks city={city} table="breakdown" query={query} what={caption} />
        </>
      )}
    </section>
  );
}
