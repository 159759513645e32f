import type { Logger } from 'pino';
import type { Db } from '../db/database.js';
import { devOutbox } from '../db/schema.js';
import { maskAddress, type Deliverer, type OutgoingMessage } from './delivery.js';

/**
 * Development and demo: nothing leaves the machine; messages are kept in the dev outbox table. A message with a key
 * is kept once: handing it over again (a retry after a crash) changes nothing.
 */
export class OutboxDeliverer implements Deliverer {
  constructor(private readonly db: Db, private readonly log: Logger) {}
  async send(m: OutgoingMessage) {
    const kept = await this.db.insert(devOutbox)
      .values({ channel: m.channel, recipient: m.to, subject: m.subject, body: m.body, messageKey: m.key ?? null })
      .onConflictDoNothing({ target: devOutbox.messageKey }).returning({ id: devOutbox.id });
    this.log.info({ channel: m.channel, to: maskAddress(m.to), repeated: kept.length === 0 }, 'message kept in the dev outbox');
  }
}
