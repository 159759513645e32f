import { describe, expect, it } from 'vitest';
import { WorkingCalendar, localDate } from './working-calendar.js';

// Bishkek 2026 non-working days from the seeded calendar (weekends aside).
const HOLIDAYS_2026 = ['2026-01-01', '2026-01-02', '2026-01-05', '2026-01-06', '2026-01-07', '2026-03-20',
  '2026-05-01', '2026-05-04', '2026-05-05', '2026-05-06', '2026-05-07', '2026-05-08', '2026-05-27', '2026-08-31'];
const cal = new WorkingCalendar(HOLIDAYS_2026.map((date) => ({ date, isWorking: false })));

describe('WorkingCalendar', () => {
  it('treats weekends and holidays as days off', () => {
    expect(cal.isWorkingDay('2026-04-27')).toBe(true); // Monday
    expect(cal.isWorkingDay('2026-04-25')).toBe(false); // Saturday
    expect(cal.isWorkingDay('2026-03-20')).toBe(false); // Orozo Ait
    expect(cal.isWorkingDay('2026-05-27')).toBe(false); // Kurman Ait
  });

  it('counts 14 working days across the May holidays', () => {
    // Mon 27 Apr: 28–30 Apr (3), 1–9 May off, 11–15 (8), 18–22 (13), 25 May (14).
    expect(cal.addWorkingDays('2026-04-27', 14)).toBe('2026-05-25');
    // Without the holidays it would be 15 May.
    expect(new WorkingCalendar().addWorkingDays('2026-04-27', 14)).toBe('2026-05-15');
  });

  it('starts counting on the next working day when registered on a day off', () => {
    expect(cal.addWorkingDays('2026-03-20', 1)).toBe('2026-03-23'); // Orozo Ait (Fri) → Monday
    expect(cal.addWorkingDays('2026-05-02', 1)).toBe('2026-05-11');
  });

  it('lets a working Saturday count', () => {
    const withSaturday = new WorkingCalendar([{ date: '2026-04-25', isWorking: true }]);
    expect(withSaturday.addWorkingDays('2026-04-24', 1)).toBe('2026-04-25');
  });

  it('counts working days between two dates both ways', () => {
    expect(cal.workingDaysBetween('2026-04-27', '2026-05-25')).toBe(14);
    expect(cal.workingDaysBetween('2026-05-25', '2026-04-27')).toBe(-14);
    expect(cal.workingDaysBetween('2026-04-27', '2026-04-27')).toBe(0);
  });

  it('refuses what is not a date or not a whole number of days', () => {
    expect(() => cal.addWorkingDays('2026-02-30', 1)).toThrow(RangeError);
    expect(() => cal.addWorkingDays('27.04.2026', 1)).toThrow(RangeError);
    expect(() => cal.addWorkingDays('2026-04-27', -1)).toThrow(RangeError);
    expect(() => cal.addWorkingDays('2026-04-27', 1.5)).toThrow(RangeError);
  });

  it('stops on a calendar with no working days instead of looping', () => {
    const none = new WorkingCalendar(Array.from({ length: 4000 }, (_, i) => ({ date: new Date(Date.UTC(2026, 0, 1 + i)).toISOString().slice(0, 10), isWorking: false })));
    expect(() => none.addWorkingDays('2026-01-01', 1)).toThrow(/no working days/);
  });

  it('takes the local date in the municipality time zone', () => {
    // 20:00 UTC on 19 March is 02:00 on 20 March in Bishkek (UTC+6).
    expect(localDate(new Date('2026-03-19T20:00:00Z'), 'Asia/Bishkek')).toBe('2026-03-20');
    expect(localDate(new Date('2026-03-19T17:59:59Z'), 'Asia/Bishkek')).toBe('2026-03-19');
  });
});
