/**
 * Reads the public rows of a city's appeals in keyset batches ordered by (registered_at, id), so the daily files
 * and the API page through millions of appeals with one index range each, never all rows at once.
 * Only the columns listed here leave the database: no applicant, text, address, staff or coordinates beyond
 * what the H3 cell needs (the point is coarsened here and dropped).
 */
import { sql, type SQL } from 'drizzle-orm';
import { latLngToCell } from 'h3-js';
import { formOfChannel, type Channel } from '@shaar/contracts';
import { queryRows, type Db } from '../../platform/db/database.js';
import { OPEN_DATA_H3_RESOLUTION, type OpenDataRow } from './open-data.fields.js';
import type { OpenDataSecrets } from './open-data.secrets.js';

export interface OpenDataCity { id: string; slug: string; timezone: string }
/** Position after the last row read: registered_at with microseconds (as text, a JS Date would lose them) and id. */
export interface OpenDataKey { at: string; id: string }
export interface OpenDataFilters {
  /** Registration days, city time, inclusive. */
  from?: string | undefined;
  to?: string | undefined;
  /** A category code or a group code. */
  category?: string | undefined;
  district?: string | undefined;
}

interface RawRow {
  id: string; at_key: string; kind: string; channel: string; category: string | null; category_group: string | null;
  district: string | null; service: string | null; status: string; registered_date: string; due_date: string;
  answered_date: string | null; closed_date: string | null; on_time: boolean | null; working_days: number | null;
  lat: number | null; lon: number | null; rating_overall: number | null; rating_solved: string | null;
}

export async function readOpenDataBatch(
  db: Db, city: OpenDataCity, secrets: OpenDataSecrets, filters: OpenDataFilters, after: OpenDataKey | null, limit: number,
): Promise<{ rows: OpenDataRow[]; keys: OpenDataKey[] }> {
  const tz = city.timezone;
  const local = (col: SQL) => sql`to_char(${col} at time zone ${tz}, 'YYYY-MM-DD')`;
  const where: SQL[] = [sql`a.municipality_id = ${city.id}`];
  if (after) where.push(sql`(a.registered_at, a.id) > (${after.at}::timestamptz, ${after.id}::uuid)`);
  if (filters.from) where.push(sql`a.registered_at >= (${filters.from}::date::timestamp at time zone ${tz})`);
  if (filters.to) where.push(sql`a.registered_at < ((${filters.to}::date + 1)::timestamp at time zone ${tz})`);
  if (filters.category) where.push(sql`(c.code = ${filters.category} or g.code = ${filters.category})`);
  if (filters.district) where.push(sql`d.code = ${filters.district}`);
  const raw = await queryRows<RawRow>(db, sql`
    select a.id,
      to_char(a.registered_at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"') as at_key,
      a.kind, a.channel, c.code as category, coalesce(g.code, c.code) as category_group, d.code as district,
      s.code as service, a.status,
      ${local(sql`a.registered_at`)} as registered_date, to_char(a.due_date, 'YYYY-MM-DD') as due_date,
      ${local(sql`a.answered_at`)} as answered_date, ${local(sql`a.closed_at`)} as closed_date,
      ans.on_time, ans.working_days, a.lat, a.lon, r.overall as rating_overall, r.solved as rating_solved
    from appeals a
    left join categories c on c.municipality_id = a.municipality_id and c.id = a.category_id
    left join categories g on g.municipality_id = c.municipality_id and g.id = c.parent_id
    left join districts d on d.municipality_id = a.municipality_id and d.id = a.district_id
    left join services s on s.municipality_id = a.municipality_id and s.id = a.service_id
    left join lateral (
      select x.id, x.on_time, x.working_days from appeal_answers x
      where x.municipality_id = a.municipality_id and x.appeal_id = a.id order by x.created_at desc, x.id desc limit 1
    ) ans on true
    left join answer_ratings r on r.municipality_id = a.municipality_id and r.answer_id = ans.id
    where ${sql.join(where, sql` and `)}
    order by a.registered_at, a.id
    limit ${limit}`);
  const rows = raw.map((r): OpenDataRow => ({
    id: secrets.pseudonym(city.id, r.id),
    municipality: city.slug,
    kind: r.kind,
    channel: r.channel,
    form: formOfChannel(r.channel as Channel),
    category: r.category,
    category_group: r.category_group,
    district: r.district,
    service: r.service,
    status: r.status,
    registered_date: r.registered_date,
    due_date: r.due_date,
    answered_date: r.answered_date,
    closed_date: r.closed_date,
    on_time: r.on_time,
    working_days_to_answer: r.working_days === null ? null : Number(r.working_days),
    h3_cell: r.lat === null || r.lon === null ? null : latLngToCell(Number(r.lat), Number(r.lon), OPEN_DATA_H3_RESOLUTION),
    rating_overall: r.rating_overall === null ? null : Number(r.rating_overall),
    rating_solved: r.rating_solved,
  }));
  return { rows, keys: raw.map((r) => ({ at: r.at_key, id: r.id })) };
}
