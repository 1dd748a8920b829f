import type { Endpoint, Model, ProviderInfo } from "@switchyard/catalog";
import { usageCostNanos } from "@switchyard/fees";
import type { TokenUsage } from "@switchyard/providers";
import { type FinishReason, GatewayError, type Usage } from "@switchyard/schemas";
import { nanosToUsdNumber } from "@switchyard/catalog";
import type { AttemptRecord, Committed } from "./failover.ts";

/** Everything known about one request once it has ended: what settlement records and bills. */
export interface GenerationOutcome {
  id: string;
  model: Model;
  endpoint: Endpoint | null;
  provider: ProviderInfo | null;
  status: "success" | "error" | "cancelled";
  errorCode?: number;
  usage: TokenUsage | null;
  /**
   * What the answer costs at the catalog price (hosted), as reported; a BYOK answer is billed the
   * BYOK fee on it instead. For a client that left mid-stream: what was generated up to then.
   */
  costNanos: bigint;
  /** What the spend reserve held for this request before the upstream call: the most it can be charged (charges.ts). */
  reservedNanos: bigint;
  /** Served with the workspace's own provider key. */
  byok: boolean;
  finishReason: FinishReason | null;
  streamed: boolean;
  startedAt: number;
  firstTokenAt?: number;
  endedAt: number;
  attempts: AttemptRecord[];
  /** The request's end user (`user`, `metadata.user_id`), hashed for a ZDR request. */
  endUser?: string | null;
  /** Strings the workspace's guardrails redacted from the prompt. */
  redactions?: number;
  /** Served from the response cache (no upstream call). */
  cacheHit?: boolean;
}

/** What a route knows of a request before the upstream call: its id, when it started, what was reserved for it. */
export type GenerationStart = Pick<GenerationOutcome, "id" | "startedAt" | "reservedNanos">;

/**
 * A non-streamed answer, served in full and ending now: what chat and embeddings hand to
 * settlement. The gateway has read the whole answer before it responds, so the provider
 * billed all of it: charged in full even if the client leaves before reading the response.
 */
export function answeredOutcome(
  served: Pick<Committed, "planned" | "provider" | "attempts" | "byok">,
  start: GenerationStart,
  usage: TokenUsage | null,
  finishReason: FinishReason | null,
): GenerationOutcome {
  const now = Date.now();
  return {
    ...start,
    model: served.planned.model,
    endpoint: served.planned.endpoint,
    provider: served.provider,
    status: "success",
    usage,
    costNanos: costOf(served.planned.endpoint, usage),
    byok: served.byok,
    finishReason,
    streamed: false,
    firstTokenAt: now,
    endedAt: now,
    attempts: served.attempts,
  };
}

/**
 * A request nothing answered — every attempt failed, or none could be sent — as
 * settlement records it: an error (a client that left: cancelled) with every
 * attempt, under the model asked for first. Never charged: nothing was relayed (a client
 * that leaves while the gateway fails over, or awaits a non-streamed answer, pays nothing).
 */
export function unansweredOutcome(model: Model, start: GenerationStart, error: unknown, streamed: boolean): GenerationOutcome {
  const status = error instanceof GatewayError ? error.status : 500;
  const attempts = error instanceof GatewayError && Array.isArray(error.metadata?.attempts) ? (error.metadata.attempts as AttemptRecord[]) : [];
  return {
    ...start,
    model,
    endpoint: null,
    provider: null,
    status: status === 499 ? "cancelled" : "error",
    errorCode: status,
    usage: null,
    costNanos: 0n,
    byok: false,
    finishReason: null,
    streamed,
    endedAt: Date.now(),
    attempts,
  };
}

/** Hosted cost at the endpoint's prices; cached and cache-write prompt tokens at their own prices. */
export function costOf(endpoint: Endpoint, usage: TokenUsage | null): bigint {
  if (!usage) return 0n;
  const { promptTokens, completionTokens, cachedTokens, cacheWriteTokens } = usage;
  return usageCostNanos(endpoint.pricing, { promptTokens, completionTokens, cachedTokens, cacheWriteTokens });
}

/**
 * The `usage` object of the response, with the gateway's cost in USD. A BYOK
 * answer costs no credits for usage (`cost` 0, `is_byok` true); its BYOK fee,
 * if beyond the free million, is decided at settlement and shows in the ledger.
 */
export function usageBody(usage: TokenUsage | null, costNanos: bigint, byok = false): Usage {
  const prompt = usage?.promptTokens ?? 0;
  const completion = usage?.completionTokens ?? 0;
  return {
    prompt_tokens: prompt,
    completion_tokens: completion,
    total_tokens: prompt + completion,
    cost: nanosToUsdNumber(byok ? 0n : costNanos),
    is_byok: byok,
    prompt_tokens_details: { cached_tokens: usage?.cachedTokens ?? 0, ...(usage?.cacheWriteTokens ? { cache_write_tokens: usage.cacheWriteTokens } : {}) },
    completion_tokens_details: { reasoning_tokens: usage?.reasoningTokens ?? 0 },
  };
}
