import type { ProviderAdapter } from "../types.ts";
import { parseAnthropicError } from "./errors.ts";
import { buildAnthropicRequest } from "./request.ts";
import { parseAnthropicCompletion } from "./response.ts";
import { createAnthropicStreamParser } from "./stream.ts";

/** Anthropic's Messages API (`POST /v1/messages`). */
export const anthropicAdapter: ProviderAdapter = {
  format: "anthropic",
  buildRequest: buildAnthropicRequest,
  parseCompletion: parseAnthropicCompletion,
  createStreamParser: createAnthropicStreamParser,
  parseError: parseAnthropicError,
};
