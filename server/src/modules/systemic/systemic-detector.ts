/**
 * The systemic-problems detector (docs/systemic-problems.md): appeals are bucketed by H3 cell and category; a cell is
 * flagged when a shape around it (the cell, the cell and a neighbour, the cell and its ring of six) meets a rule and the
 * cell itself carries an excess; a problem is a connected group of flagged cells. A batch run is an incremental run from an empty state, so both take one code path;
 * an incremental run re-evaluates only the cells near new appeals or near appeals leaving a window.
 */
import { gridDisk, latLngToCell } from 'h3-js';
import {
  defaultSystemicParams, type AppealRecord, type SystemicBaseline, type SystemicKind, type SystemicParams, type SystemicProblem,
} from './systemic-params.js';
import {
  baselineOf, distinctApplicants, distinctWeeks, horizonOf, kindsOf, repeatsOf, scoreOf, seasonalStart, seasonalYearsOf, since,
  trendOf, weekOf, within, seasonOf, seasonalPeak, seasonKey, type Place, type PlaceTotals,
} from './systemic-rules.js';

interface Cluster { categoryId: string; flagged: Set<string>; cells: Set<string> }

/** What an incremental run keeps between runs. Opaque to callers; serialisable as plain maps. */
export interface DetectorState {
  params: SystemicParams;
  /** The usual category mix, frozen for the state's life so that incremental and batch runs judge alike. */
  baseline: SystemicBaseline | null;
  asOf: number;
  byId: Map<string, AppealRecord>;
  cellOfId: Map<string, string>;
  /** cell → category → appeals. */
  cells: Map<string, Map<string, AppealRecord[]>>;
  /** week → cells with an appeal registered that week: the cells to revisit when the week leaves a window. */
  weekCells: Map<number, Set<string>>;
  /** `category|cell` → rules the neighbourhood meets (only non-empty). */
  flags: Map<string, SystemicKind[]>;
  clusters: Map<number, Cluster>;
  /** `category|cell` → cluster holding that cell. */
  clusterAt: Map<string, number>;
  nextClusterId: number;
}

export function createDetectorState(params: Partial<SystemicParams> = {}, baseline: SystemicBaseline | null = null): DetectorState {
  return {
    params: { ...defaultSystemicParams, ...params }, baseline, asOf: -Infinity, byId: new Map(), cellOfId: new Map(), cells: new Map(),
    weekCells: new Map(), flags: new Map(), clusters: new Map(), clusterAt: new Map(), nextClusterId: 1,
  };
}

/**
 * Batch run over history: every appeal, judged as of `asOf` (default: the latest registration) against a baseline
 * (default: the category mix of these appeals; pass the stored one to compare with incremental runs).
 */
export function detectSystemicProblems(
  records: AppealRecord[], params: Partial<SystemicParams> = {}, asOf?: Date, baseline?: SystemicBaseline | null,
): SystemicProblem[] {
  const p = { ...defaultSystemicParams, ...params };
  return updateDetector(createDetectorState(p, baseline === undefined ? baselineOf(records, p) : baseline), records, asOf);
}

const diskCache = new Map<string, string[]>();
function ring(cell: string): string[] {
  let d = diskCache.get(cell);
  if (!d) {
    d = gridDisk(cell, 1);
    if (diskCache.size > 2_000_000) diskCache.clear(); // bounded: a city has far fewer cells
    diskCache.set(cell, d);
  }
  return d;
}

const key = (categoryId: string, cell: string) => `${categoryId}|${cell}`;

/**
 * Adds appeals (new ones, in any order after those already seen) and moves the clock to `asOf` (default: the later of
 * the previous clock and the newest appeal); returns every current problem, equal to a batch run over all appeals.
 */
