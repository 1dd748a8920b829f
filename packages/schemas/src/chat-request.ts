import { z } from "zod";

/**
 * The chat completions request: OpenAI's schema plus OpenRouter's additions
 * (`models`, `provider`, `usage`, `transforms`). Unknown fields are ignored
 * (zod strips them), so newer client libraries keep working.
 */

/**
 * Anthropic's prompt-cache breakpoint (also accepted by OpenRouter on chat completions):
 * passed to providers that cache on it, dropped for the others. Unknown types and ttls
 * pass as they are: a newer cache option must not fail a request.
 */
export const cacheControlSchema = z.object({ type: z.string(), ttl: z.string().optional() });
export type CacheControl = z.infer<typeof cacheControlSchema>;
const cacheControl = cacheControlSchema.optional();

const imageUrlPart = z.object({
  type: z.literal("image_url"),
  image_url: z.object({
    url: z.string().min(1),
    detail: z.enum(["auto", "low", "high"]).optional(),
  }),
  cache_control: cacheControl,
});
const textPart = z.object({ type: z.literal("text"), text: z.string(), cache_control: cacheControl });
const inputAudioPart = z.object({
  type: z.literal("input_audio"),
  input_audio: z.object({ data: z.string(), format: z.string() }),
});
const filePart = z.object({
  type: z.literal("file"),
  file: z.object({ filename: z.string().optional(), file_data: z.string().optional(), file_id: z.string().optional() }),
});
export const contentPartSchema = z.discriminatedUnion("type", [textPart, imageUrlPart, inputAudioPart, filePart]);
export type ContentPart = z.infer<typeof contentPartSchema>;

const content = z.union([z.string(), z.array(contentPartSchema)]);

export const toolCallSchema = z.object({
  id: z.string(),
  type: z.literal("function"),
  function: z.object({ name: z.string(), arguments: z.string() }),
});
export type ToolCall = z.infer<typeof toolCallSchema>;

const systemMessage = z.object({ role: z.enum(["system", "developer"]), content, name: z.string().optional() });
const userMessage = z.object({ role: z.literal("user"), content, name: z.string().optional() });
/**
 * A piece of a model's reasoning, in OpenRouter's `reasoning_details` shape: readable text
 * (with the provider's signature when it signs it, as Anthropic does) or an opaque encrypted
 * block (Anthropic's redacted_thinking). Sent back unchanged on the next turn, signed blocks
 * keep a multi-turn tool session with thinking valid at Anthropic.
 */
export const reasoningDetailSchema = z.object({
  type: z.string(),
  text: z.string().optional(),
  signature: z.string().nullable().optional(),
  data: z.string().optional(),
  summary: z.string().optional(),
  format: z.string().optional(),
  index: z.number().int().optional(),
  id: z.string().nullable().optional(),
});
export type ReasoningDetail = z.infer<typeof reasoningDetailSchema>;

const assistantMessage = z.object({
  role: z.literal("assistant"),
  content: content.nullable().optional(),
  name: z.string().optional(),
  tool_calls: z.array(toolCallSchema).optional(),
  refusal: z.string().nullable().optional(),
  reasoning: z.string().nullable().optional(),
  reasoning_details: z.array(reasoningDetailSchema).optional(),
});
const toolMessage = z.object({ role: z.literal("tool"), content, tool_call_id: z.string().min(1), name: z.string().optional() });

export const messageSchema = z.discriminatedUnion("role", [systemMessage, userMessage, assistantMessage, toolMessage]);
export type ChatMessage = z.infer<typeof messageSchema>;

export const toolSchema = z.object({
  type: z.literal("function"),
  function: z.object({
    name: z.string().min(1).max(64),
    description: z.string().optional(),
    parameters: z.record(z.string(), z.unknown()).optional(),
    strict: z.boolean().nullable().optional(),
  }),
  cache_control: cacheControl,
});
export type Tool = z.infer<typeof toolSchema>;

export const toolChoiceSchema = z.union([
  z.enum(["none", "auto", "required"]),
  z.object({ type: z.literal("function"), function: z.object({ name: z.string().min(1) }) }),
]);
export type ToolChoice = z.infer<typeof toolChoiceSchema>;

export const responseFormatSchema = z.discriminatedUnion("type", [
  z.object({ type: z.literal("text") }),
  z.object({ type: z.literal("json_object") }),
  z.object({
    type: z.literal("json_schema"),
    json_schema: z.object({
      name: z.string().min(1),
      description: z.string().optional(),
      schema: z.record(z.string(), z.unknown()).optional(),
      strict: z.boolean().nullable().optional(),
    }),
  }),
]);
export type ResponseFormat = z.infer<typeof responseFormatSchema>;

