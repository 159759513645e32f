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
  // The window's one job runs when the window closes, so it sees every change made in it (a job run mid-window
  // would miss the later ones, and the dedupe key allows no second job for that window).
  await enqueueJob(tx, {
    municipalityId, kind: SCORECARD_REFRESH_JOB, runAt: new Date((window + 1) * WINDOW_MS), dedupeKey: `${SCORECARD_REFRESH_JOB}:${window}`, maxAttempts: 3,
    // The months to rebuild are those of the changes: the window's own (the job reads the clock's month when it runs).
    payload: { at: at.toISOString() },
  });
}
