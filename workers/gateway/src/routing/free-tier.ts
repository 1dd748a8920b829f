import type { PlannedAttempt } from "@switchyard/router";
import { rateLimited } from "@switchyard/schemas";
import type { Env } from "../env.ts";
import type { FreeTierLimits } from "./free-tier-limiter.ts";

/** OpenRouter's limits for free model variants, per key; overridable with FREE_REQUESTS_PER_MINUTE / _PER_DAY. */
export const DEFAULT_FREE_LIMITS: FreeTierLimits = { perMinute: 20, perDay: 1000 };

function limits(env: Env): FreeTierLimits {
  return {
    perMinute: Number(env.FREE_REQUESTS_PER_MINUTE) || DEFAULT_FREE_LIMITS.perMinute,
    perDay: Number(env.FREE_REQUESTS_PER_DAY) || DEFAULT_FREE_LIMITS.perDay,
  };
}

/**
 * Applies the free-tier limits when the plan uses free endpoints (`:free`). A
 * key over its limit loses the free endpoints; if nothing else is planned
 * (no paid fallback model) the request is a 429 with retry-after.
 */
export async function applyFreeTierLimits(env: Env, keyId: string, plan: PlannedAttempt[]): Promise<PlannedAttempt[]> {
  if (!plan.some((a) => a.endpoint.free)) return plan;
  const limiter = env.FREE_TIER_LIMITER.get(env.FREE_TIER_LIMITER.idFromName(keyId));
  const decision = await limiter.take(limits(env));
  if (decision.allowed) return plan;
  const paid = plan.filter((a) => !a.endpoint.free);
  if (paid.length) return paid;
  throw rateLimited(`Free-tier limit reached for this key: ${decision.limit === "day" ? limits(env).perDay + " requests per day" : limits(env).perMinute + " requests per minute"} on :free models`, {
    retry_after_seconds: decision.retryAfterSeconds,
  });
}
