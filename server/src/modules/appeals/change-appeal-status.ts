/**
 * Every lifecycle action on an appeal: check the transition against the state machine (contracts), check the
 * actor's right to this appeal, apply the action's own effects (new executor, new due date, the answer…),
 * bump the version and write the audit entry — in one transaction, with the appeal's row locked.
 */
import { and, desc, eq } from 'drizzle-orm';
import { checkTransition, isServiceScoped, localDate, SERVICE_ROLES, type AppealAction, type AppealStatus, type Locale, type StaffRole, type WorkingCalendar } from '@shaar/contracts';
import type { Db, Tx } from '../../platform/db/database.js';
import { appealAnswers, appeals, auditLog, staffUsers } from '../../platform/db/schema.js';
import { writeAudit, type Actor } from '../../platform/audit.js';
import { announceAppealEvent, type AppealEvent } from '../notifications/appeal-events.js';
import { AppError, errors } from '../../platform/http/errors.js';
import type { Clock } from '../../platform/clock.js';
import type { DeadlineRule, WorkingTime } from '../deadlines/working-time.js';
import type { Directory, DirectoryCache } from '../directory/directory.cache.js';
import type { StaffPrincipal } from '../auth/principal.js';

export type ActionPayload =
  | { action: 'assign'; serviceId?: string | undefined; executorId?: string | undefined; reason?: string | undefined }
  | { action: 'start'; reason?: string | undefined }
  | { action: 'redirect'; serviceId?: string | undefined; externalBody?: string | undefined; reason: string }
  | { action: 'extend'; days: number; reason: string }
  | { action: 'answer'; body: string; language?: Locale | undefined }
  | { action: 'close'; reason?: string | undefined }
  | { action: 'reopen'; reason: string }
  | { action: 'leave_without_consideration'; ground: string; reason: string };

export interface ChangeDeps { db: Db; clock: Clock; workingTime: WorkingTime; directory: DirectoryCache }

type AppealRow = typeof appeals.$inferSelect;

/** Actions after which the resident sees an entry in their timeline (everything but internal reassignment). */
const PUBLIC_ACTIONS = new Set<AppealAction>(['assign', 'start', 'redirect', 'extend', 'answer', 'close', 'reopen', 'leave_without_consideration']);

/** An executor acts only on appeals of their own service; other roles act across the municipality. */
export function canActOn(staff: Pick<StaffPrincipal, 'roles' | 'serviceId'>, appeal: Pick<AppealRow, 'serviceId'>): boolean {
  const crossService: StaffRole[] = ['admin', 'operator', 'supervisor'];
  if (staff.roles.some((r) => crossService.includes(r))) return true;
  return staff.roles.some((r) => SERVICE_ROLES.includes(r)) && staff.serviceId !== null && staff.serviceId === appeal.serviceId;
}

/**
 * Who takes the action: a staff member (the usual case), or the resident themselves — only to reopen their own
 * appeal when they say a 'solved' problem came back (the follow-up question of the rating).
 */
export type ActingParty = StaffPrincipal | { kind: 'resident'; citizenId: string };

export type ActionResult = { status: AppealStatus; version: number; answerId?: string };

export async function changeAppealStatus(
  deps: ChangeDeps, municipalityId: string, timezone: string, appealId: string, staff: StaffPrincipal,
  payload: ActionPayload, expectedVersion?: number,
): Promise<ActionResult> {
  const ref = await loadActionReference(deps, municipalityId);
  return deps.db.transaction((tx) => applyAppealAction(tx, ref, deps.clock, municipalityId, timezone, appealId, staff, payload, expectedVersion));
}

/**
 * Reference data an action needs, read BEFORE the transaction: the caches read through `db`, and on PGlite (one
 * connection) a read through `db` inside a transaction waits for the transaction forever.
 */
export async function loadActionReference(deps: Pick<ChangeDeps, 'directory' | 'workingTime'>, municipalityId: string): Promise<ActionReference> {
  return { dir: await deps.directory.get(municipalityId), ...(await deps.workingTime.snapshot(municipalityId)) };
}

/**
 * The action itself, inside the caller's transaction: other use cases (a supervisor's review decision, an
 * approved extension request) change their own records and the appeal atomically.
 */
