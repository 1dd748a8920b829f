import type { ChatCompletionChunk, ReasoningDetail } from "@switchyard/schemas";
import { rewriteSse } from "../../inference/sse-rewrite.ts";
import { anthropicError } from "./errors.ts";
import { parseInput } from "./response.ts";
import { anthropicUsageOf, stopReasonOf } from "./usage.ts";

type Json = Record<string, unknown>;
type Delta = ChatCompletionChunk["choices"][number]["delta"];

const event = (type: string, data: Json = {}) => `event: ${type}\ndata: ${JSON.stringify({ type, ...data })}\n\n`;

/**
 * The chat route's SSE stream as Anthropic's events, in Anthropic's order: message_start,
 * ping, then per content block content_block_start, its deltas (thinking_delta and
 * signature_delta, text_delta, input_json_delta) and content_block_stop, then
 * message_delta (stop reason, usage with cache reads and writes) and message_stop. The
 * chat stream's usage chunk (its last) ends the message; its error event becomes
 * Anthropic's `error` event.
 */
export function messagesStream(): TransformStream<Uint8Array, Uint8Array> {
  let started = false;
  let ended = false;
  let nextIndex = 0;
  /** The open content block: its kind, its index, and for thinking the reasoning detail it came from. */
  let open: { kind: "thinking" | "text" | "tool_use"; index: number; source?: number } | null = null;
  const toolBlocks = new Map<number, number>();
  let finish: string | null = null;
  let nativeFinish: string | null = null;

  const close = () => {
    if (!open) return "";
    const out = event("content_block_stop", { index: open.index });
    open = null;
    return out;
  };
  const start = (kind: "thinking" | "text" | "tool_use", block: Json, source?: number) => {
    const out = close() + event("content_block_start", { index: nextIndex, content_block: block });
    open = { kind, index: nextIndex++, ...(source !== undefined ? { source } : {}) };
    return out;
  };
  const ensureThinking = (source?: number) =>
    open?.kind === "thinking" && (source === undefined || open.source === undefined || open.source === source)
      ? ""
      : start("thinking", { type: "thinking", thinking: "", signature: "" }, source);
  const blockDelta = (delta: Json) => event("content_block_delta", { index: open!.index, delta });

  const reasoning = (details: ReasoningDetail[] | undefined, text: string | null | undefined) => {
    let out = "";
    if (!details?.length) {
      if (text) out += ensureThinking() + blockDelta({ type: "thinking_delta", thinking: text });
      return out;
    }
    for (const d of details) {
      if (d.type === "reasoning.encrypted" && d.data) {
        out += start("thinking", { type: "redacted_thinking", data: d.data }) + close();
      } else if (d.type === "reasoning.text") {
        if (d.text) out += ensureThinking(d.index) + blockDelta({ type: "thinking_delta", thinking: d.text });
        if (d.signature) out += ensureThinking(d.index) + blockDelta({ type: "signature_delta", signature: d.signature });
      }
    }
    return out;
  };

  const content = (delta: Delta) => {
    let out = reasoning(delta.reasoning_details, delta.reasoning);
    if (delta.content) out += (open?.kind === "text" ? "" : start("text", { type: "text", text: "" })) + blockDelta({ type: "text_delta", text: delta.content });
    for (const call of delta.tool_calls ?? []) {
      if (call.id || !toolBlocks.has(call.index)) {
        out += start("tool_use", { type: "tool_use", id: call.id ?? `toolu_${call.index}`, name: call.function?.name ?? "", input: {} });
        toolBlocks.set(call.index, open!.index);
      }
      const args = call.function?.arguments;
      if (args) out += event("content_block_delta", { index: toolBlocks.get(call.index), delta: { type: "input_json_delta", partial_json: args } });
    }
    return out;
  };

  const end = (usage: ChatCompletionChunk["usage"]) => {
    ended = true;
    return (
      close() +
      event("message_delta", { delta: { stop_reason: stopReasonOf(finish, nativeFinish), stop_sequence: null }, usage: anthropicUsageOf(usage) }) +
      event("message_stop")
    );
  };
  const fail = (status: number, message: string) => {
    ended = true;
    return close() + event("error", anthropicError(status, message));
  };

  const translate = (data: string): string => {
    if (ended) return "";
    if (data === "[DONE]") return started ? end(null) : "";
    const chunk = JSON.parse(data) as ChatCompletionChunk;
    let out = "";
    if (!started) {
      started = true;
      const usage = anthropicUsageOf(null);
      out += event("message_start", { message: { id: chunk.id, type: "message", role: "assistant", model: chunk.model, content: [], stop_reason: null, stop_sequence: null, usage } });
      out += event("ping");
    }
    if (chunk.error) return out + fail(chunk.error.code, chunk.error.message);
    const choice = chunk.choices[0];
    if (choice) {
      out += content(choice.delta);
      if (choice.finish_reason) {
        finish = choice.finish_reason;
        nativeFinish = choice.native_finish_reason ?? null;
      }
    }
    if (chunk.usage) out += end(chunk.usage);
    return out;
  };
  return rewriteSse(translate, () => (started && !ended ? fail(502, "The stream ended before it was complete") : ""));
}
