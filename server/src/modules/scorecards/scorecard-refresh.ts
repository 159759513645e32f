/**
 * Rebuilds the monthly roll-up (scorecard_months) from the registry itself, so it can never drift: the months'
 * rows are deleted and inserted again by one set-based INSERT … SELECT in one transaction. Each event counts in
 * the local month it happened in, for the service and executor it belongs to:
 *   received       appeals.registered_at — the appeal's current service and executor;
 *   answers        appeal_answers.created_at — the answer's service and its author; working days into a histogram,
 *                  on time from appeal_answers.on_time;
 *   ratings        answer_ratings.created_at — the service and executor copied from the answer;
 *   review requests review_requests.created_at — the service, and the author of the answer under review;
 *   reopenings     audit_log 'reopen' entries — the appeal's current service and executor.
 * A job refreshes the current and previous month every minute and soon after any change (scorecard-jobs.ts); a
 * full rebuild (all months that have data) is an admin's button and a function the bench and imports call.
 * Registration and answer rows are found through their time indexes, reopenings through audit_log_action_idx.
 */
import { sql } from 'drizzle-orm';
import type { Db } from '../../platform/db/database.js';
import { queryRows } from '../../platform/db/database.js';
import { writeAudit, type Actor } from '../../platform/audit.js';
import type { Clock } from '../../platform/clock.js';
import { HISTOGRAM_CAP } from './scorecard-figures.js';
import { forgetScorecards } from './scorecard-cache.js';
import { addMonths, currentMonth, firstDay, monthsBetween, type Month } from './scorecard-period.js';

export interface RefreshResult { from: Month; to: Month; months: number; rows: number; durationMs: number }

/** Two keys of pg_advisory_xact_lock: this constant and the municipality's hash. */
const LOCK_NAMESPACE = 7212027;

/**
 * Rebuilds the roll-up of the months from…to (local months of the municipality, both included). Two refreshes of
 * one city never interleave (an advisory lock), so a concurrent one waits instead of failing on the unique key.
 * With an actor, the rebuild is audited in the same transaction (an admin's request; the minute job is not).
 */
