/**
 * The scorecards' durable job: refresh the current and previous month of a city's roll-up. It runs every minute
 * for every city (registrations are not announced one by one; the minute covers them) and soon after any change
 * that marked the scorecards stale (answers, ratings, review requests, reopenings).
 */
import { eq } from 'drizzle-orm';
import type { Services } from '../../app.js';
import { municipalities } from '../../platform/db/schema.js';
import { SCORECARD_REFRESH_JOB } from './scorecard-staleness.js';
import { recentMonths, refreshScorecards } from './scorecard-refresh.js';
import { addMonths, currentMonth, MAX_PERIOD_MONTHS } from './scorecard-period.js';

export const SCORECARD_REFRESH_EVERY_MS = 60_000;

export function registerScorecardJobs(services: Pick<Services, 'jobs' | 'database' | 'clock'>): void {
  const db = services.database.db;
  services.jobs.register(SCORECARD_REFRESH_JOB, async (job) => {
    const [m] = await db.select({ timezone: municipalities.timezone }).from(municipalities).where(eq(municipalities.id, job.municipalityId)).limit(1);
    if (!m) return; // the city is gone: nothing to refresh
    const recent = recentMonths(services.clock.now(), m.timezone);
    // A job that waited (a backlog, a stopped server) still rebuilds the month of the change that queued it.
    const changedAt = typeof job.payload.at === 'string' ? new Date(job.payload.at) : null;
    const changed = changedAt && !Number.isNaN(changedAt.getTime()) ? currentMonth(changedAt, m.timezone) : recent.from;
    // …but never further back than a scorecard period reaches (a full rebuild is the admin's button).
    const oldest = addMonths(recent.to, -(MAX_PERIOD_MONTHS - 1));
    const from = changed >= recent.from ? recent.from : changed > oldest ? changed : oldest;
    await refreshScorecards(db, job.municipalityId, m.timezone, from, recent.to);
  }).every(SCORECARD_REFRESH_JOB, SCORECARD_REFRESH_EVERY_MS);
}
