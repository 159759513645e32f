/**
 * An in-memory appeals registry for the systemic-problems eval: Bishkek-like background (appeals scattered by a
 * dense centre and a sparser periphery, categories with seasons, busy squares where every category lands, one-off and
 * persistent residents) with planted problems of each kind and near-misses just below each threshold.
 * Fictional: coordinates are random points in and around the city, residents are opaque keys.
 */
import { cellToLatLng, gridDisk, latLngToCell } from 'h3-js';
import type { AppealRecord, SystemicKind, SystemicParams } from '../src/modules/systemic/systemic-params.js';

export interface Planted {
  kind: SystemicKind; categoryId: string; memberIds: string[];
  /** Seasonal problems: the seasons (start, end instants) the problem was planted in. */
  windows?: [number, number][];
  /** Background appeals of the same category, place and time as the planted ones (see withContext). */
  contextIds?: string[];
}
export interface Dataset { records: AppealRecord[]; planted: Planted[]; asOf: Date }

const DAY = 86_400_000;
const CENTRE = { lat: 42.8746, lon: 74.6122 };
/** Busy places (a central square, a bazaar, a bus terminal): many appeals of every kind, none of them one problem. */
const BUSY = [[42.8765, 74.6037], [42.8760, 74.5690], [42.8890, 74.6160], [42.8420, 74.5860], [42.8570, 74.6290]];

/** Subcategories c01…c31: base weight, and a factor per season (winter, spring, summer, autumn). */
const CATEGORIES = Array.from({ length: 31 }, (_, i) => {
  const id = `c${String(i + 1).padStart(2, '0')}`;
  const season: Record<string, [number, number, number, number]> = {
    c05: [3, 0.6, 0.1, 1.2], // heating
    c07: [4, 0.5, 0, 0.4], // snow and ice on roads
    c12: [0.2, 1.5, 2.2, 0.8], // greenery, trees
    c18: [0.1, 1.8, 2, 0.6], // irrigation ditches (aryks)
  };
  return { id, weight: 1 / (1 + i * 0.12), season: season[id] ?? [1, 1, 1, 1] };
});
const SEASONAL = ['c05', 'c07', 'c12', 'c18'];

