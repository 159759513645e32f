/**
 * The cross-tab: appeals (or on-time share, rating, solved share) by two dimensions, e.g. category × district or
 * channel × age band. Rows, columns and the measure are in the address (xr, xc, xm). Cells of groups of residents
 * counting fewer than the threshold are hidden ("fewer than 5") so that nobody can be singled out.
 */
import { useEffect, useId, useState, type FormEvent } from 'react';
import { Link } from 'react-router-dom';
import { useTranslation } from 'react-i18next';
import { api } from '../../api/client.js';
import { Alert, Button, Loading, Select } from '../../ui/ui.js';
import { formatNumber } from '../scorecards/format.js';
import { useLoad, type Query, type Crosstab } from './data.js';
import { ExportLinks, Figure, IgnoredFilters, rowLabel } from './shared.js';
import {
  apiQuery, CUBE_DIMENSIONS, drillOf, GROUP_DIMENSIONS, NOT_FOR_GROUPS, queryString, searchOf, without,
  type CubeDimension, type Dimension, type Selection,
} from './selection.js';

export const CROSSTAB_DIMENSIONS: readonly Dimension[] = [...CUBE_DIMENSIONS, ...GROUP_DIMENSIONS];
export const MEASURES = ['appeals', 'onTimePct', 'averageRating', 'solvedPct'] as const;
export type Measure = (typeof MEASURES)[number];
const isGroup = (d: Dimension) => (GROUP_DIMENSIONS as readonly string[]).includes(d);

