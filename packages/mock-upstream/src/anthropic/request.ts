/**
 * A Messages API request read as the shared ChatRequest: `system` becomes a
 * system message, tool_use blocks tool_calls, tool_result blocks tool messages.
 * Text blocks already have OpenAI's text-part shape, so they pass as they are.
 */
import { asMessages } from "../messages.ts";
import type { ChatMessage, ChatRequest, ToolCall } from "../types.ts";

interface Block {
  type?: unknown;
  text?: unknown;
  id?: unknown;
  name?: unknown;
  input?: unknown;
  tool_use_id?: unknown;
  content?: unknown;
}

const blocksOf = (content: unknown): Block[] =>
  typeof content === "string" ? [{ type: "text", text: content }] : Array.isArray(content) ? (content.filter((b) => b && typeof b === "object") as Block[]) : [];

/** Text of a string or of a list of text blocks (how `system` and tool_result content come). */
export function blockText(content: unknown): string {
  return blocksOf(content)
    .filter((b) => b.type === "text" && typeof b.text === "string")
    .map((b) => b.text as string)
    .join(" ");
}

export function chatFromAnthropic(body: Record<string, unknown>): ChatRequest {
  const messages: ChatMessage[] = [];
  const system = blockText(body.system);
  if (system) messages.push({ role: "system", content: system });
  for (const m of asMessages(body.messages)) {
    const blocks = blocksOf(m.content);
    if (m.role === "assistant") {
      const calls: ToolCall[] = blocks
        .filter((b) => b.type === "tool_use")
        .map((b) => ({ id: String(b.id), type: "function", function: { name: String(b.name), arguments: JSON.stringify(b.input ?? {}) } }));
      messages.push({ role: "assistant", content: blockText(blocks) || null, ...(calls.length ? { tool_calls: calls } : {}) });
      continue;
    }
    for (const b of blocks.filter((b) => b.type === "tool_result")) {
      messages.push({ role: "tool", tool_call_id: b.tool_use_id, content: blockText(b.content) });
    }
    const rest = blocks.filter((b) => b.type !== "tool_result");
    if (rest.length) messages.push({ role: "user", content: rest });
  }
  const tools = Array.isArray(body.tools)
    ? body.tools.map((t: { name?: unknown; description?: unknown; input_schema?: unknown }) => ({
        type: "function",
        function: { name: t?.name, description: t?.description, parameters: t?.input_schema },
      }))
    : undefined;
  return {
    model: body.model,
    messages,
    stream: body.stream,
    tools,
    tool_choice: toolChoice(body.tool_choice as { type?: unknown; name?: unknown } | undefined),
    max_tokens: body.max_tokens,
    stop: body.stop_sequences,
    thinking: body.thinking,
  };
}

function toolChoice(choice: { type?: unknown; name?: unknown } | undefined): unknown {
  switch (choice?.type) {
    case "any":
      return "required";
    case "tool":
      return { type: "function", function: { name: choice.name } };
    case "none":
      return "none";
    case "auto":
      return "auto";
    default:
      return undefined;
  }
}
