import type { MeasuredStats } from "@switchyard/router";
import type { Env } from "../env.ts";
import { statsObject } from "./stats-recorder.ts";
import type { StatsSnapshot } from "./stats-types.ts";

/**
 * The isolate's copy of the measured stats, for the planner: refreshed in the
 * background at most every STATS_REFRESH_MS, so planning never waits on the
 * object (a fresh isolate plans with the catalog's typed figures until its first copy arrives).
 */
export const STATS_REFRESH_MS = 10_000;
/** Fewer answered attempts than this in 30 minutes is noise: the catalog's typed figures still count. */
export const MIN_MEASURED_ANSWERS = 3;

type WaitUntil = (promise: Promise<unknown>) => void;

let measured: MeasuredStats = {};
let refreshedAt = Number.NEGATIVE_INFINITY;
let refreshing = false;

/** The measured figures to plan with now; starts a background refresh when the copy is stale. */
export function currentMeasured(env: Env, waitUntil: WaitUntil, now = Date.now()): MeasuredStats {
  if (!refreshing && now - refreshedAt >= STATS_REFRESH_MS) {
    refreshing = true;
    refreshedAt = now;
    waitUntil(refreshMeasured(env).finally(() => (refreshing = false)));
  }
  return measured;
}

/** Reads the object's summary into the isolate's copy (stats are advisory: a failed read keeps the old copy). */
export async function refreshMeasured(env: Env): Promise<void> {
  try {
    measured = toMeasured(await statsObject(env).snapshot());
  } catch {
    // keep planning with the copy we have
  }
}

/** The medians the planner sorts by, for endpoints with enough answers to go by. */
export function toMeasured(snapshot: StatsSnapshot): MeasuredStats {
  const out: Record<string, { latencyMs?: number; throughput?: number }> = {};
  for (const [key, s] of Object.entries(snapshot)) {
    if (s.answered_last_30m < MIN_MEASURED_ANSWERS) continue;
    const m: { latencyMs?: number; throughput?: number } = {};
    if (s.latency_last_30m) m.latencyMs = s.latency_last_30m.p50;
    if (s.throughput_last_30m) m.throughput = s.throughput_last_30m.p50;
    out[key] = m;
  }
  return out;
}

/** Forgets the isolate's copy (tests start from a known state). */
export function resetMeasuredCache(): void {
  measured = {};
  refreshedAt = Number.NEGATIVE_INFINITY;
  refreshing = false;
}
