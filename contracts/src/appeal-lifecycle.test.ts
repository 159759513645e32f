import { describe, expect, it } from 'vitest';
import { APPEAL_ACTIONS, APPEAL_STATUSES, TRANSITIONS, allowedActions, checkTransition } from './appeal-lifecycle.js';

describe('appeal state machine', () => {
  it('walks the main path registered → assigned → in_progress → answered → closed', () => {
    const path = [['registered', 'assign', 'assigned'], ['assigned', 'start', 'in_progress'], ['in_progress', 'answer', 'answered'], ['answered', 'close', 'closed']] as const;
    for (const [from, action, to] of path) expect(checkTransition(from, action, ['admin'])).toEqual({ ok: true, to });
  });

  it('refuses to answer a closed appeal or close an unanswered one', () => {
    expect(checkTransition('closed', 'answer', ['admin'])).toEqual({ ok: false, reason: 'not_allowed_from_status' });
    expect(checkTransition('in_progress', 'close', ['admin'])).toEqual({ ok: false, reason: 'not_allowed_from_status' });
    expect(checkTransition('left_without_consideration', 'answer', ['admin'])).toEqual({ ok: false, reason: 'not_allowed_from_status' });
  });

  it('demands a reason to redirect, extend, reopen or leave without consideration', () => {
    for (const [from, action] of [['assigned', 'redirect'], ['in_progress', 'extend'], ['closed', 'reopen'], ['registered', 'leave_without_consideration']] as const) {
      expect(checkTransition(from, action, ['admin'], '  ')).toEqual({ ok: false, reason: 'reason_required' });
      expect(checkTransition(from, action, ['admin'], 'because').ok).toBe(true);
    }
  });

  it('lets only supervisors and admins extend or reopen; analysts change nothing', () => {
    expect(checkTransition('in_progress', 'extend', ['executor'], 'r')).toEqual({ ok: false, reason: 'role_not_allowed' });
    expect(checkTransition('in_progress', 'extend', ['supervisor'], 'r').ok).toBe(true);
    expect(checkTransition('closed', 'reopen', ['operator'], 'r')).toEqual({ ok: false, reason: 'role_not_allowed' });
    for (const status of APPEAL_STATUSES) expect(allowedActions(status, ['analyst'])).toEqual([]);
  });

  it('has no action leading out of closed except reopen, and every action has a target state', () => {
    const fromClosed = APPEAL_ACTIONS.filter((a) => TRANSITIONS[a].from.includes('closed'));
    expect(fromClosed).toEqual(['reopen']);
    for (const a of APPEAL_ACTIONS) expect(APPEAL_STATUSES).toContain(TRANSITIONS[a].to);
  });

  it('shows an executor the actions of their work', () => {
    expect(allowedActions('assigned', ['executor'])).toEqual(['assign', 'start', 'redirect', 'answer']);
  });
});
