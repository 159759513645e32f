/**
 * The analytics cube's durable job: every minute, for every city, fold the registry's changes into the cube
 * (analytics-refresh.ts). The first run in a city with no cube yet builds it whole. Runs once per window across
 * all server processes (the job queue's recurring windows), so two processes never rebuild the same months at once.
 */
import { eq } from 'drizzle-orm';
import type { Services } from '../../app.js';
import { municipalities } from '../../platform/db/schema.js';
import { refreshAnalytics } from './analytics-refresh.js';

export const ANALYTICS_REFRESH_JOB = 'analytics.refresh';
export const ANALYTICS_REFRESH_EVERY_MS = 60_000;

export function registerAnalyticsJobs(services: Pick<Services, 'jobs' | 'database' | 'clock'>): void {
  const db = services.database.db;
  services.jobs.register(ANALYTICS_REFRESH_JOB, async (job) => {
    const [m] = await db.select({ timezone: municipalities.timezone }).from(municipalities).where(eq(municipalities.id, job.municipalityId)).limit(1);
    if (!m) return; // the city is gone
    await refreshAnalytics(db, services.clock, job.municipalityId, m.timezone);
  }).every(ANALYTICS_REFRESH_JOB, ANALYTICS_REFRESH_EVERY_MS);
}
