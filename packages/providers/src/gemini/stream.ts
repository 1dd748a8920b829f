import type { SseEvent, StreamEvent, StreamParser, TokenUsage } from "../types.ts";
import { geminiStreamFailure } from "./errors.ts";
import { type GeminiResponse, blockedPromptRefusal, geminiFinishReason, geminiUsage, readParts } from "./response.ts";

type Delta = Extract<StreamEvent, { type: "delta" }>["delta"];

/**
 * `streamGenerateContent?alt=sse` → stream events. Every chunk is a partial
 * GenerateContentResponse with cumulative usage; a function call arrives whole in
 * one chunk. The chunk carrying a finishReason is the last, so it ends the stream.
 */
export function createGeminiStreamParser(): StreamParser {
  let started = false;
  let toolCount = 0;
  let usage: TokenUsage | null = null;

  return {
    usageSoFar: () => usage,
    push(event: SseEvent): StreamEvent[] {
      let chunk: GeminiResponse & { error?: Parameters<typeof geminiStreamFailure>[0] };
      try {
        chunk = JSON.parse(event.data) as typeof chunk;
      } catch {
        return [{ type: "error", failure: { status: 502, message: "Upstream sent a malformed stream event", retryable: true } }];
      }
      if (chunk.error) return [{ type: "error", failure: geminiStreamFailure(chunk.error) }];
      usage = geminiUsage(chunk.usageMetadata) ?? usage;

      const delta: Delta = {};
      if (!started) {
        delta.role = "assistant";
        started = true;
      }
      const candidate = chunk.candidates?.[0];
      const blocked = chunk.promptFeedback?.blockReason;
      if (!candidate) {
        if (!blocked) return Object.keys(delta).length ? [{ type: "delta", delta }] : [];
        return end([{ type: "delta", delta: { ...delta, refusal: blockedPromptRefusal(blocked) }, finishReason: "content_filter", nativeFinishReason: blocked }]);
      }

      const { text, reasoning, toolCalls } = readParts(candidate.content?.parts, chunk.responseId, toolCount);
      if (reasoning) delta.reasoning = reasoning;
      if (text) delta.content = text;
      if (toolCalls.length) {
        delta.tool_calls = toolCalls.map((call, i) => ({ index: toolCount + i, ...call }));
        toolCount += toolCalls.length;
      }
      const native = candidate.finishReason;
      if (!native) return Object.keys(delta).length ? [{ type: "delta", delta }] : [];
      return end([{ type: "delta", delta, finishReason: geminiFinishReason(native, toolCount > 0), nativeFinishReason: native }]);
    },
  };

  function end(events: StreamEvent[]): StreamEvent[] {
    return [...events, ...(usage ? [{ type: "usage" as const, usage }] : []), { type: "done" }];
  }
}