export function updateDetector(state: DetectorState, records: AppealRecord[], asOf?: Date): SystemicProblem[] {
  const p = state.params;
  const latest = records.reduce((m, r) => Math.max(m, r.registeredAt.getTime()), state.asOf);
  const oldAsOf = state.asOf;
  const newAsOf = asOf ? asOf.getTime() : latest;
  const touched = new Set<string>();

  // An appeal seen before has changed (closed, reclassified, moved): its old copy leaves its cell, which is revisited.
  // A copy with no place and no repeat_of only removes the appeal (a caller's tombstone).
  for (const r of records) {
    const old = state.byId.get(r.id);
    const oldCell = old && state.cellOfId.get(r.id);
    if (!old || !oldCell) continue;
    const list = state.cells.get(oldCell)?.get(old.categoryId);
    const at = list?.indexOf(old) ?? -1;
    if (at >= 0) list!.splice(at, 1);
    state.cellOfId.delete(r.id);
    touched.add(oldCell);
  }
  for (const r of records) state.byId.set(r.id, r);
  for (const r of records) {
    // An appeal without a place joins the place of the appeal it repeats, if that one is known.
    const cell = r.lat != null && r.lon != null ? latLngToCell(r.lat, r.lon, p.resolution)
      : r.repeatOfId ? state.cellOfId.get(r.repeatOfId) : undefined;
    if (!cell) continue;
    state.cellOfId.set(r.id, cell);
    let byCategory = state.cells.get(cell);
    if (!byCategory) state.cells.set(cell, (byCategory = new Map()));
    let list = byCategory.get(r.categoryId);
    if (!list) byCategory.set(r.categoryId, (list = []));
    list.push(r);
    const week = weekOf(r.registeredAt.getTime(), p);
    let weekSet = state.weekCells.get(week);
    if (!weekSet) state.weekCells.set(week, (weekSet = new Set()));
    weekSet.add(cell);
    touched.add(cell);
  }

  // Moving the clock changes what each window holds: revisit cells with appeals at either edge of a window.
  if (Number.isFinite(oldAsOf) && newAsOf !== oldAsOf) {
    const edges: Array<(t: number) => number> = [
      (t) => since(t, p.spatialWindowDays), (t) => since(t, p.repeatWindowDays), (t) => seasonalStart(t, p), (t) => t,
    ];
    for (const edge of edges) {
      const [a, b] = [weekOf(edge(oldAsOf), p), weekOf(edge(newAsOf), p)].sort((x, y) => x - y) as [number, number];
      for (let w = a; w <= b; w++) for (const cell of state.weekCells.get(w) ?? []) touched.add(cell);
    }
  }
  state.asOf = newAsOf;

  const dirty1 = new Set<string>();
  for (const c of touched) for (const n of ring(c)) dirty1.add(n);
  const cellTotals = totalsCache(state);
  reflag(state, dirty1, cellTotals);
  const dirty2 = new Set<string>();
  for (const c of dirty1) for (const n of ring(c)) dirty2.add(n);
  recluster(state, dirty2);
  return problemsOf(state, cellTotals);
}

/** Per-cell totals of every category up to the clock, built lazily once per run. */
function totalsCache(state: DetectorState) {
  const cache = new Map<string, { times: number[]; seasons: Map<number, number> }>();
  const p = state.params;
  return (cell: string) => {
    let t = cache.get(cell);
    if (!t) {
      const times: number[] = [];
      const seasons = new Map<number, number>();
      for (const list of state.cells.get(cell)?.values() ?? []) {
        for (const r of list) {
          const at = r.registeredAt.getTime();
          if (at > state.asOf) continue;
          times.push(at);
          const { season, year } = seasonOf(at, p);
          seasons.set(seasonKey(season, year), (seasons.get(seasonKey(season, year)) ?? 0) + 1);
        }
      }
      t = { times: times.sort((a, b) => a - b), seasons };
      cache.set(cell, t);
    }
    return t;
  };
}

/** The place made of the given cells, as rules see it. */
function placeTotals(cells: string[], cellTotals: ReturnType<typeof totalsCache>): PlaceTotals {
  const parts = cells.map(cellTotals);
  return {
    since: (from) => parts.reduce((n, t) => n + t.times.length - upperBound(t.times, from), 0),
    inSeason: (k) => parts.reduce((n, t) => n + (t.seasons.get(k) ?? 0), 0),
  };
}

