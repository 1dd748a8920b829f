import type { ProviderInfo } from "@switchyard/catalog";
import { adapterFor, type ParsedCompletion, type ProviderAdapter, type UpstreamFailure, type UpstreamTarget } from "@switchyard/providers";
import type { PlannedAttempt } from "@switchyard/router";
import { type ChatCompletionRequest, GatewayError, noProviderAvailable } from "@switchyard/schemas";
import type { Attempt } from "../byok/targets.ts";
import type { Env } from "../env.ts";
import { callUpstream, type UpstreamResult } from "./call-upstream.ts";
import type { StreamStart } from "./first-event.ts";
import { attemptsThatFit, chatPromptSize } from "./prompt-size.ts";
import { redactingSecret } from "./redact-secrets.ts";
import { GATEWAY_FAULT_STATUS } from "./translation-fault.ts";
import { resolveTarget } from "./targets.ts";

/** One endpoint tried for a request: listed in error metadata, the response header and the generation record. */
export interface AttemptRecord {
  provider: string;
  model: string;
  status: number;
  /** The provider's error message; left out under ZDR, where provider text may echo the prompt. */
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
  /** A non-streamed chat answer, read and parsed while it could still fail over (`response`'s body is then used up). */
  completion?: ParsedCompletion;
  /** A streamed answer, read up to its first answer: `response`'s body is read from here on. */
  stream?: StreamStart;
  attempts: AttemptRecord[];
  /** Served with the workspace's own provider key: billed as BYOK. */
  byok: boolean;
  /** Reports a failure of this endpoint after it was committed (a stream cut mid-way) to the health object. */
  reportFailure(failure: UpstreamFailure): void;
}

export interface FailoverOptions {
  stream: boolean;
  signal: AbortSignal;
  firstByteTimeoutMs: number;
  /** Workspace ZDR: attempt records keep status codes only. */
  zdr?: boolean;
  /** Told of every failed attempt that counts against the endpoint's health (see countsAgainstHealth). */
  onProviderFailure?: (planned: PlannedAttempt, failure: UpstreamFailure) => void;
}

/**
 * 5xx, 429, timeouts and connection errors (no upstream status) mark an endpoint
 * unhealthy; a rejected key or model does not, and neither does anything that
 * happens on a workspace's own key (its rate limit, its auth say nothing about the provider).
 * Nor does anything the request or the gateway caused: a request a format cannot carry (400)
 * or a gateway bug in translating it or the answer (500; an upstream's own 500 is a 502 here).
 */
export function countsAgainstHealth(failure: UpstreamFailure, planned: Attempt): boolean {
  if (planned.byok) return false;
  if (failure.upstreamStatus === undefined) return failure.status === 408 || failure.status === 429 || (failure.status >= 500 && failure.status !== GATEWAY_FAULT_STATUS);
  const status = failure.upstreamStatus;
  return status === 408 || status === 429 || status >= 500;
}

/**
 * Tries the planned endpoints in order until one answers. A retryable failure
 * (429, 5xx, timeout, connection error, a stream that dies before its first
 * event) moves on to the next endpoint; a failure that is the caller's fault
 * (400, 413) or a client that went away ends the request at once.
 */
export function firstAnsweringEndpoint(env: Env, plan: Attempt[], request: ChatCompletionRequest, options: FailoverOptions): Promise<Committed> {
  // An endpoint whose context the prompt certainly exceeds is not tried (nor reserved for).
  const fitting = attemptsThatFit(plan, chatPromptSize(request).minTokens);
  return firstAnswering(env, fitting, options, (adapter, target) =>
    callUpstream(adapter, request, target, options.stream, options.signal, options.firstByteTimeoutMs),
  );
}

/**
 * The failover loop for any kind of call (chat, embeddings): `attempt` makes the
 * call to one endpoint, or returns null when its wire format cannot serve that
 * kind of call (the endpoint is then skipped like an unconfigured one).
 */
export async function firstAnswering(
  env: Env,
  plan: Attempt[],
  options: Omit<FailoverOptions, "stream">,
  attempt: (adapter: ProviderAdapter, target: UpstreamTarget) => Promise<UpstreamResult> | null,
): Promise<Committed> {
  const attempts: AttemptRecord[] = [];
  let lastFailure: UpstreamFailure | undefined;
  for (const planned of plan) {
    const resolved = resolveTarget(env, planned.endpoint, planned.byok?.apiKey);
    const byok = planned.byok ? { byok: true as const } : {};
    const format = resolved && adapterFor(resolved.provider.apiFormat);
    const adapter = format && redactingSecret(format, resolved.target.apiKey);
    const call = resolved && adapter ? attempt(adapter, resolved.target) : null;
    if (!resolved || !adapter || !call) {
      attempts.push({ provider: planned.endpoint.provider, model: planned.model.id, status: 503, message: "provider not configured" });
      continue;
    }
    const result = await call;
    if (result.ok) {
      attempts.push({ provider: resolved.provider.slug, model: planned.model.id, status: 200, ...byok });
      const reportFailure = (failure: UpstreamFailure) => {
        // A client that went away aborts the upstream read too: that is not the provider's failure.
        if (!options.signal.aborted && countsAgainstHealth(failure, planned)) options.onProviderFailure?.(planned, failure);
      };
      return { planned, provider: resolved.provider, adapter, response: result.response, completion: result.completion, stream: result.stream, attempts, byok: Boolean(planned.byok), reportFailure };
    }
    const failure = result.failure;
    attempts.push({
      provider: resolved.provider.slug,
      model: planned.model.id,
      status: failure.upstreamStatus ?? failure.status,
      ...(options.zdr ? {} : { message: failure.message }),
      ...byok,
    });
    lastFailure = failure;
    if (!failure.retryable) throw failureToError(failure, attempts);
    if (countsAgainstHealth(failure, planned)) options.onProviderFailure?.(planned, failure);
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

/** The attempts as a response header: `provider model status` per attempt, in order (no provider text). */
export function attemptsHeader(attempts: AttemptRecord[]): string {
  return attempts.map((a) => `${a.provider} ${a.model} ${a.status}`).join(", ");
}
