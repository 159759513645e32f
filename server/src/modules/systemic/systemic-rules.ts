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
/** Appeals, each applicant counted at most `cap` times. */
export function cappedCount(recs: AppealRecord[], cap: number): number {
  const per = new Map<string, number>();
  for (const r of recs) per.set(r.applicantKey, (per.get(r.applicantKey) ?? 0) + 1);
  let n = 0;
  for (const k of per.values()) n += Math.min(k, cap);
  return n;
}
export const distinctWeeks = (recs: AppealRecord[], p: SystemicParams) => new Set(recs.map((r) => weekOf(r.registeredAt.getTime(), p))).size;

/**
 * Returns after closure: an appeal that starts a new episode once every earlier appeal of the place was closed, or that
 * names, by repeat_of, an earlier appeal already closed when it came. Each such appeal counts once.
 */
export function repeatsOf(recs: AppealRecord[], byId: ReadonlyMap<string, AppealRecord>, minGapDays = 0): number {
  return returnsOf(recs, byId, minGapDays).length;
}

/** The appeals that are returns after closure (see repeatsOf), in order. */
export function returnsOf(recs: AppealRecord[], byId: ReadonlyMap<string, AppealRecord>, minGapDays = 0): AppealRecord[] {
  const gap = minGapDays * DAY;
  const sorted = [...recs].sort((a, b) => a.registeredAt.getTime() - b.registeredAt.getTime() || (a.id < b.id ? -1 : 1));
  const returns: AppealRecord[] = [];
  let openUntil = -Infinity; // when the current episode's last appeal closes; Infinity while one is open
  let seen = false;
  for (const r of sorted) {
    const t = r.registeredAt.getTime();
    const target = r.repeatOfId ? byId.get(r.repeatOfId) : undefined;
    const linked = target?.closedAt != null && target.closedAt.getTime() + gap <= t;
    // A report within days of a closure is a complaint about that answer, not the fix failing: it must hold minGapDays.
    if ((seen && t >= openUntil + gap) || linked) returns.push(r);
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

/**
 * What the usual mix predicts for a category from the place's *other* appeals: others × share / (1 − share). Leaving
 * the category's own appeals out keeps a large problem from raising its own yardstick.
 */
export const expectedFrom = (others: number, share: number) => (share >= 1 ? Infinity : Math.max(0, others) * share / (1 - share));

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
 * The category's usual share here: its share of the neighbourhood's appeals before the window, shrunk towards the city
 * share by `localPrior` pseudo-appeals (a quiet suburb's few appeals say little), and never below the city share. A
 * bazaar where every category is common then expects more of each; the window itself is left out so that a new
 * problem does not raise its own yardstick.
 */
export function localShare(local: Place, from: number, cityShare: number, p: SystemicParams): number {
  const before = local.totals.since(-Infinity) - local.totals.since(from);
  let count = 0;
  for (const r of local.recs) if (r.registeredAt.getTime() <= from) count++;
  return Math.max(cityShare, (count + p.localPrior * cityShare) / (before + p.localPrior));
}

/**
 * Most years in which one season carried the problem: a year counts when that season holds minSeasonAppeals of the
 * category and the category is minCategoryShare of the place's appeals in it; the season must hold most of the
 * category's appeals, so a problem present all year round is not called seasonal.
 */
export function seasonalYearsOf(recs: AppealRecord[], p: SystemicParams, totals: PlaceTotals, baseline: SystemicBaseline | null): number {
  return seasonalPeak(recs, p, totals, baseline).years;
}

/** The season that carried the problem in most years, in how many, and which years; season -1 when none. */
export function seasonalPeak(
  recs: AppealRecord[], p: SystemicParams, totals: PlaceTotals, baseline: SystemicBaseline | null, pValue = p.maxPValue,
): { season: number; years: number; counted: number[] } {
  const none = { season: -1, years: 0, counted: [] as number[] };
  if (recs.length === 0) return none;
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
  const yearPValue = pValue ** (1 / p.minSeasonYears);
  let best = none;
  perSeason.forEach((s, season) => {
    if (s.total / recs.length < p.minSeasonShare || s.applicants.size < p.minSeasonApplicants) return;
    const share = shares?.[season] ?? 0;
    const expectedIn = (year: number, n: number) => expectedFrom(totals.inSeason(seasonKey(season, year)) - n, share);
    const counted = [...s.perYear].filter(([year, n]) => n >= p.minSeasonAppeals && standsOut(n, expectedIn(year, n), p, yearPValue))
      .map(([year]) => year).sort((a, b) => a - b);
    // The counted years together must also stand out at the full level: picking the best years of five is a search.
    const observed = counted.reduce((n, y) => n + s.perYear.get(y)!, 0);
    const expected = counted.reduce((n, y) => n + expectedIn(y, s.perYear.get(y)!), 0);
    if (counted.length > best.years && standsOut(observed, expected, p, pValue)) best = { season, years: counted.length, counted };
  });
  return best;
}

/** A set of cells as the rules see it: the category's appeals there (any date up to asOf) and appeals of every category. */
export interface Place { recs: AppealRecord[]; totals: PlaceTotals }

/**
 * Which rules a cell meets. `places`: the candidate places around the cell, each holding the cell (the cell alone, the
 * cell with one neighbour, the cell with its ring: a scan over shapes, so a two-block problem in a dense centre is not
 * diluted by five busy blocks around it, and a problem across a street is not split); `own`: the cell alone. A rule
 * holds when some place meets it and stands out against the usual mix there, and the cell itself carries an excess
 * (its own count at least minCellLift × its own expectation), so that a busy neighbour of a problem does not join it.
 */
export function kindsOf(
  places: Place[], own: Place, asOf: number, p: SystemicParams, byId: ReadonlyMap<string, AppealRecord>,
  baseline: SystemicBaseline | null, local: Place,
): SystemicKind[] {
  const kinds: SystemicKind[] = [];
  if (own.recs.length === 0) return kinds;
  const categoryId = own.recs[0]!.categoryId;
  // The place's appeals of every category, this one included: over a few appeals in a quiet block the category's own
  // count is most of what is known about the place's volume, and leaving it out would make any five look unusual.
  const expectedIn = (place: Place, from: number) =>
    place.totals.since(from) * localShare(local, from, expectedShare(baseline, categoryId, from, asOf, p), p);

  // Trying several shapes is several tests: each must pass maxPValue / shapes (Bonferroni), or scanning would find
  // chance clusters that a single test would not.
  const scanPValue = p.maxPValue / places.length;
  const spatialFrom = since(asOf, p.spatialWindowDays);
  // Counted by residents, not appeals, so one persistent resident cannot make a place stand out.
  const spatialMeets = (place: Place) => {
    const recs = within(place.recs, spatialFrom, asOf);
    const residents = distinctApplicants(recs);
    return residents >= p.minApplicants && distinctWeeks(recs, p) >= p.minWeeks && standsOut(residents, expectedIn(place, spatialFrom), p, scanPValue);
  };
  const ownSpatial = distinctApplicants(within(own.recs, spatialFrom, asOf));
  if (ownSpatial > 0 && ownSpatial >= p.minCellLift * expectedIn(own, spatialFrom) && places.some(spatialMeets)) kinds.push('spatial');

  // Returns are judged in the cell alone: over a whole neighbourhood a busy category always "returns" by chance.
  const repeatFrom = since(asOf, p.repeatWindowDays);
  const repeat = within(own.recs, repeatFrom, asOf);
  // Appeals against the usual mix, but each resident's counted at most R + 1 times (a report and R returns), so one
  // resident refiling every week cannot make the cell stand out; and R returns by R different residents.
  // Returns that name the closed appeal by repeat_of are residents' own word that it is the same problem: R of them, by
  // R residents, need no comparison with the usual mix (which a dense centre would otherwise drown them in).
  const returns = returnsOf(repeat, byId, p.minReturnGapDays);
  const linked = distinctApplicants(returns.filter((r) => r.repeatOfId != null)) >= p.minRepeats;
  if (distinctApplicants(repeat) >= p.minRepeatApplicants && distinctApplicants(returns) >= p.minRepeats
    && (linked || standsOut(cappedCount(repeat, p.minRepeats + 1), expectedIn(own, repeatFrom), p))) {
    kinds.push('repeat');
  }

  const seasonalFrom = seasonalStart(asOf, p);
  const shares = baseline?.get(categoryId);
  for (const place of places) {
    const peak = seasonalPeak(within(place.recs, seasonalFrom, asOf), p, place.totals, baseline, scanPValue);
    if (peak.years < p.minSeasonYears) continue;
    const inPeak = (r: AppealRecord) => { const s = seasonOf(r.registeredAt.getTime(), p); return s.season === peak.season && peak.counted.includes(s.year); };
    const ownCount = within(own.recs, seasonalFrom, asOf).filter(inPeak).length;
    const ownExpected = expectedFrom(peak.counted.reduce((n, y) => n + own.totals.inSeason(seasonKey(peak.season, y)), 0) - ownCount, shares?.[peak.season] ?? 0);
    if (ownCount > 0 && ownCount >= p.minCellLift * ownExpected) { kinds.push('seasonal'); break; }
  }
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
