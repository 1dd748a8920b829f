import { endpointHealthKey } from "@switchyard/router";
import type { Env } from "../env.ts";
import type { GenerationOutcome } from "../inference/generation.ts";
import { endInFlight } from "../routing/in-flight.ts";
import { type AttemptSample, recordAttempt } from "./stats-recorder.ts";

type WaitUntil = (promise: Promise<unknown>) => void;

/**
 * An answered request's committed endpoint, as one successful attempt of it.
 * Failed attempts are recorded where health hears of them (routing/plan-request.ts's
 * healthReporter), so they count exactly as the health code decides; a request
 * the client left (cancelled) or that nothing answered adds no success here.
 * A settled request is no longer in flight on its endpoint (least-busy routing).
 */
export function recordOutcome(env: Env, waitUntil: WaitUntil, outcome: GenerationOutcome): void {
  endInFlight(outcome.id);
  if (outcome.status !== "success" || !outcome.endpoint) return;
  recordAttempt(env, waitUntil, endpointHealthKey(outcome.endpoint), answeredSample(outcome), outcome.endedAt);
}

/**
 * Latency is time to first token (the whole answer for a non-streamed one, which arrives at once);
 * throughput is completion tokens over the generating time (after the first token when streamed).
 * Both are measured from the request's start, so time spent failing over before counts too.
 */
export function answeredSample(outcome: GenerationOutcome): AttemptSample {
  const totalMs = Math.max(0, outcome.endedAt - outcome.startedAt);
  const ttftMs = Math.max(0, (outcome.firstTokenAt ?? outcome.endedAt) - outcome.startedAt);
  const generatingMs = outcome.streamed && outcome.firstTokenAt !== undefined ? outcome.endedAt - outcome.firstTokenAt : totalMs;
  const tokens = outcome.usage?.completionTokens ?? 0;
  const sample: AttemptSample = { ok: true, ttftMs, totalMs };
  if (tokens > 0) sample.tokensPerSecond = tokens / (Math.max(generatingMs, 1) / 1000);
  return sample;
}
