import type { AssistantMessage, FinishReason } from "@switchyard/schemas";
import type { ParsedCompletion, TokenUsage } from "../types.ts";

interface OpenAIUsage {
  prompt_tokens?: number;
  completion_tokens?: number;
  prompt_tokens_details?: { cached_tokens?: number };
  /** DeepSeek's name for the cached part of prompt_tokens (it may also send cached_tokens). */
  prompt_cache_hit_tokens?: number;
  completion_tokens_details?: { reasoning_tokens?: number };
}

const FINISH_REASONS: ReadonlySet<string> = new Set(["stop", "length", "tool_calls", "content_filter"]);

/** Upstreams say "function_call" (legacy) or invent their own; map to OpenAI's set. */
export function normaliseFinishReason(reason: unknown): FinishReason | null {
  if (reason === null || reason === undefined) return null;
  if (typeof reason !== "string") return "stop";
  if (FINISH_REASONS.has(reason)) return reason as FinishReason;
  if (reason === "function_call") return "tool_calls";
  if (reason === "eos" || reason === "end_turn") return "stop";
  return "stop";
}

/** prompt_tokens includes the cached tokens, which is TokenUsage's meaning too. */
export function toTokenUsage(usage: OpenAIUsage | null | undefined): TokenUsage | null {
  if (!usage || typeof usage.prompt_tokens !== "number") return null;
  const cached = usage.prompt_tokens_details?.cached_tokens || usage.prompt_cache_hit_tokens;
  return {
    promptTokens: usage.prompt_tokens,
    completionTokens: usage.completion_tokens ?? 0,
    ...(cached ? { cachedTokens: cached } : {}),
    ...(usage.completion_tokens_details?.reasoning_tokens
      ? { reasoningTokens: usage.completion_tokens_details.reasoning_tokens }
      : {}),
  };
}

export class MalformedUpstreamResponse extends Error {}

/** A message's or delta's reasoning text: DeepSeek's `reasoning_content`, or `reasoning` (OpenRouter-compatible upstreams). */
export function reasoningOf(part: Record<string, unknown> | null | undefined): string | undefined {
  const text = part?.reasoning_content ?? part?.reasoning;
  return typeof text === "string" && text ? text : undefined;
}

export function parseOpenAICompletion(body: unknown): ParsedCompletion {
  const choice = (body as { choices?: Array<Record<string, unknown>> } | null)?.choices?.[0];
  if (!choice || typeof choice !== "object" || typeof choice.message !== "object" || choice.message === null) {
    throw new MalformedUpstreamResponse("upstream answer has no choices[0].message");
  }
  const raw = choice.message as Record<string, unknown>;
  const message: AssistantMessage = {
    role: "assistant",
    content: typeof raw.content === "string" ? raw.content : null,
    ...(typeof raw.refusal === "string" ? { refusal: raw.refusal } : {}),
    ...(Array.isArray(raw.tool_calls) && raw.tool_calls.length ? { tool_calls: raw.tool_calls as AssistantMessage["tool_calls"] } : {}),
  };
  const reasoning = reasoningOf(raw);
  if (reasoning) message.reasoning = reasoning;
  const native = typeof choice.finish_reason === "string" ? choice.finish_reason : null;
  return {
    message,
    finishReason: normaliseFinishReason(choice.finish_reason),
    nativeFinishReason: native,
    usage: toTokenUsage((body as { usage?: OpenAIUsage }).usage),
  };
}
