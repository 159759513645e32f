/**
 * Extension requests: the executor asks for more working days with a reason; a supervisor approves (the appeal is
 * extended through the lifecycle's own 'extend' action, in the same transaction, and the resident hears of it by
 * the 'extended' event) or refuses with a reason. Every step is audited and announced: supervisors hear of a new
 * request ('extension_requested'), the requester of the decision ('extension_decided').
 */
import { and, asc, desc, eq, sql, type SQL } from 'drizzle-orm';
import { alias } from 'drizzle-orm/pg-core';
import { isServiceScoped, TRANSITIONS, type AppealStatus } from '@shaar/contracts';
import type { Db, Tx } from '../../platform/db/database.js';
import { appeals, extensionRequests, staffUsers } from '../../platform/db/schema.js';
import { writeAudit } from '../../platform/audit.js';
import { AppError, errors } from '../../platform/http/errors.js';
import type { Clock } from '../../platform/clock.js';
import { announceAppealEvent } from '../notifications/appeal-events.js';
import { applyAppealAction, canActOn, loadActionReference } from '../appeals/change-appeal-status.js';
import type { Municipality } from '../municipalities/municipalities.service.js';
import type { DirectoryCache } from '../directory/directory.cache.js';
import type { StaffPrincipal } from '../auth/principal.js';
import type { WorkingTime } from './working-time.js';

export const EXTENSION_REQUEST_STATUSES = ['pending', 'approved', 'refused'] as const;
export type ExtensionRequestStatus = (typeof EXTENSION_REQUEST_STATUSES)[number];

export interface ExtensionDeps { db: Db; clock: Clock; workingTime: WorkingTime; directory: DirectoryCache }

type AppealRow = typeof appeals.$inferSelect;

/** Who may see an appeal's requests, and ask for one: like the appeal itself, another service's is "not found". */
export function checkAppealAccess(staff: StaffPrincipal, appeal: Pick<AppealRow, 'serviceId'>): void {
  if (canActOn(staff, appeal)) return;
  throw isServiceScoped(staff.roles) ? errors.notFound('appeal') : errors.forbidden();
}

export async function requestExtension(
  deps: ExtensionDeps, m: Municipality, appealId: string, staff: StaffPrincipal, input: { days: number; reason: string },
): Promise<string> {
  const { rules } = await deps.workingTime.snapshot(m.id);
  const now = deps.clock.now();
  return deps.db.transaction(async (tx) => {
    // The appeal's row lock serialises requests for it: the pending check below cannot race.
    const [appeal] = await tx.select().from(appeals).where(and(eq(appeals.municipalityId, m.id), eq(appeals.id, appealId))).for('update').limit(1);
    if (!appeal) throw errors.notFound('appeal');
    checkAppealAccess(staff, appeal);
    if (!TRANSITIONS.extend.from.includes(appeal.status as AppealStatus)) {
      throw new AppError(409, 'transition_not_allowed', 'error.transition_not_allowed', { status: appeal.status, action: 'extend' });
    }
    const max = rules.find((r) => r.id === appeal.deadlineRuleId)?.maxExtensionDays ?? 0;
    const left = max - appeal.extensionDays;
    if (input.days > left) throw new AppError(409, 'extension_limit', 'error.extension_limit', { max, left: Math.max(0, left) });
    const [pending] = await tx.select({ id: extensionRequests.id }).from(extensionRequests)
      .where(and(eq(extensionRequests.municipalityId, m.id), eq(extensionRequests.appealId, appealId), eq(extensionRequests.status, 'pending'))).limit(1);
    if (pending) throw new AppError(409, 'extension_request_pending', 'error.extension_request_pending', {}, { requestId: pending.id });
    const [row] = await tx.insert(extensionRequests).values({
      municipalityId: m.id, appealId, requestedById: staff.id, days: input.days, reason: input.reason, createdAt: now,
    }).returning();
    await writeAudit(tx, {
      municipalityId: m.id, actor: { kind: 'staff', id: staff.id }, entityType: 'extension_request', entityId: row!.id, action: 'create',
      after: { appealId, days: input.days, status: 'pending', dueDate: appeal.dueDate }, reason: input.reason, at: now,
    });
    await announceAppealEvent(tx, {
      municipalityId: m.id, appealId, event: 'extension_requested', key: `${appealId}:extension:${row!.id}`, at: now,
      details: { requestId: row!.id, days: input.days, reason: input.reason, dueDate: appeal.dueDate, requestedById: staff.id },
    });
    return row!.id;
  });
}

export type Decision = 'approve' | 'refuse';

