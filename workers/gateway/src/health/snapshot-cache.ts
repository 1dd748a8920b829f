import { EMPTY_HEALTH, type HealthSnapshot, UNHEALTHY_WINDOW_MS } from "@switchyard/router";
import type { Env } from "../env.ts";

/**
 * The isolate's copy of the providers' health. Freshness: at most
 * HEALTH_REFRESH_MS old plus one Durable Object round trip, and this isolate's
 * own failures apply at once. A request never waits for the object: it plans
 * with the copy it has (empty in a fresh isolate: every endpoint healthy) and
 * a stale copy is refreshed in the background with waitUntil.
 */
export const HEALTH_REFRESH_MS = 1_000;

type WaitUntil = (promise: Promise<unknown>) => void;

let snapshot: HealthSnapshot = EMPTY_HEALTH;
let refreshedAt = Number.NEGATIVE_INFINITY;
let refreshing = false;

function healthObject(env: Env) {
  return env.PROVIDER_HEALTH.get(env.PROVIDER_HEALTH.idFromName("global"));
}

/** The health to plan with now; starts a background refresh when the copy is older than HEALTH_REFRESH_MS. */
export function currentHealth(env: Env, waitUntil: WaitUntil, now = Date.now()): HealthSnapshot {
  if (!refreshing && now - refreshedAt >= HEALTH_REFRESH_MS) {
    refreshing = true;
    refreshedAt = now;
    waitUntil(
      healthObject(env)
        .snapshot()
        .then((fresh) => {
          snapshot = merge(fresh, snapshot, Date.now());
        })
        .catch(() => {
          // Health is advisory: with no fresh copy, keep planning with the old one.
        })
        .finally(() => {
          refreshing = false;
        }),
    );
  }
  return snapshot;
}

/** Records a failure here at once and in the shared object without waiting for it. */
export function reportFailure(env: Env, waitUntil: WaitUntil, endpoint: string, status: number, at = Date.now()): void {
  snapshot = merge({ [endpoint]: at }, snapshot, at);
  waitUntil(healthObject(env).report([{ endpoint, status, at }]).catch(() => {}));
}

/** Latest failure per endpoint from both copies; failures older than the window are dropped. */
function merge(a: HealthSnapshot, b: HealthSnapshot, now: number): HealthSnapshot {
  const out: Record<string, number> = {};
  for (const source of [a, b]) {
    for (const [key, at] of Object.entries(source)) {
      if (now - at < UNHEALTHY_WINDOW_MS && at > (out[key] ?? Number.NEGATIVE_INFINITY)) out[key] = at;
    }
  }
  return out;
}

/** Forgets the isolate's copy (tests start from a known state). */
export function resetHealthCache(): void {
  snapshot = EMPTY_HEALTH;
  refreshedAt = Number.NEGATIVE_INFINITY;
  refreshing = false;
}
