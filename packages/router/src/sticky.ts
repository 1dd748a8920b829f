/**
 * Sticky routing for warm prompt caches (OpenRouter does the same): a caller's requests
 * that share a prompt prefix go back to the endpoint that served the last one while its
 * cache is warm (5 minutes by default, refreshed by each request it serves). Pure memory:
 * the caller decides what a "prefix" is and records which provider served; a provider that
 * fails is simply not recorded, and the next success moves the entry.
 */
export const CACHE_WARM_MS = 5 * 60_000;
const MAX_ENTRIES = 10_000;

export class WarmCacheRoutes {
  private readonly entries = new Map<string, { provider: string; until: number }>();

  constructor(private readonly warmMs = CACHE_WARM_MS) {}

  /** The provider whose cache is warm for this prefix, if any. */
  providerFor(prefix: string, now = Date.now()): string | undefined {
    const entry = this.entries.get(prefix);
    if (!entry) return undefined;
    if (entry.until <= now) {
      this.entries.delete(prefix);
      return undefined;
    }
    return entry.provider;
  }

  /** The provider that served a request with this prefix: its cache now holds it. */
  served(prefix: string, provider: string, now = Date.now()): void {
    this.entries.delete(prefix); // re-inserted last: the map's order is least recently used first
    this.entries.set(prefix, { provider, until: now + this.warmMs });
    if (this.entries.size > MAX_ENTRIES) this.entries.delete(this.entries.keys().next().value!);
  }
}
