/**
 * The three rules over one neighbourhood's appeals of one category, and the figures of a problem. Each function takes
 * plain lists so that the detector can apply it to a cell's neighbourhood and to a whole cluster alike.
 */
import type { AppealRecord, SystemicBaseline, SystemicKind, SystemicParams, Trend } from './systemic-params.js';

const DAY = 86_400_000;
/** 1970-01-05 was a Monday: weeks start on Monday, local time. */
const MONDAY = 4 * DAY;

export const weekOf = (t: number, p: SystemicParams) => Math.floor((t + p.utcOffsetHours * 3_600_000 - MONDAY) / (7 * DAY));

/** Meteorological season 0 winter (Dec–Feb, counted in the year of its January), 1 spring, 2 summer, 3 autumn. */
export function seasonOf(t: number, p: SystemicParams): { season: number; year: number } {
  const d = new Date(t + p.utcOffsetHours * 3_600_000);
  const m = d.getUTCMonth();
  return { season: Math.floor(((m + 1) % 12) / 3), year: d.getUTCFullYear() + (m === 11 ? 1 : 0) };
}

export const since = (asOf: number, days: number) => asOf - days * DAY;
export const seasonalStart = (asOf: number, p: SystemicParams) => since(asOf, Math.round(p.seasonalYearsBack * 365.25));

/** Records registered in (from, asOf]. */
export const within = (recs: AppealRecord[], from: number, asOf: number) =>
  recs.filter((r) => { const t = r.registeredAt.getTime(); return t > from && t <= asOf; });

export const distinctApplicants = (recs: AppealRecord[]) => new Set(recs.map((r) => r.applicantKey)).size;
export const distinctWeeks = (recs: AppealRecord[], p: SystemicParams) => new Set(recs.map((r) => weekOf(r.registeredAt.getTime(), p))).size;

/**
 * Returns after closure: an appeal that starts a new episode once every earlier appeal of the place was closed, or that
 * names, by repeat_of, an earlier appeal already closed when it came. Each such appeal counts once.
 */
export function repeatsOf(recs: AppealRecord[], byId: ReadonlyMap<string, AppealRecord>): number {
  return returnsOf(recs, byId).length;
}

/** The appeals that are returns after closure (see repeatsOf), in order. */
export function returnsOf(recs: AppealRecord[], byId: ReadonlyMap<string, AppealRecord>): AppealRecord[] {
  const sorted = [...recs].sort((a, b) => a.registeredAt.getTime() - b.registeredAt.getTime() || (a.id < b.id ? -1 : 1));
  const returns: AppealRecord[] = [];
  let openUntil = -Infinity; // when the current episode's last appeal closes; Infinity while one is open
  let seen = false;
  for (const r of sorted) {
    const t = r.registeredAt.getTime();
    const target = r.repeatOfId ? byId.get(r.repeatOfId) : undefined;
    const linked = target?.closedAt != null && target.closedAt.getTime() <= t;
    if ((seen && t >= openUntil) || linked) returns.push(r);
    if (seen && t < openUntil) openUntil = Math.max(openUntil, r.closedAt?.getTime() ?? Infinity);
    else openUntil = r.closedAt?.getTime() ?? Infinity;
    seen = true;
  }
  return returns;
}

/** All appeals of the place, every category: the yardstick for "stands out locally". */
export interface PlaceTotals {
  /** Appeals registered in (from, asOf]. */
  since(from: number): number;
  /** Appeals in one season of one year (key: seasonKey). */
  inSeason(key: number): number;
}
export const seasonKey = (season: number, year: number) => year * 4 + season;

/** Each category's city-wide share per season over the given appeals: the usual mix the rules compare against. */
export function baselineOf(records: AppealRecord[], p: SystemicParams): SystemicBaseline {
  const totals = [0, 0, 0, 0];
  const counts = new Map<string, [number, number, number, number]>();
  for (const r of records) {
    const { season } = seasonOf(r.registeredAt.getTime(), p);
    totals[season]!++;
    let c = counts.get(r.categoryId);
    if (!c) counts.set(r.categoryId, (c = [0, 0, 0, 0]));
    c[season]!++;
  }
  return new Map([...counts].map(([id, c]) => [id, c.map((n, s) => n / Math.max(1, totals[s]!)) as [number, number, number, number]]));
}

/** P(X ≥ k) for X ~ Poisson(mean): how likely the usual mix alone gives k or more. */
export function poissonTail(k: number, mean: number): number {
  if (mean <= 0) return k > 0 ? 0 : 1;
  let term = Math.exp(-mean);
  let below = 0;
  for (let i = 0; i < k; i++) { below += term; term *= mean / (i + 1); }
  return Math.max(0, 1 - below);
}

/** Whether `observed` stands out against `expected`: minLift times more, and unlikely by chance (at most pValue). */
export const standsOut = (observed: number, expected: number, p: SystemicParams, pValue = p.maxPValue) =>
  observed > 0 && observed >= p.minLift * expected && poissonTail(observed, expected) <= pValue;

/** The category's largest seasonal share among the seasons a window (from, asOf] touches; 0 without a baseline. */
export function expectedShare(baseline: SystemicBaseline | null, categoryId: string, from: number, asOf: number, p: SystemicParams): number {
  const shares = baseline?.get(categoryId);
  if (!shares) return 0;
  const seasons = new Set<number>();
  for (let t = asOf; t > from; t -= 30 * DAY) seasons.add(seasonOf(t, p).season);
  seasons.add(seasonOf(from + 1, p).season);
  return Math.max(...[...seasons].map((s) => shares[s]!));
}

