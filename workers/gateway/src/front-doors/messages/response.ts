import type { ChatCompletion, ReasoningDetail } from "@switchyard/schemas";
import { anthropicUsageOf, stopReasonOf } from "./usage.ts";

type Block = Record<string, unknown>;

/**
 * A chat completion as an Anthropic Message: thinking blocks (signed ones as they came;
 * other providers' reasoning as an unsigned block), text, tool_use blocks; Anthropic's
 * stop reason and usage. The id is the generation id, so `/generation?id=` finds it.
 */
export function messageFromChat(chat: ChatCompletion): Block {
  const choice = chat.choices[0];
  const message = choice?.message;
  const content: Block[] = thinkingBlocks(message?.reasoning_details, message?.reasoning);
  const text = typeof message?.content === "string" ? message.content : "";
  if (text) content.push({ type: "text", text });
  for (const call of message?.tool_calls ?? []) {
    content.push({ type: "tool_use", id: call.id, name: call.function.name, input: parseInput(call.function.arguments) });
  }
  return {
    id: chat.id,
    type: "message",
    role: "assistant",
    model: chat.model,
    content,
    stop_reason: stopReasonOf(choice?.finish_reason, choice?.native_finish_reason),
    stop_sequence: null,
    usage: anthropicUsageOf(chat.usage),
  };
}

function thinkingBlocks(details: ReasoningDetail[] | undefined, reasoning: string | null | undefined): Block[] {
  const blocks = (details ?? []).flatMap((d): Block[] => {
    if (d.type === "reasoning.encrypted" && d.data) return [{ type: "redacted_thinking", data: d.data }];
    if (d.type === "reasoning.text") return [{ type: "thinking", thinking: d.text ?? "", signature: d.signature ?? "" }];
    return [];
  });
  if (!blocks.length && reasoning) blocks.push({ type: "thinking", thinking: reasoning, signature: "" });
  return blocks;
}

/** Tool arguments as the object Anthropic's tool_use carries (arguments that do not parse stay as a string under `_raw`). */
export function parseInput(args: string): unknown {
  if (!args.trim()) return {};
  try {
    return JSON.parse(args);
  } catch {
    return { _raw: args };
  }
}
