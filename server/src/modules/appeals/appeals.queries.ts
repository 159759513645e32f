/**
 * The read side of the registry: inbox lists with filters and cursor pagination, and an appeal's full record.
 */
import { and, asc, desc, eq, ilike, inArray, lt, lte, or, gte, sql, type SQL } from 'drizzle-orm';
import { APPEAL_STATUSES, OPEN_STATUSES, addCalendarDays, localDate, type AppealStatus } from '@shaar/contracts';
import { z } from 'zod';
import type { Db } from '../../platform/db/database.js';
import {
  answerRatings, appealAnswers, appealApplicants, appealNotes, appeals, attachments, auditLog, categories, reviewRequests, staffUsers,
} from '../../platform/db/schema.js';
import { decodeCursor, encodeCursor } from '../../platform/http/schemas.js';
import { AppError } from '../../platform/http/errors.js';
import type { WorkingTime } from '../deadlines/working-time.js';
import type { AppealListQuery } from './appeals.schemas.js';

export type AppealRow = typeof appeals.$inferSelect;
export type ListQuery = z.infer<typeof AppealListQuery>;

const Cursor = z.tuple([z.iso.datetime({ offset: true }), z.uuid()]);

export interface ListScope {
  municipalityId: string;
  timezone: string;
  /** Executors see only their service. */
  serviceId?: string | null;
  /** Citizens see only their own appeals. */
  citizenId?: string;
  now: Date;
}

export async function listAppeals(db: Db, workingTime: WorkingTime, scope: ListScope, q: Partial<ListQuery>) {
  const m = scope.municipalityId;
  const today = localDate(scope.now, scope.timezone);
  const where: (SQL | undefined)[] = [eq(appeals.municipalityId, m)];
  if (scope.serviceId) where.push(eq(appeals.serviceId, scope.serviceId));
  if (scope.citizenId) where.push(eq(appeals.citizenId, scope.citizenId));
  if (q.status) {
    const list = q.status.split(',').filter((s): s is AppealStatus => (APPEAL_STATUSES as readonly string[]).includes(s));
    if (list.length === 0) throw new AppError(400, 'validation_failed', 'error.validation_failed', {}, [{ in: 'querystring', path: 'status', code: 'invalid_value' }]);
    where.push(inArray(appeals.status, list));
  }
  if (q.kind) where.push(eq(appeals.kind, q.kind));
  if (q.channel) where.push(eq(appeals.channel, q.channel));
  if (q.categoryId) {
    // A group includes its subcategories.
    where.push(or(eq(appeals.categoryId, q.categoryId),
      inArray(appeals.categoryId, db.select({ id: categories.id }).from(categories)
        .where(and(eq(categories.municipalityId, m), eq(categories.parentId, q.categoryId))))));
  }
  if (q.districtId) where.push(eq(appeals.districtId, q.districtId));
  if (q.serviceId) where.push(eq(appeals.serviceId, q.serviceId));
  if (q.executorId) where.push(eq(appeals.executorId, q.executorId));
  if (q.overdue === 'true') where.push(inArray(appeals.status, [...OPEN_STATUSES]), lt(appeals.dueDate, today));
  if (q.overdue === 'false') where.push(or(sql`${appeals.status} not in ('registered','assigned','in_progress','extended','reopened','redirected')`, gte(appeals.dueDate, today)));
  if (q.dueWithinDays !== undefined) {
    const calendar = await workingTime.calendar(m);
    where.push(inArray(appeals.status, [...OPEN_STATUSES]), gte(appeals.dueDate, today), lte(appeals.dueDate, calendar.addWorkingDays(today, q.dueWithinDays)));
  }
  // Dates are the municipality's calendar days; +06:00 is Bishkek's offset, taken from the zone at the boundary.
  if (q.from) where.push(gte(appeals.registeredAt, zonedStart(q.from, scope.timezone)));
  if (q.to) where.push(lt(appeals.registeredAt, zonedStart(addCalendarDays(q.to, 1), scope.timezone)));
  if (q.q) {
    const like = `%${q.q.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
    where.push(or(ilike(appeals.registrationNumber, like), ilike(appeals.subject, like), ilike(appeals.body, like), ilike(appeals.address, like)));
  }
  const after = decodeCursor(q.cursor, Cursor);
  if (q.cursor && !after) throw new AppError(400, 'validation_failed', 'error.validation_failed', {}, [{ in: 'querystring', path: 'cursor', code: 'invalid' }]);
  if (after) {
    where.push(sql`(${appeals.registeredAt}, ${appeals.id}) < (${after[0]}::timestamptz, ${after[1]}::uuid)`);
  }
  const limit = q.limit ?? 50;
  const rows = await db.select().from(appeals).where(and(...where))
    .orderBy(desc(appeals.registeredAt), desc(appeals.id)).limit(limit + 1);
  const page = rows.slice(0, limit);
  const last = page[page.length - 1];
  return {
    items: page,
    today,
    nextCursor: rows.length > limit && last ? encodeCursor([last.registeredAt.toISOString(), last.id]) : null,
  };
}

/** Midnight of a local date in a time zone, as an instant. */
export function zonedStart(date: string, timeZone: string): Date {
  const utcMidnight = new Date(`${date}T00:00:00Z`);
  const local = new Date(utcMidnight.toLocaleString('en-US', { timeZone }));
  const utc = new Date(utcMidnight.toLocaleString('en-US', { timeZone: 'UTC' }));
  return new Date(utcMidnight.getTime() - (local.getTime() - utc.getTime()));
}

export async function loadAppeal(db: Db, municipalityId: string, id: string): Promise<AppealRow | null> {
  const [row] = await db.select().from(appeals).where(and(eq(appeals.municipalityId, municipalityId), eq(appeals.id, id))).limit(1);
  return row ?? null;
}

export async function loadAppealRecord(db: Db, municipalityId: string, id: string) {
  const key = (t: typeof appealAnswers | typeof attachments | typeof appealApplicants | typeof appealNotes | typeof answerRatings | typeof reviewRequests) =>
    and(eq(t.municipalityId, municipalityId), eq(t.appealId, id));
  const [answers, files, audit, applicant, notes, ratings, reviews] = await Promise.all([
    db.select().from(appealAnswers).where(key(appealAnswers)).orderBy(asc(appealAnswers.createdAt)),
    db.select().from(attachments).where(key(attachments)).orderBy(asc(attachments.createdAt)),
    db.select({ entry: auditLog, actorName: staffUsers.fullName }).from(auditLog)
      .leftJoin(staffUsers, and(eq(staffUsers.municipalityId, auditLog.municipalityId), eq(staffUsers.id, auditLog.actorId), eq(auditLog.actorKind, 'staff')))
      .where(and(eq(auditLog.municipalityId, municipalityId), eq(auditLog.entityType, 'appeal'), eq(auditLog.entityId, id)))
      .orderBy(asc(auditLog.id)),
    db.select().from(appealApplicants).where(key(appealApplicants)).limit(1),
    db.select({ note: appealNotes, authorName: staffUsers.fullName }).from(appealNotes)
      .leftJoin(staffUsers, and(eq(staffUsers.municipalityId, appealNotes.municipalityId), eq(staffUsers.id, appealNotes.authorId)))
      .where(key(appealNotes)).orderBy(asc(appealNotes.createdAt)),
    // The resident's rating of each answer and their review requests (ratings module).
    db.select().from(answerRatings).where(key(answerRatings)),
    db.select().from(reviewRequests).where(key(reviewRequests)),
  ]);
  return { answers, files, audit, applicant: applicant[0] ?? null, notes, ratings, reviews };
}
