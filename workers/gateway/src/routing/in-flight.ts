/**
 * Requests in flight from this isolate, per endpoint: counted from the moment
 * an endpoint answers (the request is committed to it) until the request is
 * settled, for `sort: "least-busy"`. Keyed by generation id, so a request is
 * released once however its end is reported; one never released (an isolate
 * torn down mid-stream) stops counting after STALE_MS.
 */
const STALE_MS = 10 * 60_000;
const MAX_TRACKED = 100_000;

const byGeneration = new Map<string, { endpoint: string; at: number }>();
const counts = new Map<string, number>();

export function startInFlight(generationId: string, endpointKey: string, now = Date.now()): void {
  if (byGeneration.has(generationId)) return;
  if (byGeneration.size >= MAX_TRACKED) dropStale(Number.POSITIVE_INFINITY, 1);
  byGeneration.set(generationId, { endpoint: endpointKey, at: now });
  counts.set(endpointKey, (counts.get(endpointKey) ?? 0) + 1);
}

export function endInFlight(generationId: string): void {
  const entry = byGeneration.get(generationId);
  if (!entry) return;
  byGeneration.delete(generationId);
  const n = (counts.get(entry.endpoint) ?? 1) - 1;
  if (n > 0) counts.set(entry.endpoint, n);
  else counts.delete(entry.endpoint);
}

/** Endpoint key → requests in flight now. */
export function inFlightByEndpoint(now = Date.now()): ReadonlyMap<string, number> {
  dropStale(now - STALE_MS);
  return counts;
}

/** Entries are in start order: drop from the oldest while they started before `before` (at most `limit`). */
function dropStale(before: number, limit = Number.POSITIVE_INFINITY): void {
  for (const [id, entry] of byGeneration) {
    if (entry.at >= before || limit-- <= 0) break;
    endInFlight(id);
  }
}

/** Forgets every count (tests). */
export function resetInFlight(): void {
  byGeneration.clear();
  counts.clear();
}
