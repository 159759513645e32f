/** The scorecard arithmetic and periods, without a database. */
import { describe, expect, it } from 'vitest';
import { addTally, emptyTally, figuresOf, MIN_ANSWERS_TO_RANK, percentile, rankServices, type Figures, type Tally } from './scorecard-figures.js';
import { addMonths, isValidPeriod, monthsBetween, resolvePeriod } from './scorecard-period.js';
import { parseIntArray } from './scorecards.queries.js';

/** A histogram of the given working days. */
const histogramOf = (days: number[]) => days.reduce<number[]>((h, d) => { h[d] = (h[d] ?? 0) + 1; return h; }, []).map((n) => n ?? 0);

/** percentile_cont over a plain list, the definition the histogram version must match. */
function percentileCont(values: number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  const pos = p * (sorted.length - 1);
  const lo = Math.floor(pos);
  return sorted[lo]! + (sorted[Math.ceil(pos)]! - sorted[lo]!) * (pos - lo);
}

describe('percentile', () => {
  it('interpolates between neighbours as percentile_cont does', () => {
    expect(percentile(histogramOf([3, 10]), 0.5)).toBe(6.5);
    expect(percentile(histogramOf([3, 10]), 0.9)).toBe(9.3);
    expect(percentile(histogramOf([4]), 0.9)).toBe(4);
    expect(percentile([], 0.5)).toBeNull();
    expect(percentile([0, 0, 0], 0.5)).toBeNull();
  });

  it('agrees with the list definition on many random lists', () => {
    let seed = 7;
    const random = () => { seed = (seed * 1103515245 + 12345) % 2 ** 31; return seed / 2 ** 31; };
    for (let i = 0; i < 300; i++) {
      const values = Array.from({ length: 1 + Math.floor(random() * 40) }, () => Math.floor(random() * 61));
      for (const p of [0.5, 0.9]) {
        expect(percentile(histogramOf(values), p)).toBe(Math.round(percentileCont(values, p) * 10) / 10);
      }
    }
  });
});

const tally = (over: Partial<Tally>): Tally => ({ ...emptyTally(), ...over });

describe('tallies and figures', () => {
  it('adds histograms cell by cell, including ones of different lengths', () => {
    const sum = addTally(addTally(emptyTally(), tally({ answered: 2, histogram: [0, 1, 1] })), tally({ answered: 1, histogram: [1] }));
    expect(sum.histogram.slice(0, 4)).toEqual([1, 1, 1, 0]);
    expect(sum.histogram.reduce((a, b) => a + b)).toBe(3);
    expect(sum.answered).toBe(3);
  });

  it('turns counts into shares, an average and nulls where nothing was counted', () => {
    const f = figuresOf(tally({
      received: 9, answered: 3, answeredOnTime: 2, histogram: histogramOf([1, 2, 60]), ratings: 3, ratingSum: 11,
      solvedYes: 1, solvedPartly: 1, solvedNo: 1, reviewRequests: 1, reopenings: 2,
    }));
    expect(f).toEqual({
      received: 9, answered: 3, answeredOnTime: 2, onTimePct: 66.7, medianDays: 2, p90Days: 48.4, ratings: 3, averageRating: 3.67,
      solvedYes: 1, solvedPartly: 1, solvedNo: 1, solvedPct: 33.3, partlySolvedPct: 33.3, reviewRequests: 1, reopenings: 2,
    });
    expect(figuresOf(emptyTally())).toMatchObject({ onTimePct: null, medianDays: null, averageRating: null, solvedPct: null });
  });
});

describe('ranking', () => {
  const service = (code: string, f: Partial<Figures>) => ({ code, figures: { ...figuresOf(emptyTally()), answered: MIN_ANSWERS_TO_RANK, ...f } });

  it('orders by on-time share, then rating (none below any), median days, answers, code; too few answers are unranked', () => {
    const items = [
      service('e', { onTimePct: 90, averageRating: null }),
      service('d', { onTimePct: 90, averageRating: 3 }),
      service('c', { onTimePct: 90, averageRating: 4, medianDays: 9 }),
      service('b', { onTimePct: 90, averageRating: 4, medianDays: 5 }),
      service('a', { onTimePct: 95, averageRating: 1 }),
      service('f', { onTimePct: 100, answered: MIN_ANSWERS_TO_RANK - 1 }),
      service('h', { onTimePct: 80, answered: 50 }),
      service('g', { onTimePct: 80, answered: 50 }),
    ];
    const ranks = rankServices(items);
    expect(items.map((i) => [i.code, ranks.get(i)])).toEqual([
      ['e', 5], ['d', 4], ['c', 3], ['b', 2], ['a', 1], ['f', null], ['h', 7], ['g', 6],
    ]);
  });
});

describe('the histogram text of the database', () => {
  it('is read as numbers', () => {
    expect(parseIntArray('{}')).toEqual([]);
    expect(parseIntArray('{0,12,0,7}')).toEqual([0, 12, 0, 7]);
    expect(parseIntArray('{105}')).toEqual([105]);
  });
});

describe('periods', () => {
  it('counts months across years and defaults to twelve months up to the current local month', () => {
    expect(addMonths('2026-01', -1)).toBe('2025-12');
    expect(addMonths('2025-11', 14)).toBe('2027-01');
    expect(monthsBetween('2025-11', '2026-02')).toEqual(['2025-11', '2025-12', '2026-01', '2026-02']);
    // 31 May 20:00 UTC is already 1 June in Bishkek (UTC+6).
    const now = new Date('2026-05-31T20:00:00Z');
    expect(resolvePeriod({}, now, 'Asia/Bishkek')).toEqual({ from: '2025-07', to: '2026-06' });
    expect(resolvePeriod({ from: '2026-03' }, now, 'Asia/Bishkek')).toEqual({ from: '2026-03', to: '2026-06' });
    expect(resolvePeriod({ to: '2026-02' }, now, 'Asia/Bishkek')).toEqual({ from: '2025-03', to: '2026-02' });
    expect(isValidPeriod({ from: '2026-03', to: '2026-02' })).toBe(false);
    expect(isValidPeriod({ from: '2023-07', to: '2026-06' })).toBe(true);
    expect(isValidPeriod({ from: '2023-06', to: '2026-06' })).toBe(false);
  });
});
