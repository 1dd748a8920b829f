import type { StreamEvent } from "@switchyard/providers";
import type { ChatCompletionRequest } from "@switchyard/schemas";

/**
 * `reasoning.exclude: true`: the model still reasons (and the tokens are billed as
 * completion tokens), but its reasoning is not returned — neither the text (`reasoning`)
 * nor the blocks (`reasoning_details`), whatever the provider. Gemini is asked not to send
 * its thought summaries at all; the others' reasoning is dropped here.
 */
export function excludesReasoning(request: Pick<ChatCompletionRequest, "reasoning">): boolean {
  return request.reasoning?.exclude === true;
}

type Delta = Extract<StreamEvent, { type: "delta" }>["delta"];

/** The message or delta without its reasoning (the same object when it has none). */
export function withoutReasoning<T extends { reasoning?: string | null; reasoning_details?: unknown }>(part: T): T {
  if (part.reasoning === undefined && part.reasoning_details === undefined) return part;
  const { reasoning: _text, reasoning_details: _details, ...rest } = part;
  return rest as T;
}

/** A stream delta left with nothing to say once its reasoning is gone: not sent. */
export function emptyDelta(delta: Delta, finishReason: unknown): boolean {
  return finishReason == null && delta.content === undefined && delta.tool_calls === undefined && delta.refusal === undefined && delta.role === undefined;
}
