/**
 * Reads for scorecards: the roll-up rows of a period, the live "overdue now" counts and staff names. The roll-up
 * is small (services × executors × months), so summing happens in scorecard-figures.ts, not in SQL.
 */
import { and, between, eq, inArray, lt, sql } from 'drizzle-orm';
import { OPEN_STATUSES } from '@shaar/contracts';
import type { Db } from '../../platform/db/database.js';
import { appeals, scorecardMonths, staffUsers } from '../../platform/db/schema.js';
import type { Tally } from './scorecard-figures.js';
import { firstDay, type Period, type Month } from './scorecard-period.js';

export interface RollupRow extends Tally {
  month: Month;
  serviceId: string | null;
  executorId: string | null;
}

export async function loadRollup(db: Db, municipalityId: string, period: Period, serviceId?: string): Promise<RollupRow[]> {
  const rows = await db.select().from(scorecardMonths).where(and(
    eq(scorecardMonths.municipalityId, municipalityId),
    between(scorecardMonths.month, firstDay(period.from), firstDay(period.to)),
    serviceId ? eq(scorecardMonths.serviceId, serviceId) : undefined,
  ));
  return rows.map((r) => ({
    month: r.month.slice(0, 7), serviceId: r.serviceId, executorId: r.executorId,
    received: r.received, answered: r.answered, answeredOnTime: r.answeredOnTime, histogram: r.answerDaysHistogram,
    ratings: r.ratings, ratingSum: r.ratingSum, solvedYes: r.solvedYes, solvedPartly: r.solvedPartly, solvedNo: r.solvedNo,
    reviewRequests: r.reviewRequests, reopenings: r.reopenings,
  }));
}

export interface OverdueCount { serviceId: string | null; executorId: string | null; count: number }

/**
 * Open appeals past their due date on the city's `today` — live, not rolled up: it is a state, not an event of
 * a month (the same test as the inbox's overdue mark). Uses appeals_status_idx (municipality, status, due_date).
 */
export async function overdueNow(db: Db, municipalityId: string, today: string, serviceId?: string): Promise<OverdueCount[]> {
  const rows = await db.select({ serviceId: appeals.serviceId, executorId: appeals.executorId, count: sql<number>`count(*)::int` })
    .from(appeals)
    .where(and(
      eq(appeals.municipalityId, municipalityId), inArray(appeals.status, [...OPEN_STATUSES]), lt(appeals.dueDate, today),
      serviceId ? eq(appeals.serviceId, serviceId) : undefined,
    ))
    .groupBy(appeals.serviceId, appeals.executorId);
  return rows.map((r) => ({ ...r, count: Number(r.count) }));
}

/** Names of staff members, for the staff scorecard only (never the public one). */
export async function staffNames(db: Db, municipalityId: string, ids: string[]): Promise<Map<string, string>> {
  if (ids.length === 0) return new Map();
  const rows = await db.select({ id: staffUsers.id, fullName: staffUsers.fullName }).from(staffUsers)
    .where(and(eq(staffUsers.municipalityId, municipalityId), inArray(staffUsers.id, ids)));
  return new Map(rows.map((r) => [r.id, r.fullName]));
}