/** Index of the first element greater than x in an ascending list. */
function upperBound(xs: number[], x: number): number {
  let lo = 0;
  let hi = xs.length;
  while (lo < hi) { const mid = (lo + hi) >> 1; if (xs[mid]! <= x) lo = mid + 1; else hi = mid; }
  return lo;
}

/** Re-evaluates the rules for every category present in the given cells. */
function reflag(state: DetectorState, cells: Set<string>, cellTotals: ReturnType<typeof totalsCache>) {
  const p = state.params;
  const spatialFrom = since(state.asOf, p.spatialWindowDays);
  const seasonalFrom = seasonalStart(state.asOf, p);
  for (const cell of cells) {
    const byCategory = state.cells.get(cell);
    if (!byCategory) continue;
    const around = ring(cell);
    const diskTotals = placeTotals(around, cellTotals);
    const ownTotals = placeTotals([cell], cellTotals);
    for (const categoryId of byCategory.keys()) {
      const own = byCategory.get(categoryId)!;
      const recsIn = (n: string) => state.cells.get(n)?.get(categoryId) ?? [];
      const disk = around.flatMap(recsIn);
      const places: Place[] = [{ recs: own, totals: ownTotals }];
      // Smaller shapes only when the ring could meet a counting threshold at all (each count only grows with the place).
      const mayMeet = distinctApplicants(within(disk, spatialFrom, state.asOf)) >= p.minApplicants
        || within(disk, seasonalFrom, state.asOf).length >= p.minSeasonAppeals * p.minSeasonYears;
      if (mayMeet) {
        for (const n of around) {
          if (n !== cell && recsIn(n).length > 0) places.push({ recs: [...own, ...recsIn(n)], totals: placeTotals([cell, n], cellTotals) });
        }
        places.push({ recs: disk, totals: diskTotals });
      }
      // A cell is flagged by a rule only if it holds an appeal that rule counts, so stale cells do not bridge clusters.
      const kinds = kindsOf(places, { recs: own, totals: ownTotals }, state.asOf, p, state.byId, state.baseline, { recs: disk, totals: diskTotals })
        .filter((k) => within(own, horizonOf([k], state.asOf, p), state.asOf).length > 0);
      if (kinds.length > 0) state.flags.set(key(categoryId, cell), kinds);
      else state.flags.delete(key(categoryId, cell));
    }
  }
}

/** Rebuilds every cluster that reaches into the given cells, by flood fill over flagged cells. */
function recluster(state: DetectorState, cells: Set<string>) {
  const drop = (id: number) => {
    const cluster = state.clusters.get(id);
    if (!cluster) return;
    for (const c of cluster.cells) {
      const k = key(cluster.categoryId, c);
      if (state.clusterAt.get(k) === id) state.clusterAt.delete(k); // a cell the new flood already took stays its
    }
    state.clusters.delete(id);
  };

  const seeds: Array<[string, string]> = [];
  for (const cell of cells) {
    for (const categoryId of state.cells.get(cell)?.keys() ?? []) {
      const k = key(categoryId, cell);
      const old = state.clusterAt.get(k);
      if (old !== undefined) {
        for (const f of state.clusters.get(old)!.flagged) seeds.push([categoryId, f]);
        drop(old);
      }
      seeds.push([categoryId, cell]);
    }
  }
  for (const [categoryId, seed] of seeds) {
    if (!state.flags.has(key(categoryId, seed)) || state.clusterAt.has(key(categoryId, seed))) continue;
    const cluster: Cluster = { categoryId, flagged: new Set(), cells: new Set() };
    const id = state.nextClusterId++;
    const visit = (cell: string) => {
      const k = key(categoryId, cell);
      const other = state.clusterAt.get(k);
      if (other !== undefined && other !== id) drop(other); // reached an older cluster: it is part of this one now
      state.clusterAt.set(k, id);
      cluster.cells.add(cell);
      queue.push(cell);
    };
    const queue: string[] = [];
    visit(seed);
    while (queue.length > 0) {
      const cell = queue.pop()!;
      cluster.flagged.add(cell);
      for (const n of ring(cell)) {
        if (n === cell || cluster.cells.has(n)) continue;
        // Only flagged cells join: a neighbour without its own excess would bring background appeals into the problem.
        if (state.flags.has(key(categoryId, n))) visit(n);
      }
    }
    state.clusters.set(id, cluster);
  }
}

