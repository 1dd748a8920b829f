/**
 * Shared types. The request shapes are deliberately loose (`unknown` where a
 * client may send anything) because the mock must cope with whatever the
 * gateway forwards, and only reads the few fields that drive its behaviour.
 */

/** Forced behaviour for one request; every field is optional and combinable. */
export interface MockScenario {
  /** Answer with this HTTP error status (OpenAI error body). 2xx means "no error". */
  status?: number;
  /** Seconds for the `retry-after` header of an error response. */
  retryAfter?: number;
  /** Milliseconds to wait before sending response headers. */
  latency?: number;
  /** Milliseconds to wait between stream events. */
  chunkDelay?: number;
  /** Milliseconds between a stream's last event and the end of its body (a gap before the transfer's last bytes). */
  endDelay?: number;
  /** Split the answer (or tool arguments) into exactly this many stream pieces. */
  chunks?: number;
  /** Stream: send this many content chunks, then drop the connection (no finish_reason, no [DONE]). */
  cut?: number;
  /** Stream: send this many content chunks, then go silent until the client aborts. */
  stall?: number;
  /** Never send headers; wait until the client aborts (timeout before first byte). */
  hang?: boolean;
  /** 200 with a body (or one stream event) that is not valid JSON. */
  malformed?: boolean;
  /** Stream: send this many content chunks, then an in-stream error event, then end. */
  errorEvent?: number;
  /** The provider's safety filter refuses the prompt (content_filter / refusal / promptFeedback). */
  blocked?: boolean;
  /**
   * Report this many prompt tokens as served from the prompt cache (at most the prompt):
   * OpenAI prompt_tokens_details.cached_tokens, Anthropic cache_read_input_tokens,
   * Gemini cachedContentTokenCount. The prompt total stays the same in every format.
   */
  cached?: number;
  /** Anthropic format only (the others have no such field): this many prompt tokens reported as cache_creation_input_tokens. */
  cacheWrite?: number;
  /**
   * OpenAI format only, as DeepSeek's reasoner sends it: this many `reasoning_content`
   * pieces stream before the answer, and the non-streamed message carries the reasoning.
   */
  reasoning?: number;
}

/**
 * One entry of a script queue, consumed by one chat-completions request.
 * A string uses the directive grammar ("status=500,retry_after=2", "hang");
 * "ok" (or "") means "behave normally".
 */
export type MockScriptStep = string | MockScenario;

export interface MockOptions {
  /**
   * Queue of forced behaviours. The handler `shift()`s one step per
   * chat-completions request, so the array is consumed in place; the Node
   * server relies on that to share one queue across requests.
   */
  script?: MockScriptStep[];
  /**
   * How `cut` ends a stream. "close" (default) closes the body cleanly, which is
   * the best an in-process Response can do; "error" errors the body stream with
   * `MockCutError` so a transport adapter (the Node server) can drop the socket.
   */
  cutMode?: "close" | "error";
}

export interface RecordedRequest {
  method: string;
  path: string;
  headers: Record<string, string>;
  /** Parsed JSON body, or null when absent or not JSON. */
  body: unknown;
}

export interface ChatMessage {
  role?: unknown;
  content?: unknown;
  tool_calls?: unknown;
  [key: string]: unknown;
}

export interface ChatRequest {
  model?: unknown;
  messages?: unknown;
  stream?: unknown;
  stream_options?: unknown;
  tools?: unknown;
  tool_choice?: unknown;
  response_format?: unknown;
  max_tokens?: unknown;
  max_completion_tokens?: unknown;
  stop?: unknown;
  /** Anthropic's extended thinking (`{type: "enabled", budget_tokens}`), read by the Anthropic dialect. */
  thinking?: unknown;
  [key: string]: unknown;
}

export interface ToolCall {
  id: string;
  type: "function";
  function: { name: string; arguments: string };
}

export type FinishReason = "stop" | "length" | "tool_calls" | "content_filter";

/** What the model "said", before it is serialised as a completion or a stream. */
export interface Answer {
  /** "text" and "json" answers carry `content`; "tool" answers carry `toolCall`. */
  kind: "text" | "json" | "tool";
  content: string | null;
  toolCall?: ToolCall;
  finishReason: FinishReason;
  /** The stop sequence that ended a "stop" answer, if one did. */
  stopSequence?: string;
  /** Extended thinking before the answer (Anthropic format, when the request enables it); counted as output. */
  thinking?: string;
}

export interface Usage {
  prompt_tokens: number;
  completion_tokens: number;
  total_tokens: number;
  prompt_tokens_details: { cached_tokens: number; audio_tokens: number };
  completion_tokens_details: {
    reasoning_tokens: number;
    audio_tokens: number;
    accepted_prediction_tokens: number;
    rejected_prediction_tokens: number;
  };
}