export async function applyAppealAction(
  tx: Tx, ref: ActionReference, clock: Clock, municipalityId: string, timezone: string, appealId: string, party: ActingParty,
  payload: ActionPayload, expectedVersion?: number,
  /** announce: false when the caller tells people itself (a review decision says why the appeal was reopened). */
  options: { announce?: boolean } = {},
): Promise<ActionResult> {
  const actor: Actor = party.kind === 'staff' ? { kind: 'staff', id: party.id } : { kind: 'citizen', id: party.citizenId };
  {
    const [appeal] = await tx.select().from(appeals)
      .where(and(eq(appeals.municipalityId, municipalityId), eq(appeals.id, appealId))).for('update').limit(1);
    if (!appeal) throw errors.notFound('appeal');
    if (expectedVersion !== undefined && appeal.version !== expectedVersion) {
      throw new AppError(409, 'version_conflict', 'error.conflict', { what: 'the appeal was changed by someone else; reload it' });
    }
    const status = appeal.status as AppealStatus;
    const reason = 'reason' in payload ? payload.reason : undefined;
    let check: ReturnType<typeof checkTransition>;
    if (party.kind === 'staff') {
      // Rights to this appeal first: an executor of another service learns nothing about its state.
      if (!canActOn(party, appeal)) throw new AppError(403, 'not_in_your_service', 'error.not_in_your_service');
      check = checkTransition(status, payload.action, party.roles, reason);
    } else {
      // A resident may only reopen their own appeal; the state machine's other rules (from which states, a reason) hold.
      if (appeal.citizenId !== party.citizenId || payload.action !== 'reopen') throw errors.forbidden();
      check = checkTransition(status, payload.action, ['supervisor'], reason);
    }
    if (!check.ok) {
      if (check.reason === 'role_not_allowed') throw errors.forbidden();
      if (check.reason === 'reason_required') throw new AppError(400, 'reason_required', 'error.reason_required');
      throw new AppError(409, 'transition_not_allowed', 'error.transition_not_allowed', { status, action: payload.action });
    }

    const now = clock.now();
    const changes: Partial<AppealRow> = { status: check.to };
    const details: Record<string, unknown> = {};
    await applyEffects(ref, tx, municipalityId, timezone, appeal, party, payload, now, changes, details);

    const version = appeal.version + 1;
    await tx.update(appeals).set({ ...changes, version, updatedAt: now })
      .where(and(eq(appeals.municipalityId, municipalityId), eq(appeals.id, appealId)));
    const before: Record<string, unknown> = {};
    for (const k of Object.keys(changes)) before[k] = (appeal as Record<string, unknown>)[k] ?? null;
    await writeAudit(tx, {
      municipalityId, actor, entityType: 'appeal', entityId: appealId, action: payload.action,
      before, after: { ...changes, ...details }, reason: reason ?? null, isPublic: PUBLIC_ACTIONS.has(payload.action), at: now,
    });
    const event = EVENT_OF_ACTION[payload.action];
    if (event && options.announce !== false) {
      await announceAppealEvent(tx, {
        municipalityId, appealId, event, key: `${appealId}:v${version}`, at: now,
        details: { ...details, reason: reason ?? null, dueDate: changes.dueDate ?? appeal.dueDate, serviceId: changes.serviceId ?? appeal.serviceId,
          executorId: changes.executorId === undefined ? appeal.executorId : changes.executorId, redirectedTo: changes.redirectedTo ?? null,
          ground: changes.noConsiderationGround ?? null },
      });
    }
    return { status: check.to, version, ...(typeof details.answerId === 'string' ? { answerId: details.answerId } : {}) };
  }
}

/** Who hears of each action (starting work is internal). */
const EVENT_OF_ACTION: Partial<Record<AppealAction, AppealEvent>> = {
  assign: 'assigned', redirect: 'redirected', extend: 'extended', answer: 'answered', close: 'closed', reopen: 'reopened',
  leave_without_consideration: 'left_without_consideration',
};

export interface ActionReference { dir: Directory; calendar: WorkingCalendar; rules: DeadlineRule[] }

