/**
 * SQL of the analytics routes. Figures come only from the cube (analytics_months, analytics_group_months,
 * analytics_cell_months): a month holds a few thousand rows however many appeals it had, so a period is summed in
 * SQL in milliseconds. Filters become the WHERE, the dimensions the GROUP BY on the cube's own columns; mapping a
 * column to a coarser key (a category to its group, a channel to its form) happens in the service on the few rows
 * that come back. The drill-down is the one read of the appeals table: a keyset page on appeals_registered_idx.
 */
import { sql, type SQL } from 'drizzle-orm';
import { queryRows, type Db } from '../../platform/db/database.js';
import { firstDay, type Period } from './analytics-period.js';

/** The cube's filters, already resolved: a category group expanded to its subcategories, forms to channels. */
export interface CubeFilter {
  municipalityId: string;
  period: Period;
  categoryIds?: string[] | undefined;
  districtIds?: string[] | undefined;
  serviceIds?: string[] | undefined;
  channels?: string[] | undefined;
  kinds?: string[] | undefined;
  statuses?: string[] | undefined;
}

/** Sums of the main cube's measures over some rows. */
export interface Tally {
  appeals: number; collective: number; repeats: number; answered: number; answeredOnTime: number; answerDaysSum: number;
  ratings: number; ratingSum: number; solvedYes: number; solvedPartly: number; solvedNo: number;
}
/** The groups cube carries fewer measures. */
export type GroupTally = Pick<Tally, 'appeals' | 'answered' | 'answeredOnTime' | 'ratings' | 'ratingSum' | 'solvedYes'>;

export const emptyTally = (): Tally => ({
  appeals: 0, collective: 0, repeats: 0, answered: 0, answeredOnTime: 0, answerDaysSum: 0, ratings: 0, ratingSum: 0, solvedYes: 0, solvedPartly: 0, solvedNo: 0,
});
export function addTally<T extends Partial<Tally>>(into: T, add: T): T {
  for (const k of Object.keys(add) as (keyof T)[]) (into[k] as number) = ((into[k] as number) ?? 0) + (add[k] as number);
  return into;
}

/** Columns each cube can be grouped by. */
export type CubeColumn = 'category_id' | 'district_id' | 'service_id' | 'channel' | 'kind' | 'status' | 'month';
export type GroupCubeColumn = 'category_id' | 'district_id' | 'channel' | 'kind' | 'month' | 'age_band' | 'gender' | 'social_group';

const MAIN_MEASURES: Record<keyof Tally, string> = {
  appeals: 'appeals', collective: 'collective', repeats: 'repeats', answered: 'answered', answeredOnTime: 'answered_on_time',
  answerDaysSum: 'answer_days_sum', ratings: 'ratings', ratingSum: 'rating_sum', solvedYes: 'solved_yes', solvedPartly: 'solved_partly', solvedNo: 'solved_no',
};
const GROUP_MEASURES: Record<keyof GroupTally, string> = {
  appeals: 'appeals', answered: 'answered', answeredOnTime: 'answered_on_time', ratings: 'ratings', ratingSum: 'rating_sum', solvedYes: 'solved_yes',
};

/** '{a,b}' for `= any(…::uuid[])`: one text parameter, the same on PostgreSQL and PGlite. Values are validated ids and codes. */
const pgArray = (values: readonly string[]) => `{${values.join(',')}}`;

/** The conditions of the filters besides the city and the period, on columns named as in the cube and appeals alike. */
function filterParts(f: CubeFilter, alias = ''): SQL[] {
  const parts: SQL[] = [];
  const any = (column: string, values: string[] | undefined, type: 'uuid' | 'text') => {
    if (values) parts.push(sql`${sql.raw(alias + column)} = any(${pgArray(values)}::${sql.raw(type)}[])`);
  };
  any('category_id', f.categoryIds, 'uuid');
  any('district_id', f.districtIds, 'uuid');
  any('service_id', f.serviceIds, 'uuid');
  any('channel', f.channels, 'text');
  any('kind', f.kinds, 'text');
  any('status', f.statuses, 'text');
  return parts;
}

/** The WHERE of a filter on a cube table (the caller refuses filters the table has no column for). */
function whereOf(f: CubeFilter): SQL {
  return sql.join([
    sql`municipality_id = ${f.municipalityId}`,
    sql`month between ${firstDay(f.period.from)}::date and ${firstDay(f.period.to)}::date`,
    ...filterParts(f),
  ], sql` and `);
}

/** A grouping column as text: months as 'YYYY-MM', nulls stay null (computed per group, not per row). */
const columnText = (c: string) => (c === 'month' ? sql`to_char(month, 'YYYY-MM')` : sql`${sql.raw(c)}::text`);

/**
 * Sums a cube table over the filter once per grouping set (one scan for all of them: GROUPING SETS), each row
 * tagged with its set's index and its keys in the set's column order. A set without columns gives the total.
 */