/**
 * Most years in which one season carried the problem: a year counts when that season holds minSeasonAppeals of the
 * category and the category is minCategoryShare of the place's appeals in it; the season must hold most of the
 * category's appeals, so a problem present all year round is not called seasonal.
 */
export function seasonalYearsOf(recs: AppealRecord[], p: SystemicParams, totals: PlaceTotals, baseline: SystemicBaseline | null): number {
  return seasonalPeak(recs, p, totals, baseline).years;
}

/** The season that carried the problem in most years, and in how many; season -1 when none. */
export function seasonalPeak(
  recs: AppealRecord[], p: SystemicParams, totals: PlaceTotals, baseline: SystemicBaseline | null,
): { season: number; years: number } {
  if (recs.length === 0) return { season: -1, years: 0 };
  const perSeason = [0, 1, 2, 3].map(() => ({ total: 0, applicants: new Set<string>(), perYear: new Map<number, number>() }));
  for (const r of recs) {
    const { season, year } = seasonOf(r.registeredAt.getTime(), p);
    const s = perSeason[season]!;
    s.total++;
    s.applicants.add(r.applicantKey);
    s.perYear.set(year, (s.perYear.get(year) ?? 0) + 1);
  }
  const shares = baseline?.get(recs[0]!.categoryId);
  // S years, each unlikely at α^(1/S), are together unlikely at α: one year need not stand out as much as a quarter.
  const yearPValue = p.maxPValue ** (1 / p.minSeasonYears);
  let best = { season: -1, years: 0 };
  perSeason.forEach((s, season) => {
    if (s.total / recs.length < p.minSeasonShare || s.applicants.size < p.minSeasonApplicants) return;
    const years = [...s.perYear].filter(([year, n]) =>
      n >= p.minSeasonAppeals && standsOut(n, totals.inSeason(seasonKey(season, year)) * (shares?.[season] ?? 0), p, yearPValue)).length;
    if (years > best.years) best = { season, years };
  });
  return best;
}

/**
 * Which rules one neighbourhood meets. `categoryRecs`: the category's appeals in the cell and its neighbours (any
 * date up to asOf); `totals`: appeals of every category there; `own`: the same for the cell alone. Every rule also asks that the category stand out
 * locally (minLift × the usual mix of the place's appeals in the rule's window), so a busy square is not one problem.
 */
export function kindsOf(
  categoryRecs: AppealRecord[], totals: PlaceTotals, asOf: number, p: SystemicParams, byId: ReadonlyMap<string, AppealRecord>,
  baseline: SystemicBaseline | null, own: { recs: AppealRecord[]; totals: PlaceTotals },
): SystemicKind[] {
  const kinds: SystemicKind[] = [];
  if (categoryRecs.length === 0) return kinds;
  const categoryId = categoryRecs[0]!.categoryId;
  const expected = (from: number) => totals.since(from) * expectedShare(baseline, categoryId, from, asOf, p);
  const spatialFrom = since(asOf, p.spatialWindowDays);
  const spatial = within(categoryRecs, spatialFrom, asOf);
  // Counted by residents, not appeals, so one persistent resident cannot make a place stand out.
  const residents = distinctApplicants(spatial);
  if (standsOut(residents, expected(spatialFrom), p) && residents >= p.minApplicants && distinctWeeks(spatial, p) >= p.minWeeks) {
    kinds.push('spatial');
  }
  // Returns are judged in the cell alone: over a whole neighbourhood a busy category always "returns" by chance.
  const repeatFrom = since(asOf, p.repeatWindowDays);
  const repeat = within(own.recs, repeatFrom, asOf);
  const ownExpected = own.totals.since(repeatFrom) * expectedShare(baseline, categoryId, repeatFrom, asOf, p);
  // R returns reported by R different residents: one resident refiling after every answer is one voice, not R.
  if (standsOut(repeat.length, ownExpected, p) && distinctApplicants(repeat) >= p.minRepeatApplicants
    && distinctApplicants(returnsOf(repeat, byId)) >= p.minRepeats) {
    kinds.push('repeat');
  }
  if (seasonalYearsOf(within(categoryRecs, seasonalStart(asOf, p), asOf), p, totals, baseline) >= p.minSeasonYears) kinds.push('seasonal');
  return kinds;
}

/** How far back a problem's members reach: the longest window among the rules it met. */
export function horizonOf(kinds: SystemicKind[], asOf: number, p: SystemicParams): number {
  if (kinds.includes('seasonal')) return seasonalStart(asOf, p);
  if (kinds.includes('repeat')) return since(asOf, Math.max(p.repeatWindowDays, p.spatialWindowDays));
  return since(asOf, p.spatialWindowDays);
}

/** Last trend period against the mean of the two before; small changes are steady whatever the ratio. */
export function trendOf(members: AppealRecord[], asOf: number, p: SystemicParams): Trend {
  const counts = [0, 0, 0];
  for (const r of members) {
    const age = Math.floor((asOf - r.registeredAt.getTime()) / (p.trendPeriodDays * DAY));
    if (age >= 0 && age < 3) counts[age]!++;
  }
  const last = counts[0]!;
  const before = (counts[1]! + counts[2]!) / 2;
  if (last - before >= p.trendMinChange && last >= before * p.trendRatio) return 'rising';
  if (before - last >= p.trendMinChange && last * p.trendRatio <= before) return 'falling';
  return 'steady';
}

/** applicants × weeks × recurrence, squashed to 0–1 so that scores compare across runs without a global maximum. */
export function scoreOf(applicants: number, weeks: number, repeats: number, seasonalYears: number, p: SystemicParams): number {
  const raw = applicants * weeks * (1 + repeats + Math.max(0, seasonalYears - 1));
  return raw / (raw + p.scoreHalf);
}
