/**
 * Scorecards as people read them: per service (public) and per executor (staff), over a period of local months,
 * with the live overdue count and the services' ranking. Reads the roll-up and sums it; nothing is written here.
 *
 * The public views are built from service-level sums only and carry no staff ids or names: the executor split
 * exists only in staffScorecard. One pass over the period's rows computes everything; the result is shared for a
 * few seconds (scorecard-cache.ts).
 */
import { localDate } from '@shaar/contracts';
import type { Db } from '../../platform/db/database.js';
import type { Directory } from '../directory/directory.cache.js';
import type { LocalizedText } from '../../platform/db/schema.js';
import { addTally, emptyTally, figuresOf, MIN_ANSWERS_TO_RANK, rankServices, type Figures, type Tally } from './scorecard-figures.js';
import { monthsBetween, type Month, type Period } from './scorecard-period.js';
import { ScorecardCache } from './scorecard-cache.js';
import { loadRollup, overdueNow, staffNames, type OverdueCount } from './scorecards.queries.js';

export interface ScorecardContext {
  db: Db;
  municipalityId: string;
  timezone: string;
  now: Date;
  directory: Directory;
}

export type CurrentFigures = Figures & { overdueNow: number };

export interface ServiceScore {
  rank: number | null;
  serviceId: string;
  code: string;
  name: LocalizedText;
  kind: string;
  figures: CurrentFigures;
}

export interface ExecutorScore { executorId: string | null; name: string | null; figures: CurrentFigures }

interface Scores {
  city: CurrentFigures;
  /** Ranked services by rank, then the unranked, busiest first. */
  services: ServiceScore[];
  /** Staff only: each service's executors, busiest first. */
  executorsOf: Map<string, ExecutorScore[]>;
  monthsOf: Map<string, Map<Month, Tally>>;
}

const cache = new ScorecardCache<Scores>();

function scores(ctx: ScorecardContext, period: Period): Promise<Scores> {
  const today = localDate(ctx.now, ctx.timezone);
  return cache.get(ctx.municipalityId, `${period.from}|${period.to}|${today}`, () => computeScores(ctx, period, today));
}

/** A map's entry, made empty when missing. */
function entry<K, V>(map: Map<K, V>, key: K, make: () => V): V {
  let value = map.get(key);
  if (value === undefined) map.set(key, value = make());
  return value;
}

async function computeScores(ctx: ScorecardContext, period: Period, today: string): Promise<Scores> {
  const [rows, overdue, names] = await Promise.all([
    loadRollup(ctx.db, ctx.municipalityId, period),
    overdueNow(ctx.db, ctx.municipalityId, today),
    staffNames(ctx.db, ctx.municipalityId),
  ]);
  const city = emptyTally();
  const byService = new Map<string, Tally>();
  const byExecutor = new Map<string, Map<string | null, Tally>>();
  const monthsOf = new Map<string, Map<Month, Tally>>();
  for (const row of rows) {
    addTally(city, row);
    if (!row.serviceId) continue;
    addTally(entry(byService, row.serviceId, emptyTally), row);
    addTally(entry(entry(byExecutor, row.serviceId, () => new Map()), row.executorId, emptyTally), row);
    addTally(entry(entry(monthsOf, row.serviceId, () => new Map()), row.month, emptyTally), row);
  }
  // Executors with overdue appeals but nothing rolled up in the period still appear.
  for (const c of overdue) if (c.serviceId) entry(entry(byExecutor, c.serviceId, () => new Map()), c.executorId, emptyTally);
  const overdueOf = (keep: (c: OverdueCount) => boolean) => overdue.filter(keep).reduce((s, c) => s + c.count, 0);

  // Active services are listed even without any appeal; an inactive one only while the period has its figures.
  const services: ServiceScore[] = [...ctx.directory.services.values()].filter((s) => s.active || byService.has(s.id)).map((s) => ({
    rank: null, serviceId: s.id, code: s.code, name: s.name, kind: s.kind,
    figures: { ...figuresOf(byService.get(s.id) ?? emptyTally()), overdueNow: overdueOf((c) => c.serviceId === s.id) },
  }));
  const ranks = rankServices(services);
  for (const s of services) s.rank = ranks.get(s) ?? null;
  services.sort(byRankThenAnswers);

  const executorsOf = new Map<string, ExecutorScore[]>();
  for (const [serviceId, executors] of byExecutor) {
    executorsOf.set(serviceId, [...executors.entries()].map(([executorId, t]) => ({
      executorId, name: executorId ? names.get(executorId) ?? null : null,
      figures: { ...figuresOf(t), overdueNow: overdueOf((c) => c.serviceId === serviceId && c.executorId === executorId) },
    })).sort((a, b) => b.figures.answered - a.figures.answered || b.figures.received - a.figures.received
      || (a.name ?? '\uffff').localeCompare(b.name ?? '\uffff')));
  }
  return { city: { ...figuresOf(city), overdueNow: overdueOf(() => true) }, services, executorsOf, monthsOf };
}

function byRankThenAnswers(a: ServiceScore, b: ServiceScore): number {
  if (a.rank !== null || b.rank !== null) return (a.rank ?? Infinity) - (b.rank ?? Infinity);
  return b.figures.answered - a.figures.answered || a.code.localeCompare(b.code);
}

const header = (period: Period, s: Scores) => ({
  ...period, minAnswersToRank: MIN_ANSWERS_TO_RANK, rankedServices: s.services.filter((x) => x.rank !== null).length,
});

/** The public city page: every service ranked, and the city's totals. */
export async function cityScorecard(ctx: ScorecardContext, period: Period) {
  const s = await scores(ctx, period);
  return { ...header(period, s), city: s.city, services: s.services };
}

/** One service's public page: its figures and rank over the period, and one row per month. Null: no such service. */
export async function serviceScorecard(ctx: ScorecardContext, serviceId: string, period: Period) {
  const s = await scores(ctx, period);
  const svc = ctx.directory.services.get(serviceId);
  if (!svc) return null;
  // An inactive service without figures in the period is not listed, but its page still exists (all zeros).
  const service = s.services.find((x) => x.serviceId === serviceId)
    ?? { rank: null, serviceId, code: svc.code, name: svc.name, kind: svc.kind, figures: { ...figuresOf(emptyTally()), overdueNow: 0 } };
  const months = s.monthsOf.get(serviceId);
  const trend = monthsBetween(period.from, period.to).map((month) => ({ month, figures: figuresOf(months?.get(month) ?? emptyTally()) }));
  return { ...header(period, s), service, trend };
}

/**
 * The staff page: services (all of them, or only `onlyServiceId`) with each executor's figures. An executor counts
 * under the service the work belonged to; `executorId: null` collects appeals received while nobody held them.
 */
export async function staffScorecard(ctx: ScorecardContext, period: Period, onlyServiceId: string | null) {
  const s = await scores(ctx, period);
  const services = onlyServiceId ? s.services.filter((x) => x.serviceId === onlyServiceId) : s.services;
  return { ...header(period, s), services: services.map((svc) => ({ ...svc, executors: s.executorsOf.get(svc.serviceId) ?? [] })) };
}
