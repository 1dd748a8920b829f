import type { ProviderAdapter } from "../types.ts";
import { parseGeminiError } from "./errors.ts";
import { buildGeminiRequest } from "./request.ts";
import { parseGeminiCompletion } from "./response.ts";
import { createGeminiStreamParser } from "./stream.ts";

/** Google's Gemini API (`generateContent`), served by AI Studio and Vertex AI alike. */
export const geminiAdapter: ProviderAdapter = {
  format: "gemini",
  buildRequest: buildGeminiRequest,
  parseCompletion: parseGeminiCompletion,
  createStreamParser: createGeminiStreamParser,
  parseError: parseGeminiError,
};
