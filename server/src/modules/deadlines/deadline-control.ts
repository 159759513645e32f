/**
 * Deadline control: a sweep every 15 minutes per municipality reminds the service of appeals about to fall due
 * and escalates those that are overdue. Each reminder and escalation is an appeal event (appeal-events.ts) whose
 * key names the due date, so each is announced once per due date however often the sweep runs, and an extended
 * due date gets reminders of its own.
 *
 * What "N working days before the due date" means. The due date is the last working day on which the answer is
 * still in time. "Working days left" on a day D is the number of working days after D up to and including the due
 * date: calendar.workingDaysBetween(D, due). The reminder "N days left" goes out on the working day D where that
 * count is N — the N-th working day before the due date, however many weekends and holidays lie between. For a due
 * date of Monday 11 May 2026, right after the May holidays (1–10 May off), "1 day left" is Thursday 30 April and
 * "3 days left" Tuesday 28 April: the last working days on which the service can still act, never a holiday.
 * Reminders are sent on working days only (nobody acts on a holiday, and the count does not change over one).
 *
 * Catch-up: the reminder for the smallest configured N ≥ days left is owed (with [3, 1]: 3 or 2 days left → the
 * "3" reminder, 1 → the "1" reminder, 0 → 'due_today'), so a day the sweep never ran (the server was down) or a due
 * date moved close by an extension still gets its reminder, with the true days left in its details. On an ordinary
 * run it is sent exactly on the N-th working day before.
 *
 * Escalation: from the first day after the due date (any day: the appeal is overdue then, as the inbox shows), once
 * per due date, recorded in appeals.escalated_for_due_date with an audit entry in the same transaction.
 *
 * Cost on a large registry: both scans read only open appeals in a due-date range through appeals_status_idx
 * (municipality_id, status, due_date), in keyset batches; the calendar is one object in memory, never a query.
 */
import { and, eq, inArray, sql } from 'drizzle-orm';
import { addCalendarDays, localDate, OPEN_STATUSES, parseIsoDate, type IsoDate, type WorkingCalendar } from '@shaar/contracts';
import type { Db } from '../../platform/db/database.js';
import { queryRows } from '../../platform/db/database.js';
import { jobs, municipalities } from '../../platform/db/schema.js';
import { SYSTEM_ACTOR, writeAudit } from '../../platform/audit.js';
import type { Clock } from '../../platform/clock.js';
import type { JobRunner } from '../../platform/jobs/job-queue.js';
import { announceAppealEvent, type AppealEvent } from '../notifications/appeal-events.js';
import type { WorkingTime } from './working-time.js';

export const DEADLINE_SWEEP_JOB = 'deadlines.sweep';
export const DEADLINE_SWEEP_EVERY_MS = 15 * 60_000;

/** Reminders are cheap rows; escalations lock their appeals for the batch's transaction, so fewer at a time. */
const REMINDER_BATCH = 500;
const ESCALATION_BATCH = 100;
const DAY_MS = 86_400_000;

export interface DeadlineControlDeps {
  db: Db;
  clock: Clock;
  workingTime: WorkingTime;
  /** config.reminderWorkingDays: working days before the due date, e.g. [3, 1]. */
  reminderWorkingDays: readonly number[];
}

export function registerDeadlineControl(runner: JobRunner, deps: DeadlineControlDeps): void {
  runner.register(DEADLINE_SWEEP_JOB, async (job) => { await sweepDeadlines(deps, job.municipalityId); });
  runner.every(DEADLINE_SWEEP_JOB, DEADLINE_SWEEP_EVERY_MS);
}

/** The reminder owed with `daysLeft` working days left: 0 is the due day itself; null when none is owed. */
export function reminderSlot(daysLeft: number, reminderWorkingDays: readonly number[]): number | null {
  if (daysLeft < 0) return null;
  if (daysLeft === 0) return 0;
  let slot: number | null = null;
  for (const n of reminderWorkingDays) if (n >= daysLeft && (slot === null || n < slot)) slot = n;
  return slot;
}

export interface SweepResult { today: IsoDate; reminders: number; escalations: number }

export async function sweepDeadlines(deps: DeadlineControlDeps, municipalityId: string): Promise<SweepResult> {
  const [m] = await deps.db.select({ timezone: municipalities.timezone }).from(municipalities).where(eq(municipalities.id, municipalityId));
  if (!m) return { today: '', reminders: 0, escalations: 0 };
  const now = deps.clock.now();
  const today = localDate(now, m.timezone);
  // Read before any transaction: the cache reads through `db`.
  const calendar = await deps.workingTime.calendar(municipalityId);
  const reminders = calendar.isWorkingDay(today) ? await sendReminders(deps, municipalityId, calendar, today, now) : 0;
  const escalations = await escalateOverdue(deps, municipalityId, today, now);
  return { today, reminders, escalations };
}

const OPEN = sql.join(OPEN_STATUSES.map((s) => sql`${s}`), sql`, `);

interface DueRow { id: string; due_date: IsoDate }