async function sumTable<T extends object>(
  db: Db, table: string, measures: Record<keyof T, string>, f: CubeFilter, sets: readonly (readonly string[])[],
): Promise<{ set: number; keys: (string | null)[]; tally: T }[]> {
  const names = Object.keys(measures) as (keyof T)[];
  const columns = [...new Set(sets.flat())];
  const raw = (cs: readonly string[]) => sql.raw(cs.join(', '));
  // grouping(a, b, c) has a bit set, most significant first, for each column a row's set does not group by.
  const maskOf = (set: readonly string[]) => columns.reduce((m, c, i) => (set.includes(c) ? m : m | (1 << (columns.length - 1 - i))), 0);
  const select = [
    ...columns.map((c, i) => sql`${columnText(c)} as ${sql.raw(`k${i}`)}`),
    ...(sets.length > 1 ? [sql`grouping(${raw(columns)}) as g`] : []),
    ...names.map((n, i) => sql`coalesce(sum(${sql.raw(measures[n])}), 0)::float8 as ${sql.raw(`m${i}`)}`),
  ];
  const groupBy = sets.length > 1 ? sql` group by grouping sets (${sql.join(sets.map((s) => sql`(${raw(s)})`), sql`, `)})`
    : columns.length > 0 ? sql` group by ${raw(columns)}` : sql``;
  const rows = await queryRows<Record<string, string | number | null>>(db, sql`
    select ${sql.join(select, sql`, `)} from ${sql.raw(table)} where ${whereOf(f)}${groupBy}`);
  const masks = sets.map(maskOf);
  return rows.map((r) => {
    const set = sets.length > 1 ? masks.indexOf(Number(r.g)) : 0;
    return {
      set,
      keys: sets[set]!.map((c) => (r[`k${columns.indexOf(c)}`] ?? null) as string | null),
      tally: Object.fromEntries(names.map((n, i) => [n, Number(r[`m${i}`])])) as T,
    };
  });
}

/**
 * The cube tables and their roll-ups (schema.ts), smallest first: a query reads the first one holding every column it
 * filters or groups by. At 10M appeals a month has ~6,000 rows in analytics_months but ~800 in the place roll-up.
 */
const MAIN_TABLES: readonly (readonly [string, readonly string[]])[] = [
  ['analytics_months_place', ['category_id', 'district_id', 'channel']],
  ['analytics_months_handling', ['service_id', 'channel', 'kind', 'status']],
  ['analytics_months', ['category_id', 'district_id', 'service_id', 'channel', 'kind', 'status']],
];
const GROUP_TABLES: readonly (readonly [string, readonly string[]])[] = [
  ['analytics_group_months_channel', ['channel', 'age_band', 'gender', 'social_group']],
  ['analytics_group_months', ['category_id', 'district_id', 'channel', 'kind', 'age_band', 'gender', 'social_group']],
];
const FILTER_COLUMNS: readonly (readonly [keyof CubeFilter, string])[] = [
  ['categoryIds', 'category_id'], ['districtIds', 'district_id'], ['serviceIds', 'service_id'],
  ['channels', 'channel'], ['kinds', 'kind'], ['statuses', 'status'],
];

/** The smallest table with every column the filter and the groupings use (month is in all of them). */
export function tableFor(tables: readonly (readonly [string, readonly string[]])[], f: CubeFilter, sets: readonly (readonly string[])[]): string {
  const needed = [
    ...FILTER_COLUMNS.filter(([k]) => f[k] !== undefined).map(([, c]) => c),
    ...sets.flat().filter((c) => c !== 'month'),
  ];
  const table = tables.find(([, columns]) => needed.every((c) => columns.includes(c)));
  if (!table) throw new Error(`no analytics table has ${needed.join(', ')}`);
  return table[0];
}

/** The main cube summed over the filter, one row per combination of the `by` columns (one row in all without). */
export function sumCube(db: Db, f: CubeFilter, by: readonly CubeColumn[] = []) {
  return sumTable<Tally>(db, tableFor(MAIN_TABLES, f, [by]), MAIN_MEASURES, f, [by]);
}

/** The main cube summed by several groupings in one scan: one list of rows per grouping, in the order asked. */
export async function sumCubeSets<const S extends readonly (readonly CubeColumn[])[]>(db: Db, f: CubeFilter, sets: S) {
  const rows = await sumTable<Tally>(db, tableFor(MAIN_TABLES, f, sets), MAIN_MEASURES, f, sets);
  return sets.map((_, i) => rows.filter((r) => r.set === i)) as { [K in keyof S]: typeof rows };
}