async function applyEffects(
  ref: ActionReference, tx: Tx, municipalityId: string, timezone: string, appeal: AppealRow, party: ActingParty,
  p: ActionPayload, now: Date, changes: Partial<AppealRow>, details: Record<string, unknown>,
) {
  const { dir, calendar } = ref;
  const rule = ref.rules.find((r) => r.id === appeal.deadlineRuleId) ?? null;
  // Only reopening can be the resident's own act (checked above); every other effect names a staff member.
  if (party.kind !== 'staff' && p.action !== 'reopen') throw errors.forbidden();
  const staff = party as StaffPrincipal;
  switch (p.action) {
    case 'assign': {
      const serviceId = p.serviceId ?? appeal.serviceId;
      if (p.serviceId && !dir.services.get(p.serviceId)?.active) throw errors.invalidReference('serviceId');
      // An executor may hand work only within their own service.
      if (isServiceScoped(staff.roles) && serviceId !== staff.serviceId) throw new AppError(403, 'not_in_your_service', 'error.not_in_your_service');
      if (p.executorId) {
        const [executor] = await tx.select({ id: staffUsers.id, serviceId: staffUsers.serviceId, roles: staffUsers.roles }).from(staffUsers)
          .where(and(eq(staffUsers.municipalityId, municipalityId), eq(staffUsers.id, p.executorId), eq(staffUsers.active, true))).limit(1);
        if (!executor || !executor.roles.includes('executor')) throw errors.invalidReference('executorId');
        if (serviceId && executor.serviceId !== serviceId) throw errors.invalidReference('executorId');
        changes.serviceId = executor.serviceId ?? serviceId;
      } else {
        changes.serviceId = serviceId;
      }
      changes.executorId = p.executorId ?? (p.serviceId && p.serviceId !== appeal.serviceId ? null : appeal.executorId);
      return;
    }
    case 'start':
      if (!appeal.executorId) changes.executorId = staff.id;
      return;
    case 'redirect':
      if (p.serviceId) {
        if (!dir.services.get(p.serviceId)?.active) throw errors.invalidReference('serviceId');
        if (p.serviceId === appeal.serviceId) throw errors.conflict('the appeal is already with this service');
        changes.serviceId = p.serviceId;
        changes.redirectedTo = null;
      } else {
        changes.redirectedTo = p.externalBody ?? null;
      }
      changes.executorId = null;
      return;
    case 'extend': {
      const max = rule?.maxExtensionDays ?? 0;
      const left = max - appeal.extensionDays;
      if (p.days > left) throw new AppError(409, 'extension_limit', 'error.extension_limit', { max, left: Math.max(0, left) });
      changes.dueDate = calendar.addWorkingDays(appeal.dueDate, p.days);
      changes.extensionDays = appeal.extensionDays + p.days;
      details.days = p.days;
      return;
    }
    case 'answer': {
      // Scorecards measure each answer against its own term: from registration, or from the last reopening.
      const [reopened] = await tx.select({ at: auditLog.occurredAt }).from(auditLog)
        .where(and(eq(auditLog.municipalityId, municipalityId), eq(auditLog.entityType, 'appeal'), eq(auditLog.entityId, appeal.id), eq(auditLog.action, 'reopen')))
        .orderBy(desc(auditLog.id)).limit(1);
      const termStart = localDate(reopened?.at ?? appeal.registeredAt, timezone);
      const answeredOn = localDate(now, timezone);
      const [answer] = await tx.insert(appealAnswers).values({
        municipalityId, appealId: appeal.id, body: p.body, language: p.language ?? appeal.language, authorId: staff.id,
        serviceId: appeal.serviceId, createdAt: now, dueDate: appeal.dueDate,
        workingDays: answeredOn > termStart ? calendar.workingDaysBetween(termStart, answeredOn) : 0, onTime: answeredOn <= appeal.dueDate,
      }).returning({ id: appealAnswers.id });
      changes.answeredAt = now;
      if (!appeal.executorId) changes.executorId = staff.id;
      details.answerId = answer!.id;
      return;
    }
    case 'close':
      changes.closedAt = now;
      return;
    case 'reopen': {
      // A reopened appeal is owed a new answer within a fresh legal term.
      changes.dueDate = calendar.addWorkingDays(localDate(now, timezone), rule?.answerWithinDays ?? 14);
      changes.closedAt = null;
      changes.answeredAt = null;
      changes.noConsiderationGround = null;
      return;
    }
    case 'leave_without_consideration':
      changes.noConsiderationGround = p.ground;
      changes.closedAt = now;
      return;
  }
}

