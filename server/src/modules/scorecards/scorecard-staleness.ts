/**
 * Anything that changes a scorecard figure (a registration, an answer, a rating, a review request, a reopening)
 * marks its municipality's roll-up stale. The refresh is a durable job, coalesced: one per municipality per
 * few-second window, however many changes land in it.
 */
import type { DbOrTx } from '../../platform/db/database.js';
import { enqueueJob } from '../../platform/jobs/job-queue.js';

export const SCORECARD_REFRESH_JOB = 'scorecards.refresh';
const WINDOW_MS = 5_000;

export async function markScorecardsStale(tx: DbOrTx, municipalityId: string, at: Date): Promise<void> {
  const window = Math.floor(at.getTime() / WINDOW_MS);
  await enqueueJob(tx, {
    municipalityId, kind: SCORECARD_REFRESH_JOB, runAt: at, dedupeKey: `${SCORECARD_REFRESH_JOB}:${window}`, maxAttempts: 3,
    // The months to rebuild are those of the changes: the window's own (the job reads the clock's month when it runs).
    payload: { at: at.toISOString() },
  });
}
