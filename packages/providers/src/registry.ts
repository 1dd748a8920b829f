import type { ApiFormat } from "@switchyard/catalog";
import { anthropicAdapter } from "./anthropic/index.ts";
import { geminiAdapter } from "./gemini/index.ts";
import { openaiAdapter } from "./openai/index.ts";
import type { ProviderAdapter } from "./types.ts";

/** Adapters by wire format. */
const adapters: Partial<Record<ApiFormat, ProviderAdapter>> = {
  openai: openaiAdapter,
  anthropic: anthropicAdapter,
  gemini: geminiAdapter,
};

export function adapterFor(format: ApiFormat): ProviderAdapter | undefined {
  return adapters[format];
}
