/**
 * Providers' rate-limit headroom, as their answers report it, per endpoint
 * (and per workspace for its own BYOK key), in this isolate. An endpoint is
 * "near its limit" when an answer said fewer than NEAR_LIMIT_FRACTION of its
 * requests or tokens remain (or none remain, when the limit itself is not sent);
 * the planner then tries it after the others. What an answer said is
 * forgotten after RATE_LIMIT_MEMORY_MS (providers' windows are a minute) or
 * replaced by the next answer.
 */
export const NEAR_LIMIT_FRACTION = 0.05;
export const RATE_LIMIT_MEMORY_MS = 60_000;
const MAX_TRACKED = 10_000;

/** [remaining, limit] header names: OpenAI's, then Anthropic's. */
const HEADER_PAIRS: ReadonlyArray<readonly [string, string]> = [
  ["x-ratelimit-remaining-requests", "x-ratelimit-limit-requests"],
  ["x-ratelimit-remaining-tokens", "x-ratelimit-limit-tokens"],
  ["anthropic-ratelimit-requests-remaining", "anthropic-ratelimit-requests-limit"],
  ["anthropic-ratelimit-tokens-remaining", "anthropic-ratelimit-tokens-limit"],
];

/** Endpoint (or workspace + endpoint) → when an answer last said it was near its limit. */
const nearSince = new Map<string, number>();

/** True when any of the headers says the endpoint is close to its limit; undefined when none is sent. */
export function nearLimitFromHeaders(headers: Headers): boolean | undefined {
  let seen = false;
  for (const [remainingName, limitName] of HEADER_PAIRS) {
    const remaining = headerNumber(headers, remainingName);
    if (remaining === undefined) continue;
    seen = true;
    const limit = headerNumber(headers, limitName);
    if (limit !== undefined && limit > 0 ? remaining < limit * NEAR_LIMIT_FRACTION : remaining <= 0) return true;
  }
  return seen ? false : undefined;
}

function headerNumber(headers: Headers, name: string): number | undefined {
  const raw = headers.get(name);
  if (raw === null || raw.trim() === "") return undefined;
  const n = Number(raw);
  return Number.isFinite(n) && n >= 0 ? n : undefined;
}

function trackingKey(endpointKey: string, byokWorkspace: string | undefined): string {
  return byokWorkspace ? `${byokWorkspace} ${endpointKey}` : endpointKey;
}

/** Notes what an answer's headers say of its endpoint's headroom (hosted key, or the workspace's own for BYOK). */
export function observeRateLimit(endpointKey: string, headers: Headers, byokWorkspace?: string, now = Date.now()): void {
  const near = nearLimitFromHeaders(headers);
  if (near === undefined) return;
  const key = trackingKey(endpointKey, byokWorkspace);
  nearSince.delete(key);
  if (!near) return;
  if (nearSince.size >= MAX_TRACKED) nearSince.delete(nearSince.keys().next().value!);
  nearSince.set(key, now);
}

/** The endpoints near their limit for a request of this workspace: the hosted key's, or the workspace's own key's. */
export function nearLimitEndpoints(workspaceId: string, now = Date.now()): Set<string> {
  const out = new Set<string>();
  for (const [key, at] of nearSince) {
    if (now - at >= RATE_LIMIT_MEMORY_MS) {
      nearSince.delete(key);
      continue;
    }
    const space = key.indexOf(" ");
    if (space === -1) out.add(key);
    else if (key.slice(0, space) === workspaceId) out.add(key.slice(space + 1));
  }
  return out;
}

/** Forgets every observation (tests). */
export function resetRateLimits(): void {
  nearSince.clear();
}
