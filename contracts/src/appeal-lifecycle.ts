/**
 * The legal life of an appeal as an explicit state machine.
 *
 *   registered → assigned → in_progress → answered → closed
 *   plus: redirected (to another body, with reason), extended (with reason, within a limit),
 *         left_without_consideration (with the legal ground), reopened.
 *
 * The server checks every transition here and records it in the audit log; clients use the same table
 * to show only the actions the current state allows.
 */
import type { StaffRole } from './enums.js';

export const APPEAL_STATUSES = [
  'registered', 'assigned', 'in_progress', 'extended', 'answered', 'closed',
  'redirected', 'left_without_consideration', 'reopened',
] as const;
export type AppealStatus = (typeof APPEAL_STATUSES)[number];

export const APPEAL_ACTIONS = [
  'assign', 'start', 'redirect', 'extend', 'answer', 'close', 'reopen', 'leave_without_consideration',
] as const;
export type AppealAction = (typeof APPEAL_ACTIONS)[number];

/** States in which the service still owes the resident an answer (the deadline runs). */
export const OPEN_STATUSES: readonly AppealStatus[] = [
  'registered', 'assigned', 'in_progress', 'extended', 'reopened', 'redirected',
];

interface TransitionRule {
  from: readonly AppealStatus[];
  to: AppealStatus;
  /** Roles that may take the action (executors further limited to their own service by policy). */
  roles: readonly StaffRole[];
  /** Whether a reason must be given (recorded and, where public, shown to the resident). */
  reasonRequired: boolean;
}

const WORKING: readonly AppealStatus[] = ['registered', 'assigned', 'in_progress', 'extended', 'reopened', 'redirected'];

export const TRANSITIONS: Record<AppealAction, TransitionRule> = {
  // Assign (or reassign) to a service and executor. From 'redirected' a receiving service takes it on.
  assign: { from: WORKING, to: 'assigned', roles: ['admin', 'operator', 'supervisor', 'executor', 'service_head'], reasonRequired: false },
  // The executor starts work.
  start: { from: ['assigned', 'reopened', 'redirected'], to: 'in_progress', roles: ['admin', 'supervisor', 'executor', 'service_head'], reasonRequired: false },
  // Hand the appeal to another body (a service of the city or an outside body), with reason.
  redirect: { from: WORKING, to: 'redirected', roles: ['admin', 'operator', 'supervisor', 'executor', 'service_head'], reasonRequired: true },
  // Extend the deadline, with reason, within the rule's limit.
  extend: { from: ['assigned', 'in_progress', 'reopened', 'extended'], to: 'extended', roles: ['admin', 'supervisor'], reasonRequired: true },
  answer: { from: ['assigned', 'in_progress', 'extended', 'reopened', 'redirected'], to: 'answered', roles: ['admin', 'supervisor', 'executor', 'service_head'], reasonRequired: false },
  close: { from: ['answered', 'redirected'], to: 'closed', roles: ['admin', 'supervisor', 'executor', 'operator'], reasonRequired: false },
  reopen: { from: ['answered', 'closed', 'left_without_consideration'], to: 'reopened', roles: ['admin', 'supervisor'], reasonRequired: true },
  leave_without_consideration: { from: ['registered', 'assigned', 'in_progress', 'reopened'], to: 'left_without_consideration', roles: ['admin', 'supervisor', 'operator'], reasonRequired: true },
};

export type TransitionCheck =
  | { ok: true; to: AppealStatus }
  | { ok: false; reason: 'not_allowed_from_status' | 'role_not_allowed' | 'reason_required' };

/** Checks one transition: may `roles` take `action` on an appeal in `from`, given `reason`? */
export function checkTransition(
  from: AppealStatus,
  action: AppealAction,
  roles: readonly StaffRole[],
  reason?: string | null,
): TransitionCheck {
  const rule = TRANSITIONS[action];
  if (!rule.from.includes(from)) return { ok: false, reason: 'not_allowed_from_status' };
  if (!roles.some((r) => rule.roles.includes(r))) return { ok: false, reason: 'role_not_allowed' };
  if (rule.reasonRequired && !(reason && reason.trim().length > 0)) return { ok: false, reason: 'reason_required' };
  return { ok: true, to: rule.to };
}

/** The actions a person with `roles` may take on an appeal in `status` (for buttons in the UI). */
export function allowedActions(status: AppealStatus, roles: readonly StaffRole[]): AppealAction[] {
  return APPEAL_ACTIONS.filter((a) => {
    const rule = TRANSITIONS[a];
    return rule.from.includes(status) && roles.some((r) => rule.roles.includes(r));
  });
}

export function isOpen(status: AppealStatus): boolean {
  return OPEN_STATUSES.includes(status);
}
