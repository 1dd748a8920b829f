import type { SseEvent, StreamEvent, StreamParser, TokenUsage } from "../types.ts";
import { anthropicStreamFailure } from "./errors.ts";
import { ANTHROPIC_REASONING_FORMAT } from "../shared/reasoning.ts";
import { type AnthropicUsage, anthropicFinishReason, anthropicUsage, reasoningDetailOf } from "./response.ts";

interface AnthropicEvent {
  type?: string;
  index?: number;
  message?: { usage?: AnthropicUsage };
  content_block?: { type?: string; id?: string; name?: string; text?: string; thinking?: string; signature?: string; data?: string };
  delta?: { type?: string; text?: string; partial_json?: string; thinking?: string; signature?: string; stop_reason?: string | null };
  usage?: AnthropicUsage;
  error?: { type?: string; message?: string };
}

type Delta = Extract<StreamEvent, { type: "delta" }>;

/**
 * Messages API events → stream events. Content block indices count every block
 * (text, thinking, tool_use); OpenAI numbers tool calls alone, so tool blocks are
 * renumbered. Thinking streams as delta.reasoning plus OpenRouter's reasoning_details
 * (text pieces, then the block's signature, under the block's index); a redacted
 * block arrives whole as an encrypted detail. Usage accumulates from message_start and message_delta and is
 * reported once, at message_stop, which is the only sign the stream is complete.
 */
export function createAnthropicStreamParser(): StreamParser {
  let usage: AnthropicUsage = {};
  /** `usage` as reported so far, converted once per report (usageSoFar). */
  let reported: TokenUsage | null = null;
  const report = (from: AnthropicUsage | undefined) => {
    usage = mergeUsage(usage, from);
    reported = anthropicUsage(usage);
  };
  const toolIndexOfBlock = new Map<number, number>();

  const delta = (d: Delta["delta"], extra: Partial<Delta> = {}): StreamEvent => ({ type: "delta", delta: d, ...extra });
  const thinkingDelta = (text: string, index: number): StreamEvent =>
    delta({ reasoning: text, reasoning_details: [{ type: "reasoning.text", text, format: ANTHROPIC_REASONING_FORMAT, index }] });

  return {
    usageSoFar: () => reported,
    push(event: SseEvent): StreamEvent[] {
      let data: AnthropicEvent;
      try {
        data = JSON.parse(event.data) as AnthropicEvent;
      } catch {
        return [{ type: "error", failure: { status: 502, message: "Upstream sent a malformed stream event", retryable: true } }];
      }
      switch (data.type ?? event.event) {
        case "message_start":
          report(data.message?.usage);
          return [delta({ role: "assistant", content: "" })];
        case "content_block_start": {
          const block = data.content_block;
          if (block?.type === "tool_use" && typeof data.index === "number") {
            const index = toolIndexOfBlock.size;
            toolIndexOfBlock.set(data.index, index);
            return [delta({ tool_calls: [{ index, id: block.id, type: "function", function: { name: block.name, arguments: "" } }] })];
          }
          if (block?.type === "redacted_thinking") return [delta({ reasoning_details: [reasoningDetailOf(block, data.index ?? 0)] })];
          if (block?.type === "thinking" && block.thinking) return [thinkingDelta(block.thinking, data.index ?? 0)];
          return block?.type === "text" && block.text ? [delta({ content: block.text })] : [];
        }
        case "content_block_delta": {
          const d = data.delta;
          if (d?.type === "text_delta" && d.text) return [delta({ content: d.text })];
          const index = toolIndexOfBlock.get(data.index ?? -1);
          if (d?.type === "input_json_delta" && d.partial_json && index !== undefined) {
            return [delta({ tool_calls: [{ index, function: { arguments: d.partial_json } }] })];
          }
          if (d?.type === "thinking_delta" && d.thinking) return [thinkingDelta(d.thinking, data.index ?? 0)];
          if (d?.type === "signature_delta" && d.signature) {
            const detail = { type: "reasoning.text", signature: d.signature, format: ANTHROPIC_REASONING_FORMAT, index: data.index ?? 0 };
            return [delta({ reasoning_details: [detail] })];
          }
          return [];
        }
        case "message_delta": {
          report(data.usage);
          const native = data.delta?.stop_reason ?? null;
          return [delta({}, { finishReason: anthropicFinishReason(native), nativeFinishReason: native })];
        }
        case "message_stop":
          return [...(reported ? [{ type: "usage" as const, usage: reported }] : []), { type: "done" }];
        case "error":
          return [{ type: "error", failure: anthropicStreamFailure(data.error) }];
        default: // ping, content_block_stop, events added later
          return [];
      }
    },
  };
}

/** Later counts replace earlier ones (they are cumulative); absent or null fields keep the old value. */
function mergeUsage(into: AnthropicUsage, from: AnthropicUsage | undefined): AnthropicUsage {
  const out = { ...into };
  for (const [key, value] of Object.entries(from ?? {})) {
    if (typeof value === "number") out[key as keyof AnthropicUsage] = value;
  }
  return out;
}
