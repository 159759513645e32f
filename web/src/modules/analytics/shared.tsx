/**
 * What the analytics pages share: names of rows (directory names in the page's language, codes through the
 * catalogs), a figure with its change against the comparison period, the export links of a table, and the active
 * filters as removable chips.
 */
import type { ReactNode } from 'react';
import { Link } from 'react-router-dom';
import { useTranslation } from 'react-i18next';
import { pickName } from '../../app/cities.js';
import { Figure, type FigureKind } from '../scorecards/shared.js';
import { formatMonth, formatNumber, formatPct, formatRating } from '../scorecards/format.js';
import type { CityReference } from '../staff/shared.js';
import { EXPORT_FORMATS, exportHref, type ExportTable, type Figures, type Label } from './data.js';
import { FILTER_KEYS, queryString, searchOf, withoutFilter, type Dimension, type FilterKey, type Selection } from './selection.js';

type T = ReturnType<typeof useTranslation>['t'];

/**
 * The name of a row: directory rows carry their names; codes (channels, forms, statuses, groups of residents) are
 * translated; months are written out. `t` is of a namespace with the keys none, unknown, form.*, ageBand.*,
 * gender.*, socialGroup.* (the staff 'analytics' and the public 'dashboard' both have them).
 */
export function rowLabel(t: T, lang: string, dim: Dimension | 'cell', key: string, label?: Label): string {
  if (label) return pickName(label, lang);
  if (key === 'none') return t('none');
  switch (dim) {
    case 'month': return formatMonth(key, lang);
    case 'channel': return t(`common:channel.${key}`);
    case 'kind': return t(`common:kind.${key}`);
    case 'status': return t(`common:status.${key}`);
    case 'form': return t(`form.${key}`);
    case 'age_band': return t(`ageBand.${key}`);
    case 'gender': return t(`gender.${key}`);
    case 'social_group': return t(`socialGroup.${key}`);
    default: return t('unknown');
  }
}

/** The name of a filter's value, from the city's reference data or the catalogs. */
export function filterValueLabel(t: T, lang: string, ref: CityReference | null, key: FilterKey, value: string): string {
  if (key === 'category') {
    const c = ref?.categories.find((x) => x.id === value);
    if (!c) return t('unknown');
    const parent = c.parentId ? ref?.categories.find((x) => x.id === c.parentId) : undefined;
    return parent ? `${pickName(parent.name, lang)} › ${pickName(c.name, lang)}` : pickName(c.name, lang);
  }
  if (key === 'district') return pickName(ref?.districts.find((x) => x.id === value)?.name, lang) || t('unknown');
  if (key === 'service') return pickName(ref?.services.find((x) => x.id === value)?.name, lang) || t('unknown');
  return rowLabel(t, lang, key, value);
}

/** The figures of the headline, in order: which figure, how it reads, and how its change is told. */
export const HEADLINE: { key: keyof Figures & string; kind: FigureKind; change: 'relative' | 'points' | 'difference' }[] = [
  { key: 'appeals', kind: 'count', change: 'relative' },
  { key: 'answered', kind: 'count', change: 'relative' },
  { key: 'onTimePct', kind: 'pct', change: 'points' },
  { key: 'averageDays', kind: 'days', change: 'difference' },
  { key: 'averageRating', kind: 'rating', change: 'difference' },
  { key: 'solvedPct', kind: 'pct', change: 'points' },
  { key: 'collective', kind: 'count', change: 'relative' },
  { key: 'repeats', kind: 'count', change: 'relative' },
];

/** A magnitude with its sign: +12 %, −3,5, 0. */
const signed = (magnitude: string, v: number) => (v > 0 ? `+${magnitude}` : v < 0 ? `−${magnitude}` : magnitude);

/**
 * The change of a figure against the comparison: relative for counts (+12 %), in percentage points for shares,
 * a plain difference for days and ratings. The previous value is always written out, so the change is never told by
 * an arrow or a colour alone. Nothing where either side is missing.
 */
