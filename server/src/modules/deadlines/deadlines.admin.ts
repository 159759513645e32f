/**
 * Admin use cases for working time: the calendar's exceptions (holidays, working weekend days) and the deadline
 * rules. Each change runs in one transaction with its audit entry; the working-time cache is cleared after
 * commit, so the next registration already counts with the new calendar.
 *
 * Deadline rules are history: an appeal keeps the rule it was registered under, so a rule is never edited, and
 * only a rule that has not yet taken effect may be deleted.
 */
import { and, asc, desc, eq, gte, lte } from 'drizzle-orm';
import { uniqueViolation } from '../../platform/db/database-errors.js';
import { z } from 'zod';
import { APPEAL_KINDS } from '@shaar/contracts';
import type { Db, Tx } from '../../platform/db/database.js';
import { appeals, calendarDays, deadlineRules } from '../../platform/db/schema.js';
import { writeAudit, type Actor } from '../../platform/audit.js';
import { AppError, errors } from '../../platform/http/errors.js';
import { IsoDate, LocalizedText } from '../../platform/http/schemas.js';
import type { DeadlineRule, WorkingTime } from './working-time.js';

/** A day the calendar can hold: far enough either way for any appeal, and a bound on working-day arithmetic. */
export const CalendarDate = IsoDate.refine((d) => d >= '2000-01-01' && d <= '2100-12-31', { message: 'between 2000-01-01 and 2100-12-31' })
  .describe('YYYY-MM-DD, from 2000 to 2100');

export const CalendarDayPut = z.object({
  isWorking: z.boolean().describe('false: a holiday on a weekday; true: a working Saturday or Sunday'),
  name: LocalizedText.nullable().optional(),
}).strict();

export const DeadlineRuleCreate = z.object({
  kind: z.enum(APPEAL_KINDS).nullable().default(null).describe('null: every kind without a rule of its own'),
  effectiveFrom: CalendarDate.describe('Applies to appeals registered on or after this day; today or later'),
  registerWithinDays: z.number().int().min(0).max(30).describe('Working days to register an appeal after it arrives'),
  answerWithinDays: z.number().int().min(1).max(365).describe('Working days to answer after registration'),
  maxExtensionDays: z.number().int().min(0).max(365).describe('The most working days all extensions together may add'),
  note: z.string().trim().max(1000).nullable().optional().describe('E.g. the law or decision the rule comes from'),
}).strict();

export type CalendarDay = typeof calendarDays.$inferSelect;

/** Who changes what where; `today` is the city's local date. */
export interface AdminContext { db: Db; workingTime: WorkingTime; municipalityId: string; actor: Actor; today: string }


async function change<T>(c: AdminContext, fn: (tx: Tx) => Promise<T>, conflict?: () => AppError): Promise<T> {
  let result: T;
  try {
    result = await c.db.transaction(fn);
  } catch (err) {
    throw conflict && uniqueViolation(err) !== null ? conflict() : err;
  }
  c.workingTime.invalidate(c.municipalityId);
  return result;
}

const audit = (tx: Tx, c: AdminContext, entityType: string, entityId: string, action: string, before: unknown, after: unknown) =>
  writeAudit(tx, { municipalityId: c.municipalityId, actor: c.actor, entityType, entityId, action, before, after });

// ---- the calendar ----------------------------------------------------------------------------------------

export const listCalendar = (db: Db, municipalityId: string, year: number) =>
  db.select().from(calendarDays)
    .where(and(eq(calendarDays.municipalityId, municipalityId), gte(calendarDays.date, `${year}-01-01`), lte(calendarDays.date, `${year}-12-31`)))
    .orderBy(asc(calendarDays.date));

const dayOut = ({ municipalityId: _, ...d }: CalendarDay) => d;

/** Sets a day's exception, creating or replacing it. */
export async function putCalendarDay(c: AdminContext, date: string, input: z.infer<typeof CalendarDayPut>): Promise<CalendarDay> {
  return change(c, async (tx) => {
    const key = and(eq(calendarDays.municipalityId, c.municipalityId), eq(calendarDays.date, date));
    const [before] = await tx.select().from(calendarDays).where(key).for('update');
    const values = { isWorking: input.isWorking, name: input.name ?? null };
    if (before && before.isWorking === values.isWorking && JSON.stringify(before.name) === JSON.stringify(values.name)) return before;
    // An upsert, so two admins adding the same day at once both succeed.
    const [row] = await tx.insert(calendarDays).values({ municipalityId: c.municipalityId, date, ...values })
      .onConflictDoUpdate({ target: [calendarDays.municipalityId, calendarDays.date], set: values }).returning();
    await audit(tx, c, 'calendar_day', date, before ? 'update' : 'create', before ? dayOut(before) : null, dayOut(row!));
    return row!;
  });
}

/** Removes a day's exception: the day becomes an ordinary weekday or weekend day again. */
export async function deleteCalendarDay(c: AdminContext, date: string): Promise<void> {
  await change(c, async (tx) => {
    const [row] = await tx.delete(calendarDays)
      .where(and(eq(calendarDays.municipalityId, c.municipalityId), eq(calendarDays.date, date))).returning();
    if (!row) throw errors.notFound('calendar day');
    await audit(tx, c, 'calendar_day', date, 'delete', dayOut(row), null);
  });
}

// ---- deadline rules --------------------------------------------------------------------------------------

export const listDeadlineRules = (db: Db, municipalityId: string) =>
  db.select().from(deadlineRules).where(eq(deadlineRules.municipalityId, municipalityId))
    .orderBy(desc(deadlineRules.effectiveFrom), asc(deadlineRules.kind));

const ruleOut = ({ municipalityId: _, ...r }: DeadlineRule) => r;

export async function createDeadlineRule(c: AdminContext, input: z.infer<typeof DeadlineRuleCreate>): Promise<DeadlineRule> {
  // A rule dated in the past would claim it governed appeals that were in fact registered under another one,
  // and, being in effect, it could never be deleted again.
  if (input.effectiveFrom < c.today) throw new AppError(400, 'deadline_rule_in_past', 'error.deadline_rule_in_past', {}, [{ in: 'body', path: 'effectiveFrom', code: 'too_small' }]);
  return change(c, async (tx) => {
    const [row] = await tx.insert(deadlineRules).values({ ...input, municipalityId: c.municipalityId }).returning();
    await audit(tx, c, 'deadline_rule', row!.id, 'create', null, ruleOut(row!));
    return row!;
  }, () => new AppError(409, 'deadline_rule_exists', 'error.deadline_rule_exists'));
}

export async function deleteDeadlineRule(c: AdminContext, id: string): Promise<void> {
  await change(c, async (tx) => {
    const key = and(eq(deadlineRules.municipalityId, c.municipalityId), eq(deadlineRules.id, id));
    const [rule] = await tx.select().from(deadlineRules).where(key).for('update');
    if (!rule) throw errors.notFound('deadline rule');
    const [used] = await tx.select({ id: appeals.id }).from(appeals)
      .where(and(eq(appeals.municipalityId, c.municipalityId), eq(appeals.deadlineRuleId, id))).limit(1);
    if (rule.effectiveFrom <= c.today || used) throw new AppError(409, 'deadline_rule_in_effect', 'error.deadline_rule_in_effect');
    await tx.delete(deadlineRules).where(key);
    await audit(tx, c, 'deadline_rule', id, 'delete', ruleOut(rule), null);
  });
}
