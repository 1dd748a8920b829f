import type { ChatCompletionRequest, ChatMessage } from "@switchyard/schemas";

/** The model id that asks the gateway to pick a model from the prompt. */
export const AUTO_MODEL_ID = "switchyard/auto";

/** Rough prompt size: about 4 characters per token for English text and code. */
export const CHARS_PER_TOKEN = 4;
/** Above this the prompt does not fit the 128k-context models: only 1M-context models remain. */
export const LONG_CONTEXT_TOKENS = 100_000;
/** Above this a prompt is "long": a stronger model is worth its price. */
export const LARGE_PROMPT_TOKENS = 4_000;

/**
 * The auto router's tiers. Each lists catalog models in preference order; the
 * ones after the first are fallbacks, chosen so that every tier keeps at least
 * one model with an EU endpoint and one with a ZDR endpoint (EU-only and ZDR
 * workspaces can use auto too).
 */
export const AUTO_TIERS = {
  /** Image input: multimodal models. */
  vision: ["google/gemini-2.5-flash", "openai/gpt-4.1-mini", "mistralai/mistral-small"],
  /** Prompts over LONG_CONTEXT_TOKENS: 1M-token context windows. */
  longContext: ["google/gemini-2.5-flash", "openai/gpt-4.1-mini", "meta-llama/llama-4-maverick"],
  /** Tools or a JSON schema: models with reliable tool calling and structured output. */
  tools: ["openai/gpt-4.1-mini", "google/gemini-2.5-flash", "qwen/qwen3-235b-a22b"],
  /** Prompts over LARGE_PROMPT_TOKENS. */
  large: ["google/gemini-2.5-flash", "qwen/qwen3-235b-a22b", "openai/gpt-4.1-mini"],
  /** Everything else: short chat goes to fast, cheap models. */
  small: ["meta-llama/llama-3.3-70b-instruct", "openai/gpt-4o-mini", "mistralai/mistral-nemo"],
} as const satisfies Record<string, readonly string[]>;

export type AutoTier = keyof typeof AUTO_TIERS;

/**
 * Picks the tier for a request; the first rule that matches wins:
 * 1. any image in the messages → vision;
 * 2. estimated prompt tokens > LONG_CONTEXT_TOKENS → longContext;
 * 3. `tools`, `tool_choice` or a `json_schema` response format → tools;
 * 4. estimated prompt tokens > LARGE_PROMPT_TOKENS → large;
 * 5. otherwise → small.
 */
export function autoTier(request: ChatCompletionRequest): AutoTier {
  if (request.messages.some(hasImage)) return "vision";
  const tokens = estimatePromptTokens(request);
  if (tokens > LONG_CONTEXT_TOKENS) return "longContext";
  if (request.tools?.length || request.tool_choice !== undefined || request.response_format?.type === "json_schema") return "tools";
  if (tokens > LARGE_PROMPT_TOKENS) return "large";
  return "small";
}

/** The models `switchyard/auto` stands for, in the order they are tried. */
export function autoModels(request: ChatCompletionRequest): readonly string[] {
  return AUTO_TIERS[autoTier(request)];
}

export function estimatePromptTokens(request: ChatCompletionRequest): number {
  let chars = 0;
  for (const m of request.messages) chars += textLength(m);
  if (request.tools) chars += JSON.stringify(request.tools).length;
  return Math.ceil(chars / CHARS_PER_TOKEN);
}

function textLength(message: ChatMessage): number {
  const content = message.content;
  if (typeof content === "string") return content.length;
  if (!content) return 0;
  let n = 0;
  for (const part of content) if (part.type === "text") n += part.text.length;
  return n;
}

function hasImage(message: ChatMessage): boolean {
  return Array.isArray(message.content) && message.content.some((p) => p.type === "image_url");
}
