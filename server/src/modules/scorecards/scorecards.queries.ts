/**
 * Reads for scorecards: the roll-up rows of a period, the live "overdue now" counts and staff names. The roll-up
 * is small (services × executors × months), so summing happens in scorecard-figures.ts, not in SQL.
 */
import { and, eq, inArray, lt, sql } from 'drizzle-orm';
import { OPEN_STATUSES } from '@shaar/contracts';
import { queryRows, type Db } from '../../platform/db/database.js';
import { appeals, staffUsers } from '../../platform/db/schema.js';
import type { Tally } from './scorecard-figures.js';
import { firstDay, type Period, type Month } from './scorecard-period.js';

export interface RollupRow extends Tally {
  month: Month;
  serviceId: string | null;
  executorId: string | null;
}

export async function loadRollup(db: Db, municipalityId: string, period: Period): Promise<RollupRow[]> {
  // The histogram comes as text and is split here: several times faster than the driver's array parser, and a
  // period of a big city has thousands of these rows.
  const rows = await queryRows<{
    month: string; service_id: string | null; executor_id: string | null; received: number; answered: number; answered_on_time: number;
    histogram: string; ratings: number; rating_sum: number; solved_yes: number; solved_partly: number; solved_no: number;
    review_requests: number; reopenings: number;
  }>(db, sql`
    select to_char(month, 'YYYY-MM') as month, service_id, executor_id, received, answered, answered_on_time, answer_days_histogram::text as histogram,
      ratings, rating_sum, solved_yes, solved_partly, solved_no, review_requests, reopenings
    from scorecard_months
    where municipality_id = ${municipalityId} and month between ${firstDay(period.from)}::date and ${firstDay(period.to)}::date`);
  return rows.map((r) => ({
    month: r.month, serviceId: r.service_id, executorId: r.executor_id,
    received: r.received, answered: r.answered, answeredOnTime: r.answered_on_time, histogram: parseIntArray(r.histogram),
    ratings: r.ratings, ratingSum: r.rating_sum, solvedYes: r.solved_yes, solvedPartly: r.solved_partly, solvedNo: r.solved_no,
    reviewRequests: r.review_requests, reopenings: r.reopenings,
  }));
}

/** '{0,3,1}' → [0, 3, 1] (counts: digits only), without making a string per number. */
export function parseIntArray(text: string): number[] {
  const out: number[] = [];
  let n = 0;
  let digits = false;
  for (let i = 1; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c >= 48 && c <= 57) {
      n = n * 10 + (c - 48);
      digits = true;
    } else {
      if (digits) out.push(n);
      n = 0;
      digits = false;
    }
  }
  return out;
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

/** Names of the city's staff, for the staff scorecard only (never the public one). A city has hundreds, not more. */
export async function staffNames(db: Db, municipalityId: string): Promise<Map<string, string>> {
  const rows = await db.select({ id: staffUsers.id, fullName: staffUsers.fullName }).from(staffUsers)
    .where(eq(staffUsers.municipalityId, municipalityId));
  return new Map(rows.map((r) => [r.id, r.fullName]));
}
