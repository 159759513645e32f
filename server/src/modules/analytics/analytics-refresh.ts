/**
 * Keeps the analytics cube (analytics_months, analytics_group_months, analytics_cell_months) up to date with the
 * registry. A month of the cube holds the appeals registered in that local month, with their current status and
 * their latest answer and rating, so a change to an appeal touches exactly one month: its registration month.
 *
 * Incremental: each refresh finds the months whose appeals (appeals.updated_at) or ratings (answer_ratings.updated_at)
 * changed since the last one — through indexes, not a scan — and rebuilds just those months, each by delete + one
 * set-based INSERT … SELECT in one transaction, so a month can never drift. A full rebuild (no state yet, an admin's
 * button, a bulk load) goes through every month, a year per transaction. Heat-map cells need H3, which only exists in
 * JavaScript: equal points are grouped in SQL first (many appeals name the same address), then mapped to cells here.
 */
import { sql, type SQL } from 'drizzle-orm';
import { latLngToCell } from 'h3-js';
import type { Db, Tx } from '../../platform/db/database.js';
import { queryRows } from '../../platform/db/database.js';
import { writeAudit, type Actor } from '../../platform/audit.js';
import type { Clock } from '../../platform/clock.js';

/** The heat map's H3 resolution: about 0.7 km² per cell — streets at city scale. */
export const MAP_RESOLUTION = 8;
/** Transactions in flight when a refresh starts may commit with an earlier updated_at: look back this far. */
const OVERLAP_MS = 2 * 60_000;
/** Months per transaction in a full rebuild. */
const FULL_REBUILD_BATCH = 12;
/** pg_advisory_xact_lock namespace: two refreshes of one city never interleave. */
const LOCK_NAMESPACE = 7212031;

export interface AnalyticsRefreshResult { months: string[]; rows: number; durationMs: number; full: boolean }

/** Folds the registry's changes since the last refresh into the cube (everything, when `full` or never built). */
export async function refreshAnalytics(
  db: Db, clock: Clock, municipalityId: string, timezone: string, options: { full?: boolean; audit?: { actor: Actor } } = {},
): Promise<AnalyticsRefreshResult> {
  const started = performance.now();
  // Taken before reading the changes: whatever commits after this is seen by the next refresh.
  const now = clock.now();
  const [state] = await queryRows<{ changes_since: Date | string }>(db, sql`
    select changes_since from analytics_refresh_state where municipality_id = ${municipalityId}`);
  const full = options.full === true || !state;
  const months = full
    ? await allMonths(db, municipalityId, timezone)
    : await changedMonths(db, municipalityId, timezone, new Date(new Date(state.changes_since).getTime() - OVERLAP_MS));

  let rows = 0;
  const batch = full ? FULL_REBUILD_BATCH : months.length || 1;
  for (let i = 0; i < months.length; i += batch) {
    rows += await db.transaction((tx) => rebuildMonths(tx, municipalityId, timezone, months.slice(i, i + batch)));
  }
  // After a full build the planner's statistics of the cube are stale (or absent): without them it sorts on disk.
  if (full) for (const table of CUBE_TABLES) await db.execute(sql`analyze ${sql.raw(table)}`);
  await db.transaction(async (tx) => {
    await tx.execute(sql`
      insert into analytics_refresh_state (municipality_id, changes_since, refreshed_at, full_rebuild_at)
      values (${municipalityId}, ${now.toISOString()}, ${clock.now().toISOString()}, ${full ? now.toISOString() : null})
      on conflict (municipality_id) do update set changes_since = excluded.changes_since, refreshed_at = excluded.refreshed_at,
        full_rebuild_at = coalesce(excluded.full_rebuild_at, analytics_refresh_state.full_rebuild_at)`);
    if (options.audit) {
      await writeAudit(tx, {
        municipalityId, actor: options.audit.actor, entityType: 'analytics', entityId: municipalityId,
        action: full ? 'rebuild_analytics' : 'refresh_analytics', before: null, after: { months: months.length, rows }, at: now,
      });
    }
  });
  return { months, rows, durationMs: Math.round(performance.now() - started), full };
}

const monthOf = (column: string, timezone: string) => sql`date_trunc('month', ${sql.raw(column)} at time zone ${timezone})::date`;

/** Every month from the first registration to the last, plus months the cube holds that may now be empty. */
async function allMonths(db: Db, municipalityId: string, timezone: string): Promise<string[]> {
  const rows = await queryRows<{ month: string }>(db, sql`
    with span as (
      select min(registered_at) as lo, max(registered_at) as hi from appeals where municipality_id = ${municipalityId}
    )
    select to_char(m, 'YYYY-MM-DD') as month from span,
      generate_series(date_trunc('month', span.lo at time zone ${timezone}), date_trunc('month', span.hi at time zone ${timezone}), interval '1 month') m
    where span.lo is not null
    union
    select distinct to_char(month, 'YYYY-MM-DD') from analytics_months where municipality_id = ${municipalityId}
    order by 1`);
  return rows.map((r) => r.month);
}

