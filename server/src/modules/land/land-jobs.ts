/**
 * The land dialogue's durable jobs: notices to residents (land-notify.ts), and the recurring ones its modules add
 * here (closing comment periods).
 */
import type { Services } from '../../app.js';
import { LAND_NOTIFY_JOB, sendLandNotice } from './land-notify.js';
import { registerCommentPeriodJob } from './comment-period-job.js';

export function registerLandJobs(services: Services): void {
  const { database, clock, config } = services;
  services.jobs.register(LAND_NOTIFY_JOB, async (job) => {
    await sendLandNotice({ db: database.db, clock, publicUrl: config.publicUrl }, job);
  });
  registerCommentPeriodJob(services.jobs, { db: database.db, clock });
}