/** Open appeals with a service, due in [from, to], after the keyset cursor, in due-date order. */
async function dueBetween(db: Db, municipalityId: string, from: IsoDate | null, to: IsoDate, after: DueRow | null, limit: number, onlyUnescalated: boolean) {
  return queryRows<DueRow & { escalated_for_due_date: IsoDate | null }>(db, sql`
    select id, to_char(due_date, 'YYYY-MM-DD') as due_date, to_char(escalated_for_due_date, 'YYYY-MM-DD') as escalated_for_due_date
    from appeals
    where municipality_id = ${municipalityId} and status in (${OPEN}) and service_id is not null
      and due_date <= ${to}::date ${from ? sql`and due_date >= ${from}::date` : sql``}
      ${onlyUnescalated ? sql`and escalated_for_due_date is distinct from due_date` : sql``}
      ${after ? sql`and (due_date, id) > (${after.due_date}::date, ${after.id}::uuid)` : sql``}
    order by due_date, id
    limit ${limit}`);
}

async function sendReminders(deps: DeadlineControlDeps, municipalityId: string, calendar: WorkingCalendar, today: IsoDate, now: Date) {
  const furthest = Math.max(0, ...deps.reminderWorkingDays);
  // The last day with `furthest` working days left: the day before the (furthest + 1)-th working day after today.
  const horizon = addCalendarDays(calendar.addWorkingDays(today, furthest + 1), -1);
  let sent = 0;
  let after: DueRow | null = null;
  for (;;) {
    const rows = await dueBetween(deps.db, municipalityId, today, horizon, after, REMINDER_BATCH, false);
    if (rows.length === 0) break;
    after = rows[rows.length - 1]!;
    const owed: { id: string; dueDate: IsoDate; daysLeft: number; event: AppealEvent; key: string }[] = [];
    for (const r of rows) {
      const daysLeft = calendar.workingDaysBetween(today, r.due_date);
      const slot = reminderSlot(daysLeft, deps.reminderWorkingDays);
      if (slot === null) continue;
      owed.push({ id: r.id, dueDate: r.due_date, daysLeft, event: slot === 0 ? 'due_today' : 'due_soon', key: `${r.id}:due:${r.due_date}:${slot}` });
    }
    // One look-up for the batch: reminders already announced (their job's dedupe key exists) are not written again.
    const known = owed.length === 0 ? new Set<string>() : new Set((await deps.db.select({ key: jobs.dedupeKey }).from(jobs)
      .where(and(eq(jobs.municipalityId, municipalityId), inArray(jobs.dedupeKey, owed.map((o) => `event:${o.event}:${o.key}`))))).map((r) => r.key));
    const fresh = owed.filter((o) => !known.has(`event:${o.event}:${o.key}`));
    if (fresh.length > 0) {
      await deps.db.transaction(async (tx) => {
        for (const o of fresh) {
          await announceAppealEvent(tx, {
            municipalityId, appealId: o.id, event: o.event, key: o.key, at: now,
            details: o.event === 'due_today' ? { dueDate: o.dueDate } : { daysLeft: o.daysLeft, dueDate: o.dueDate },
          });
        }
      });
      sent += fresh.length;
    }
    if (rows.length < REMINDER_BATCH) break;
  }
  return sent;
}

async function escalateOverdue(deps: DeadlineControlDeps, municipalityId: string, today: IsoDate, now: Date) {
  const yesterday = addCalendarDays(today, -1);
  let escalated = 0;
  let after: DueRow | null = null;
  for (;;) {
    const rows = await dueBetween(deps.db, municipalityId, null, yesterday, after, ESCALATION_BATCH, true);
    if (rows.length === 0) break;
    after = rows[rows.length - 1]!;
    escalated += await deps.db.transaction(async (tx) => {
      // Locked and checked again: another process's sweep, or an answer, may have come first.
      const ids = rows.map((r) => sql`${r.id}::uuid`);
      const current = await queryRows<DueRow & { escalated_for_due_date: IsoDate | null }>(tx, sql`
        select id, to_char(due_date, 'YYYY-MM-DD') as due_date, to_char(escalated_for_due_date, 'YYYY-MM-DD') as escalated_for_due_date
        from appeals
        where municipality_id = ${municipalityId} and id in (${sql.join(ids, sql`, `)}) and status in (${OPEN})
          and service_id is not null and due_date < ${today}::date and escalated_for_due_date is distinct from due_date
        order by due_date, id
        for update`);
      for (const r of current) {
        await tx.execute(sql`update appeals set escalated_for_due_date = due_date where municipality_id = ${municipalityId} and id = ${r.id}::uuid`);
        // Calendar days: overdue since the day after the due date, weekends included.
        const daysOverdue = Math.round((parseIsoDate(today) - parseIsoDate(r.due_date)) / DAY_MS);
        await writeAudit(tx, {
          municipalityId, actor: SYSTEM_ACTOR, entityType: 'appeal', entityId: r.id, action: 'escalate_overdue',
          before: { escalatedForDueDate: r.escalated_for_due_date }, after: { escalatedForDueDate: r.due_date, dueDate: r.due_date, daysOverdue }, at: now,
        });
        await announceAppealEvent(tx, {
          municipalityId, appealId: r.id, event: 'overdue', key: `${r.id}:overdue:${r.due_date}`, at: now, details: { dueDate: r.due_date, daysOverdue },
        });
      }
      return current.length;
    });
    if (rows.length < ESCALATION_BATCH) break;
  }
  return escalated;
}
