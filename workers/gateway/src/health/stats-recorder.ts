import { addToHistogram, mergeHistogram } from "@switchyard/router";
import type { Env } from "../env.ts";
import { MINUTE_MS, type MinuteStats } from "./stats-types.ts";

/**
 * The isolate's share of the endpoint stats: every answered or failed attempt
 * is added here in memory (a few additions, no I/O), and the pending minutes go
 * to the EndpointStats object in one batch at most every STATS_FLUSH_MS, with
 * waitUntil, never more than one batch in flight. The flush rides on the first
 * record after the interval (an idle isolate sends nothing); an isolate evicted
 * before its next flush loses at most one interval of its own stats.
 */
export const DEFAULT_STATS_FLUSH_MS = 10_000;

type WaitUntil = (promise: Promise<unknown>) => void;

/** One attempt as the recorder counts it. */
export type AttemptSample =
  | { ok: true; ttftMs: number; totalMs: number; tokensPerSecond?: number }
  | { ok: false };

const pending = new Map<string, MinuteStats>();
let lastFlushAt = Number.NEGATIVE_INFINITY;
let inFlight: Promise<void> | null = null;

export function statsObject(env: Env) {
  return env.ENDPOINT_STATS.get(env.ENDPOINT_STATS.idFromName("global"));
}

function flushInterval(env: Env): number {
  const n = env.STATS_FLUSH_MS ? Number(env.STATS_FLUSH_MS) : Number.NaN;
  return n >= 0 ? n : DEFAULT_STATS_FLUSH_MS;
}

/** Adds one attempt to its endpoint's current minute; starts a background flush when one is due. */
export function recordAttempt(env: Env, waitUntil: WaitUntil, endpoint: string, sample: AttemptSample, now = Date.now()): void {
  const minute = Math.floor(now / MINUTE_MS);
  const key = `${minute}|${endpoint}`;
  let m = pending.get(key);
  if (!m) {
    m = { endpoint, minute, ok: 0, failed: 0, ttft: {}, total: {}, throughput: {} };
    pending.set(key, m);
  }
  if (sample.ok) {
    m.ok++;
    addToHistogram(m.ttft, sample.ttftMs);
    addToHistogram(m.total, sample.totalMs);
    if (sample.tokensPerSecond !== undefined) addToHistogram(m.throughput, sample.tokensPerSecond);
  } else {
    m.failed++;
  }
  if (!inFlight && now - lastFlushAt >= flushInterval(env)) waitUntil(flushStats(env, now));
}

/**
 * Sends the pending minutes now (after the batch in flight, if any). The
 * endpoints list calls it too, so an isolate shows its own latest traffic.
 * A batch the object did not take goes back to pending, to be sent with the next one.
 */
export async function flushStats(env: Env, now = Date.now()): Promise<void> {
  while (inFlight) await inFlight;
  if (pending.size === 0) return;
  lastFlushAt = now;
  const batch = [...pending.values()];
  pending.clear();
  inFlight = statsObject(env)
    .record(batch)
    .catch(() => {
      for (const m of batch) requeue(m);
    })
    .finally(() => {
      inFlight = null;
    });
  await inFlight;
}

function requeue(m: MinuteStats): void {
  const key = `${m.minute}|${m.endpoint}`;
  const current = pending.get(key);
  if (!current) {
    pending.set(key, m);
    return;
  }
  current.ok += m.ok;
  current.failed += m.failed;
  mergeHistogram(current.ttft, m.ttft);
  mergeHistogram(current.total, m.total);
  mergeHistogram(current.throughput, m.throughput);
}

/** Forgets what this isolate has not sent yet (tests start from a known state). */
export function resetStatsRecorder(): void {
  pending.clear();
  lastFlushAt = Number.NEGATIVE_INFINITY;
  inFlight = null;
}
