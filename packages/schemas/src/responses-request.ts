import { z } from "zod";
import { providerPreferencesSchema } from "./chat-request.ts";
import { openUnion, stringOrList } from "./open-union.ts";

/**
 * OpenAI's Responses API request (`POST /responses`), stateless. Known fields are
 * checked; unknown fields, item types, content types and hosted tools pass, to be
 * dropped and named by the translation (agents send them on every request).
 */

const inputText = z.object({ type: z.literal("input_text"), text: z.string() });
const outputText = z.object({ type: z.literal("output_text"), text: z.string() });
const inputImage = z.object({
  type: z.literal("input_image"),
  image_url: z.string().nullable().optional(),
  file_id: z.string().nullable().optional(),
  detail: z.string().optional(),
});
const refusal = z.object({ type: z.literal("refusal"), refusal: z.string() });
const contentPart = openUnion({ input_text: inputText, output_text: outputText, input_image: inputImage, refusal });
export type ResponsesContentPart = z.infer<typeof contentPart>;

const messageItem = z.object({
  type: z.literal("message"),
  role: z.enum(["user", "assistant", "system", "developer"]),
  content: stringOrList(contentPart),
});
const functionCallItem = z.object({
  type: z.literal("function_call"),
  call_id: z.string().min(1),
  name: z.string().min(1),
  arguments: z.string(),
  id: z.string().optional(),
});
const functionCallOutputItem = z.object({
  type: z.literal("function_call_output"),
  call_id: z.string().min(1),
  output: stringOrList(contentPart),
});
const reasoningItem = z.object({
  type: z.literal("reasoning"),
  id: z.string().optional(),
  summary: z.array(z.looseObject({ type: z.string(), text: z.string().optional() })).optional(),
  encrypted_content: z.string().nullable().optional(),
});

/** An item without a type but with a role is a message (the "easy input message"). */
const typedItem = z.preprocess(
  (v) => (v && typeof v === "object" && !("type" in v) && "role" in v ? { ...v, type: "message" } : v),
  openUnion({ message: messageItem, function_call: functionCallItem, function_call_output: functionCallOutputItem, reasoning: reasoningItem }),
);
export type ResponsesItem = z.infer<typeof typedItem>;

const functionTool = z.object({
  type: z.literal("function"),
  name: z.string().min(1).max(64),
  description: z.string().nullable().optional(),
  parameters: z.record(z.string(), z.unknown()).nullable().optional(),
  strict: z.boolean().nullable().optional(),
});
const tool = openUnion({ function: functionTool });
export type ResponsesTool = z.infer<typeof tool>;

const toolChoice = z.union([z.string(), z.looseObject({ type: z.string(), name: z.string().optional() })]);

const textFormat = openUnion({
  text: z.object({ type: z.literal("text") }),
  json_object: z.object({ type: z.literal("json_object") }),
  json_schema: z.object({
    type: z.literal("json_schema"),
    name: z.string().min(1),
    schema: z.record(z.string(), z.unknown()),
    description: z.string().optional(),
    strict: z.boolean().nullable().optional(),
  }),
});

export const responsesRequestSchema = z.object({
  model: z.string().min(1, "model is required"),
  input: stringOrList(typedItem),
  instructions: z.string().nullable().optional(),
  tools: z.array(tool).optional(),
  tool_choice: toolChoice.optional(),
  parallel_tool_calls: z.boolean().nullable().optional(),
  text: z.looseObject({ format: textFormat.optional() }).nullable().optional(),
  reasoning: z.looseObject({ effort: z.string().nullable().optional(), summary: z.string().nullable().optional() }).nullable().optional(),
  max_output_tokens: z.number().int().positive().nullable().optional(),
  temperature: z.number().min(0).max(2).nullable().optional(),
  top_p: z.number().gt(0).max(1).nullable().optional(),
  stream: z.boolean().nullable().optional(),
  store: z.boolean().nullable().optional(),
  previous_response_id: z.string().nullable().optional(),
  user: z.string().optional(),
  prompt_cache_key: z.string().optional(),
  /** Accepted: reasoning items always carry what a stateless client must send back. */
  include: z.array(z.string()).nullable().optional(),
  metadata: z.record(z.string(), z.unknown()).nullable().optional(),
  // OpenRouter's additions
  models: z.array(z.string().min(1)).min(1).optional(),
  provider: providerPreferencesSchema.optional(),
});
export type ResponsesRequest = z.infer<typeof responsesRequestSchema>;