function problemsOf(state: DetectorState, cellTotals: ReturnType<typeof totalsCache>): SystemicProblem[] {
  const p = state.params;
  const problems: SystemicProblem[] = [];
  for (const cluster of state.clusters.values()) {
    // Each rule brings its own appeals: the spatial window over the cluster, the repeat window in the cells where
    // appeals returned, the peak season over the years; so a long rule does not sweep in unrelated background.
    const categoryIn = (c: string) => state.cells.get(c)?.get(cluster.categoryId) ?? [];
    const picked = new Map<string, AppealRecord>();
    const take = (recs: AppealRecord[]) => { for (const r of recs) picked.set(r.id, r); };
    const flaggedWith = (kind: SystemicKind) => [...cluster.flagged].filter((c) => state.flags.get(key(cluster.categoryId, c))?.includes(kind));
    // A kind stays only if its own appeals over the whole problem meet the rule's counts: a cell flagged through a
    // neighbour's place, with no flagged cell beside it, is a fragment, not a problem.
    const kinds: SystemicKind[] = [];
    const spatial = flaggedWith('spatial').flatMap((c) => within(categoryIn(c), since(state.asOf, p.spatialWindowDays), state.asOf));
    if (distinctApplicants(spatial) >= p.minApplicants && distinctWeeks(spatial, p) >= p.minWeeks) { kinds.push('spatial'); take(spatial); }
    const repeat = flaggedWith('repeat').flatMap((c) => within(categoryIn(c), since(state.asOf, p.repeatWindowDays), state.asOf));
    if (distinctApplicants(repeat) >= p.minRepeatApplicants) { kinds.push('repeat'); take(repeat); }
    const seasonalCells = flaggedWith('seasonal');
    if (seasonalCells.length > 0) {
      const long = seasonalCells.flatMap((c) => within(categoryIn(c), seasonalStart(state.asOf, p), state.asOf));
      // Only the years in which the season stood out: the quiet years of that season are background, not the problem.
      const { season, counted } = seasonalPeak(long, p, placeTotals(seasonalCells, cellTotals), state.baseline);
      if (counted.length >= p.minSeasonYears) {
        kinds.push('seasonal');
        take(long.filter((r) => { const s = seasonOf(r.registeredAt.getTime(), p); return s.season === season && counted.includes(s.year); }));
      }
    }
    const members = [...picked.values()];
    if (members.length === 0) continue;
    members.sort((a, b) => a.registeredAt.getTime() - b.registeredAt.getTime() || (a.id < b.id ? -1 : 1));
    const cells = [...new Set(members.map((r) => state.cellOfId.get(r.id)!))].sort();
    const applicants = distinctApplicants(members);
    const weeks = distinctWeeks(members, p);
    const repeats = repeatsOf(within(members, since(state.asOf, p.repeatWindowDays), state.asOf), state.byId, p.minReturnGapDays);
    const seasonalYears = seasonalYearsOf(members, p, placeTotals(cells, cellTotals), state.baseline);
    problems.push({
      id: key(cluster.categoryId, cells[0]!), kinds, categoryId: cluster.categoryId, cells, memberIds: members.map((r) => r.id),
      distinctApplicants: applicants, weeksActive: weeks, repeats, seasonalYears,
      firstSeen: members[0]!.registeredAt, lastSeen: members[members.length - 1]!.registeredAt,
      score: scoreOf(applicants, weeks, repeats, seasonalYears, p), trend: trendOf(members, state.asOf, p),
    });
  }
  return problems.sort((a, b) => b.score - a.score || (a.id < b.id ? -1 : 1));
}
