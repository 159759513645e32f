/**
 * Reads for the Open311 interface: category attributes, the public rows of service requests, their updates.
 * Nothing here reads the applicant: Open311's GET answers are public.
 */
import { and, asc, desc, eq, gte, inArray, lte, sql, type SQL } from 'drizzle-orm';
import { OPEN_STATUSES } from '@shaar/contracts';
import type { Db } from '../../platform/db/database.js';
import { queryRows } from '../../platform/db/database.js';
import { appeals, categories, categoryAttributes, services } from '../../platform/db/schema.js';

export type AttributeRow = typeof categoryAttributes.$inferSelect;

export async function attributesOf(db: Db, municipalityId: string, categoryIds: string[]): Promise<AttributeRow[]> {
  if (categoryIds.length === 0) return [];
  return db.select().from(categoryAttributes)
    .where(and(eq(categoryAttributes.municipalityId, municipalityId), inArray(categoryAttributes.categoryId, categoryIds)))
    .orderBy(asc(categoryAttributes.sortOrder), asc(categoryAttributes.code));
}

/** The categories of a city that have at least one attribute of their own. */
export async function categoriesWithAttributes(db: Db, municipalityId: string): Promise<Set<string>> {
  const rows = await db.selectDistinct({ id: categoryAttributes.categoryId }).from(categoryAttributes)
    .where(eq(categoryAttributes.municipalityId, municipalityId));
  return new Set(rows.map((r) => r.id));
}

export interface RequestFilter {
  ids?: string[] | undefined;
  serviceCodes?: string[] | undefined;
  start?: Date | undefined;
  end?: Date | undefined;
  status?: ('open' | 'closed')[] | undefined;
  appealId?: string | undefined;
  limit: number;
}

const requestColumns = {
  id: appeals.id, registrationNumber: appeals.registrationNumber, status: appeals.status, categoryCode: categories.code,
  categoryName: categories.name, serviceName: services.name, registeredAt: appeals.registeredAt, updatedAt: appeals.updatedAt,
  closedAt: appeals.closedAt, dueDate: appeals.dueDate, lat: appeals.lat, lon: appeals.lon, attributes: appeals.attributes,
};
export type RequestRow = Awaited<ReturnType<typeof findRequests>>[number];

export async function findRequests(db: Db, municipalityId: string, f: RequestFilter) {
  const where: SQL[] = [eq(appeals.municipalityId, municipalityId)];
  if (f.appealId) where.push(eq(appeals.id, f.appealId));
  if (f.ids) where.push(inArray(appeals.registrationNumber, f.ids));
  else {
    if (f.serviceCodes) where.push(inArray(categories.code, f.serviceCodes));
    if (f.start) where.push(gte(appeals.registeredAt, f.start));
    if (f.end) where.push(lte(appeals.registeredAt, f.end));
    if (f.status && f.status.length === 1) {
      const open = inArray(appeals.status, [...OPEN_STATUSES]);
      where.push(f.status[0] === 'open' ? open : sql`not ${open}`);
    }
  }
  const rows = await db.select(requestColumns).from(appeals)
    .leftJoin(categories, and(eq(categories.municipalityId, appeals.municipalityId), eq(categories.id, appeals.categoryId)))
    .leftJoin(services, and(eq(services.municipalityId, appeals.municipalityId), eq(services.id, appeals.serviceId)))
    .where(and(...where))
    .orderBy(desc(appeals.registeredAt), desc(appeals.id))
    .limit(f.limit);
  return rows;
}

export interface UpdateRow { update_id: string; registration_number: string; status: string; occurred_at: Date | string }

/** Public status changes of a city's appeals in a period: the resident's timeline entries that carry a status. */
export async function findUpdates(db: Db, municipalityId: string, start: Date, end: Date, limit: number): Promise<UpdateRow[]> {
  return queryRows<UpdateRow>(db, sql`
    select l.id::text as update_id, a.registration_number, l.after->>'status' as status, l.occurred_at
    from audit_log l
    join appeals a on a.municipality_id = l.municipality_id and a.id = l.entity_id::uuid
    where l.municipality_id = ${municipalityId}::uuid and l.entity_type = 'appeal' and l.is_public
      and l.after ? 'status' and l.occurred_at >= ${start.toISOString()}::timestamptz and l.occurred_at <= ${end.toISOString()}::timestamptz
    order by l.occurred_at, l.id
    limit ${limit}`);
}
