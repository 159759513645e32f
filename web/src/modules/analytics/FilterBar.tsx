/**
 * The dashboard's filter bar: the period (months), the comparison, and one choice per filter. A filter that the
 * address holds several values of (after drill-downs, or a shared link) shows "N chosen" and keeps them unless
 * another choice is made; the chips below the bar remove values one by one.
 */
import { useEffect, useMemo, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { pickName } from '../../app/cities.js';
import { Button, Select } from '../../ui/ui.js';
import { formatMonth } from '../scorecards/format.js';
import { CategoryOptions, type CityReference } from '../staff/shared.js';
import { rowLabel } from './shared.js';
import {
  CHANNELS, COMPARE, FILTER_KEYS, FORMS, KINDS, monthsBack, STATUSES, thisMonth,
  type Compare, type FilterKey, type Filters, type Selection,
} from './selection.js';

/** How many months back the period pickers offer (the server serves up to 120 in one period). */
const MONTHS_OFFERED = 72;
/** A select's value for "keep the several values the address holds". */
const KEEP = '*';

type Choices = Record<FilterKey, string>;

const choicesOf = (filters: Filters): Choices => Object.fromEntries(FILTER_KEYS.map((k) => {
  const v = filters[k] ?? [];
  return [k, v.length === 0 ? '' : v.length === 1 ? v[0]! : KEEP];
})) as Choices;

export function FilterBar({ sel, shown, ref, onApply }: {
  sel: Selection; shown: { from: string; to: string } | null; ref: CityReference | null; onApply: (next: Selection) => void;
}) {
  const { t, i18n } = useTranslation('analytics');
  const lang = i18n.language;
  const from0 = sel.from ?? shown?.from ?? '';
  const to0 = sel.to ?? shown?.to ?? '';
  const [from, setFrom] = useState(from0);
  const [to, setTo] = useState(to0);
  const [compare, setCompare] = useState<Compare>(sel.compare);
  const [choices, setChoices] = useState<Choices>(() => choicesOf(sel.filters));
  const [problem, setProblem] = useState<string | undefined>();
  // The address changed (a chip removed, a drill-down, back/forward): the bar shows what is in it.
  const filterKey = JSON.stringify(sel);
  useEffect(() => {
    setFrom(from0); setTo(to0); setCompare(sel.compare); setChoices(choicesOf(sel.filters)); setProblem(undefined);
  }, [filterKey, from0, to0]);

  const latest = [thisMonth(), to0].sort().at(-1)!;
  const months = useMemo(() => {
    const list = monthsBack(latest, MONTHS_OFFERED);
    for (const m of [from0, to0]) if (m && !list.includes(m)) list.push(m);
    return list.sort().reverse();
  }, [latest, from0, to0]);

  const submit = (e: FormEvent) => {
    e.preventDefault();
    if (from && to && from > to) { setProblem(t('period.order')); return; }
    setProblem(undefined);
    const filters: Filters = {};
    for (const k of FILTER_KEYS) {
      const v = choices[k];
      if (v === KEEP) { if (sel.filters[k]?.length) filters[k] = sel.filters[k]; } else if (v) filters[k] = [v];
    }
    onApply({ ...(from ? { from } : {}), ...(to ? { to } : {}), compare, filters });
  };

  const set = (k: FilterKey) => (e: { target: { value: string } }) => setChoices((c) => ({ ...c, [k]: e.target.value }));
  const keepOption = (k: FilterKey) => ((sel.filters[k]?.length ?? 0) > 1
    ? <option value={KEEP}>{t('filters.several', { count: sel.filters[k]!.length })}</option> : null);
  const codes = (k: 'channel' | 'form' | 'kind' | 'status', list: readonly string[]) => (
    <Select label={t(`filter.${k}`)} value={choices[k]} onChange={set(k)} name={k}>
      <option value="">{t('filters.all')}</option>
      {keepOption(k)}
      {list.map((v) => <option key={v} value={v}>{rowLabel(t, lang, k, v)}</option>)}
    </Select>
  );
  const sorted = <X extends { name: { ky: string; ru: string; en: string } }>(xs: readonly X[]) =>
    [...xs].sort((a, b) => pickName(a.name, lang).localeCompare(pickName(b.name, lang), lang));

  return (
    <form className="an-filters" onSubmit={submit} noValidate aria-labelledby="an-filters-heading">
      <h2 id="an-filters-heading" className="visually-hidden">{t('filters.heading')}</h2>
      <div className="filter-grid">
        <Select label={t('period.from')} value={from} onChange={(e) => { setFrom(e.target.value); setProblem(undefined); }} error={problem} name="from">
          {months.map((m) => <option key={m} value={m}>{formatMonth(m, lang)}</option>)}
        </Select>
        <Select label={t('period.to')} value={to} onChange={(e) => { setTo(e.target.value); setProblem(undefined); }} name="to">
          {months.map((m) => <option key={m} value={m}>{formatMonth(m, lang)}</option>)}
        </Select>
        <Select label={t('compare.label')} value={compare} onChange={(e) => setCompare(e.target.value as Compare)} name="compare">
          {COMPARE.map((c) => <option key={c} value={c}>{t(`compare.${c}`)}</option>)}
        </Select>
        <Select label={t('filter.category')} value={choices.category} onChange={set('category')} name="category">
          <option value="">{t('filters.all')}</option>
          {keepOption('category')}
          {ref ? <CategoryOptions categories={ref.categories} lang={lang} /> : null}
        </Select>
        <Select label={t('filter.district')} value={choices.district} onChange={set('district')} name="district">
          <option value="">{t('filters.all')}</option>
          {keepOption('district')}
          {sorted(ref?.districts ?? []).map((d) => <option key={d.id} value={d.id}>{pickName(d.name, lang)}</option>)}
        </Select>
        <Select label={t('filter.service')} value={choices.service} onChange={set('service')} name="service">
          <option value="">{t('filters.all')}</option>
          {keepOption('service')}
          {sorted(ref?.services ?? []).map((s) => <option key={s.id} value={s.id}>{pickName(s.name, lang)}</option>)}
        </Select>
        {codes('channel', CHANNELS)}
        {codes('form', FORMS)}
        {codes('kind', KINDS)}
        {codes('status', STATUSES)}
      </div>
      <div className="form-buttons">
        <Button type="submit">{t('filters.apply')}</Button>
      </div>
    </form>
  );
}
