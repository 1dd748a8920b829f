import type { Model } from "../types.ts";
import { endpoint, released } from "./defaults.ts";

/** Embedding models: billed per input token only (completion price 0), served on `POST /embeddings`. */
const embeddingModel = (slug: string, name: string, description: string, created: string, prompt: number): Model => ({
  id: `openai/${slug}`,
  name: `OpenAI: ${name}`,
  description,
  created: released(created),
  contextLength: 8191,
  inputModalities: ["text"],
  outputModalities: ["embeddings"],
  endpoints: [
    endpoint("openai", {
      upstreamModel: slug,
      pricing: { prompt, completion: 0 },
      quantization: "unknown",
      contextLength: 8191,
      maxOutput: 8191, // embeddings produce no tokens; the catalog wants a positive limit
      supportedParameters: ["dimensions", "encoding_format"],
      throughput: 1000,
      latencyMs: 200,
    }),
  ],
});

// From openai.com/api/pricing: $0.02 and $0.13 per M input tokens.
export const openaiEmbeddingModels: Model[] = [
  embeddingModel("text-embedding-3-small", "Text Embedding 3 Small", "Small, cheap embeddings (1536 dimensions, shortenable).", "2024-01-25", 20),
  embeddingModel("text-embedding-3-large", "Text Embedding 3 Large", "OpenAI's most capable embeddings (3072 dimensions, shortenable).", "2024-01-25", 130),
];
