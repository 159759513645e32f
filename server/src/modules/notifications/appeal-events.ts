/**
 * Something happened to an appeal that people must hear about. Callers record the event inside the transaction
 * of the change itself (so an event is never lost nor announced for a change that rolled back); a durable job
 * then works out who is told, in which language and by which channels (notifications.service.ts).
 */
import type { DbOrTx } from '../../platform/db/database.js';
import { enqueueJob } from '../../platform/jobs/job-queue.js';
import { markScorecardsStale } from '../scorecards/scorecard-staleness.js';
import { queueWebhookDeliveries } from '../webhooks/webhook-deliveries.js';

export const APPEAL_EVENTS = [
  // To the resident (the applicant's contacts, and the citizen account's in-app feed):
  'registered', 'redirected', 'extended', 'answered', 'closed', 'left_without_consideration', 'reopened',
  'review_decided', 'follow_up_question',
  // To staff:
  'assigned', 'due_soon', 'due_today', 'overdue', 'low_rating', 'review_requested', 'extension_requested',
  'extension_decided',
] as const;
export type AppealEvent = (typeof APPEAL_EVENTS)[number];

export const APPEAL_EVENT_JOB = 'notifications.appeal_event';

export interface AppealEventInput {
  municipalityId: string;
  appealId: string;
  event: AppealEvent;
  /** Unique per occurrence: the same key twice announces once (e.g. `${appealId}:v7`, `${appealId}:due:2026-05-25:3`). */
  key: string;
  at: Date;
  /** Event details for the message: { reason, days, dueDate, redirectedTo, daysLeft, recipientStaffId, decision… }. No personal data. */
  details?: Record<string, unknown>;
}

export async function announceAppealEvent(tx: DbOrTx, e: AppealEventInput): Promise<void> {
  await enqueueJob(tx, {
    municipalityId: e.municipalityId, kind: APPEAL_EVENT_JOB, runAt: e.at, dedupeKey: `event:${e.event}:${e.key}`,
    payload: { appealId: e.appealId, event: e.event, details: e.details ?? {} },
  });
  // Integrators' webhooks: one delivery row and job per matching subscription, in this same transaction.
  await queueWebhookDeliveries(tx, { municipalityId: e.municipalityId, appealId: e.appealId, event: e.event, key: e.key, occurredAt: e.at, now: e.at });
  // Every event of an appeal may move a scorecard figure.
  await markScorecardsStale(tx, e.municipalityId, e.at);
}
