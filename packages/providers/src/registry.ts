import type { ApiFormat } from "@switchyard/catalog";
import { openaiAdapter } from "./openai/index.ts";
import type { ProviderAdapter } from "./types.ts";

/** Adapters by wire format. Anthropic and Gemini register here when they land. */
const adapters: Partial<Record<ApiFormat, ProviderAdapter>> = {
  openai: openaiAdapter,
};

export function adapterFor(format: ApiFormat): ProviderAdapter | undefined {
  return adapters[format];
}
