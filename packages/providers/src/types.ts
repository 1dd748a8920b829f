import type { ApiFormat } from "@switchyard/catalog";
import type { AssistantMessage, ChatCompletionRequest, EmbeddingsRequest, FinishReason, ReasoningDetail, ToolCallDelta } from "@switchyard/schemas";

/**
 * The narrow interface every provider adapter implements. An adapter is pure:
 * it builds the upstream Request and translates what comes back; the gateway
 * does the I/O, the failover and the billing.
 */

/** Where and as what a request goes upstream. */
export interface UpstreamTarget {
  baseUrl: string;
  apiKey?: string;
  /** The model id in the provider's own API. */
  upstreamModel: string;
  /** Default for `max_tokens` where the provider requires one (Anthropic). */
  maxOutput?: number;
}

/**
 * Token counts as the upstream reported them, in one meaning for every format
 * (billing relies on it): promptTokens is the whole prompt, INCLUDING cached and
 * cache-write tokens, as OpenAI's and Gemini's counts are; each adapter converts
 * (Anthropic's input_tokens excludes both, so its adapter adds them).
 */
export interface TokenUsage {
  promptTokens: number;
  completionTokens: number;
  /** Part of promptTokens served from the provider's prompt cache. */
  cachedTokens?: number;
  /** Part of promptTokens written to the provider's prompt cache (Anthropic). */
  cacheWriteTokens?: number;
  reasoningTokens?: number;
}

/** A complete (non-streamed) answer, in OpenAI terms. */
export interface ParsedCompletion {
  message: AssistantMessage;
  finishReason: FinishReason | null;
  nativeFinishReason: string | null;
  usage: TokenUsage | null;
}

/** One step of a streamed answer, in OpenAI terms. */
export type StreamEvent =
  | {
      type: "delta";
      /** Passed to the client as it is (the gateway's stream does not look inside): reasoning_details carry thinking signatures. */
      delta: { role?: "assistant"; content?: string; tool_calls?: ToolCallDelta[]; refusal?: string; reasoning?: string; reasoning_details?: ReasoningDetail[] };
      finishReason?: FinishReason | null;
      nativeFinishReason?: string | null;
    }
  | { type: "usage"; usage: TokenUsage }
  /** The upstream said, inside its stream, that it failed. */
  | { type: "error"; failure: UpstreamFailure }
  /** The upstream said the stream is complete (OpenAI `[DONE]`, Anthropic `message_stop`, …). */
  | { type: "done" };

/** A failed upstream call, classified. */
export interface UpstreamFailure {
  /** The gateway status to report: 400, 401, 402, 404, 408, 413, 429, 502, 503. */
  status: number;
  message: string;
  /** Worth trying the next endpoint (429, 5xx, timeouts, overload). */
  retryable: boolean;
  retryAfterSeconds?: number;
  /** The provider's own error type/code, for metadata. */
  providerCode?: string;
  /** The HTTP status the upstream answered, if any. */
  upstreamStatus?: number;
}

/** One server-sent event as read off the wire. */
export interface SseEvent {
  event?: string;
  data: string;
}

/** Turns SSE events into stream events; stateful per stream (tool-call indices, usage). */
export interface StreamParser {
  push(event: SseEvent): StreamEvent[];
  /**
   * The usage the provider has reported so far, for formats that report it before their
   * end marker but pass it on only there (Anthropic's message_start / message_delta,
   * Gemini's cumulative usageMetadata). A new object each time a report arrives, the same
   * one until then. A client that leaves mid-stream pays for what was generated, and
   * these are the provider's own figures for it.
   */
  usageSoFar?(): TokenUsage | null;
}

/**
 * What to POST upstream, as plain data: the gateway makes the one `fetch` from it, with its abort
 * signal (a `Request` built here would be copied by `fetch(request, { signal })`: two per attempt).
 */
export interface UpstreamRequest {
  url: string;
  headers: Record<string, string>;
  /** JSON. */
  body: string;
}

export interface ProviderAdapter {
  format: ApiFormat;
  /** May throw UntranslatableRequest when the request uses something this format cannot carry. */
  buildRequest(req: ChatCompletionRequest, target: UpstreamTarget, stream: boolean): UpstreamRequest;
  parseCompletion(body: unknown): ParsedCompletion;
  createStreamParser(): StreamParser;
  parseError(status: number, bodyText: string, headers: Headers): UpstreamFailure;
  /** Present when the format has an embeddings endpoint the gateway speaks. */
  embeddings?: EmbeddingsAdapter;
}

/** One embedding as OpenAI returns it: floats, or base64 little-endian float32 when asked for. */
export interface EmbeddingItem {
  object: "embedding";
  index: number;
  embedding: number[] | string;
}

export interface ParsedEmbeddings {
  data: EmbeddingItem[];
  usage: TokenUsage | null;
}

export interface EmbeddingsAdapter {
  buildRequest(req: EmbeddingsRequest, target: UpstreamTarget): UpstreamRequest;
  parseResponse(body: unknown): ParsedEmbeddings;
}
