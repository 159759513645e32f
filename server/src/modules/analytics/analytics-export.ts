/**
 * The analytic tables as files (CSV, XLSX): the same figures as the JSON routes, laid out as a reader expects, with
 * headers and code names in the request's language (analytics-labels.ts). The drill-down's file lists appeals by
 * registration number, dates, category, district, service, channel, status and outcome — never the applicant, nor
 * the subject or text (free text may name people); staff open the appeal itself for those.
 */
import type { Locale } from '@shaar/contracts';
import type { Directory } from '../directory/directory.cache.js';
import { codeLabel, label, type LabelKey } from './analytics-labels.js';
import type { BreakdownRow, Dimension, DrillDownItem } from './analytics.service.js';
import type { FiguresOut } from './analytics.schemas.js';

export interface Column { key: string; header: string }
export type Row = Record<string, string | number | null>;
export interface Table { columns: Column[]; rows: Row[] }

type Named = { key: string; label: { ky: string; ru: string; en: string } | null };
/** A row's name: a directory name in the language, a code's name, a month as it is. */
const nameOf = (locale: Locale, dim: Dimension, row: Named) => row.label?.[locale] ?? (dim === 'month' ? row.key : codeLabel(locale, dim, row.key));

const FIGURES: (keyof FiguresOut)[] = [
  'appeals', 'share', 'collective', 'repeats', 'answered', 'answeredOnTime', 'onTimePct', 'averageDays', 'ratings', 'averageRating', 'solvedPct', 'partlySolvedPct',
];
const figureColumns = (locale: Locale) => FIGURES.map((k) => ({ key: k, header: label(locale, `m.${k}` as LabelKey) }));

export function breakdownTable(locale: Locale, out: { by: Dimension; total: FiguresOut; rows: BreakdownRow[]; comparePeriod: unknown }): Table {
  const compare = out.comparePeriod !== null;
  const columns = [
    { key: 'name', header: label(locale, `dim.${out.by}` as LabelKey) }, ...figureColumns(locale),
    ...(compare ? [{ key: 'compareAppeals', header: label(locale, 'm.compareAppeals') }, { key: 'compareOnTimePct', header: label(locale, 'm.compareOnTimePct') }] : []),
  ];
  const line = (name: string, f: FiguresOut, c: FiguresOut | null): Row => ({
    name, ...f, ...(compare ? { compareAppeals: c?.appeals ?? null, compareOnTimePct: c?.onTimePct ?? null } : {}),
  });
  return {
    columns,
    rows: [...out.rows.map((r) => line(nameOf(locale, out.by, r), r.figures, r.compareFigures)), line(label(locale, 'total'), out.total, null)],
  };
}

export function crosstabTable(locale: Locale, out: { rows: Dimension; cols: Dimension; rowKeys: Named[]; colKeys: Named[]; cells: (number | null)[][] }): Table {
  const columns = [
    { key: 'name', header: `${label(locale, `dim.${out.rows}` as LabelKey)} \\ ${label(locale, `dim.${out.cols}` as LabelKey)}` },
    ...out.colKeys.map((c, j) => ({ key: `c${j}`, header: nameOf(locale, out.cols, c) })),
  ];
  const rows = out.rowKeys.map((r, i) => ({
    name: nameOf(locale, out.rows, r), ...Object.fromEntries(out.colKeys.map((_, j) => [`c${j}`, out.cells[i]![j] ?? null])),
  }));
  return { columns, rows };
}

export function groupsTable(locale: Locale, out: {
  by: Dimension; rows: { key: string; appeals: number | null; onTimePct: number | null; averageRating: number | null; solvedPct: number | null }[];
}): Table {
  const columns = [
    { key: 'name', header: label(locale, `dim.${out.by}` as LabelKey) },
    ...(['appeals', 'onTimePct', 'averageRating', 'solvedPct'] as const).map((k) => ({ key: k, header: label(locale, `m.${k}`) })),
  ];
  return {
    columns,
    rows: out.rows.map((r) => ({ name: codeLabel(locale, out.by, r.key), appeals: r.appeals, onTimePct: r.onTimePct, averageRating: r.averageRating, solvedPct: r.solvedPct })),
  };
}

export function drillDownColumns(locale: Locale): Column[] {
  return [
    { key: 'registrationNumber', header: label(locale, 'col.registrationNumber') },
    { key: 'registeredAt', header: label(locale, 'col.registeredAt') },
    { key: 'kind', header: label(locale, 'dim.kind') },
    { key: 'channel', header: label(locale, 'dim.channel') },
    { key: 'category', header: label(locale, 'dim.category') },
    { key: 'district', header: label(locale, 'dim.district') },
    { key: 'service', header: label(locale, 'dim.service') },
    { key: 'status', header: label(locale, 'dim.status') },
    { key: 'dueDate', header: label(locale, 'col.dueDate') },
    { key: 'answeredAt', header: label(locale, 'col.answeredAt') },
    { key: 'onTime', header: label(locale, 'col.onTime') },
    { key: 'rating', header: label(locale, 'col.rating') },
  ];
}

/** Drill-down rows for a file: names instead of ids, local times of the city; no subject (see above). */
export function drillDownRows(locale: Locale, dir: Directory, timezone: string, items: DrillDownItem[]): Row[] {
  // 'sv-SE' writes 2026-04-27 10:00: sortable and read the same in every language.
  const local = new Intl.DateTimeFormat('sv-SE', { timeZone: timezone, year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit' });
  const name = (text: { ky: string; ru: string; en: string } | undefined) => text?.[locale] ?? '';
  return items.map((a) => ({
    registrationNumber: a.registrationNumber,
    registeredAt: local.format(new Date(a.registeredAt)),
    kind: codeLabel(locale, 'kind', a.kind),
    channel: codeLabel(locale, 'channel', a.channel),
    category: a.categoryId ? name(dir.categories.get(a.categoryId)?.name) : '',
    district: a.districtId ? name(dir.districts.get(a.districtId)?.name) : '',
    service: a.serviceId ? name(dir.services.get(a.serviceId)?.name) : '',
    status: codeLabel(locale, 'status', a.status),
    dueDate: a.dueDate,
    answeredAt: a.answeredAt ? local.format(new Date(a.answeredAt)) : '',
    onTime: a.onTime === null ? '' : label(locale, a.onTime ? 'yes' : 'no'),
    rating: a.rating,
  }));
}
