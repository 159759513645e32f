/**
 * The notification jobs of an application: an appeal event becomes notification rows; each e-mail or SMS row is
 * delivered by a job of its own (so one slow or failing address never holds up the others).
 */
import type { Services } from '../../app.js';
import { APPEAL_EVENT_JOB } from './appeal-events.js';
import { deliverNotification, markUndelivered } from './deliver-notification.js';
import { DELIVER_JOB, notifyAppealEvent } from './notify-appeal-event.js';
import { queueWebhookDeliveries } from '../webhooks/webhook-deliveries.js';

export function registerNotificationJobs(services: Services): void {
  const { database, clock, directory, config, logger } = services;
  const db = database.db;
  services.jobs
    .register(APPEAL_EVENT_JOB, async (job) => {
      // Registration writes its event in its one SQL statement (not through announceAppealEvent): its webhooks are
      // queued here, from that durable job (idempotent: a rerun queues nothing new).
      const { appealId, event } = job.payload;
      if (event === 'registered' && typeof appealId === 'string' && /^[0-9a-f-]{36}$/i.test(appealId)) {
        await queueWebhookDeliveries(db, { municipalityId: job.municipalityId, appealId, event, key: appealId, now: clock.now() });
      }
      await notifyAppealEvent({ db, clock, directory, publicUrl: config.publicUrl, logger }, job);
    })
    // The deliverer is looked up at each delivery, so a test can put a failing one in its place.
    .register(DELIVER_JOB, async (job) => { await deliverNotification({ db, clock, deliverer: () => services.deliverer }, job); },
      // Given up (also when the process died during the last attempt): the row says 'failed', not 'pending' for ever.
      { onDead: (job, error) => markUndelivered(db, job, error) });
}
