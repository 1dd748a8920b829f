import type { ReasoningDetail, ToolCall } from "./chat-request.ts";

/** OpenAI's response shapes, with OpenRouter's `provider` and `usage.cost` additions. */

export type FinishReason = "stop" | "length" | "tool_calls" | "content_filter" | "error";

export interface Usage {
  prompt_tokens: number;
  completion_tokens: number;
  total_tokens: number;
  /** USD, computed by the gateway from the catalog price (never by the upstream). */
  cost?: number;
  is_byok?: boolean;
  prompt_tokens_details?: { cached_tokens?: number; cache_write_tokens?: number };
  completion_tokens_details?: { reasoning_tokens?: number };
}

export interface AssistantMessage {
  role: "assistant";
  content: string | null;
  refusal?: string | null;
  tool_calls?: ToolCall[];
  /** The model's reasoning, when its provider returns it (OpenRouter's field). */
  reasoning?: string | null;
  /** Signed or encrypted reasoning blocks (Anthropic thinking), to send back on the next turn. */
  reasoning_details?: ReasoningDetail[];
}

export interface ChatCompletion {
  id: string;
  object: "chat.completion";
  created: number;
  model: string;
  provider?: string;
  system_fingerprint?: string | null;
  choices: Array<{
    index: number;
    message: AssistantMessage;
    finish_reason: FinishReason | null;
    native_finish_reason?: string | null;
    logprobs?: unknown;
  }>;
  usage?: Usage;
}

export interface ToolCallDelta {
  index: number;
  id?: string;
  type?: "function";
  function?: { name?: string; arguments?: string };
}

export interface ChatCompletionChunk {
  id: string;
  object: "chat.completion.chunk";
  created: number;
  model: string;
  provider?: string;
  system_fingerprint?: string | null;
  choices: Array<{
    index: number;
    delta: { role?: "assistant"; content?: string | null; tool_calls?: ToolCallDelta[]; refusal?: string | null; reasoning?: string | null; reasoning_details?: ReasoningDetail[] };
    finish_reason: FinishReason | null;
    native_finish_reason?: string | null;
    logprobs?: unknown;
  }>;
  usage?: Usage | null;
  /** OpenRouter's mid-stream error event: sent when the upstream fails after the first byte. */
  error?: { code: number; message: string };
}
