import { now } from "../lib/clock.ts";
import type { KeyRecord } from "./key-lookup.ts";

/**
 * Keys cached in the isolate so that a request does not wait on D1: a cached
 * key costs no D1 round trip. A key revoked, disabled, re-limited or deleted
 * anywhere takes effect in every isolate within KEY_CACHE_TTL_MS (at once in
 * the isolate that made the change, which calls forgetKey). Unknown keys are
 * cached too, so a flood of bad keys does not become a flood of D1 queries.
 */
export const KEY_CACHE_TTL_MS = 10_000;
const MAX_ENTRIES = 10_000;

interface Entry {
  record: KeyRecord | null;
  expires: number;
}

const cache = new Map<string, Entry>();

export async function cachedKey(hash: string, load: () => Promise<KeyRecord | null>, at = now()): Promise<KeyRecord | null> {
  const hit = cache.get(hash);
  if (hit && hit.expires > at) return hit.record;
  const record = await load();
  if (cache.size >= MAX_ENTRIES) cache.delete(cache.keys().next().value!);
  cache.set(hash, { record, expires: at + KEY_CACHE_TTL_MS });
  return record;
}

/** Drops a key at once in this isolate (other isolates follow within the TTL). */
export function forgetKey(hash: string): void {
  cache.delete(hash);
}

export function clearKeyCache(): void {
  cache.clear();
}
