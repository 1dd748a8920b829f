import type { ChatCompletionChunk, ReasoningDetail, ResponsesRequest } from "@switchyard/schemas";
import { rewriteSse } from "../../inference/sse-rewrite.ts";
import { envelope, functionCallItem, messageItem, outputText, reasoningItem, responsesUsageOf, statusOf } from "./response.ts";

type Json = Record<string, unknown>;
type Delta = ChatCompletionChunk["choices"][number]["delta"];

/** The output item being streamed. */
type OpenItem =
  | { kind: "reasoning"; index: number; text: string; details: ReasoningDetail[] }
  | { kind: "message"; index: number; text: string }
  | { kind: "function_call"; index: number; call: { id: string; function: { name: string; arguments: string } } };

/**
 * The chat route's SSE stream as Responses API events: response.created and
 * .in_progress; per output item, output_item.added, its parts and deltas (reasoning
 * summary text, output text, function-call arguments), their .done events and
 * output_item.done; then response.completed with every item and the usage. The chat
 * stream's error event becomes response.failed (not charged, as the chat stream is not).
 */
export function responsesStream(req: ResponsesRequest): TransformStream<Uint8Array, Uint8Array> {
  let sequence = 0;
  let base: Json | null = null;
  let ended = false;
  let id = "";
  let open: OpenItem | null = null;
  const done: Json[] = [];
  const toolItems = new Map<number, OpenItem & { kind: "function_call" }>();
  let finish: string | null = null;

  const emit = (type: string, data: Json) => `event: ${type}\ndata: ${JSON.stringify({ type, sequence_number: sequence++, ...data })}\n\n`;
  const itemId = (item: OpenItem) => (item.kind === "reasoning" ? `rs_${id}_${item.index}` : item.kind === "message" ? `msg_${id}_${item.index}` : `fc_${item.call.id}`);

  const close = (): string => {
    const item = open;
    if (!item) return "";
    open = null;
    const where = { item_id: itemId(item), output_index: item.index };
    let out = "";
    let final: Json;
    if (item.kind === "reasoning") {
      const part = { type: "summary_text", text: item.text };
      out += emit("response.reasoning_summary_text.done", { ...where, summary_index: 0, text: item.text });
      out += emit("response.reasoning_summary_part.done", { ...where, summary_index: 0, part });
      final = { ...reasoningItem(`${id}_${item.index}`, item.text, item.details) };
    } else if (item.kind === "message") {
      out += emit("response.output_text.done", { ...where, content_index: 0, text: item.text, logprobs: [] });
      out += emit("response.content_part.done", { ...where, content_index: 0, part: outputText(item.text) });
      final = messageItem(`${id}_${item.index}`, item.text);
    } else {
      out += emit("response.function_call_arguments.done", { ...where, arguments: item.call.function.arguments });
      final = functionCallItem(item.call);
    }
    done.push(final);
    return out + emit("response.output_item.done", { output_index: item.index, item: final });
  };

  const begin = (item: OpenItem): string => {
    let out = close();
    open = item;
    const where = { item_id: itemId(item), output_index: item.index };
    if (item.kind === "reasoning") {
      out += emit("response.output_item.added", { output_index: item.index, item: { type: "reasoning", id: where.item_id, summary: [] } });
      out += emit("response.reasoning_summary_part.added", { ...where, summary_index: 0, part: { type: "summary_text", text: "" } });
    } else if (item.kind === "message") {
      out += emit("response.output_item.added", { output_index: item.index, item: messageItem(`${id}_${item.index}`, "", "in_progress") });
      out += emit("response.content_part.added", { ...where, content_index: 0, part: outputText("") });
    } else {
      out += emit("response.output_item.added", { output_index: item.index, item: functionCallItem(item.call, "in_progress") });
    }
    return out;
  };
  const nextIndex = () => done.length + (open ? 1 : 0);

  const content = (delta: Delta): string => {
    let out = "";
    if (delta.reasoning || delta.reasoning_details?.length) {
      if (open?.kind !== "reasoning") out += begin({ kind: "reasoning", index: nextIndex(), text: "", details: [] });
      const item = open as OpenItem & { kind: "reasoning" };
      for (const d of delta.reasoning_details ?? []) mergeDetail(item.details, d);
      if (delta.reasoning) {
        item.text += delta.reasoning;
        out += emit("response.reasoning_summary_text.delta", { item_id: itemId(item), output_index: item.index, summary_index: 0, delta: delta.reasoning });
      }
    }
    if (delta.content) {
      if (open?.kind !== "message") out += begin({ kind: "message", index: nextIndex(), text: "" });
      const item = open as OpenItem & { kind: "message" };
      item.text += delta.content;
      out += emit("response.output_text.delta", { item_id: itemId(item), output_index: item.index, content_index: 0, delta: delta.content, logprobs: [] });
    }
    for (const call of delta.tool_calls ?? []) {
      if (call.id || !toolItems.has(call.index)) {
        const item = { kind: "function_call" as const, index: nextIndex(), call: { id: call.id ?? `call_${call.index}`, function: { name: call.function?.name ?? "", arguments: "" } } };
        out += begin(item);
        toolItems.set(call.index, item);
      }
      const item = toolItems.get(call.index)!;
      const args = call.function?.arguments;
      if (args) {
        item.call.function.arguments += args;
        out += emit("response.function_call_arguments.delta", { item_id: itemId(item), output_index: item.index, delta: args });
      }
    }
    return out;
  };

  const complete = (usage: ChatCompletionChunk["usage"]): string => {
    ended = true;
    const out = close();
    return out + emit("response.completed", { response: { ...base, ...statusOf(finish), output: done, usage: responsesUsageOf(usage) } });
  };
  const failed = (message: string): string => {
    ended = true;
    const out = close();
    return out + emit("response.failed", { response: { ...base, status: "failed", error: { code: "server_error", message }, output: done } });
  };

  const translate = (data: string): string => {
    if (ended) return "";
    if (data === "[DONE]") return base ? failed("The stream ended before it was complete") : "";
    const chunk = JSON.parse(data) as ChatCompletionChunk;
    let out = "";
    if (!base) {
      id = chunk.id;
      base = envelope(req, chunk.id, chunk.model, chunk.created);
      out += emit("response.created", { response: base });
      out += emit("response.in_progress", { response: base });
    }
    if (chunk.error) return out + failed(chunk.error.message);
    const choice = chunk.choices[0];
    if (choice) {
      out += content(choice.delta);
      if (choice.finish_reason) finish = choice.finish_reason;
    }
    if (chunk.usage) out += complete(chunk.usage);
    return out;
  };
  return rewriteSse(translate, () => (base && !ended ? failed("The stream ended before it was complete") : ""));
}

/** Streamed detail pieces of one block (text, then signature) gathered into one detail per block index. */
function mergeDetail(into: ReasoningDetail[], piece: ReasoningDetail): void {
  const same = into.find((d) => d.index === piece.index && d.type === piece.type);
  if (!same) {
    into.push({ ...piece });
    return;
  }
  if (piece.text) same.text = (same.text ?? "") + piece.text;
  if (piece.signature) same.signature = piece.signature;
  if (piece.data) same.data = piece.data;
}
