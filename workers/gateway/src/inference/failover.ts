import type { ProviderInfo } from "@switchyard/catalog";
import { adapterFor, type ProviderAdapter, type UpstreamFailure } from "@switchyard/providers";
import type { PlannedAttempt } from "@switchyard/router";
import { type ChatCompletionRequest, GatewayError, noProviderAvailable } from "@switchyard/schemas";
import type { Attempt } from "../byok/targets.ts";
import type { Env } from "../env.ts";
import { callUpstream } from "./call-upstream.ts";
import { resolveTarget } from "./targets.ts";

export interface AttemptRecord {
  provider: string;
  model: string;
  status: number;
  message?: string;
  /** Tried with the workspace's own provider key. */
  byok?: true;
}

/** The endpoint that answered: the response is committed to it. */
export interface Committed {
  planned: PlannedAttempt;
  provider: ProviderInfo;
  adapter: ProviderAdapter;
  response: Response;
  attempts: AttemptRecord[];
  /** Served with the workspace's own provider key: billed as BYOK. */
  byok: boolean;
}

export interface FailoverOptions {
  stream: boolean;
  signal: AbortSignal;
  firstByteTimeoutMs: number;
  /** Told of every failed attempt that should count against the provider's health. */
  onProviderFailure?: (planned: PlannedAttempt, failure: UpstreamFailure) => void;
}

/**
 * Tries the planned endpoints in order until one answers. A retryable failure
 * (429, 5xx, timeout, connection error) moves on to the next endpoint; a
 * failure that is the caller's fault (400, 413) is reported at once.
 */
export async function firstAnsweringEndpoint(
  env: Env,
  plan: Attempt[],
  request: ChatCompletionRequest,
  options: FailoverOptions,
): Promise<Committed> {
  const attempts: AttemptRecord[] = [];
  let lastFailure: UpstreamFailure | undefined;
  for (const planned of plan) {
    const resolved = resolveTarget(env, planned.endpoint, planned.byok?.apiKey);
    const byok = planned.byok ? { byok: true as const } : {};
    const adapter = resolved && adapterFor(resolved.provider.apiFormat);
    if (!resolved || !adapter) {
      attempts.push({ provider: planned.endpoint.provider, model: planned.model.id, status: 503, message: "provider not configured" });
      continue;
    }
    const result = await callUpstream(adapter, request, resolved.target, options.stream, options.signal, options.firstByteTimeoutMs);
    if (result.ok) {
      attempts.push({ provider: resolved.provider.slug, model: planned.model.id, status: 200, ...byok });
      return { planned, provider: resolved.provider, adapter, response: result.response, attempts, byok: Boolean(planned.byok) };
    }
    const failure = result.failure;
    attempts.push({ provider: resolved.provider.slug, model: planned.model.id, status: failure.upstreamStatus ?? failure.status, message: failure.message, ...byok });
    lastFailure = failure;
    if (!failure.retryable) throw failureToError(failure, attempts);
    // A workspace's own key failing (its rate limit, its auth) says nothing about the provider's health.
    if (!planned.byok) options.onProviderFailure?.(planned, failure);
  }
  if (!lastFailure) {
    throw noProviderAvailable("No provider is available for this model: none of its providers is configured", { attempts });
  }
  throw failureToError(lastFailure, attempts);
}

export function failureToError(failure: UpstreamFailure, attempts: AttemptRecord[]): GatewayError {
  return new GatewayError(failure.status, failure.message, {
    attempts,
    ...(failure.providerCode ? { provider_code: failure.providerCode } : {}),
    ...(failure.retryAfterSeconds !== undefined ? { retry_after_seconds: failure.retryAfterSeconds } : {}),
  });
}
