/**
 * Analytics periods are whole local months ('2026-04'), as the cube counts them: by default the last 12 months up to
 * and including the current one; at most 120 (ten years). A comparison period is the same number of months just
 * before ('previous') or the same months a year earlier ('year_before').
 */
import { addMonths, currentMonth, monthsBetween, MONTH_PATTERN, type Month } from '../scorecards/scorecard-period.js';

export { addMonths, currentMonth, monthsBetween, type Month };

export const MAX_PERIOD_MONTHS = 120;
export const DEFAULT_PERIOD_MONTHS = 12;

export interface Period { from: Month; to: Month; months: number }
export type Compare = 'previous' | 'year_before' | 'none';

/** The number of months from `from` to `to`, both included (≤ 0 when `to` is earlier). */
export function monthCount(from: Month, to: Month): number {
  const index = (m: Month) => Number(m.slice(0, 4)) * 12 + Number(m.slice(5, 7));
  return index(to) - index(from) + 1;
}

const period = (from: Month, to: Month): Period => ({ from, to, months: monthCount(from, to) });

/**
 * The period asked for, with defaults (to: the current month; from: 11 months before `to`). Null when it cannot be
 * served: `from` after `to`, longer than MAX_PERIOD_MONTHS, or a year outside 2000–2199 (no appeal lives there).
 */
export function resolvePeriod(query: { from?: Month | undefined; to?: Month | undefined }, now: Date, timezone: string): Period | null {
  const to = query.to ?? currentMonth(now, timezone);
  const from = query.from ?? addMonths(to, -(DEFAULT_PERIOD_MONTHS - 1));
  if (!MONTH_PATTERN.test(from) || !MONTH_PATTERN.test(to)) return null;
  const p = period(from, to);
  return p.months >= 1 && p.months <= MAX_PERIOD_MONTHS ? p : null;
}

/** The period a figure is compared with; null for 'none'. */
export function comparePeriodOf(p: Period, compare: Compare): Period | null {
  if (compare === 'previous') return period(addMonths(p.from, -p.months), addMonths(p.from, -1));
  if (compare === 'year_before') return period(addMonths(p.from, -12), addMonths(p.to, -12));
  return null;
}

/** The month of `other` at the place `month` has in `period` (a month and the one it is compared with). */
export function monthAt(period: Period, other: Period, month: Month): Month {
  return addMonths(other.from, monthCount(period.from, month) - 1);
}

/** The first day of a month, as the cube stores it. */
export const firstDay = (month: Month) => `${month}-01`;
