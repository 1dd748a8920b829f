import type { Endpoint, Model, ProviderInfo } from "@switchyard/catalog";
import { usageCostNanos } from "@switchyard/fees";
import type { TokenUsage } from "@switchyard/providers";
import type { FinishReason, Usage } from "@switchyard/schemas";
import { nanosToUsdNumber } from "@switchyard/catalog";
import type { AttemptRecord } from "./failover.ts";

/** Everything known about one request once it has ended: what settlement records and bills. */
export interface GenerationOutcome {
  id: string;
  model: Model;
  endpoint: Endpoint | null;
  provider: ProviderInfo | null;
  status: "success" | "error" | "cancelled";
  errorCode?: number;
  usage: TokenUsage | null;
  costNanos: bigint;
  finishReason: FinishReason | null;
  streamed: boolean;
  startedAt: number;
  firstTokenAt?: number;
  endedAt: number;
  attempts: AttemptRecord[];
}

export function costOf(endpoint: Endpoint, usage: TokenUsage | null): bigint {
  if (!usage) return 0n;
  return usageCostNanos(endpoint.pricing, { promptTokens: usage.promptTokens, completionTokens: usage.completionTokens });
}

/** The `usage` object of the response, with the gateway's cost in USD. */
export function usageBody(usage: TokenUsage | null, costNanos: bigint): Usage {
  const prompt = usage?.promptTokens ?? 0;
  const completion = usage?.completionTokens ?? 0;
  return {
    prompt_tokens: prompt,
    completion_tokens: completion,
    total_tokens: prompt + completion,
    cost: nanosToUsdNumber(costNanos),
    is_byok: false,
    prompt_tokens_details: { cached_tokens: usage?.cachedTokens ?? 0 },
    completion_tokens_details: { reasoning_tokens: usage?.reasoningTokens ?? 0 },
  };
}
