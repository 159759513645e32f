/**
 * Planted systemic problems: patterns a detector should find above the background noise, each recorded as ground
 * truth. Hotspots (one subcategory in one or two adjacent H3 res-9 cells, many distinct applicants over weeks),
 * repeats after closure (the same person back about the same place after each closure, linked by repeat_of), and
 * seasonal recurrences (the same cell every winter).
 */
import { cellToLatLng, gridDisk, latLngToCell } from 'h3-js';
import { addCalendarDays, parseIsoDate, type AppealKind, type Channel, type IsoDate } from '@shaar/contracts';
import { DAY_MS, localDateOf } from './calendar-time.js';
import type { PlantedKind } from './records.js';
import type { Random } from './random.js';

export const H3_RESOLUTION = 9;

/** One appeal to generate; background and planted appeals share the shape. */
export interface AppealSpec {
  id: string; at: number; categoryCode: string; districtCode: string; lat: number; lon: number;
  kind?: AppealKind; channel?: Channel;
  /** Appeals with the same key come from the same person (a repeat chain). */
  applicantKey?: string;
  repeatOfId?: string;
  /** Answered on time and closed, so the next appeal of a chain really is a repeat after closure. */
  closeOnTime?: boolean;
}

export interface PlantedPlan { kind: PlantedKind; categoryCode: string; districtCode: string; specs: AppealSpec[] }

export interface PlantContext {
  rng: Random; from: IsoDate; to: IsoDate; nowMs: number; scale: number;
  districtCode: () => string;
  pointIn: (districtCode: string, spreadFactor: number) => { lat: number; lon: number };
  timeOn: (date: IsoDate) => number;
}

const HOTSPOT_CATEGORIES = ['roads.pothole', 'cleaning.rubbish', 'water.sewer', 'lighting.off', 'cleaning.dump', 'roads.courtyard', 'lifts.broken'];
const REPEAT_CATEGORIES = ['water.sewer', 'roads.courtyard', 'lifts.broken', 'cleaning.rubbish', 'lighting.off'];
const SEASONAL_CATEGORIES = ['heating.cold', 'cleaning.snow', 'heating.leak'];
const KINDS: PlantedKind[] = ['hotspot', 'repeat_after_closure', 'seasonal'];

export function planProblems(ctx: PlantContext, count: number): PlantedPlan[] {
  const plans: PlantedPlan[] = [];
  for (let k = 0; k < count; k++) {
    const kind = KINDS[k % KINDS.length]!;
    const plan = kind === 'hotspot' ? hotspot(ctx) : kind === 'repeat_after_closure' ? repeatChain(ctx) : seasonal(ctx);
    if (plan.specs.length > 0) plans.push(plan);
  }
  return plans;
}

/** A point jittered well inside a cell (a res-9 cell is ~350 m across; ±40 m stays inside). */
function pointInCell(rng: Random, cell: string) {
  const [lat, lon] = cellToLatLng(cell);
  return { lat: lat + (rng.next() - 0.5) * 0.0007, lon: lon + (rng.next() - 0.5) * 0.0009 };
}

function randomStart(ctx: PlantContext, spanDays: number): IsoDate {
  const days = Math.max(0, Math.round((parseIsoDate(ctx.to) - parseIsoDate(ctx.from)) / DAY_MS) - spanDays);
  return addCalendarDays(ctx.from, ctx.rng.int(0, days));
}

