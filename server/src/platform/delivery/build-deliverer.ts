import type { Logger } from 'pino';
import type { Config } from '../../config.js';
import type { Db } from '../db/database.js';
import { RoutingDeliverer, type Deliverer } from './delivery.js';
import { OutboxDeliverer } from './outbox-deliverer.js';
import { SmtpDeliverer } from './smtp-deliverer.js';
import { SmsGatewayDeliverer } from './sms-gateway-deliverer.js';

/** DELIVERY=outbox keeps everything in the dev outbox; DELIVERY=real sends through SMTP and the SMS gateway. */
export function buildDeliverer(config: Config, db: Db, logger: Logger): Deliverer {
  if (config.delivery.mode === 'outbox') return new OutboxDeliverer(db, logger);
  const d = config.delivery;
  return new RoutingDeliverer({
    ...(d.smtpUrl ? { email: new SmtpDeliverer(d.smtpUrl, d.mailFrom) } : {}),
    ...(d.smsGatewayUrl ? { sms: new SmsGatewayDeliverer(d.smsGatewayUrl, d.smsGatewayToken) } : {}),
  });
}
