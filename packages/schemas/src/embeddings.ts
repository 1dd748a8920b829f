import { z } from "zod";
import { providerPreferencesSchema } from "./chat-request.ts";

/**
 * `POST /embeddings`, OpenAI's shape: text, a batch of texts, or pre-tokenised
 * input. The upper bound is OpenAI's own per-request limit.
 */
const tokens = z.array(z.number().int().nonnegative()).min(1);

export const embeddingsRequestSchema = z.object({
  model: z.string().min(1, "model is required"),
  input: z.union([
    z.string().min(1, "input must not be empty"),
    z.array(z.string()).min(1, "input must not be empty").max(2048),
    tokens,
    z.array(tokens).min(1, "input must not be empty").max(2048),
  ]),
  encoding_format: z.enum(["float", "base64"]).optional(),
  dimensions: z.number().int().positive().optional(),
  user: z.string().optional(),
  provider: providerPreferencesSchema.optional(),
});
export type EmbeddingsRequest = z.infer<typeof embeddingsRequestSchema>;

export interface EmbeddingsResponse {
  id: string;
  object: "list";
  model: string;
  provider?: string;
  data: Array<{ object: "embedding"; index: number; embedding: number[] | string }>;
  usage: { prompt_tokens: number; total_tokens: number; cost?: number; is_byok?: boolean };
}
