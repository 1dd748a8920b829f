/**
 * An answer as a Messages API `message` and as its SSE event sequence:
 * message_start, content_block_start, ping, content_block_delta…,
 * content_block_stop, message_delta (stop_reason, usage), message_stop.
 */
import { type CompletionMeta, type StreamPlan, argumentPieces, contentPieces, withFaults } from "../stream.ts";
import type { Answer, MockScenario, Usage } from "../types.ts";
import { cacheSplit } from "../usage.ts";
import { thinkingSignature } from "../thinking.ts";
import { anthropicError } from "./errors.ts";

const event = (type: string, data: Record<string, unknown>): string => `event: ${type}\ndata: ${JSON.stringify({ type, ...data })}\n\n`;

function stopReason(answer: Answer): string {
  switch (answer.finishReason) {
    case "length":
      return "max_tokens";
    case "tool_calls":
      return "tool_use";
    case "content_filter":
      return "refusal";
    default:
      return answer.stopSequence ? "stop_sequence" : "end_turn";
  }
}

/** Anthropic's tool-use ids look like toolu_…; the number stays the mock's. */
const toolUseId = (id: string): string => id.replace(/^call_/, "toolu_");

function toolInput(args: string): unknown {
  try {
    return JSON.parse(args);
  } catch {
    return {}; // arguments cut by max_tokens
  }
}

function contentBlocks(answer: Answer): Array<Record<string, unknown>> {
  const thinking = answer.thinking ? [{ type: "thinking", thinking: answer.thinking, signature: thinkingSignature(answer.thinking) }] : [];
  if (answer.toolCall) {
    const call = answer.toolCall;
    return [...thinking, { type: "tool_use", id: toolUseId(call.id), name: call.function.name, input: toolInput(call.function.arguments) }];
  }
  return [...thinking, ...(answer.content ? [{ type: "text", text: answer.content }] : [])];
}

/** Anthropic's input_tokens leaves out cache reads and writes; the three add up to the prompt. */
function usageOf(usage: Usage, output: number, scenario: MockScenario) {
  const { cached, written } = cacheSplit(usage.prompt_tokens, scenario);
  return {
    input_tokens: usage.prompt_tokens - cached - written,
    cache_creation_input_tokens: written,
    cache_read_input_tokens: cached,
    output_tokens: output,
  };
}

export function messageBody(answer: Answer, usage: Usage, meta: CompletionMeta, scenario: MockScenario = {}): string {
  return JSON.stringify({
    id: meta.id,
    type: "message",
    role: "assistant",
    model: meta.model,
    content: contentBlocks(answer),
    stop_reason: stopReason(answer),
    stop_sequence: answer.stopSequence ?? null,
    usage: usageOf(usage, usage.completion_tokens, scenario),
  });
}

export function planMessageStream(answer: Answer, usage: Usage, meta: CompletionMeta, scenario: MockScenario): StreamPlan {
  const head = [
    event("message_start", {
      message: { id: meta.id, type: "message", role: "assistant", model: meta.model, content: [], stop_reason: null, stop_sequence: null, usage: usageOf(usage, 1, scenario) },
    }),
  ];
  const content: string[] = [];
  const call = answer.toolCall;
  // A thinking block comes first, whole, before the ping: its deltas, then its signature.
  const index = answer.thinking ? 1 : 0;
  if (answer.thinking) {
    head.push(event("content_block_start", { index: 0, content_block: { type: "thinking", thinking: "", signature: "" } }));
    for (const thinking of contentPieces(answer.thinking)) head.push(event("content_block_delta", { index: 0, delta: { type: "thinking_delta", thinking } }));
    head.push(event("content_block_delta", { index: 0, delta: { type: "signature_delta", signature: thinkingSignature(answer.thinking) } }));
    head.push(event("content_block_stop", { index: 0 }));
  }
  if (call) {
    head.push(event("content_block_start", { index, content_block: { type: "tool_use", id: toolUseId(call.id), name: call.function.name, input: {} } }));
    for (const partial_json of argumentPieces(call.function.arguments, scenario.chunks)) {
      content.push(event("content_block_delta", { index, delta: { type: "input_json_delta", partial_json } }));
    }
  } else if (answer.content) {
    head.push(event("content_block_start", { index, content_block: { type: "text", text: "" } }));
    for (const text of contentPieces(answer.content, scenario.chunks)) {
      content.push(event("content_block_delta", { index, delta: { type: "text_delta", text } }));
    }
  }
  head.push(event("ping", {}));
  const tail = [
    ...(call || answer.content ? [event("content_block_stop", { index })] : []),
    event("message_delta", { delta: { stop_reason: stopReason(answer), stop_sequence: answer.stopSequence ?? null }, usage: { output_tokens: usage.completion_tokens } }),
    event("message_stop", {}),
  ];
  return withFaults({ head, content, tail }, scenario, {
    malformed: `event: content_block_delta\ndata: {"type":"content_block_delta","index":0,"delta":{"type":"text_delta","text":\n\n`,
    error: event("error", { error: anthropicError(529).error }),
  });
}
