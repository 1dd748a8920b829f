import { endpointHealthKey, parseWorkspacePreferences, type PlanInput, type PlannedAttempt, planRoute } from "@switchyard/router";
import type { ChatCompletionRequest, ProviderPreferences } from "@switchyard/schemas";
import type { UpstreamFailure } from "@switchyard/providers";
import type { AuthContext } from "../accounts/auth.ts";
import type { Env } from "../env.ts";
import { currentHealth, reportFailure } from "../health/snapshot-cache.ts";
import { recordAttempt } from "../health/stats-recorder.ts";
import { currentMeasured } from "../health/stats-snapshot.ts";
import { inFlightByEndpoint } from "./in-flight.ts";
import { nearLimitEndpoints } from "./rate-limits.ts";

/** The part of the execution context routing needs (Hono's and workerd's types differ). */
interface Deferrer {
  waitUntil(promise: Promise<unknown>): void;
}

/**
 * The route for one request: the workspace's rules (from the cached key
 * record) and the isolate's health copy, given to the pure planner. No I/O
 * is awaited here.
 */
export function planRequest(
  env: Env,
  ctx: Deferrer,
  request: ChatCompletionRequest,
  auth: AuthContext,
  now = Date.now(),
  output: PlanInput["output"] = "text",
): PlannedAttempt[] {
  return planRoute({
    request,
    output,
    workspace: { zdr: auth.zdr, euOnly: auth.euOnly, preferences: workspacePreferences(auth.providerPreferences) },
    health: currentHealth(env, (p) => ctx.waitUntil(p), now),
    signals: {
      measured: currentMeasured(env, (p) => ctx.waitUntil(p), now),
      nearLimit: nearLimitEndpoints(auth.workspaceId, now),
      inFlight: inFlightByEndpoint(now),
    },
    now,
  });
}

/**
 * The failover loop's health reporter: the failure goes to the shared health object after the
 * response, never before it, and counts as a failed attempt in the endpoint's measured stats.
 */
export function healthReporter(env: Env, ctx: Deferrer) {
  return (planned: PlannedAttempt, failure: UpstreamFailure) => {
    const key = endpointHealthKey(planned.endpoint);
    reportFailure(env, (p) => ctx.waitUntil(p), key, failure.upstreamStatus ?? failure.status);
    recordAttempt(env, (p) => ctx.waitUntil(p), key, { ok: false });
  };
}

// Workspace preferences arrive as JSON text with the key record; parse each distinct text once per isolate.
const parsed = new Map<string, ProviderPreferences | undefined>();
const MAX_PARSED = 1_000;

function workspacePreferences(json: string | null): ProviderPreferences | undefined {
  if (!json) return undefined;
  if (parsed.has(json)) return parsed.get(json);
  const prefs = parseWorkspacePreferences(json);
  if (parsed.size >= MAX_PARSED) parsed.delete(parsed.keys().next().value!);
  parsed.set(json, prefs);
  return prefs;
}
