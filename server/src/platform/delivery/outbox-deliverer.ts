import type { Logger } from 'pino';
import type { Db } from '../db/database.js';
import { devOutbox } from '../db/schema.js';
import { maskAddress, type Deliverer, type OutgoingMessage } from './delivery.js';

/** Development and demo: nothing leaves the machine; messages are kept in the dev outbox table. */
export class OutboxDeliverer implements Deliverer {
  constructor(private readonly db: Db, private readonly log: Logger) {}
  async send(m: OutgoingMessage) {
    await this.db.insert(devOutbox).values({ channel: m.channel, recipient: m.to, subject: m.subject, body: m.body });
    this.log.info({ channel: m.channel, to: maskAddress(m.to) }, 'message kept in the dev outbox');
  }
}
