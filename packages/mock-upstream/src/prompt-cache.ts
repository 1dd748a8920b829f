/**
 * The mock's prompt cache: prefixes of a conversation it has seen, for 5 minutes
 * (refreshed on each hit), as Anthropic's and OpenAI's caches keep them. A request
 * reads the longest stored prefix that ends on a message boundary, and writes the
 * prefix up to its last cache breakpoint. No minimum length, so tests can use short
 * prompts. State is per process (per isolate in workerd), like a provider's per-region cache.
 */
import { fnv1a } from "./hash.ts";

export const CACHE_TTL_MS = 5 * 60_000;
const MAX_ENTRIES = 10_000;
const stored = new Map<string, number>();

/** One place a cached prefix may end: its key (a hash of everything before it) and its size in prompt tokens. */
export interface CachePrefix {
  key: string;
  tokens: number;
  /** The request marks this prefix for caching (a cache breakpoint). */
  breakpoint: boolean;
}

/** A stable key for a prefix: cache markers left out, since clients move them from turn to turn. */
export function prefixKey(value: unknown): string {
  const text = JSON.stringify(value, (k, v) => (k === "cache_control" ? undefined : v));
  return `${fnv1a(text)}${fnv1a(`${text.length}:${text}`)}`;
}

/**
 * Tokens read from the cache and written to it by a request with these prefixes, in prompt
 * order; the prefixes up to the last breakpoint are (re)stored. `prompt` caps both.
 */
export function useCache(prefixes: CachePrefix[], prompt: number, now = Date.now()): { cached: number; written: number } {
  let last = -1;
  prefixes.forEach((p, i) => {
    if (p.breakpoint) last = i;
  });
  if (last === -1) return { cached: 0, written: 0 };
  let cached = 0;
  for (const p of prefixes.slice(0, last + 1)) if ((stored.get(p.key) ?? 0) > now) cached = Math.max(cached, p.tokens);
  const written = Math.max(0, prefixes[last]!.tokens - cached);
  for (const p of prefixes.slice(0, last + 1)) if (p.breakpoint || p.tokens <= cached) stored.set(p.key, now + CACHE_TTL_MS);
  if (stored.size > MAX_ENTRIES) stored.delete(stored.keys().next().value!);
  return { cached: Math.min(cached, prompt), written: Math.min(written, prompt - Math.min(cached, prompt)) };
}

/** Forgets every cached prefix (tests). */
export function clearPromptCache(): void {
  stored.clear();
}

/** Whether a value holds a `cache_control` marker anywhere (a block, a tool, a nested tool result). */
export function hasCacheControl(value: unknown): boolean {
  if (Array.isArray(value)) return value.some(hasCacheControl);
  if (!value || typeof value !== "object") return false;
  return Object.entries(value).some(([k, v]) => (k === "cache_control" && v) || hasCacheControl(v));
}
