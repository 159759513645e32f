import nodemailer from 'nodemailer';
import type { Deliverer, OutgoingMessage } from './delivery.js';

/**
 * Real e-mail through an SMTP server: SMTP_URL=smtps://user:pass@mail.example.kg:465. A message with a key gets the
 * Message-ID <key@shaar>, the same on every retry, so a receiving system can drop a second copy.
 */
export class SmtpDeliverer implements Deliverer {
  private readonly transport;
  constructor(smtpUrl: string, private readonly from: string) {
    this.transport = nodemailer.createTransport(smtpUrl);
  }
  async send(m: OutgoingMessage) {
    await this.transport.sendMail({ from: this.from, to: m.to, subject: m.subject, text: m.body, ...(m.key ? { messageId: messageIdOf(m.key) } : {}) });
  }
}

/** The stable Message-ID of a keyed message. */
export const messageIdOf = (key: string) => `<${key}@shaar>`;
