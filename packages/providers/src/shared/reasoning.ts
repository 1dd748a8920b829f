import type { ChatCompletionRequest, ReasoningRequest } from "@switchyard/schemas";

/** The `format` of reasoning_details that carry Anthropic's thinking signatures (OpenRouter's name). */
export const ANTHROPIC_REASONING_FORMAT = "anthropic-claude-v1";

/** Share of the output budget spent thinking per effort (OpenRouter's ratios); unknown efforts think like "medium". */
const EFFORT_SHARE: Record<string, number> = { minimal: 0.1, low: 0.2, medium: 0.5, high: 0.8, xhigh: 0.95 };

/** Anthropic's smallest thinking budget; also the floor for an effort-derived one. */
export const MIN_THINKING_BUDGET = 1024;
const MAX_EFFORT_BUDGET = 32_000;

/** Whether the request asks for reasoning at all (`effort: "none"` or `enabled: false` turn it off). */
export function wantsReasoning(reasoning: ReasoningRequest | undefined): reasoning is ReasoningRequest {
  if (!reasoning) return false;
  if (reasoning.enabled === false || reasoning.effort === "none") return false;
  return reasoning.enabled === true || reasoning.effort !== undefined || reasoning.max_tokens !== undefined || reasoning.exclude !== undefined;
}

/**
 * A thinking budget in tokens for an output limit of `maxTokens`: the request's own
 * `reasoning.max_tokens`, else the effort's share of the limit, within [1024, 32000].
 */
export function thinkingBudget(reasoning: ReasoningRequest, maxTokens: number): number {
  if (reasoning.max_tokens !== undefined) return reasoning.max_tokens;
  const share = EFFORT_SHARE[reasoning.effort ?? "medium"] ?? EFFORT_SHARE.medium!;
  return Math.max(MIN_THINKING_BUDGET, Math.min(MAX_EFFORT_BUDGET, Math.floor(maxTokens * share)));
}

/** OpenAI's reasoning_effort for the request: its effort, else one that fits a token budget. */
export function reasoningEffort(req: Pick<ChatCompletionRequest, "reasoning">): string | undefined {
  const r = req.reasoning;
  if (r?.effort === "none") return "none";
  if (!wantsReasoning(r)) return undefined;
  if (r.effort) return r.effort;
  if (r.max_tokens === undefined) return "medium";
  return r.max_tokens <= 2048 ? "low" : r.max_tokens <= 8192 ? "medium" : "high";
}