export function generateDataset(opts: { appeals: number; seed: number; plantedPerKind: number; params: SystemicParams }): Dataset {
  let s = opts.seed >>> 0;
  const random = () => { s = (s + 0x6d2b79f5) >>> 0; let t = s; t = Math.imul(t ^ (t >>> 15), t | 1); t ^= t + Math.imul(t ^ (t >>> 7), t | 61); return ((t ^ (t >>> 14)) >>> 0) / 2 ** 32; };
  const pick = <T>(xs: readonly T[]) => xs[Math.floor(random() * xs.length)]!;
  const int = (lo: number, hi: number) => lo + Math.floor(random() * (hi - lo + 1));
  const gauss = () => Math.sqrt(-2 * Math.log(1 - random())) * Math.cos(2 * Math.PI * random());
  const p = opts.params;
  const asOf = Date.parse('2026-11-20T06:00:00Z');
  const years = 5;
  const records: AppealRecord[] = [];
  let seq = 0;
  const add = (r: Omit<AppealRecord, 'id' | 'closedAt' | 'repeatOfId'> & Partial<AppealRecord>) => {
    const at = r.registeredAt.getTime();
    const closedAt = r.closedAt !== undefined ? r.closedAt : random() < 0.9 ? new Date(at + int(3, 20) * DAY) : null;
    const rec: AppealRecord = { id: `s${++seq}`, repeatOfId: null, ...r, closedAt: closedAt && closedAt.getTime() > asOf ? null : closedAt };
    records.push(rec);
    return rec;
  };
  const seasonOfMonth = (m: number) => Math.floor(((m + 1) % 12) / 3);
  const totalWeight = (season: number) => CATEGORIES.reduce((n, c) => n + c.weight * c.season[season]!, 0);
  const categoryAt = (t: number) => {
    const season = seasonOfMonth(new Date(t).getUTCMonth());
    let x = random() * totalWeight(season);
    for (const c of CATEGORIES) { x -= c.weight * c.season[season]!; if (x <= 0) return c.id; }
    return CATEGORIES[0]!.id;
  };
  const somewhere = () => random() < 0.65
    ? { lat: CENTRE.lat + gauss() * 0.025, lon: CENTRE.lon + gauss() * 0.035 }
    : { lat: 42.79 + random() * 0.15, lon: 74.48 + random() * 0.26 };
  const cellPoint = (cell: string) => { const [lat, lon] = cellToLatLng(cell); return { lat, lon }; };
  const cellNear = () => { const w = somewhere(); return latLngToCell(w.lat, w.lon, p.resolution); };

  // Background: most residents file once; a tenth are regulars who file several times over the years.
  const planted: Planted[] = [];
  const plantedBudget = opts.plantedPerKind * 3 * 12 + opts.plantedPerKind * 4 * 12;
  const background = Math.max(0, opts.appeals - plantedBudget);
  const regulars = Math.max(1, Math.floor(background / 40));
  for (let i = 0; i < background; i++) {
    const t = asOf - random() * years * 365 * DAY;
    const busy = random() < 0.05;
    const where = busy ? (([lat, lon]) => ({ lat: lat! + gauss() * 0.001, lon: lon! + gauss() * 0.001 }))(pick(BUSY)) : somewhere();
    const applicantKey = random() < 0.25 ? `reg${int(1, regulars)}` : `one${i}`;
    add({ categoryId: busy ? pick(CATEGORIES).id : categoryAt(t), ...where, registeredAt: new Date(t), applicantKey });
  }

  const fresh = (tag: string) => `${tag}${++seq}`;
  const spread = (cells: string[], tag: string, n: number, weeks: number, daysAgo: number, category: string, applicants = n) => {
    const ids: string[] = [];
    const people = Array.from({ length: applicants }, () => fresh(tag));
    for (let i = 0; i < n; i++) {
      const t = asOf - (daysAgo - (i % weeks) * 7 - random() * 6) * DAY;
      ids.push(add({ categoryId: category, ...cellPoint(pick(cells)), registeredAt: new Date(t), applicantKey: people[i % applicants]! }).id);
    }
    return ids;
  };
  const nonSeasonal = () => pick(CATEGORIES.filter((c) => !SEASONAL.includes(c.id))).id;
  const adjacentPair = () => { const c = cellNear(); return random() < 0.5 ? [c] : [c, pick(gridDisk(c, 1).filter((x) => x !== c))]; };

  // Episodes of one problem, each closed before the next comes; later ones often name the earlier by repeat_of.
  const episodes = (cell: string, n: number, category: string, tag: string, perEpisode: number) => {
    const ids: string[] = [];
    let t = asOf - int(300, 340) * DAY;
    let prev: AppealRecord | undefined;
    const people = Array.from({ length: 4 }, () => fresh(tag));
    for (let e = 0; e < n; e++) {
      const closedAt = new Date(t + int(8, 15) * DAY);
      for (let j = 0; j < perEpisode; j++) {
        const linked = j === 0 && prev && random() < 0.5;
        const place = linked && random() < 0.3 ? { lat: null, lon: null } : cellPoint(cell);
        const rec: AppealRecord = add({ categoryId: category, ...place, registeredAt: new Date(t + j * 2 * DAY), closedAt, applicantKey: people[(e + j) % 4]!, repeatOfId: linked ? prev!.id : null });
        if (j === 0) prev = rec;
        ids.push(rec.id);
      }
      t = closedAt.getTime() + int(20, 50) * DAY;
    }
    return ids;
  };
  /** The season windows the last call of winters() filled (the planted problem's time, year by year). */
  let lastWindows: [number, number][] = [];
  const winters = (cells: string[], yearsWith: number, category: string, tag: string, extra: number) => {
    lastWindows = [];
    const season = category === 'c05' || category === 'c07' ? 0 : pick([1, 2]);
    const firstMonth = [11, 2, 5, 8][season]!;
    const ids: string[] = [];
    const latestYear = new Date(asOf).getUTCFullYear() - (season === 0 ? 0 : 1);
    const chosen = Array.from({ length: years - 1 }, (_, i) => latestYear - i).sort(() => random() - 0.5).slice(0, yearsWith);
    for (const y of chosen) {
      const start = Date.UTC(season === 0 ? y - 1 : y, firstMonth, 1);
      lastWindows.push([start, start + 88 * DAY]);
      const n = int(p.minSeasonAppeals + extra, p.minSeasonAppeals + extra + 3);
      for (let i = 0; i < n; i++) {
        ids.push(add({ categoryId: category, ...cellPoint(pick(cells)), registeredAt: new Date(start + random() * 88 * DAY), applicantKey: fresh(tag) }).id);
      }
    }
    return ids;
  };

  // Background appeals by category and cell, for placing near-misses (see below).
  const seen = new Map<string, number[]>();
  for (const r of records) {
    const k = `${r.categoryId}|${latLngToCell(r.lat!, r.lon!, p.resolution)}`;
    let ts = seen.get(k);
    if (!ts) seen.set(k, (ts = []));
    ts.push(r.registeredAt.getTime());
  }
  const clearOf = (category: string, cells: () => string[], days: number) => {
    let best = cells();
    for (let tries = 0; tries < 50; tries++) {
      const clear = best.flatMap((c) => gridDisk(c, 1)).every((c) => !(seen.get(`${category}|${c}`) ?? []).some((t) => t > asOf - days * DAY));
      if (clear) break;
      best = cells();
    }
    return best;
  };

  for (let k = 0; k < opts.plantedPerKind; k++) {
    const cat = nonSeasonal();
    const applicants = int(p.minApplicants + 2, p.minApplicants + 8);
    planted.push({ kind: 'spatial', categoryId: cat, memberIds: spread(adjacentPair(), 'sp', applicants + int(0, 3), int(p.minWeeks, 8), int(60, 85), cat, applicants) });
    const rcat = nonSeasonal();
    planted.push({ kind: 'repeat', categoryId: rcat, memberIds: episodes(cellNear(), p.minRepeats + int(1, 3), rcat, 'rp', int(2, 3)) });
    const scat = pick(SEASONAL);
    planted.push({ kind: 'seasonal', categoryId: scat, memberIds: winters(adjacentPair(), int(p.minSeasonYears, years - 1), scat, 'se', 4), windows: lastWindows });

    // Near-misses: one short of each threshold, and one resident filing again and again. A near-miss tests the
    // threshold, so it is placed where no background appeal of its category in the rule's window would lift it over
    // (else it is no longer a near-miss but a real problem by the rule's own definition).
    const m = nonSeasonal();
    spread(clearOf(m, adjacentPair, p.spatialWindowDays + 7), 'nm', p.minApplicants - 1 + int(0, 2), int(p.minWeeks, 8), int(60, 85), m, p.minApplicants - 1);
    const nrc = nonSeasonal();
    episodes(clearOf(nrc, () => [cellNear()], p.repeatWindowDays)[0]!, p.minRepeats, nrc, 'nr', 2);
    const sc = pick(SEASONAL);
    winters(clearOf(sc, adjacentPair, years * 366), p.minSeasonYears - 1, sc, 'ns', 2);
    const noisy = fresh('noisy');
    const noisyCell = cellNear();
    const nc = nonSeasonal();
    for (let i = 0; i < 20; i++) add({ categoryId: nc, ...cellPoint(noisyCell), registeredAt: new Date(asOf - int(1, 120) * DAY), applicantKey: noisy });
  }
  records.sort((a, b) => a.registeredAt.getTime() - b.registeredAt.getTime());
  return { records, planted: planted.map((q) => withContext(q, records, p)), asOf: new Date(asOf) };
}

/**
 * The truth of a planted problem also holds the background appeals that report the same thing: its category, in its
 * cells, within its time (the planted span; for a seasonal problem, its seasons). Nothing tells them apart from the
 * planted ones — a neighbour complaining of the same snow in the same courtyard that winter is part of that problem —
 * so a detector that includes them is right, and one that leaves them out is not punished either (see the eval's
 * matching).
 */
function withContext(q: Planted, records: AppealRecord[], p: SystemicParams): Planted {
  const planted = new Set(q.memberIds);
  const mine = records.filter((r) => planted.has(r.id));
  const cells = new Set(mine.filter((r) => r.lat !== null).map((r) => latLngToCell(r.lat!, r.lon!, p.resolution)));
  const times = mine.map((r) => r.registeredAt.getTime());
  const windows = q.windows ?? [[Math.min(...times), Math.max(...times)]];
  const contextIds = records.filter((r) => !planted.has(r.id) && r.categoryId === q.categoryId && r.lat !== null
    && cells.has(latLngToCell(r.lat, r.lon!, p.resolution))
    && windows.some(([a, b]) => r.registeredAt.getTime() >= a && r.registeredAt.getTime() <= b)).map((r) => r.id);
  return { ...q, contextIds };
}
