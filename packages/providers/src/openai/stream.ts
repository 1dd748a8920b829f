import type { SseEvent, StreamEvent, StreamParser, UpstreamFailure } from "../types.ts";
import { normaliseFinishReason, reasoningOf, toTokenUsage } from "./response.ts";

interface OpenAIChunk {
  choices?: Array<{
    delta?: { role?: "assistant"; content?: string | null; tool_calls?: unknown[]; reasoning?: unknown; reasoning_content?: unknown };
    finish_reason?: string | null;
  }>;
  usage?: Parameters<typeof toTokenUsage>[0];
  error?: { message?: string; code?: unknown; type?: string };
}

/** OpenAI-compatible SSE → stream events. `[DONE]` marks a complete stream. */
export function createOpenAIStreamParser(): StreamParser {
  return {
    push(event: SseEvent): StreamEvent[] {
      if (event.data === "[DONE]") return [{ type: "done" }];
      let chunk: OpenAIChunk;
      try {
        chunk = JSON.parse(event.data) as OpenAIChunk;
      } catch {
        return [{ type: "error", failure: malformed() }];
      }
      if (chunk.error) return [{ type: "error", failure: inStreamError(chunk.error) }];

      const out: StreamEvent[] = [];
      const choice = chunk.choices?.[0];
      if (choice) {
        const delta: Extract<StreamEvent, { type: "delta" }>["delta"] = {};
        if (choice.delta?.role) delta.role = "assistant";
        if (typeof choice.delta?.content === "string") delta.content = choice.delta.content;
        const reasoning = reasoningOf(choice.delta);
        if (reasoning) delta.reasoning = reasoning;
        if (Array.isArray(choice.delta?.tool_calls)) delta.tool_calls = choice.delta.tool_calls as never;
        const finish = choice.finish_reason ?? null;
        out.push({
          type: "delta",
          delta,
          finishReason: normaliseFinishReason(finish),
          nativeFinishReason: finish,
        });
      }
      const usage = toTokenUsage(chunk.usage);
      if (usage) out.push({ type: "usage", usage });
      return out;
    },
  };
}

function malformed(): UpstreamFailure {
  return { status: 502, message: "Upstream sent a malformed stream event", retryable: true };
}

function inStreamError(error: NonNullable<OpenAIChunk["error"]>): UpstreamFailure {
  return {
    status: 502,
    message: `Upstream error: ${error.message ?? "unknown error"}`,
    retryable: true,
    ...(error.type ? { providerCode: error.type } : {}),
  };
}
