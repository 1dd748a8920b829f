import type { Usage } from "@switchyard/schemas";

/** The chat usage in Anthropic's fields: input_tokens leaves out cache reads and writes, which have fields of their own. */
export function anthropicUsageOf(usage: Usage | null | undefined) {
  const cached = usage?.prompt_tokens_details?.cached_tokens ?? 0;
  const written = usage?.prompt_tokens_details?.cache_write_tokens ?? 0;
  return {
    input_tokens: Math.max(0, (usage?.prompt_tokens ?? 0) - cached - written),
    output_tokens: usage?.completion_tokens ?? 0,
    cache_creation_input_tokens: written,
    cache_read_input_tokens: cached,
  };
}

const ANTHROPIC_STOP_REASONS = new Set(["end_turn", "max_tokens", "stop_sequence", "tool_use", "pause_turn", "refusal", "model_context_window_exceeded"]);

/** Why the answer stopped, in Anthropic's words (an Anthropic provider's own reason is kept as it said it). */
export function stopReasonOf(finish: string | null | undefined, native: string | null | undefined): string {
  if (native && ANTHROPIC_STOP_REASONS.has(native)) return native;
  switch (finish) {
    case "length":
      return "max_tokens";
    case "tool_calls":
      return "tool_use";
    case "content_filter":
      return "refusal";
    default:
      return "end_turn";
  }
}