/** Approves (extending the appeal in the same transaction) or refuses a pending request; a decided one is 409. */
export async function decideExtension(
  deps: ExtensionDeps, m: Municipality, requestId: string, staff: StaffPrincipal, decision: Decision, reason: string | undefined,
): Promise<string> {
  // Reference data before the transaction (PGlite's one connection; the caches read through `db`).
  const ref = await loadActionReference(deps, m.id);
  const now = deps.clock.now();
  return deps.db.transaction(async (tx) => {
    const [req] = await tx.select().from(extensionRequests)
      .where(and(eq(extensionRequests.municipalityId, m.id), eq(extensionRequests.id, requestId))).for('update').limit(1);
    if (!req) throw errors.notFound('extension_request');
    if (req.status !== 'pending') throw new AppError(409, 'extension_request_decided', 'error.extension_request_decided', {}, { status: req.status });
    const status: ExtensionRequestStatus = decision === 'approve' ? 'approved' : 'refused';
    let dueDate: string | null = null;
    if (decision === 'approve') {
      // The lifecycle action checks the state, the supervisor's rights and the limit, moves the due date, audits
      // the extension publicly with the request's reason and tells the resident ('extended').
      await applyAppealAction(tx, ref, deps.clock, m.id, m.timezone, req.appealId, staff, { action: 'extend', days: req.days, reason: req.reason });
      dueDate = await dueDateOf(tx, m.id, req.appealId);
    }
    await tx.update(extensionRequests).set({ status, decidedById: staff.id, decidedAt: now, decisionReason: reason ?? null })
      .where(and(eq(extensionRequests.municipalityId, m.id), eq(extensionRequests.id, requestId)));
    await writeAudit(tx, {
      municipalityId: m.id, actor: { kind: 'staff', id: staff.id }, entityType: 'extension_request', entityId: requestId, action: decision,
      before: { status: 'pending' }, after: { status, appealId: req.appealId, ...(dueDate ? { dueDate } : {}) }, reason: reason ?? null, at: now,
    });
    await announceAppealEvent(tx, {
      municipalityId: m.id, appealId: req.appealId, event: 'extension_decided', key: `${req.appealId}:extension:${requestId}:decided`, at: now,
      details: { recipientStaffId: req.requestedById, decision: status, reason: reason ?? null, requestId, days: req.days, dueDate },
    });
    return req.appealId;
  });
}

async function dueDateOf(tx: Tx, municipalityId: string, appealId: string): Promise<string> {
  const [row] = await tx.select({ dueDate: appeals.dueDate }).from(appeals).where(and(eq(appeals.municipalityId, municipalityId), eq(appeals.id, appealId)));
  return row!.dueDate;
}

// ---- reading -------------------------------------------------------------------------------------------------

const requester = alias(staffUsers, 'requester');
const decider = alias(staffUsers, 'decider');

export interface RequestFilter {
  id?: string;
  appealId?: string;
  status?: ExtensionRequestStatus;
  /** Keyset cursor of the queue: [createdAt, id] of the last item seen. */
  after?: [string, string] | null;
  limit?: number;
  /** The queue: oldest first (first come, first decided); an appeal's own list: newest first. */
  order?: 'oldest' | 'newest';
}

/** Requests with what a supervisor decides on: the appeal's number, subject, service and due date, and names. */
export async function listExtensionRequests(db: Db, municipalityId: string, f: RequestFilter) {
  const where: SQL[] = [eq(extensionRequests.municipalityId, municipalityId)];
  if (f.id) where.push(eq(extensionRequests.id, f.id));
  if (f.appealId) where.push(eq(extensionRequests.appealId, f.appealId));
  if (f.status) where.push(eq(extensionRequests.status, f.status));
  if (f.after) where.push(sql`(${extensionRequests.createdAt}, ${extensionRequests.id}) > (${f.after[0]}::timestamptz, ${f.after[1]}::uuid)`);
  const order = f.order === 'newest' ? [desc(extensionRequests.createdAt), desc(extensionRequests.id)] : [asc(extensionRequests.createdAt), asc(extensionRequests.id)];
  return db.select({
    request: extensionRequests,
    appeal: { registrationNumber: appeals.registrationNumber, subject: appeals.subject, serviceId: appeals.serviceId, dueDate: appeals.dueDate,
      status: appeals.status, extensionDays: appeals.extensionDays, deadlineRuleId: appeals.deadlineRuleId },
    requesterName: requester.fullName,
    deciderName: decider.fullName,
  }).from(extensionRequests)
    .innerJoin(appeals, and(eq(appeals.municipalityId, extensionRequests.municipalityId), eq(appeals.id, extensionRequests.appealId)))
    .leftJoin(requester, and(eq(requester.municipalityId, extensionRequests.municipalityId), eq(requester.id, extensionRequests.requestedById)))
    .leftJoin(decider, and(eq(decider.municipalityId, extensionRequests.municipalityId), eq(decider.id, extensionRequests.decidedById)))
    .where(and(...where)).orderBy(...order).limit(f.limit ?? 200);
}

export type ExtensionRequestRow = Awaited<ReturnType<typeof listExtensionRequests>>[number];
