/**
 * Limits on public writes: every POST/PUT/PATCH/DELETE that is not a staff member's counts against the caller's
 * address, and an integrator's also against its API key (one key shared by an app's many users must not be stopped by
 * one address, and one address must not get around a key's limit with many keys, nor the reverse).
 *
 * A sliding window of one minute approximated by two fixed windows (the previous window's count weighted by how much
 * of it still overlaps), kept in this process's memory: cheap, and no shared store is needed. With several server
 * processes behind a balancer each keeps its own counts, so the effective limit is up to N times the setting — set
 * it per process accordingly (README, "Rate limits").
 */
import { AppError } from './errors.js';

export interface WriteLimitsOptions {
  perIpPerMinute: number;
  perKeyPerMinute: number;
  /** For tests; Date.now by default. The limiter measures real time, not the application's (demo) clock. */
  now?: () => number;
}

interface Window { start: number; count: number; previous: number }

const WINDOW_MS = 60_000;
/** Above this many tracked callers, windows that ended over a minute ago are dropped. */
const SWEEP_AT = 50_000;

export class WriteLimits {
  private readonly windows = new Map<string, Window>();
  private readonly now: () => number;

  constructor(private readonly o: WriteLimitsOptions) {
    this.now = o.now ?? Date.now;
  }

  /** Counts one write by `ip` (and `apiKeyId`); throws a 429 AppError with retryAfter seconds when over a limit. */
  hit(ip: string, apiKeyId?: string | null): void {
    const checks: [string, number][] = [[`ip:${ip}`, this.o.perIpPerMinute]];
    if (apiKeyId) checks.push([`key:${apiKeyId}`, this.o.perKeyPerMinute]);
    this.count(checks);
  }

  /** Counts one write by an API key found after the request arrived (Open311 sends it in the body). */
  hitKey(apiKeyId: string): void {
    this.count([[`key:${apiKeyId}`, this.o.perKeyPerMinute]]);
  }

  /** Counts one write by another caller identity (a Tunduk consumer subsystem), under the key limit. */
  hitCaller(callerId: string): void {
    this.count([[`caller:${callerId}`, this.o.perKeyPerMinute]]);
  }

  private count(checks: [string, number][]): void {
    // Check all before counting any: a refused write is not counted, so a caller who waits gets through.
    const now = this.now();
    for (const [key, max] of checks) {
      const wait = this.waitSeconds(key, max, now);
      if (wait > 0) throw rateLimited(wait);
    }
    for (const [key] of checks) this.window(key, now).count += 1;
    if (this.windows.size > SWEEP_AT) this.sweep(now);
  }

  private window(key: string, now: number): Window {
    const start = now - (now % WINDOW_MS);
    let w = this.windows.get(key);
    if (!w) {
      w = { start, count: 0, previous: 0 };
      this.windows.set(key, w);
    } else if (w.start !== start) {
      w.previous = w.start === start - WINDOW_MS ? w.count : 0;
      w.start = start;
      w.count = 0;
    }
    return w;
  }

  /** 0 when one more write fits; otherwise the seconds until it will. */
  private waitSeconds(key: string, max: number, now: number): number {
    const w = this.window(key, now);
    const elapsed = (now - w.start) / WINDOW_MS;
    const used = w.previous * (1 - elapsed) + w.count;
    if (used + 1 <= max) return 0;
    if (w.count + 1 > max) return Math.max(1, Math.ceil((w.start + WINDOW_MS - now) / 1000));
    // The previous window's share shrinks as time goes on: wait until it has shrunk enough.
    const fraction = 1 - (max - 1 - w.count) / w.previous;
    return Math.max(1, Math.ceil((w.start + fraction * WINDOW_MS - now) / 1000));
  }

  private sweep(now: number): void {
    for (const [key, w] of this.windows) if (w.start < now - 2 * WINDOW_MS) this.windows.delete(key);
  }
}

export function rateLimited(seconds: number): AppError {
  // The error handlers (ours and Open311's) turn params.seconds into the Retry-After header.
  return new AppError(429, 'rate_limited', 'error.rate_limited', { seconds: String(seconds) });
}
