/**
 * Messages to people (sign-in codes now; notifications later) go through one interface with three adapters:
 * the dev outbox (kept in the database and logged with the address masked), SMTP e-mail (nodemailer) and SMS
 * through an HTTP gateway. Which adapter carries a message depends on the address and the DELIVERY setting.
 */
export type DeliveryChannel = 'email' | 'sms';

export interface OutgoingMessage {
  channel: DeliveryChannel;
  to: string;
  subject: string;
  body: string;
  /**
   * The same key for every attempt to send one message (a notification's id). A receiver that honours it keeps the
   * message once however often it is handed over — a retry after a crash between "sent" and "marked sent" is then
   * harmless: the dev outbox ignores a second insert, the SMS gateway gets an Idempotency-Key header, and the e-mail
   * carries a stable Message-ID that mail systems use to drop duplicates.
   */
  key?: string;
}

export interface Deliverer {
  send(message: OutgoingMessage): Promise<void>;
}

/** "+996 700 123 456" → "+996*******456"; "aida@example.kg" → "a***@example.kg". For logs. */
export function maskAddress(to: string): string {
  const at = to.indexOf('@');
  if (at > 0) return `${to[0]}***${to.slice(at)}`;
  return to.length <= 7 ? '***' : `${to.slice(0, 4)}${'*'.repeat(to.length - 7)}${to.slice(-3)}`;
}

/** Chooses e-mail or SMS by channel; either may be missing in a deployment. */
export class RoutingDeliverer implements Deliverer {
  constructor(private readonly byChannel: Partial<Record<DeliveryChannel, Deliverer>>) {}
  async send(message: OutgoingMessage) {
    const d = this.byChannel[message.channel];
    if (!d) throw new Error(`no deliverer configured for ${message.channel}`);
    await d.send(message);
  }
}