/** Registration months of the appeals changed, or rated, since the instant given. */
async function changedMonths(db: Db, municipalityId: string, timezone: string, since: Date): Promise<string[]> {
  const rows = await queryRows<{ month: string }>(db, sql`
    select distinct to_char(${monthOf('a.registered_at', timezone)}, 'YYYY-MM-DD') as month
    from appeals a where a.municipality_id = ${municipalityId} and a.updated_at >= ${since.toISOString()}
    union
    select distinct to_char(${monthOf('a.registered_at', timezone)}, 'YYYY-MM-DD')
    from answer_ratings r join appeals a on a.municipality_id = r.municipality_id and a.id = r.appeal_id
    where r.municipality_id = ${municipalityId} and r.updated_at >= ${since.toISOString()}
    order by 1`);
  return rows.map((r) => r.month);
}

/** Rebuilds the given months (first days, 'YYYY-MM-01') of all three cubes in the caller's transaction. */
export async function rebuildMonths(tx: Tx, municipalityId: string, timezone: string, months: string[]): Promise<number> {
  if (months.length === 0) return 0;
  await tx.execute(sql`select pg_advisory_xact_lock(${LOCK_NAMESPACE}, hashtext(${municipalityId}))`);
  await tx.execute(sql`set local work_mem = '64MB'`);
  const list = sql`${`{${months.join(',')}}`}::date[]`;
  for (const table of CUBE_TABLES) {
    await tx.execute(sql`delete from ${sql.raw(table)} where municipality_id = ${municipalityId} and month = any(${list})`);
  }
  const sorted = [...months].sort();
  const lo = sql`(${sorted[0]}::date::timestamp at time zone ${timezone})`;
  const hi = sql`((${sorted[sorted.length - 1]}::date + interval '1 month')::timestamp at time zone ${timezone})`;
  // The appeals of these months with their latest answer and latest rating, looked up per appeal through
  // appeal_answers_appeal_idx and answer_ratings_appeal_idx: a hash join would read every answer of the city (10M
  // answers: 7 s for one month instead of under one). One statement writes both cubes, so the cohort is read once.
  const [written] = await queryRows<{ n: number }>(tx, sql`
    with a as (
      select a.id, ${monthOf('a.registered_at', timezone)} as month, a.category_id, a.district_id, a.service_id, a.channel, a.kind,
        a.status, a.is_collective, a.repeat_of_id, x.answered, x.on_time, x.days, r.rated, r.overall, r.solved
      from appeals a
      left join lateral (
        select true as answered, x.on_time, greatest(x.working_days, 0) as days from appeal_answers x
        where x.municipality_id = a.municipality_id and x.appeal_id = a.id order by x.created_at desc limit 1
      ) x on true
      left join lateral (
        select true as rated, r.overall, r.solved from answer_ratings r
        where r.municipality_id = a.municipality_id and r.appeal_id = a.id order by r.created_at desc limit 1
      ) r on true
      where a.municipality_id = ${municipalityId} and a.registered_at >= ${lo} and a.registered_at < ${hi}
        and ${monthOf('a.registered_at', timezone)} = any(${list})
    ),
    main as (
      insert into analytics_months (municipality_id, month, category_id, district_id, service_id, channel, kind, status,
        appeals, collective, repeats, answered, answered_on_time, answer_days_sum, ratings, rating_sum, solved_yes, solved_partly, solved_no)
      select ${municipalityId}, a.month, a.category_id, a.district_id, a.service_id, a.channel, a.kind, a.status,
        count(*), count(*) filter (where a.is_collective), count(*) filter (where a.repeat_of_id is not null),
        count(a.answered), count(*) filter (where a.on_time), coalesce(sum(a.days), 0),
        count(a.rated), coalesce(sum(a.overall), 0), count(*) filter (where a.solved = 'yes'),
        count(*) filter (where a.solved = 'partly'), count(*) filter (where a.solved = 'no')
      from a
      group by a.month, a.category_id, a.district_id, a.service_id, a.channel, a.kind, a.status
      returning 1
    ),
    groups as (
      insert into analytics_group_months (municipality_id, month, category_id, district_id, channel, kind, age_band, gender, social_group,
        appeals, answered, answered_on_time, ratings, rating_sum, solved_yes)
      select ${municipalityId}, a.month, a.category_id, a.district_id, a.channel, a.kind, d.age_band, d.gender, d.social_group,
        count(*), count(a.answered), count(*) filter (where a.on_time), count(a.rated), coalesce(sum(a.overall), 0),
        count(*) filter (where a.solved = 'yes')
      from a join appeal_demographics d on d.municipality_id = ${municipalityId} and d.appeal_id = a.id
      group by a.month, a.category_id, a.district_id, a.channel, a.kind, d.age_band, d.gender, d.social_group
      returning 1
    )
    select (select count(*) from main)::int + (select count(*) from groups)::int as n`);
  const cells = await rebuildCells(tx, municipalityId, timezone, list, lo, hi);
  return Number(written?.n ?? 0) + cells + await rebuildRollups(tx, municipalityId, list);
}

