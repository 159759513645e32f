import type { Deliverer, OutgoingMessage } from './delivery.js';

/**
 * SMS through an HTTP gateway: POST {to, text} as JSON with a bearer token, and the message's key as an
 * Idempotency-Key header (a gateway that honours it sends a retried message once). Kyrgyz operators' gateways
 * differ in detail; a deployment whose gateway wants another body adapts this one class.
 */
export class SmsGatewayDeliverer implements Deliverer {
  constructor(private readonly url: string, private readonly token: string | undefined, private readonly timeoutMs = 10_000) {}
  async send(m: OutgoingMessage) {
    const res = await fetch(this.url, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        ...(this.token ? { authorization: `Bearer ${this.token}` } : {}),
        ...(m.key ? { 'idempotency-key': m.key } : {}),
      },
      body: JSON.stringify({ to: m.to, text: m.body }),
      signal: AbortSignal.timeout(this.timeoutMs),
    });
    if (!res.ok) throw new Error(`SMS gateway answered ${res.status}`);
  }
}