export function CrosstabSection({ city, sel, rows, cols, measure, onChange, drillBase }: {
  city: string; sel: Selection; rows: Dimension; cols: Dimension; measure: Measure;
  onChange: (next: { rows: Dimension; cols: Dimension; measure: Measure }) => void; drillBase: string;
}) {
  const { t, i18n } = useTranslation('analytics');
  const lang = i18n.language;
  // With a group of residents on an axis, service and status filters do not apply (profiles count who wrote).
  const { sel: usable, dropped } = isGroup(rows) || isGroup(cols) ? without(sel, NOT_FOR_GROUPS) : { sel, dropped: [] };
  const query = { ...apiQuery(usable), rows, cols, measure };
  const { data, error, loading, retry } = useLoad<Crosstab>(`${city}|${JSON.stringify(query)}`, () =>
    api.GET('/api/v1/m/{municipality}/analytics/crosstab', { params: { path: { municipality: city }, query: query as Query<'/api/v1/m/{municipality}/analytics/crosstab'> } }));
  const [r, setR] = useState(rows);
  const [c, setC] = useState(cols);
  const [m, setM] = useState(measure);
  const [problem, setProblem] = useState<string | undefined>();
  useEffect(() => { setR(rows); setC(cols); setM(measure); }, [rows, cols, measure]);
  const submit = (e: FormEvent) => {
    e.preventDefault();
    if (r === c) { setProblem(t('crosstab.same')); return; }
    setProblem(undefined);
    onChange({ rows: r, cols: c, measure: m });
  };
  const captionId = useId();
  const kind = measure === 'appeals' ? 'count' : measure === 'averageRating' ? 'rating' : 'pct';
  const label = (d: Dimension, k: { key: string; label: Crosstab['rowKeys'][number]['label'] }) => rowLabel(t, lang, d, k.key, k.label);
  // A cell opens its appeals when both dimensions are filters of the registry (groups of residents are not).
  const drill = (ri: string, ci: string): string | null => {
    if (isGroup(rows) || isGroup(cols)) return null;
    const a = drillOf(sel, rows as CubeDimension, ri);
    const b = a && drillOf(a, cols as CubeDimension, ci);
    return b ? `${drillBase}${queryString(searchOf({ ...b, compare: 'previous' }))}` : null;
  };
  const caption = data ? t('crosstab.caption', { rows: t(`by.${data.rows}`), cols: t(`by.${data.cols}`), measure: t(`measure.${data.measure}`) }) : '';

  return (
    <section aria-labelledby="an-crosstab" className="an-section">
      <h2 id="an-crosstab">{t('crosstab.heading')}</h2>
      <form className="inline-form an-crosstab-form" onSubmit={submit} noValidate aria-label={t('crosstab.form')}>
        <Select label={t('crosstab.rows')} value={r} onChange={(e) => { setR(e.target.value as Dimension); setProblem(undefined); }} error={problem} name="xr">
          {CROSSTAB_DIMENSIONS.map((d) => <option key={d} value={d}>{t(`by.${d}`)}</option>)}
        </Select>
        <Select label={t('crosstab.cols')} value={c} onChange={(e) => { setC(e.target.value as Dimension); setProblem(undefined); }} name="xc">
          {CROSSTAB_DIMENSIONS.map((d) => <option key={d} value={d}>{t(`by.${d}`)}</option>)}
        </Select>
        <Select label={t('crosstab.measure')} value={m} onChange={(e) => setM(e.target.value as Measure)} name="xm">
          {MEASURES.map((x) => <option key={x} value={x}>{t(`measure.${x}`)}</option>)}
        </Select>
        <Button type="submit" variant="secondary">{t('crosstab.show')}</Button>
      </form>
      <p className="hint">
        {t('crosstab.presets')}{' '}
        <button type="button" className="btn-link" onClick={() => onChange({ rows: 'category_group', cols: 'district', measure })}>{t('crosstab.presetCategoryDistrict')}</button>
        {', '}
        <button type="button" className="btn-link" onClick={() => onChange({ rows: 'channel', cols: 'age_band', measure })}>{t('crosstab.presetChannelAge')}</button>
      </p>
      <IgnoredFilters keys={dropped} />
      {error ? <Alert kind="error"><p>{error}</p><Button variant="secondary" onClick={retry}>{t('tryAgain')}</Button></Alert> : null}
      {!data ? (loading ? <Loading label={t('common:loading')} /> : null) : (
        <>
          {data.suppressionThreshold !== null ? (
            <p className="hint an-suppression">
              {t('groups.why', { n: formatNumber(data.suppressionThreshold, lang) })}
              {data.suppressed ? ` ${t('crosstab.suppressed', { count: data.suppressed, n: formatNumber(data.suppressed, lang) })}` : ''}
            </p>
          ) : null}
          {data.rowKeys.length === 0 || data.colKeys.length === 0 ? <p>{t('empty')}</p> : (
            <div className="table-wrap" role="region" aria-labelledby={captionId} tabIndex={0}>
              <table className="figures-table an-table an-crosstab">
                <caption id={captionId}>{caption}</caption>
                <thead>
                  <tr>
                    <th scope="col">{t(`by.${data.rows}`)}</th>
                    {data.colKeys.map((k) => <th key={k.key} scope="col" className="num">{label(data.cols, k)}</th>)}
                  </tr>
                </thead>
                <tbody>
                  {data.rowKeys.map((rk, i) => (
                    <tr key={rk.key}>
                      <th scope="row">{label(data.rows, rk)}</th>
                      {data.colKeys.map((ck, j) => {
                        const v = data.cells[i]?.[j] ?? null;
                        const to = measure === 'appeals' && v ? drill(rk.key, ck.key) : null;
                        return (
                          <td key={ck.key} className="num">
                            {v === null && data.suppressionThreshold !== null && measure === 'appeals'
                              ? <FewerThan n={data.suppressionThreshold} />
                              : to ? <Link to={to} className="an-drill"><Figure value={v} kind={kind} /></Link> : <Figure value={v} kind={kind} />}
                          </td>
                        );
                      })}
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          )}
          <ExportLinks city={city} table="crosstab" query={query} what={caption} />
        </>
      )}
    </section>
  );
}

/** A hidden small count: "< 5" to the eye, "fewer than 5" in words. */
export function FewerThan({ n }: { n: number }) {
  const { t, i18n } = useTranslation('analytics');
  const v = formatNumber(n, i18n.language);
  return <span className="an-suppressed" title={t('groups.fewerThan', { n: v })}><span aria-hidden="true">&lt; {v}</span><span className="visually-hidden">{t('groups.fewerThan', { n: v })}</span></span>;
}