export function Change({ now, before, kind, change }: { now: number | null; before: number | null | undefined; kind: FigureKind; change: 'relative' | 'points' | 'difference' }) {
  const { t, i18n } = useTranslation('analytics');
  const lang = i18n.language;
  if (now === null || before === null || before === undefined) return null;
  const was = kind === 'pct' ? formatPct(before, lang) : kind === 'rating' ? formatRating(before, lang) : formatNumber(Math.round(before * 10) / 10, lang);
  // The change as it will be written (one decimal): a change that rounds to nothing is "no change", not "+0.0".
  const oneDecimal = (v: number) => Math.round(v * 10) / 10;
  const diff = change === 'relative' ? (before === 0 ? now : oneDecimal(((now - before) / before) * 100)) : oneDecimal(now - before);
  let text: string;
  if (diff === 0) text = t('change.same');
  else if (change === 'relative' && before === 0) text = t('change.new');
  else if (change === 'relative') text = signed(formatPct(Math.abs(diff), lang), diff);
  else if (change === 'points') text = t('change.points', { value: signed(formatNumber(Math.abs(diff), lang), diff) });
  else text = signed(kind === 'rating' ? formatRating(Math.abs(diff), lang) : formatNumber(Math.abs(diff), lang), diff);
  return (
    <span className="an-change">
      {diff !== 0 ? <span aria-hidden="true" className="an-arrow">{diff > 0 ? '▲' : '▼'} </span> : null}{t('change.vs', { change: text, was })}
    </span>
  );
}

/** CSV and XLSX of one table: links to the export with the same query as the table on screen. */
export function ExportLinks({ city, table, query, what }: { city: string; table: ExportTable; query: Record<string, string | string[] | undefined>; what: string }) {
  const { t } = useTranslation('analytics');
  return (
    <p className="an-export">
      {EXPORT_FORMATS.map((f) => (
        <a key={f} className="btn btn-secondary btn-small" href={exportHref(city, table, query, f)} download data-format={f}>
          {t(`export.${f}`)}<span className="visually-hidden"> — {what}</span>
        </a>
      ))}
    </p>
  );
}

/** The active filters as chips, each with a link that removes it; "clear all" when there are several. */
export function FilterChips({ sel, ref, base, keep = {} }: { sel: Selection; ref: CityReference | null; base: string; keep?: Record<string, string | undefined> }) {
  const { t, i18n } = useTranslation('analytics');
  const lang = i18n.language;
  const chips = FILTER_KEYS.flatMap((key) => (sel.filters[key] ?? []).map((value) => ({ key, value })));
  if (!chips.length) return <p className="an-chips-none">{t('filters.none')}</p>;
  return (
    <div className="an-chips-block">
      <h3 className="visually-hidden">{t('filters.active')}</h3>
      <ul className="an-chips" aria-label={t('filters.active')}>
        {chips.map(({ key, value }) => {
          const name = `${t(`filter.${key}`)}: ${filterValueLabel(t, lang, ref, key, value)}`;
          return (
            <li key={`${key}=${value}`} className="an-chip" data-filter={key}>
              <span>{name}</span>
              <Link to={`${base}${queryString(searchOf(withoutFilter(sel, key, value), keep))}`} className="an-chip-remove"
                aria-label={t('filters.remove', { name })}>
                <span aria-hidden="true">×</span>
              </Link>
            </li>
          );
        })}
      </ul>
      {chips.length > 1 ? <p><Link to={`${base}${queryString(searchOf({ ...sel, filters: {} }, keep))}`}>{t('filters.clear')}</Link></p> : null}
    </div>
  );
}

/** "The filters Service and Status do not apply here", when a table had to leave some out. */
export function IgnoredFilters({ keys }: { keys: readonly FilterKey[] }) {
  const { t } = useTranslation('analytics');
  if (!keys.length) return null;
  return <p className="alert an-ignored" role="note">{t('filters.ignored', { count: keys.length, names: keys.map((k) => `«${t(`filter.${k}`)}»`).join(', ') })}</p>;
}

/** A figure as text, or its drill-down link when there is one. */
export function FigureLink({ value, kind, to }: { value: number | null; kind: FigureKind; to: string | null }): ReactNode {
  if (!to || value === null || value === 0) return <Figure value={value} kind={kind} />;
  return <Link to={to} className="an-drill"><Figure value={value} kind={kind} /></Link>;
}

/** The law's three forms, in words. */
export function FormsExplained({ ns = 'analytics' }: { ns?: 'analytics' | 'dashboard' }) {
  const { t } = useTranslation(ns);
  return (
    <dl className="an-forms">
      {(['oral', 'written', 'electronic'] as const).map((f) => (
        <div key={f}><dt>{t(`form.${f}`)}</dt><dd>{t(`formExplained.${f}`)}</dd></div>
      ))}
    </dl>
  );
}

/** Who may use the analytics pages (the server checks the same); the staff menu shows them the item. */
export { ANALYTICS_ROLES } from '../staff/StaffNavItems.js';

export { Figure, type FigureKind };
