/**
 * Scorecard periods are whole local months of the city ('2026-04'): a month holds what happened between its first
 * and last day on the city's own clock, as the roll-up counts it.
 */
import { localDate } from '@shaar/contracts';

/** 'YYYY-MM'. */
export type Month = string;

/** Years 2000–2199: no appeal lives outside them. */
export const MONTH_PATTERN = /^(20|21)\d{2}-(0[1-9]|1[0-2])$/;
/** The longest period a scorecard request may cover. */
export const MAX_PERIOD_MONTHS = 36;
/** The default period: this many months up to and including the current one. */
export const DEFAULT_PERIOD_MONTHS = 12;

export function currentMonth(now: Date, timezone: string): Month {
  return localDate(now, timezone).slice(0, 7);
}

export function addMonths(month: Month, n: number): Month {
  const [y, m] = month.split('-').map(Number) as [number, number];
  const index = y * 12 + (m - 1) + n;
  return `${String(Math.floor(index / 12)).padStart(4, '0')}-${String((index % 12) + 1).padStart(2, '0')}`;
}

/** Months from `from` to `to`, both included. */
export function monthsBetween(from: Month, to: Month): Month[] {
  const out: Month[] = [];
  for (let m = from; m <= to; m = addMonths(m, 1)) out.push(m);
  return out;
}

/** The first day of a month, as stored in scorecard_months.month. */
export const firstDay = (month: Month) => `${month}-01`;

export interface Period { from: Month; to: Month }

/** The period asked for, with defaults: up to the current month, DEFAULT_PERIOD_MONTHS long. */
export function resolvePeriod(query: { from?: Month | undefined; to?: Month | undefined }, now: Date, timezone: string): Period {
  const to = query.to ?? (query.from ? maxMonth(query.from, currentMonth(now, timezone)) : currentMonth(now, timezone));
  const from = query.from ?? addMonths(to, -(DEFAULT_PERIOD_MONTHS - 1));
  return { from, to };
}

const maxMonth = (a: Month, b: Month) => (a > b ? a : b);

/** Whether a period can be served: from ≤ to, at most MAX_PERIOD_MONTHS long. */
export function isValidPeriod(p: Period): boolean {
  return p.from <= p.to && monthsBetween(p.from, p.to).length <= MAX_PERIOD_MONTHS;
}