/** The groups-of-residents cube (consented profiles only); it has no service or status, so those filters must be empty. */
export function sumGroupCube(db: Db, f: CubeFilter, by: readonly GroupCubeColumn[] = []) {
  if (f.serviceIds || f.statuses) throw new Error('the groups cube has no service or status');
  return sumTable<GroupTally>(db, tableFor(GROUP_TABLES, f, [by]), GROUP_MEASURES, f, [by]);
}

/** Appeals per H3 cell over the filter (period, category, district only). */
export async function sumCells(db: Db, f: CubeFilter): Promise<{ cell: string; appeals: number }[]> {
  if (f.serviceIds || f.statuses || f.channels || f.kinds) throw new Error('the cells cube has only category and district');
  // Without a category or district filter, the city-wide roll-up: a few hundred rows a year instead of tens of thousands.
  const table = f.categoryIds || f.districtIds ? 'analytics_cell_months' : 'analytics_cell_totals';
  const rows = await queryRows<{ cell: string; appeals: number }>(db, sql`
    select cell, sum(appeals)::int as appeals from ${sql.raw(table)} where ${whereOf(f)}
    group by cell order by 2 desc, 1`);
  return rows.map((r) => ({ cell: r.cell, appeals: Number(r.appeals) }));
}

/** When the cube last folded in the registry's changes; null before its first build. */
export async function refreshedAt(db: Db, municipalityId: string): Promise<string | null> {
  const [row] = await queryRows<{ at: string }>(db, sql`
    select to_char(refreshed_at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') as at
    from analytics_refresh_state where municipality_id = ${municipalityId}`);
  return row?.at ?? null;
}

export interface DrillDownRow {
  id: string; registrationNumber: string; registeredAt: string; kind: string; channel: string; status: string;
  categoryId: string | null; districtId: string | null; serviceId: string | null; subject: string; dueDate: string;
  answeredAt: string | null; onTime: boolean | null; rating: number | null;
  /** registered_at to the microsecond, for an exact keyset cursor. */
  at: string;
}

/**
 * One page of the appeals behind a figure, newest first: the same filters on the appeals themselves, the period as
 * the instants of its local months. Walks appeals_registered_idx (municipality, registered_at desc, id desc) from the
 * cursor; the latest answer and rating are looked up for the page's rows only.
 */
export async function drillDownPage(
  db: Db, f: CubeFilter, timezone: string, after: { at: string; id: string } | null, limit: number,
): Promise<DrillDownRow[]> {
  const lo = sql`(${firstDay(f.period.from)}::date::timestamp at time zone ${timezone})`;
  const hi = sql`((${firstDay(f.period.to)}::date + interval '1 month')::timestamp at time zone ${timezone})`;
  const parts: SQL[] = [
    sql`a.municipality_id = ${f.municipalityId}`, sql`a.registered_at >= ${lo}`, sql`a.registered_at < ${hi}`, ...filterParts(f, 'a.'),
  ];
  if (after) parts.push(sql`(a.registered_at, a.id) < (${after.at}::timestamptz, ${after.id}::uuid)`);
  const rows = await queryRows<Record<string, string | number | boolean | null>>(db, sql`
    with page as (
      select a.id, a.registration_number, a.registered_at, a.kind, a.channel, a.status, a.category_id, a.district_id, a.service_id,
        a.subject, a.due_date, a.answered_at
      from appeals a where ${sql.join(parts, sql` and `)}
      order by a.registered_at desc, a.id desc
      limit ${limit}
    )
    select p.id::text as id, p.registration_number, p.kind, p.channel, p.status,
      p.category_id::text as category_id, p.district_id::text as district_id, p.service_id::text as service_id, p.subject,
      to_char(p.registered_at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') as registered_at,
      to_char(p.registered_at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"') as at,
      to_char(p.due_date, 'YYYY-MM-DD') as due_date,
      to_char(p.answered_at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') as answered_at,
      x.on_time, r.overall
    from page p
    left join lateral (select x.on_time from appeal_answers x where x.municipality_id = ${f.municipalityId} and x.appeal_id = p.id
      order by x.created_at desc limit 1) x on true
    left join lateral (select r.overall from answer_ratings r where r.municipality_id = ${f.municipalityId} and r.appeal_id = p.id
      order by r.created_at desc limit 1) r on true
    order by p.registered_at desc, p.id desc`);
  return rows.map((r) => ({
    id: String(r.id), registrationNumber: String(r.registration_number), registeredAt: String(r.registered_at),
    kind: String(r.kind), channel: String(r.channel), status: String(r.status),
    categoryId: (r.category_id as string | null) ?? null, districtId: (r.district_id as string | null) ?? null,
    serviceId: (r.service_id as string | null) ?? null, subject: String(r.subject), dueDate: String(r.due_date),
    answeredAt: (r.answered_at as string | null) ?? null, onTime: (r.on_time as boolean | null) ?? null,
    rating: r.overall === null || r.overall === undefined ? null : Number(r.overall), at: String(r.at),
  }));
}
