import type { AssistantMessage, FinishReason, ReasoningDetail, ToolCall } from "@switchyard/schemas";
import { MalformedUpstreamResponse } from "../openai/response.ts";
import { ANTHROPIC_REASONING_FORMAT } from "../shared/reasoning.ts";
import type { ParsedCompletion, TokenUsage } from "../types.ts";

/** The `usage` object of a Message (and, cumulatively, of its stream events). */
export interface AnthropicUsage {
  input_tokens?: number | null;
  output_tokens?: number | null;
  cache_creation_input_tokens?: number | null;
  cache_read_input_tokens?: number | null;
}

interface AnthropicBlock {
  type?: string;
  text?: string;
  id?: string;
  name?: string;
  input?: unknown;
  thinking?: string;
  signature?: string;
  data?: string;
}

/** Why Claude stopped, in OpenAI's terms. */
export function anthropicFinishReason(reason: string | null | undefined): FinishReason | null {
  switch (reason) {
    case null:
    case undefined:
      return null;
    case "tool_use":
      return "tool_calls";
    case "max_tokens":
    case "model_context_window_exceeded":
      return "length";
    case "refusal":
      return "content_filter";
    default: // end_turn, stop_sequence, pause_turn
      return "stop";
  }
}

/**
 * Anthropic counts cache reads and writes apart from `input_tokens`; OpenAI's
 * prompt_tokens includes them, with the cached part broken out.
 */
export function anthropicUsage(usage: AnthropicUsage | null | undefined): TokenUsage | null {
  if (!usage || typeof usage.input_tokens !== "number") return null;
  const read = usage.cache_read_input_tokens ?? 0;
  const write = usage.cache_creation_input_tokens ?? 0;
  return {
    promptTokens: usage.input_tokens + read + write,
    completionTokens: usage.output_tokens ?? 0,
    ...(read ? { cachedTokens: read } : {}),
    ...(write ? { cacheWriteTokens: write } : {}),
  };
}

export function parseAnthropicCompletion(body: unknown): ParsedCompletion {
  const msg = body as { content?: unknown; stop_reason?: unknown; usage?: AnthropicUsage } | null;
  if (!msg || typeof msg !== "object" || !Array.isArray(msg.content)) {
    throw new MalformedUpstreamResponse("upstream answer has no content blocks");
  }
  let text = "";
  let reasoning = "";
  const toolCalls: ToolCall[] = [];
  const details: ReasoningDetail[] = [];
  (msg.content as AnthropicBlock[]).forEach((block, index) => {
    if (block?.type === "text" && typeof block.text === "string") text += block.text;
    else if (block?.type === "tool_use" && block.id && block.name) {
      toolCalls.push({ id: block.id, type: "function", function: { name: block.name, arguments: JSON.stringify(block.input ?? {}) } });
    } else if (block?.type === "thinking" || block?.type === "redacted_thinking") {
      const detail = reasoningDetailOf(block, index);
      reasoning += detail.text ?? "";
      details.push(detail);
    }
  });
  const message: AssistantMessage = {
    role: "assistant",
    content: text === "" && toolCalls.length ? null : text,
    ...(toolCalls.length ? { tool_calls: toolCalls } : {}),
    ...(reasoning ? { reasoning } : {}),
    ...(details.length ? { reasoning_details: details } : {}),
  };
  const native = typeof msg.stop_reason === "string" ? msg.stop_reason : null;
  return { message, finishReason: anthropicFinishReason(native), nativeFinishReason: native, usage: anthropicUsage(msg.usage) };
}

/** A thinking block as OpenRouter's reasoning detail: its text and signature, or a redacted block's data. */
export function reasoningDetailOf(block: { type?: string; thinking?: string; signature?: string; data?: string }, index: number): ReasoningDetail {
  if (block.type === "redacted_thinking") return { type: "reasoning.encrypted", data: block.data ?? "", format: ANTHROPIC_REASONING_FORMAT, index };
  return { type: "reasoning.text", text: block.thinking ?? "", signature: block.signature ?? null, format: ANTHROPIC_REASONING_FORMAT, index };
}
