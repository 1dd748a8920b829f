import { readFileSync } from "node:fs";
import { join } from "node:path";
import type { ChatCompletionRequest, ToolCall } from "@switchyard/schemas";
import { SseDecoder } from "../src/sse.ts";
import type { ProviderAdapter, StreamEvent, TokenUsage, UpstreamFailure, UpstreamTarget } from "../src/types.ts";

const FIXTURES = join(import.meta.dirname, "fixtures");

export const fixtureText = (path: string): string => readFileSync(join(FIXTURES, path), "utf8");
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export const fixture = (path: string): any => JSON.parse(fixtureText(path));

export const openaiRequest = (): ChatCompletionRequest => fixture("openai/request-tool-round-trip.json");

export const ask = (content: string, extra: Partial<ChatCompletionRequest> = {}): ChatCompletionRequest => ({
  model: "x/y",
  messages: [{ role: "user", content }],
  ...extra,
});

export async function built(adapter: ProviderAdapter, req: ChatCompletionRequest, target: UpstreamTarget, stream = false) {
  const request = adapter.buildRequest(req, target, stream);
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  return { request, body: JSON.parse(request.body) as any };
}

/**
 * Feeds a captured SSE body through the decoder and the adapter's parser, in
 * small uneven slices, as a network would deliver it.
 */
export function runStream(adapter: ProviderAdapter, body: string, slice = 37): StreamEvent[] {
  const decoder = new SseDecoder();
  const parser = adapter.createStreamParser();
  const events: StreamEvent[] = [];
  for (let i = 0; i < body.length; i += slice) {
    for (const e of decoder.push(body.slice(i, i + slice))) events.push(...parser.push(e));
  }
  for (const e of decoder.flush()) events.push(...parser.push(e));
  return events;
}

export interface StreamSummary {
  role?: string;
  content: string;
  refusal?: string;
  toolCalls: ToolCall[];
  finishReason: string | null;
  nativeFinishReason: string | null;
  usage: TokenUsage | null;
  error?: UpstreamFailure;
  /** The last event was `done`. */
  complete: boolean;
}

/** What an OpenAI client would assemble from the stream events. */
export function summarise(events: StreamEvent[]): StreamSummary {
  const out: StreamSummary = { content: "", toolCalls: [], finishReason: null, nativeFinishReason: null, usage: null, complete: events.at(-1)?.type === "done" };
  for (const event of events) {
    if (event.type === "delta") {
      if (event.delta.role) out.role = event.delta.role;
      out.content += event.delta.content ?? "";
      if (event.delta.refusal) out.refusal = event.delta.refusal;
      for (const tc of event.delta.tool_calls ?? []) {
        const call = (out.toolCalls[tc.index] ??= { id: "", type: "function", function: { name: "", arguments: "" } });
        if (tc.id) call.id = tc.id;
        if (tc.function?.name) call.function.name = tc.function.name;
        call.function.arguments += tc.function?.arguments ?? "";
      }
      if (event.finishReason) {
        out.finishReason = event.finishReason;
        out.nativeFinishReason = event.nativeFinishReason ?? null;
      }
    } else if (event.type === "usage") out.usage = event.usage;
    else if (event.type === "error") out.error = event.failure;
  }
  return out;
}
