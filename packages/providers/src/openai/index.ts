import type { ProviderAdapter } from "../types.ts";
import { openaiEmbeddings } from "./embeddings.ts";
import { parseOpenAIError } from "./errors.ts";
import { buildOpenAIRequest } from "./request.ts";
import { parseOpenAICompletion } from "./response.ts";
import { createOpenAIStreamParser } from "./stream.ts";

/** OpenAI's wire format, spoken by OpenAI, Groq, Together, DeepSeek, Mistral, Fireworks, Nebius… */
export const openaiAdapter: ProviderAdapter = {
  format: "openai",
  buildRequest: buildOpenAIRequest,
  parseCompletion: parseOpenAICompletion,
  createStreamParser: createOpenAIStreamParser,
  parseError: parseOpenAIError,
  embeddings: openaiEmbeddings,
};
