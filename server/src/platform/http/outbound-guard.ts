/**
 * Guards requests the server makes to addresses someone else chose (webhook URLs given by integrators): without it
 * a subscription to http://169.254.169.254/… or to a database port inside the city's network would make the server
 * reach places the integrator cannot (server-side request forgery).
 *
 * The check is made on the address actually connected to: the host name is resolved by our own lookup, which refuses
 * private, loopback, link-local and other non-public ranges, and the connection uses the address it returned — so a
 * name that resolves to a public address when checked and to a private one a moment later (DNS rebinding) gains
 * nothing. Redirects are not followed.
 */
import { lookup as dnsLookup, type LookupAddress } from 'node:dns';
import http from 'node:http';
import https from 'node:https';
import { BlockList, isIP, type LookupFunction } from 'node:net';

const BLOCKED = new BlockList();
for (const [net, prefix] of [
  ['0.0.0.0', 8], ['10.0.0.0', 8], ['100.64.0.0', 10], ['127.0.0.0', 8], ['169.254.0.0', 16], ['172.16.0.0', 12],
  ['192.0.0.0', 24], ['192.0.2.0', 24], ['192.88.99.0', 24], ['192.168.0.0', 16], ['198.18.0.0', 15],
  ['198.51.100.0', 24], ['203.0.113.0', 24], ['224.0.0.0', 4], ['240.0.0.0', 4],
] as const) BLOCKED.addSubnet(net, prefix, 'ipv4');
for (const [net, prefix] of [
  ['::', 128], ['::1', 128], ['64:ff9b::', 96], ['64:ff9b:1::', 48], ['100::', 64], ['2001::', 23], ['2001:db8::', 32],
  ['fc00::', 7], ['fe80::', 10], ['fec0::', 10], ['ff00::', 8],
] as const) BLOCKED.addSubnet(net, prefix, 'ipv6');

const LOOPBACK = new BlockList();
LOOPBACK.addSubnet('127.0.0.0', 8, 'ipv4');
LOOPBACK.addAddress('::1', 'ipv6');

export type AddressPolicy = 'public-only' | 'public-and-loopback' | 'any';

/** Whether the server may connect to `address` (an IP) under the policy. IPv4-mapped IPv6 is checked as IPv4. */
export function addressAllowed(address: string, policy: AddressPolicy): boolean {
  if (policy === 'any') return true;
  const family = isIP(address) === 6 ? 'ipv6' : 'ipv4';
  if (policy === 'public-and-loopback' && LOOPBACK.check(address, family)) return true;
  return !BLOCKED.check(address, family);
}

export class BlockedAddressError extends Error {
  readonly code = 'EADDRBLOCKED';
  constructor() { super('the address is not a public one'); }
}

/** A dns.lookup that answers only allowed addresses (and fails when there are none). */
export function guardedLookup(policy: AddressPolicy): LookupFunction {
  return ((hostname: string, options: object, callback: (err: Error | null, address: string | LookupAddress[], family?: number) => void) => {
    dnsLookup(hostname, { ...options, all: true }, (err, addresses) => {
      if (err) return callback(err, '');
      const allowed = (addresses as LookupAddress[]).filter((a) => addressAllowed(a.address, policy));
      if (allowed.length === 0) return callback(new BlockedAddressError(), '');
      if ((options as { all?: boolean }).all) return callback(null, allowed);
      return callback(null, allowed[0]!.address, allowed[0]!.family);
    });
  }) as LookupFunction;
}

export interface GuardedPostResult { status: number }

/**
 * POSTs `body` to `url` connecting only to allowed addresses; resolves with the status (the answer's body is
 * discarded), rejects on network errors, a blocked address (code EADDRBLOCKED) or the timeout.
 */
export function guardedPost(url: string, body: string, headers: Record<string, string>, o: { timeoutMs: number; policy: AddressPolicy }): Promise<GuardedPostResult> {
  const target = new URL(url);
  const host = target.hostname.replace(/^\[|\]$/g, '');
  // An IP literal is connected to without a lookup: check it here.
  if (isIP(host) && !addressAllowed(host, o.policy)) return Promise.reject(new BlockedAddressError());
  const client = target.protocol === 'https:' ? https : http;
  return new Promise((resolve, reject) => {
    const req = client.request(target, {
      method: 'POST', lookup: guardedLookup(o.policy), signal: AbortSignal.timeout(o.timeoutMs),
      headers: { ...headers, 'content-length': String(Buffer.byteLength(body)) },
    }, (res) => {
      res.resume();
      res.on('end', () => resolve({ status: res.statusCode ?? 0 }));
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end(body);
  });
}
