/**
 * A short per-process cache of computed scorecards. The roll-up changes only when the refresh job rewrites it
 * (about once a minute per city), and the public routes are HTTP-cacheable for a minute anyway, so summing the
 * same rows for every visitor would be waste. A refresh in this process clears its city at once; other processes
 * see it within TTL_MS. Concurrent requests for the same key share one computation.
 */
const TTL_MS = 15_000;
/** Periods are chosen by the public: a bound on entries keeps odd periods from growing memory. */
const MAX_ENTRIES = 200;

/** Every cache of this kind in the process, so a refresh can clear them all. */
const caches = new Set<{ forget(municipalityId: string): void }>();

export class ScorecardCache<V> {
  private readonly entries = new Map<string, { value: Promise<V>; until: number; municipalityId: string }>();

  constructor() { caches.add(this); }

  get(municipalityId: string, key: string, compute: () => Promise<V>): Promise<V> {
    const fullKey = `${municipalityId}|${key}`;
    const hit = this.entries.get(fullKey);
    if (hit && hit.until > Date.now()) return hit.value;
    const value = compute();
    value.catch(() => { if (this.entries.get(fullKey)?.value === value) this.entries.delete(fullKey); });
    this.entries.delete(fullKey);
    this.entries.set(fullKey, { value, until: Date.now() + TTL_MS, municipalityId });
    // Maps keep insertion order: the first entry is the oldest.
    while (this.entries.size > MAX_ENTRIES) this.entries.delete(this.entries.keys().next().value!);
    return value;
  }

  forget(municipalityId: string): void {
    for (const [key, entry] of this.entries) if (entry.municipalityId === municipalityId) this.entries.delete(key);
  }
}

/** Called when a refresh of a city's roll-up has committed in this process. */
export function forgetScorecards(municipalityId: string): void {
  for (const cache of caches) cache.forget(municipalityId);
}
