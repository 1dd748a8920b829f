/** Google's Gemini API (`…/models/{model}:generateContent`, `:streamGenerateContent?alt=sse`). */
import type { Dialect } from "../dialect.ts";
import { apiKeyInvalidResponse, googleErrorResponse } from "./errors.ts";
import { generateContentBody, planGenerateContentStream } from "./render.ts";
import { chatFromGemini } from "./request.ts";

/** The model and the method come from the URL, not the body. */
export function geminiDialect(model: string, stream: boolean): Dialect {
  return {
    idPrefix: "mock-",
    toChat: ({ body }) => chatFromGemini(body, model, stream),
    rejectsKey: (request) =>
      request.headers.get("x-goog-api-key") === "bad-key" || new URL(request.url).searchParams.get("key") === "bad-key",
    badKeyResponse: apiKeyInvalidResponse,
    errorResponse: googleErrorResponse,
    validate({ request, body, unparsable }) {
      if (unparsable) return googleErrorResponse(400, { message: "Invalid JSON payload received. Unexpected token." });
      if (!Array.isArray(body.contents) || body.contents.length === 0) {
        return googleErrorResponse(400, { message: "* GenerateContentRequest.contents: contents is not specified\n" });
      }
      if (stream && new URL(request.url).searchParams.get("alt") !== "sse") {
        // Without alt=sse Google streams one JSON array; the mock only speaks SSE.
        return googleErrorResponse(400, { message: "The mock serves streamGenerateContent only with alt=sse." });
      }
      return undefined;
    },
    wantsStream: () => stream,
    renderBody: generateContentBody,
    planStream: (answer, usage, meta, _chat, scenario) => planGenerateContentStream(answer, usage, meta, scenario),
  };
}
