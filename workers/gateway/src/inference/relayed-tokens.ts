import type { StreamEvent } from "@switchyard/providers";
import { type ChatPrompt, chatPromptSize } from "./prompt-size.ts";

/**
 * How the gateway counts tokens itself, for a stream the client left before the
 * provider reported its usage: one token per 4 UTF-8 bytes, rounded up. Simple,
 * deterministic and tokenizer-free: about what byte-level BPE tokenizers give for
 * English (OpenAI's rule of thumb is 4 characters a token), more per character for
 * scripts that take several bytes. It never exceeds the spend reserve's bound,
 * which counts a token per byte.
 * - Prompt: the request's `messages`, `tools` and `response_format` as JSON (what
 *   the reserve measures too).
 * - Completion: the text relayed to the client: content, reasoning, refusal, tool
 *   call names and arguments.
 */
export const BYTES_PER_TOKEN = 4;

export function tokensOfBytes(bytes: number): number {
  return Math.ceil(bytes / BYTES_PER_TOKEN);
}

export function countedPromptTokens(request: ChatPrompt): number {
  return tokensOfBytes(chatPromptSize(request).maxTokens); // the JSON bytes the reserve counted, measured once
}

/** The UTF-8 bytes of the generated text one stream delta carries (0 for a role chunk or a bare finish). */
export function deltaBytes(delta: Extract<StreamEvent, { type: "delta" }>["delta"]): number {
  let bytes = utf8Bytes(delta.content) + utf8Bytes(delta.reasoning) + utf8Bytes(delta.refusal);
  if (delta.tool_calls) for (const call of delta.tool_calls) bytes += utf8Bytes(call.function?.name) + utf8Bytes(call.function?.arguments);
  return bytes;
}

/** UTF-8 length without encoding (a delta is a few characters; this runs once per delta). */
export function utf8Bytes(text: string | null | undefined): number {
  if (!text) return 0;
  let bytes = text.length;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c < 0x80) continue;
    if (c < 0x800) bytes += 1;
    else if (c >= 0xd800 && c < 0xdc00) i++, (bytes += 2); // a surrogate pair: 2 UTF-16 units, 4 bytes
    else bytes += 2;
  }
  return bytes;
}
