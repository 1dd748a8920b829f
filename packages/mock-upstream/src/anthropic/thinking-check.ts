/**
 * Anthropic's checks on thinking blocks sent back: each must carry the signature it was
 * given, and with thinking on, the last assistant turn of a tool loop must start with its
 * thinking block. A gateway that drops or edits the blocks gets the 400 Anthropic gives.
 */
import { asMessages } from "../messages.ts";
import { validSignature } from "../thinking.ts";

interface Block {
  type?: unknown;
  thinking?: unknown;
  signature?: unknown;
}

export function thinkingProblem(body: Record<string, unknown>): string | undefined {
  const messages = asMessages(body.messages);
  for (const [i, m] of messages.entries()) {
    if (m.role !== "assistant" || !Array.isArray(m.content)) continue;
    for (const [j, b] of (m.content as Block[]).entries()) {
      if (b?.type === "thinking" && !validSignature(b.thinking, b.signature)) return `messages.${i}.content.${j}: Invalid \`signature\` in \`thinking\` block`;
    }
  }
  if ((body.thinking as { type?: unknown } | undefined)?.type !== "enabled") return undefined;
  const i = messages.map((m) => m.role).lastIndexOf("assistant");
  const blocks = Array.isArray(messages[i]?.content) ? (messages[i]!.content as Block[]) : [];
  if (blocks.some((b) => b?.type === "tool_use") && blocks[0]?.type !== "thinking" && blocks[0]?.type !== "redacted_thinking") {
    return `messages.${i}.content.0.type: Expected \`thinking\` or \`redacted_thinking\`, but found \`${String(blocks[0]?.type)}\`. When \`thinking\` is enabled, a final \`assistant\` message must start with a thinking block.`;
  }
  return undefined;
}
