/**
 * Groups of residents (age band, gender, social group): only from profiles residents chose to give and agreed to
 * have counted; any figure below the threshold is hidden ("fewer than 5"), with the reason told, so that nobody
 * can be singled out. The grouping is in the address (gb).
 */
import { useId } from 'react';
import { useTranslation } from 'react-i18next';
import { api } from '../../api/client.js';
import { Alert, Button, Loading, Select } from '../../ui/ui.js';
import { formatNumber } from '../scorecards/format.js';
import { FewerThan } from './CrosstabSection.js';
import { useLoad, type Query, type Groups } from './data.js';
import { ExportLinks, Figure, IgnoredFilters, rowLabel } from './shared.js';
import { apiQuery, GROUP_DIMENSIONS, NOT_FOR_GROUPS, without, type GroupDimension, type Selection } from './selection.js';

export function GroupsSection({ city, sel, by, onChange }: { city: string; sel: Selection; by: GroupDimension; onChange: (by: GroupDimension) => void }) {
  const { t, i18n } = useTranslation('analytics');
  const lang = i18n.language;
  // Profiles count who wrote, not who answered: service and status filters do not apply to them.
  const { sel: usable, dropped } = without(sel, NOT_FOR_GROUPS);
  const query = { ...apiQuery(usable), by };
  const { data, error, loading, retry } = useLoad<Groups>(`${city}|${JSON.stringify(query)}`, () =>
    api.GET('/api/v1/m/{municipality}/analytics/groups', { params: { path: { municipality: city }, query: query as Query<'/api/v1/m/{municipality}/analytics/groups'> } }));
  const captionId = useId();
  const caption = t('groups.caption', { by: t(`by.${by}`) });
  return (
    <section aria-labelledby="an-groups" className="an-section">
      <h2 id="an-groups">{t('groups.heading')}</h2>
      <p className="hint">{t('groups.lead')}</p>
      <div className="inline-form">
        <Select label={t('groups.by')} value={by} onChange={(e) => onChange(e.target.value as GroupDimension)} name="gb">
          {GROUP_DIMENSIONS.map((d) => <option key={d} value={d}>{t(`by.${d}`)}</option>)}
        </Select>
      </div>
      <IgnoredFilters keys={dropped} />
      {error ? <Alert kind="error"><p>{error}</p><Button variant="secondary" onClick={retry}>{t('tryAgain')}</Button></Alert> : null}
      {!data ? (loading ? <Loading label={t('common:loading')} /> : null) : (
        <>
          <p className="hint an-suppression">
            {t('groups.why', { n: formatNumber(data.suppressionThreshold, lang) })}{' '}
            {data.profiled === null
              ? t('groups.profiledFew', { n: formatNumber(data.suppressionThreshold, lang) })
              : t('groups.profiled', { count: data.profiled, n: formatNumber(data.profiled, lang) })}
          </p>
          <div className="table-wrap" role="region" aria-labelledby={captionId} tabIndex={0}>
            <table className="figures-table an-table an-groups">
              <caption id={captionId}>{caption}</caption>
              <thead>
                <tr>
                  <th scope="col">{t(`by.${by}`)}</th>
                  <th scope="col" className="num">{t('col.appeals')}</th>
                  <th scope="col" className="num">{t('col.onTimePct')}</th>
                  <th scope="col" className="num">{t('col.averageRating')}</th>
                  <th scope="col" className="num">{t('col.solvedPct')}</th>
                </tr>
              </thead>
              <tbody>
                {data.rows.map((r) => (
                  <tr key={r.key}>
                    <th scope="row">{rowLabel(t, lang, by, r.key)}</th>
                    <td className="num">{r.appeals === null ? <FewerThan n={data.suppressionThreshold} /> : <Figure value={r.appeals} kind="count" />}</td>
                    <td className="num"><Figure value={r.onTimePct} kind="pct" /></td>
                    <td className="num"><Figure value={r.averageRating} kind="rating" /></td>
                    <td className="num"><Figure value={r.solvedPct} kind="pct" /></td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
          <ExportLinks city={city} table="groups" query={query} what={caption} />
        </>
      )}
    </section>
  );
}
