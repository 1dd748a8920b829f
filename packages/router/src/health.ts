import type { Endpoint } from "@switchyard/catalog";

/**
 * How long an endpoint stays deprioritised after a failure (5xx, 429, timeout,
 * connection error). Deprioritised means tried after the healthy endpoints, never excluded.
 */
export const UNHEALTHY_WINDOW_MS = 30_000;

/** Endpoint health key → unix ms of its most recent failure. Endpoints absent from it are healthy. */
export type HealthSnapshot = Readonly<Record<string, number>>;

export const EMPTY_HEALTH: HealthSnapshot = Object.freeze({});

/** One upstream endpoint: a provider serving one upstream model (BYOK and hosted share it: same upstream). */
export function endpointHealthKey(endpoint: Pick<Endpoint, "provider" | "upstreamModel">): string {
  return `${endpoint.provider}/${endpoint.upstreamModel}`;
}

/** When the endpoint last failed, if that was within the window before `now`. */
export function recentFailureAt(health: HealthSnapshot, key: string, now: number): number | undefined {
  const at = Object.hasOwn(health, key) ? health[key] : undefined;
  return at !== undefined && now - at < UNHEALTHY_WINDOW_MS ? at : undefined;
}
