import type { Model } from "../types.ts";
import { anthropicModels } from "./anthropic.ts";
import { deepseekModels } from "./deepseek.ts";
import { googleModels } from "./google.ts";
import { metaModels } from "./meta.ts";
import { mistralModels } from "./mistral.ts";
import { mockModels } from "./mock.ts";
import { openaiModels } from "./openai.ts";
import { openaiEmbeddingModels } from "./openai-embeddings.ts";
import { qwenModels } from "./qwen.ts";

export { anthropicModels, deepseekModels, googleModels, metaModels, mistralModels, mockModels, openaiModels, qwenModels };
export { openaiEmbeddingModels };

/** Every model in the catalog, real providers first, mocks last. */
export const models: Model[] = [
  ...openaiModels,
  ...anthropicModels,
  ...googleModels,
  ...metaModels,
  ...mistralModels,
  ...deepseekModels,
  ...qwenModels,
  ...openaiEmbeddingModels,
  ...mockModels,
];
