/**
 * How scorecard figures read: percentages, working days ("60+" is the histogram's last cell), ratings and months,
 * in the page's language. Like i18n/index.ts, Kyrgyz falls back to the CLDR Kyrgyz patterns written out, and to
 * Russian number conventions, where the browser's Intl has no Kyrgyz data.
 */
import { formatNumber } from '../../i18n/index.js';

const KY_MONTHS = ['январь', 'февраль', 'март', 'апрель', 'май', 'июнь', 'июль', 'август', 'сентябрь', 'октябрь', 'ноябрь', 'декабрь'];
const KY_MONTHS_SHORT = ['янв.', 'фев.', 'мар.', 'апр.', 'май', 'июн.', 'июл.', 'авг.', 'сен.', 'окт.', 'ноя.', 'дек.'];
const intlKnowsKyrgyz = (() => {
  try { return Intl.DateTimeFormat.supportedLocalesOf(['ky']).length > 0; } catch { return false; }
})();
const numberLocale = (lang: string) => (lang === 'ky' && !intlKnowsKyrgyz ? 'ru' : lang);

/** The working days' histogram counts exactly up to 59; 60 stands for "60 or more". */
export const DAYS_CAP = 60;

/** 'YYYY-MM' → a Date on the 1st of that month (local time, only for formatting). */
function monthDate(month: string): Date {
  const [y, m] = month.split('-').map(Number) as [number, number];
  return new Date(y, m - 1, 1);
}

/** "May 2026", "май 2026 г.", "2026-ж., май". */
export function formatMonth(month: string, lang: string): string {
  const d = monthDate(month);
  if (lang === 'ky' && !intlKnowsKyrgyz) return `${d.getFullYear()}-ж., ${KY_MONTHS[d.getMonth()]}`;
  return new Intl.DateTimeFormat(lang, { month: 'long', year: 'numeric' }).format(d);
}

/** "May", "май", "май" — for a chart's axis (the year is written where it changes). */
export function formatMonthShort(month: string, lang: string): string {
  const d = monthDate(month);
  if (lang === 'ky' && !intlKnowsKyrgyz) return KY_MONTHS_SHORT[d.getMonth()]!;
  return new Intl.DateTimeFormat(lang, { month: 'short' }).format(d);
}

/** 87.5 → "87.5%" / "87,5 %". */
export function formatPct(value: number, lang: string): string {
  return new Intl.NumberFormat(numberLocale(lang), { style: 'percent', maximumFractionDigits: 1 }).format(value / 100);
}

/** Working days, one decimal; the cap reads "60+". */
export function formatDays(value: number, lang: string): string {
  return value >= DAYS_CAP ? `${formatNumber(DAYS_CAP, lang)}+` : formatNumber(Math.round(value * 10) / 10, lang);
}

/** An average rating 1–5 with one decimal. */
export function formatRating(value: number, lang: string): string {
  return new Intl.NumberFormat(numberLocale(lang), { minimumFractionDigits: 1, maximumFractionDigits: 1 }).format(value);
}

export { formatNumber };

// ---- months of a period ---------------------------------------------------------------------------------------

export const MONTH_RE = /^(20|21)\d{2}-(0[1-9]|1[0-2])$/;
/** The longest period the server serves. */
export const MAX_MONTHS = 36;

export function addMonths(month: string, n: number): string {
  const [y, m] = month.split('-').map(Number) as [number, number];
  const index = y * 12 + (m - 1) + n;
  return `${Math.floor(index / 12)}-${String((index % 12) + 1).padStart(2, '0')}`;
}

/** This device's current month; the server's own "now" decides the default period. */
export function thisMonth(): string {
  const d = new Date();
  return `${d.getFullYear()}-${String(d.getMonth() + 1).padStart(2, '0')}`;
}

/** Months from `latest` back, newest first: the choices of the period picker. */
export function monthChoices(latest: string, count = MAX_MONTHS): string[] {
  return Array.from({ length: count }, (_, i) => addMonths(latest, -i));
}