function hotspot(ctx: PlantContext): PlantedPlan {
  const { rng } = ctx;
  const districtCode = ctx.districtCode();
  const categoryCode = rng.pick(HOTSPOT_CATEGORIES);
  const centre = ctx.pointIn(districtCode, 0.6);
  const centreCell = latLngToCell(centre.lat, centre.lon, H3_RESOLUTION);
  const neighbour = rng.pick(gridDisk(centreCell, 1).filter((c) => c !== centreCell));
  const weeks = rng.int(8, 20);
  const start = randomStart(ctx, weeks * 7);
  const members = Math.max(8, Math.round(rng.int(8, 14) * ctx.scale));
  const specs: AppealSpec[] = [];
  for (let i = 0; i < members; i++) {
    const date = addCalendarDays(start, rng.int(0, weeks * 7));
    const p = pointInCell(rng, rng.chance(0.7) ? centreCell : neighbour);
    specs.push({ id: rng.uuid(), at: ctx.timeOn(date), categoryCode, districtCode, ...p, kind: rng.chance(0.8) ? 'complaint' : 'statement' });
  }
  return { kind: 'hotspot', categoryCode, districtCode, specs: clip(ctx, specs) };
}

function repeatChain(ctx: PlantContext): PlantedPlan {
  const { rng } = ctx;
  const districtCode = ctx.districtCode();
  const categoryCode = rng.pick(REPEAT_CATEGORIES);
  const home = ctx.pointIn(districtCode, 0.8);
  const p = pointInCell(rng, latLngToCell(home.lat, home.lon, H3_RESOLUTION));
  const members = rng.int(3, 5);
  const gaps = Array.from({ length: members - 1 }, () => rng.int(42, 70));
  let date = randomStart(ctx, gaps.reduce((a, b) => a + b, 0));
  const applicantKey = `chain-${rng.uuid()}`;
  const channel = rng.pick(['phone', 'in_person', 'letter'] as const);
  const specs: AppealSpec[] = [];
  for (let i = 0; i < members; i++) {
    const spec: AppealSpec = {
      id: rng.uuid(), at: ctx.timeOn(date), categoryCode, districtCode, lat: p.lat, lon: p.lon, kind: 'complaint', channel, applicantKey,
      closeOnTime: i < members - 1,
    };
    if (i > 0) spec.repeatOfId = specs[i - 1]!.id;
    specs.push(spec);
    if (i < members - 1) date = addCalendarDays(date, gaps[i]!);
  }
  // A chain cut by the end of the range stays a chain: keep its linked prefix only.
  const kept = clip(ctx, specs);
  if (kept.length > 0) kept[kept.length - 1]!.closeOnTime = false;
  return { kind: 'repeat_after_closure', categoryCode, districtCode, specs: kept.length >= 2 ? kept : [] };
}

function seasonal(ctx: PlantContext): PlantedPlan {
  const { rng } = ctx;
  const districtCode = ctx.districtCode();
  const categoryCode = rng.pick(SEASONAL_CATEGORIES);
  const p0 = ctx.pointIn(districtCode, 0.7);
  const cell = latLngToCell(p0.lat, p0.lon, H3_RESOLUTION);
  const specs: AppealSpec[] = [];
  const firstYear = Number(ctx.from.slice(0, 4)) - 1;
  const lastYear = Number(ctx.to.slice(0, 4));
  for (let y = firstYear; y <= lastYear; y++) {
    // Winter y/y+1: 1 December – end of February.
    const members = Math.max(3, Math.round(rng.int(3, 6) * ctx.scale));
    for (let i = 0; i < members; i++) {
      const date = addCalendarDays(`${y}-12-01`, rng.int(0, 89));
      specs.push({ id: rng.uuid(), at: ctx.timeOn(date), categoryCode, districtCode, ...pointInCell(rng, cell), kind: 'complaint' });
    }
  }
  const kept = clip(ctx, specs);
  const winters = new Set(kept.map((s) => winterOf(localDateOf(s.at))));
  return { kind: 'seasonal', categoryCode, districtCode, specs: winters.size >= 2 ? kept : [] };
}

const winterOf = (date: IsoDate) => (Number(date.slice(5, 7)) === 12 ? Number(date.slice(0, 4)) : Number(date.slice(0, 4)) - 1);

function clip(ctx: PlantContext, specs: AppealSpec[]): AppealSpec[] {
  return specs.filter((s) => { const d = localDateOf(s.at); return d >= ctx.from && d <= ctx.to && s.at < ctx.nowMs; });
}
