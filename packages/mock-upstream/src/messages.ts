/** Reading text out of OpenAI chat messages (string content or content parts). */
import type { ChatMessage } from "./types.ts";

/** Text of a message's content: a string as-is, text parts joined with a space, anything else "". */
export function contentText(content: unknown): string {
  if (typeof content === "string") return content;
  if (!Array.isArray(content)) return "";
  const texts: string[] = [];
  for (const part of content) {
    if (part && typeof part === "object" && (part as { type?: unknown }).type === "text") {
      const text = (part as { text?: unknown }).text;
      if (typeof text === "string") texts.push(text);
    }
  }
  return texts.join(" ");
}

export function asMessages(value: unknown): ChatMessage[] {
  return Array.isArray(value) ? value.filter((m): m is ChatMessage => !!m && typeof m === "object") : [];
}

export function lastUserMessage(messages: ChatMessage[]): ChatMessage | undefined {
  for (let i = messages.length - 1; i >= 0; i--) if (messages[i]?.role === "user") return messages[i];
  return undefined;
}

/** Tool calls the assistant already made in this conversation; numbers our next call id. */
export function priorToolCallCount(messages: ChatMessage[]): number {
  let n = 0;
  for (const m of messages) if (m.role === "assistant" && Array.isArray(m.tool_calls)) n += m.tool_calls.length;
  return n;
}