const CUBE_TABLES = [
  'analytics_months', 'analytics_group_months', 'analytics_cell_months',
  'analytics_months_place', 'analytics_months_handling', 'analytics_group_months_channel', 'analytics_cell_totals',
] as const;
const MEASURES = 'appeals, collective, repeats, answered, answered_on_time, answer_days_sum, ratings, rating_sum, solved_yes, solved_partly, solved_no';
const GROUP_MEASURES = 'appeals, answered, answered_on_time, ratings, rating_sum, solved_yes';
const sums = (measures: string) => measures.split(', ').map((m) => `sum(${m})`).join(', ');

/** The roll-ups (schema.ts: analytics_months_place, …_handling, analytics_group_months_channel, analytics_cell_totals) from the months just written. */
async function rebuildRollups(tx: Tx, municipalityId: string, list: SQL): Promise<number> {
  let rows = 0;
  const rollups: [target: string, source: string, keys: string, measures: string][] = [
    ['analytics_months_place', 'analytics_months', 'category_id, district_id, channel', MEASURES],
    ['analytics_months_handling', 'analytics_months', 'service_id, channel, kind, status', MEASURES],
    ['analytics_group_months_channel', 'analytics_group_months', 'channel, age_band, gender, social_group', GROUP_MEASURES],
    ['analytics_cell_totals', 'analytics_cell_months', 'cell', 'appeals'],
  ];
  for (const [target, source, keys, measures] of rollups) {
    const [n] = await queryRows<{ n: number }>(tx, sql`
      with inserted as (
        insert into ${sql.raw(target)} (municipality_id, month, ${sql.raw(keys)}, ${sql.raw(measures)})
        select municipality_id, month, ${sql.raw(keys)}, ${sql.raw(sums(measures))}
        from ${sql.raw(source)} where municipality_id = ${municipalityId} and month = any(${list})
        group by municipality_id, month, ${sql.raw(keys)}
        returning 1
      )
      select count(*)::int as n from inserted`);
    rows += Number(n?.n ?? 0);
  }
  return rows;
}

async function rebuildCells(tx: Tx, municipalityId: string, timezone: string, list: SQL, lo: SQL, hi: SQL) {
  const points = await queryRows<{ month: string; category_id: string | null; district_id: string | null; lat: number; lon: number; n: number }>(tx, sql`
    select to_char(${monthOf('registered_at', timezone)}, 'YYYY-MM-DD') as month, category_id, district_id,
      lat, lon, count(*)::int as n
    from appeals
    where municipality_id = ${municipalityId} and registered_at >= ${lo} and registered_at < ${hi}
      and ${monthOf('registered_at', timezone)} = any(${list}) and lat is not null and lon is not null
    group by 1, 2, 3, 4, 5`);
  const sums = new Map<string, { month: string; category_id: string | null; district_id: string | null; cell: string; appeals: number }>();
  for (const p of points) {
    const cell = latLngToCell(Number(p.lat), Number(p.lon), MAP_RESOLUTION);
    const key = `${p.month}|${p.category_id}|${p.district_id}|${cell}`;
    const s = sums.get(key);
    if (s) s.appeals += Number(p.n);
    else sums.set(key, { month: p.month, category_id: p.category_id, district_id: p.district_id, cell, appeals: Number(p.n) });
  }
  const rows = [...sums.values()];
  // One JSON parameter per slice: no limit on bind parameters, the same on PostgreSQL and PGlite.
  for (let i = 0; i < rows.length; i += 20_000) {
    await tx.execute(sql`
      insert into analytics_cell_months (municipality_id, month, category_id, district_id, cell, appeals)
      select ${municipalityId}, month, category_id, district_id, cell, appeals
      from json_to_recordset(${JSON.stringify(rows.slice(i, i + 20_000))}::json)
        as x(month date, category_id uuid, district_id uuid, cell text, appeals int)`);
  }
  return rows.length;
}
