/**
 * The synthetic data generator: realistic appeals of one city in memory, no database. The same reference data and
 * options (with --seed) always give the same rows, so a benchmark or a detector's evaluation can rebuild them.
 */
import { latLngToCell } from 'h3-js';
import { parseIsoDate, type IsoDate, type WorkingCalendar } from '@shaar/contracts';
import { routeToService, type Directory } from '../modules/directory/directory.cache.js';
import { pickRule, type DeadlineRule } from '../modules/deadlines/working-time.js';
import { DAY_MS, DueDates, instantAt, localDateOf, monthOf } from './calendar-time.js';
import { planProblems, H3_RESOLUTION, type AppealSpec } from './planted.js';
import { CATEGORY_SEASONS, DISTRICT_CENTRES } from './profiles.js';
import { Random } from './random.js';
import { buildLifecycle } from './lifecycle.js';
import type { PlantedProblem, SyntheticData } from './records.js';

export interface SyntheticReference {
  municipality: { id: string; slug: string; code: string };
  directory: Directory;
  staff: { id: string; roles: string[]; serviceId: string | null }[];
  calendar: WorkingCalendar;
  rules: DeadlineRule[];
}

export interface SyntheticOptions {
  appeals: number; seed: number; from: IsoDate; to: IsoDate;
  /** Nothing happens after this instant: later answers are still pending, older open appeals are overdue. */
  now: Date;
  planted: number;
}

export function generateSynthetic(ref: SyntheticReference, options: SyntheticOptions): SyntheticData {
  const rng = new Random(options.seed);
  const nowMs = options.now.getTime();
  const to = options.to < localDateOf(nowMs) ? options.to : localDateOf(nowMs);
  if (to < options.from) throw new RangeError(`empty date range ${options.from}..${to}`);
  const dir = ref.directory;

  const districts = [...dir.districts.values()].filter((d) => d.active);
  const districtByCode = new Map(districts.map((d) => [d.code, d]));
  const districtWeights = districts.map((d) => [d.code, d.population ?? DISTRICT_CENTRES[d.code]?.weight ?? 1] as const);
  const subcategories = [...dir.categories.values()].filter((c) => c.parentId && c.active);
  const categoryByCode = new Map(subcategories.map((c) => [c.code, c]));
  const categoriesByMonth = Array.from({ length: 13 }, (_, m) =>
    subcategories.map((c) => [c.code, (CATEGORY_SEASONS[c.code] ?? (() => 1))(m)] as const).filter(([, w]) => w > 0));
  const fallbackCentre = { lat: 0, lon: 0, spread: 0.02 };

  const pointIn = (code: string, spreadFactor: number) => {
    const c = DISTRICT_CENTRES[code] ?? fallbackCentre;
    // Longitude degrees are shorter at these latitudes: widen the box so it is roughly square on the ground.
    return { lat: c.lat + (rng.next() * 2 - 1) * c.spread * spreadFactor, lon: c.lon + (rng.next() * 2 - 1) * c.spread * 1.3 * spreadFactor };
  };
  // Appeals come in office hours mostly, online ones also in the evening.
  const timeOn = (date: IsoDate) => instantAt(date, rng.int(8 * 60, 21 * 60) + rng.next());
  const days = dayWeights(ref.calendar, options.from, to);
  const sampleDay = () => days.dates[lowerBound(days.cumulative, rng.next() * days.total)]!;

  const plans = planProblems({
    rng, from: options.from, to, nowMs, scale: Math.min(3, Math.max(1, Math.sqrt(options.appeals) / 60)),
    districtCode: () => rng.weighted(districtWeights), pointIn, timeOn,
  }, options.planted);
  const plantedSpecs = plans.flatMap((p) => p.specs);
  if (plantedSpecs.length > options.appeals / 2) {
    throw new RangeError(`${options.planted} planted problems need ${plantedSpecs.length} appeals: more than half of ${options.appeals}`);
  }

  const specs: AppealSpec[] = plantedSpecs.slice();
  for (let i = plantedSpecs.length; i < options.appeals; i++) {
    const date = sampleDay();
    const districtCode = rng.weighted(districtWeights);
    // Today's appeals cannot come later than now.
    const at = Math.min(timeOn(date), nowMs - rng.int(1, 600) * 60_000);
    specs.push({ id: rng.uuid(), at, categoryCode: rng.weighted(categoriesByMonth[monthOf(date)]!), districtCode, ...pointIn(districtCode, 1) });
  }
  // Registration numbers follow time, as at a real desk.
  specs.sort((a, b) => a.at - b.at || (a.id < b.id ? -1 : 1));

  const data = buildLifecycle({
    rng, ref, nowMs, dueDates: new DueDates(ref.calendar, options.from, to), specs, seed: options.seed,
    categoryOf: (code) => categoryByCode.get(code)!,
    districtOf: (code) => districtByCode.get(code)!,
    route: (categoryId, districtId) => routeToService(dir, categoryId, districtId),
    ruleFor: (kind, date) => pickRule(ref.rules, kind, date),
  });

  const planted: PlantedProblem[] = plans.map((p) => {
    const dates = p.specs.map((s) => localDateOf(s.at)).sort();
    return {
      kind: p.kind, categoryCode: p.categoryCode, districtCode: p.districtCode,
      cells: [...new Set(p.specs.map((s) => latLngToCell(s.lat, s.lon, H3_RESOLUTION)))].sort(),
      appealIds: p.specs.map((s) => s.id), from: dates[0]!, to: dates[dates.length - 1]!,
      distinctApplicants: new Set(p.specs.map((s) => s.applicantKey ?? s.id)).size,
    };
  });
  return { ...data, planted };
}

/** Fewer appeals on weekends and holidays, and a slow growth as the platform becomes known. */
function dayWeights(calendar: WorkingCalendar, from: IsoDate, to: IsoDate) {
  const dates: IsoDate[] = [];
  const cumulative: number[] = [];
  let total = 0;
  const start = parseIsoDate(from);
  for (let t = start, i = 0; t <= parseIsoDate(to); t += DAY_MS, i++) {
    const date = new Date(t).toISOString().slice(0, 10);
    const weekday = new Date(t).getUTCDay();
    const base = calendar.isWorkingDay(date) ? 1 : weekday === 6 ? 0.35 : 0.25;
    total += base * (1 + (0.2 * i) / 365);
    dates.push(date);
    cumulative.push(total);
  }
  return { dates, cumulative, total };
}

function lowerBound(sorted: number[], x: number): number {
  let lo = 0;
  let hi = sorted.length - 1;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (sorted[mid]! < x) lo = mid + 1; else hi = mid;
  }
  return lo;
}
