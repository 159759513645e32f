/**
 * Working days on a municipality's calendar. Dates are plain ISO dates (YYYY-MM-DD) in the municipality's
 * own time zone; the arithmetic runs in UTC so no daylight-saving or host time zone can shift a day.
 *
 * The calendar is data: Saturdays and Sundays are days off unless an exception says otherwise, and each
 * public holiday (Nooruz, Orozo Ait, Kurman Ait…) is an exception entered per year by an admin.
 */

export type IsoDate = string;

export interface CalendarException {
  date: IsoDate;
  isWorking: boolean;
}

const DAY_MS = 86_400_000;
const ISO_DATE = /^\d{4}-\d{2}-\d{2}$/;

export function parseIsoDate(date: IsoDate): number {
  if (!ISO_DATE.test(date)) throw new RangeError(`not an ISO date: ${date}`);
  const t = Date.UTC(+date.slice(0, 4), +date.slice(5, 7) - 1, +date.slice(8, 10));
  if (formatIsoDate(t) !== date) throw new RangeError(`not a calendar date: ${date}`);
  return t;
}

export function formatIsoDate(utcMs: number): IsoDate {
  return new Date(utcMs).toISOString().slice(0, 10);
}

export function addCalendarDays(date: IsoDate, days: number): IsoDate {
  return formatIsoDate(parseIsoDate(date) + days * DAY_MS);
}

/** The local calendar date of an instant in a time zone, e.g. ('2026-03-19T20:00Z', 'Asia/Bishkek') → 2026-03-20. */
export function localDate(instant: Date, timeZone: string): IsoDate {
  // en-CA formats as YYYY-MM-DD. A formatter costs ~100 µs to build, so one per time zone is kept.
  let format = formatters.get(timeZone);
  if (!format) {
    format = new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit' });
    formatters.set(timeZone, format);
  }
  return format.format(instant);
}
const formatters = new Map<string, Intl.DateTimeFormat>();

export class WorkingCalendar {
  private readonly exceptions: Map<IsoDate, boolean>;

  constructor(exceptions: Iterable<CalendarException> = []) {
    this.exceptions = new Map();
    for (const e of exceptions) this.exceptions.set(e.date, e.isWorking);
  }

  isWorkingDay(date: IsoDate): boolean {
    const exception = this.exceptions.get(date);
    if (exception !== undefined) return exception;
    const weekday = new Date(parseIsoDate(date)).getUTCDay();
    return weekday !== 0 && weekday !== 6;
  }

  /**
   * The date of the n-th working day after `start` (the start day itself is not counted).
   * Registered on Friday with n = 1 → the next working Monday. n = 0 → `start`.
   */
  addWorkingDays(start: IsoDate, n: number): IsoDate {
    if (!Number.isInteger(n) || n < 0) throw new RangeError(`working days must be a whole number ≥ 0: ${n}`);
    let t = parseIsoDate(start);
    let left = n;
    // Ten years of days off in a row would be a data error, not a calendar: stop rather than loop forever.
    for (let guard = 0; left > 0; guard++) {
      if (guard > 3660) throw new RangeError('calendar has no working days');
      t += DAY_MS;
      if (this.isWorkingDay(formatIsoDate(t))) left--;
    }
    return formatIsoDate(t);
  }

  /** Working days in (from, to]: how many working days passed after `from` up to and including `to`. */
  workingDaysBetween(from: IsoDate, to: IsoDate): number {
    const a = parseIsoDate(from);
    const b = parseIsoDate(to);
    if (b === a) return 0;
    if (b < a) return -this.workingDaysBetween(to, from);
    let count = 0;
    for (let t = a + DAY_MS; t <= b; t += DAY_MS) if (this.isWorkingDay(formatIsoDate(t))) count++;
    return count;
  }
}