export async function refreshScorecards(
  db: Db, municipalityId: string, timezone: string, from: Month, to: Month, audit?: { actor: Actor; at: Date },
): Promise<RefreshResult> {
  const started = performance.now();
  const lo = sql`(${firstDay(from)}::date::timestamp at time zone ${timezone})`;
  const hi = sql`((${firstDay(to)}::date + interval '1 month')::timestamp at time zone ${timezone})`;
  const month = (column: string) => sql`date_trunc('month', ${sql.raw(column)} at time zone ${timezone})::date`;
  const rows = await db.transaction(async (tx) => {
    await tx.execute(sql`select pg_advisory_xact_lock(${LOCK_NAMESPACE}, hashtext(${municipalityId}))`);
    // A full rebuild groups millions of events: enough memory keeps the hash aggregate off the disk.
    await tx.execute(sql`set local work_mem = '64MB'`);
    await tx.execute(sql`delete from scorecard_months
      where municipality_id = ${municipalityId} and month between ${firstDay(from)}::date and ${firstDay(to)}::date`);
    const [inserted] = await queryRows<{ n: number }>(tx, sql`
      with events as (
        select ${month('a.registered_at')} as month, a.service_id, a.executor_id,
          1 as received, 0 as answered, 0 as on_time, null::int as days, 0 as rated, 0 as overall, 0 as yes, 0 as partly, 0 as no, 0 as review, 0 as reopen
        from appeals a
        where a.municipality_id = ${municipalityId} and a.registered_at >= ${lo} and a.registered_at < ${hi}
        union all
        select ${month('x.created_at')}, x.service_id, x.author_id,
          0, 1, case when x.on_time then 1 else 0 end, least(greatest(x.working_days, 0), ${HISTOGRAM_CAP}), 0, 0, 0, 0, 0, 0, 0
        from appeal_answers x
        where x.municipality_id = ${municipalityId} and x.created_at >= ${lo} and x.created_at < ${hi}
        union all
        select ${month('r.created_at')}, r.service_id, r.executor_id,
          0, 0, 0, null, 1, r.overall, (r.solved = 'yes')::int, (r.solved = 'partly')::int, (r.solved = 'no')::int, 0, 0
        from answer_ratings r
        where r.municipality_id = ${municipalityId} and r.created_at >= ${lo} and r.created_at < ${hi}
        union all
        select ${month('q.created_at')}, q.service_id, x.author_id,
          0, 0, 0, null, 0, 0, 0, 0, 0, 1, 0
        from review_requests q
        left join appeal_answers x on x.municipality_id = q.municipality_id and x.id = q.answer_id
        where q.municipality_id = ${municipalityId} and q.created_at >= ${lo} and q.created_at < ${hi}
        union all
        select ${month('l.occurred_at')}, a.service_id, a.executor_id,
          0, 0, 0, null, 0, 0, 0, 0, 0, 0, 1
        from audit_log l
        join appeals a on a.municipality_id = l.municipality_id and a.id = l.entity_id::uuid
        where l.municipality_id = ${municipalityId} and l.action = 'reopen' and l.entity_type = 'appeal'
          and l.occurred_at >= ${lo} and l.occurred_at < ${hi}
      ),
      -- First per working-day count, then per key: the histogram is built from (days → answers) pairs.
      by_days as (
        select month, service_id, executor_id, days, count(days) as n,
          sum(received) as received, sum(answered) as answered, sum(on_time) as on_time, sum(rated) as rated, sum(overall) as overall,
          sum(yes) as yes, sum(partly) as partly, sum(no) as no, sum(review) as review, sum(reopen) as reopen
        from events group by month, service_id, executor_id, days
      ),
      by_key as (
        select month, service_id, executor_id, jsonb_object_agg(days, n) filter (where days is not null) as histogram,
          sum(received) as received, sum(answered) as answered, sum(on_time) as on_time, sum(rated) as rated, sum(overall) as overall,
          sum(yes) as yes, sum(partly) as partly, sum(no) as no, sum(review) as review, sum(reopen) as reopen
        from by_days group by month, service_id, executor_id
      ),
      inserted as (
        insert into scorecard_months (municipality_id, month, service_id, executor_id, received, answered, answered_on_time,
          answer_days_histogram, ratings, rating_sum, solved_yes, solved_partly, solved_no, review_requests, reopenings)
        select ${municipalityId}, month, service_id, executor_id, received, answered, on_time,
          case when histogram is null then '{}'::int[]
            else array(select coalesce((histogram ->> d::text)::int, 0) from generate_series(0, ${HISTOGRAM_CAP}) d order by d) end,
          rated, overall, yes, partly, no, review, reopen
        from by_key
        returning 1
      )
      select count(*)::int as n from inserted`);
    const written = Number(inserted?.n ?? 0);
    if (audit) {
      await writeAudit(tx, {
        municipalityId, actor: audit.actor, entityType: 'scorecards', entityId: municipalityId, action: 'rebuild_scorecards',
        before: null, after: { from, to, rows: written }, at: audit.at,
      });
    }
    return written;
  });
  forgetScorecards(municipalityId);
  return { from, to, months: monthsBetween(from, to).length, rows, durationMs: Math.round(performance.now() - started) };
}

/** The months the minute job refreshes: the current one, and the previous one (changes near the turn of a month). */
export function recentMonths(now: Date, timezone: string): { from: Month; to: Month } {
  const to = currentMonth(now, timezone);
  return { from: addMonths(to, -1), to };
}

/**
 * Rebuilds every month that has data: from the month of the first registration to the current month, widened to
 * any roll-up rows outside that (so stale rows go too).
 */
export async function rebuildAllScorecards(
  db: Db, clock: Clock, municipalityId: string, timezone: string, audit?: { actor: Actor; at: Date },
): Promise<RefreshResult> {
  const now = currentMonth(clock.now(), timezone);
  const [span] = await queryRows<{ registered: string | null; first: string | null; last: string | null }>(db, sql`
    select
      (select to_char(min(registered_at) at time zone ${timezone}, 'YYYY-MM') from appeals where municipality_id = ${municipalityId}) as registered,
      (select to_char(min(month), 'YYYY-MM') from scorecard_months where municipality_id = ${municipalityId}) as first,
      (select to_char(max(month), 'YYYY-MM') from scorecard_months where municipality_id = ${municipalityId}) as last`);
  const months = [span?.registered, span?.first, span?.last, now].filter((m): m is string => Boolean(m)).sort();
  return refreshScorecards(db, municipalityId, timezone, months[0]!, months[months.length - 1]!, audit);
}
