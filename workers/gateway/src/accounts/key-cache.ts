import { now } from "../lib/clock.ts";
import type { AuthContext } from "./auth.ts";

/**
 * Keys cached in the isolate so that a request does not wait on D1: a cached
 * key costs no D1 round trip. A key revoked, disabled, re-limited or deleted
 * anywhere takes effect in every isolate within KEY_CACHE_TTL_MS (at once in
 * the isolate that made the change, which calls forgetKey). Unknown keys are
 * cached too, so a flood of bad keys does not become a flood of D1 queries.
 *
 * Entries are found by the key as presented, so a hit costs no hash either
 * (SHA-256 through crypto.subtle is a native call, a promise and two buffers per
 * request). The keys stay in this isolate's memory, where the requests that carry
 * them already are; nothing here is logged or written anywhere.
 */
export const KEY_CACHE_TTL_MS = 10_000;
const MAX_ENTRIES = 10_000;

interface Entry {
  auth: AuthContext | null;
  expires: number;
}

const cache = new Map<string, Entry>();

export async function cachedKey(token: string, load: () => Promise<AuthContext | null>, at = now()): Promise<AuthContext | null> {
  const hit = cache.get(token);
  if (hit && hit.expires > at) return hit.auth;
  const auth = await load();
  // Re-inserted at the end, so the map stays in expiry order: expired entries (keys as
  // sent, not hashes) are dropped from the front here, not kept until the map is full.
  cache.delete(token);
  for (const [old, entry] of cache) {
    if (entry.expires > at && cache.size < MAX_ENTRIES) break;
    cache.delete(old);
  }
  cache.set(token, { auth, expires: at + KEY_CACHE_TTL_MS });
  return auth;
}

/** How many keys this isolate holds (tests). */
export function keyCacheSize(): number {
  return cache.size;
}

/** Drops a key (by its stored hash) at once in this isolate (other isolates follow within the TTL). */
export function forgetKey(hash: string): void {
  for (const [token, entry] of cache) if (entry.auth?.keyHash === hash) cache.delete(token);
}

export function clearKeyCache(): void {
  cache.clear();
}
