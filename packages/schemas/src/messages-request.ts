import { z } from "zod";
import { cacheControlSchema, providerPreferencesSchema } from "./chat-request.ts";
import { openUnion, stringOrList } from "./open-union.ts";

/**
 * Anthropic's Messages API request (`POST /messages`), as coding agents send it. Known
 * fields are checked (a wrong type is a 400 naming the field); unknown fields, block
 * types, tool types and thinking types pass, to be dropped or mapped by the translation.
 */

const cache_control = cacheControlSchema.optional();
const textBlock = z.object({ type: z.literal("text"), text: z.string(), cache_control });
const imageSource = openUnion({
  base64: z.object({ type: z.literal("base64"), media_type: z.string(), data: z.string() }),
  url: z.object({ type: z.literal("url"), url: z.string() }),
});
const imageBlock = z.object({ type: z.literal("image"), source: imageSource, cache_control });
const documentBlock = z.object({ type: z.literal("document"), source: imageSource, cache_control });
const toolUseBlock = z.object({ type: z.literal("tool_use"), id: z.string().min(1), name: z.string().min(1), input: z.unknown(), cache_control });
const toolResultContent = stringOrList(openUnion({ text: textBlock, image: imageBlock }));
const toolResultBlock = z.object({
  type: z.literal("tool_result"),
  tool_use_id: z.string().min(1),
  content: toolResultContent.optional(),
  is_error: z.boolean().optional(),
  cache_control,
});
const thinkingBlock = z.object({ type: z.literal("thinking"), thinking: z.string(), signature: z.string().optional() });
const redactedThinkingBlock = z.object({ type: z.literal("redacted_thinking"), data: z.string() });

export const messagesBlockSchema = openUnion({
  text: textBlock,
  image: imageBlock,
  document: documentBlock,
  tool_use: toolUseBlock,
  tool_result: toolResultBlock,
  thinking: thinkingBlock,
  redacted_thinking: redactedThinkingBlock,
});
export type MessagesBlock = z.infer<typeof messagesBlockSchema>;
export type MessagesToolResultBlock = z.infer<typeof toolResultBlock>;

/** Newer clients (Claude Code, SDK ≥ 1.x) may send system turns inside `messages`, too. */
const messagesMessage = z.object({
  role: z.enum(["user", "assistant", "system"]),
  content: stringOrList(messagesBlockSchema),
});
export type MessagesMessage = z.infer<typeof messagesMessage>;

/** A client tool has an input_schema; server tools (web search, bash, text editor…) have a versioned type and none. */
const messagesTool = z.looseObject({
  name: z.string().min(1),
  type: z.string().optional(),
  description: z.string().optional(),
  input_schema: z.record(z.string(), z.unknown()).optional(),
  cache_control,
});
export type MessagesTool = z.infer<typeof messagesTool>;

const messagesToolChoice = z.looseObject({
  type: z.string(),
  name: z.string().optional(),
  disable_parallel_tool_use: z.boolean().optional(),
});

export const messagesRequestSchema = z.object({
  model: z.string().min(1, "model is required"),
  max_tokens: z.number().int().positive(),
  messages: z.array(messagesMessage).min(1, "messages must contain at least one message"),
  system: stringOrList(openUnion({ text: textBlock })).optional(),
  tools: z.array(messagesTool).optional(),
  tool_choice: messagesToolChoice.optional(),
  stop_sequences: z.array(z.string()).optional(),
  temperature: z.number().min(0).max(1).optional(),
  top_p: z.number().min(0).max(1).optional(),
  top_k: z.number().int().nonnegative().optional(),
  metadata: z.looseObject({ user_id: z.string().nullable().optional() }).optional(),
  thinking: z.looseObject({ type: z.string(), budget_tokens: z.number().int().positive().optional() }).optional(),
  stream: z.boolean().optional(),
  // OpenRouter's additions work here too: fallbacks and provider preferences.
  models: z.array(z.string().min(1)).min(1).optional(),
  provider: providerPreferencesSchema.optional(),
});
export type MessagesRequest = z.infer<typeof messagesRequestSchema>;

/** `POST /messages/count_tokens` takes the same request without max_tokens. */
export const countTokensRequestSchema = messagesRequestSchema.omit({ max_tokens: true, stream: true });
export type CountTokensRequest = z.infer<typeof countTokensRequestSchema>;
