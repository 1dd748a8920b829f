import type { Endpoint } from "@switchyard/catalog";
import { type ChatCompletionRequest, contextLengthExceeded, type EmbeddingsRequest } from "@switchyard/schemas";

/**
 * The most UTF-8 bytes one token can stand for, used only to know that a text certainly has
 * more tokens than a context holds. The longest token of GPT-2's, p50k_base's, cl100k_base's and
 * o200k_base's vocabularies is 128 bytes (a run of spaces, or of mis-decoded bytes); this is twice
 * that, so that no prompt a model could take is refused.
 */
export const MAX_BYTES_PER_TOKEN = 256;

/**
 * How many tokens a prompt can be, from what the request holds, whatever the tokenizer:
 * - `maxTokens`, at most: its JSON bytes (a token is at least one UTF-8 byte); what the spend
 *   reserve counts. Images, audio and files (`multimodal`) cost tokens their bytes do not bound.
 * - `minTokens`, at least: its text's bytes at MAX_BYTES_PER_TOKEN a token (exactly its length
 *   for a token list). More than an endpoint's context: that endpoint certainly cannot take it.
 */
export interface PromptSize {
  maxTokens: number;
  minTokens: number;
  multimodal: boolean;
}

const encoder = new TextEncoder();
const bytesOf = (text: string) => encoder.encode(text).byteLength;
const jsonBytes = (value: unknown) => (value === undefined ? 0 : bytesOf(JSON.stringify(value)));
const atLeast = (textBytes: number) => Math.ceil(textBytes / MAX_BYTES_PER_TOKEN);

/** What a chat prompt's size is read from. */
export type ChatPrompt = Pick<ChatCompletionRequest, "messages" | "tools" | "response_format">;

// The reserve, the failover loop and a left stream's count all size the same request object: measured once.
const chatSizes = new WeakMap<ChatPrompt, PromptSize>();

export function chatPromptSize(request: ChatPrompt): PromptSize {
  let size = chatSizes.get(request);
  if (size) return size;
  let textBytes = 0;
  let multimodal = false;
  for (const message of request.messages) {
    const { content } = message;
    if (typeof content === "string") textBytes += bytesOf(content);
    else if (Array.isArray(content)) {
      for (const part of content) {
        if (part.type === "text") textBytes += bytesOf(part.text);
        else multimodal = true;
      }
    }
    if (message.role === "assistant") for (const call of message.tool_calls ?? []) textBytes += bytesOf(call.function.arguments);
  }
  size = {
    maxTokens: jsonBytes(request.messages) + jsonBytes(request.tools) + jsonBytes(request.response_format),
    minTokens: atLeast(textBytes),
    multimodal,
  };
  chatSizes.set(request, size);
  return size;
}

/** Each input of an embeddings request on its own (each must fit the context): a text, or a token list of exact length. */
export function embeddingsInputSizes(request: EmbeddingsRequest): PromptSize[] {
  const { input } = request;
  const inputs: Array<string | number[]> = typeof input === "string" || typeof input[0] === "number" ? [input as string | number[]] : (input as Array<string | number[]>);
  return inputs.map((one) => {
    if (typeof one !== "string") return { maxTokens: one.length, minTokens: one.length, multimodal: false };
    const bytes = bytesOf(one);
    return { maxTokens: bytes, minTokens: atLeast(bytes), multimodal: false };
  });
}

/**
 * The attempts of a plan whose endpoint can take a prompt of at least `minTokens` tokens, in
 * order. None: the prompt certainly exceeds the context of everything planned, a 400
 * `context_length_exceeded` before any provider is called (a provider would refuse it, or, worse,
 * bill it).
 */
export function attemptsThatFit<T extends { endpoint: Endpoint; model: { id: string } }>(plan: readonly T[], minTokens: number, what = "The prompt"): T[] {
  const fitting = plan.filter((a) => minTokens <= a.endpoint.contextLength);
  if (fitting.length || plan.length === 0) return fitting;
  const context = Math.max(...plan.map((a) => a.endpoint.contextLength));
  const models = [...new Set(plan.map((a) => a.model.id))].join(", ");
  throw contextLengthExceeded(
    `${what} is at least ${minTokens} tokens, more than the context length of ${models} (${context} tokens). Shorten it or choose a model with a longer context.`,
    { context_length: context, min_prompt_tokens: minTokens },
  );
}

/** The fewest tokens the largest embeddings input can be, and which input that is (for the message). */
export function largestInput(sizes: readonly PromptSize[]): { minTokens: number; what: string } {
  let index = 0;
  for (let i = 1; i < sizes.length; i++) if (sizes[i]!.minTokens > sizes[index]!.minTokens) index = i;
  return { minTokens: sizes[index]?.minTokens ?? 0, what: sizes.length > 1 ? `input[${index}]` : "The input" };
}