const price = z.union([z.number().nonnegative(), z.string().regex(/^\d+(\.\d+)?$/, "a price is a decimal USD amount")]);

export const providerPreferencesSchema = z.object({
  order: z.array(z.string().min(1)).optional(),
  allow_fallbacks: z.boolean().optional(),
  only: z.array(z.string().min(1)).optional(),
  ignore: z.array(z.string().min(1)).optional(),
  sort: z.enum(["price", "throughput", "latency", "least-busy"]).optional(),
  max_price: z
    .object({ prompt: price.optional(), completion: price.optional(), request: price.optional(), image: price.optional() })
    .optional(),
  require_parameters: z.boolean().optional(),
  data_collection: z.enum(["allow", "deny"]).optional(),
  zdr: z.boolean().optional(),
  quantizations: z.array(z.string().min(1)).optional(),
});
export type ProviderPreferences = z.infer<typeof providerPreferencesSchema>;

/**
 * OpenRouter's unified reasoning parameter: mapped to Anthropic's thinking budget, Gemini's
 * thinkingConfig and OpenAI's reasoning_effort. `effort` is any string (newer levels pass);
 * `max_tokens` is the budget where a provider takes one.
 */
export const reasoningRequestSchema = z.object({
  effort: z.string().optional(),
  max_tokens: z.number().int().positive().optional(),
  exclude: z.boolean().optional(),
  enabled: z.boolean().optional(),
});
export type ReasoningRequest = z.infer<typeof reasoningRequestSchema>;

const stop = z.union([z.string(), z.array(z.string()).max(4)]);

export const chatCompletionRequestSchema = z.object({
  model: z.string().min(1, "model is required").optional(),
  models: z.array(z.string().min(1)).min(1).optional(),
  messages: z.array(messageSchema).min(1, "messages must contain at least one message"),
  stream: z.boolean().optional(),
  stream_options: z.object({ include_usage: z.boolean().optional() }).nullable().optional(),
  max_tokens: z.number().int().positive().optional(),
  max_completion_tokens: z.number().int().positive().optional(),
  temperature: z.number().min(0).max(2).optional(),
  top_p: z.number().gt(0).max(1).optional(),
  top_k: z.number().int().nonnegative().optional(),
  frequency_penalty: z.number().min(-2).max(2).optional(),
  presence_penalty: z.number().min(-2).max(2).optional(),
  repetition_penalty: z.number().gt(0).max(2).optional(),
  min_p: z.number().min(0).max(1).optional(),
  logit_bias: z.record(z.string(), z.number().min(-100).max(100)).optional(),
  logprobs: z.boolean().optional(),
  top_logprobs: z.number().int().min(0).max(20).optional(),
  seed: z.number().int().optional(),
  stop: stop.nullable().optional(),
  n: z.literal(1, "only n=1 is supported").optional(),
  user: z.string().optional(),
  tools: z.array(toolSchema).optional(),
  tool_choice: toolChoiceSchema.optional(),
  parallel_tool_calls: z.boolean().optional(),
  response_format: responseFormatSchema.optional(),
  reasoning: reasoningRequestSchema.optional(),
  /** OpenAI's cache routing hint: passed to OpenAI-format providers, ignored by the others. */
  prompt_cache_key: z.string().optional(),
  // OpenRouter additions
  provider: providerPreferencesSchema.optional(),
  usage: z.object({ include: z.boolean().optional() }).optional(),
  transforms: z.array(z.string()).optional(),
}).refine((r) => r.model !== undefined || r.models !== undefined, {
  message: "model is required (or models, a list of fallbacks)",
  path: ["model"],
});
export type ChatCompletionRequest = z.infer<typeof chatCompletionRequestSchema>;

/** The parameters a request uses, by OpenAI name: what `require_parameters` and endpoint support are checked against. */
export function requestedParameters(req: ChatCompletionRequest): string[] {
  const names = [
    "max_tokens", "temperature", "top_p", "top_k", "frequency_penalty", "presence_penalty",
    "repetition_penalty", "min_p", "logit_bias", "logprobs", "top_logprobs", "seed", "stop",
    "tools", "tool_choice", "parallel_tool_calls", "response_format",
  ] as const;
  const used: string[] = names.filter((n) => req[n] !== undefined && req[n] !== null);
  if (req.max_completion_tokens !== undefined && !used.includes("max_tokens")) used.push("max_tokens");
  if (req.response_format?.type === "json_schema") used.push("structured_outputs");
  return used;
}
