import { encodeSse } from "@switchyard/providers";
import type { ChatCompletion, ChatCompletionChunk, TextCompletionChoice } from "@switchyard/schemas";
import { rewriteSse } from "./sse-rewrite.ts";

/**
 * The legacy `text_completion` shapes, made from the chat answers the gateway
 * already produces: same id, model, provider, usage and cost; the message text
 * (or delta text) becomes `text`.
 */
export interface TextCompletion {
  id: string;
  object: "text_completion";
  created: number;
  model: string;
  provider?: string;
  choices: TextCompletionChoice[];
  usage?: ChatCompletion["usage"] | null;
  error?: ChatCompletionChunk["error"];
}

type ChoiceSource = { index: number; finish_reason: string | null; native_finish_reason?: string | null };

const legacyChoice = (c: ChoiceSource, text: string | null | undefined): TextCompletionChoice => ({
  text: text ?? "",
  index: c.index,
  logprobs: null,
  finish_reason: c.finish_reason,
  native_finish_reason: c.native_finish_reason ?? null,
});

/** Everything but the choices: the chat answer's own id, time, model and provider. */
const envelope = (from: ChatCompletion | ChatCompletionChunk) => ({
  id: from.id,
  object: "text_completion" as const,
  created: from.created,
  model: from.model,
  ...(from.provider ? { provider: from.provider } : {}),
});

export function textCompletionFrom(chat: ChatCompletion): TextCompletion {
  return {
    ...envelope(chat),
    choices: chat.choices.map((c) => legacyChoice(c, c.message.content)),
    ...(chat.usage ? { usage: chat.usage } : {}),
  };
}

/** One chat chunk as a legacy chunk, or null when it carries nothing a completion has (the role chunk). */
export function textChunkFrom(chunk: ChatCompletionChunk): TextCompletion | null {
  const choices = chunk.choices.map((c) => legacyChoice(c, c.delta.content));
  const empty = choices.every((c) => c.text === "" && c.finish_reason === null);
  if (chunk.choices.length && empty && !chunk.usage && !chunk.error) return null;
  return {
    ...envelope(chunk),
    choices,
    ...(chunk.usage ? { usage: chunk.usage } : {}),
    ...(chunk.error ? { error: chunk.error } : {}),
  };
}

/** Rewrites a chat SSE stream as a legacy completion stream, event by event; `[DONE]` passes through. */
export function textCompletionStream(): TransformStream<Uint8Array, Uint8Array> {
  return rewriteSse(
    (data) => {
      if (data === "[DONE]") return encodeSse(data);
      const legacy = textChunkFrom(JSON.parse(data) as ChatCompletionChunk);
      return legacy ? encodeSse(JSON.stringify(legacy)) : "";
    },
    () => "",
  );
}
