/** Anthropic's Messages API (`POST …/messages`), with its `x-api-key` and `anthropic-version` headers. */
import type { Dialect } from "../dialect.ts";
import { promptTokens } from "../usage.ts";
import { asMessages } from "../messages.ts";
import { anthropicPromptCache } from "./cache.ts";
import { anthropicErrorResponse } from "./errors.ts";
import { thinkingProblem } from "./thinking-check.ts";
import { messageBody, planMessageStream } from "./render.ts";
import { chatFromAnthropic } from "./request.ts";

export const anthropicDialect: Dialect = {
  idPrefix: "msg_mock_",
  toChat: ({ body }) => chatFromAnthropic(body),
  // Anthropic takes the key as x-api-key (what the gateway sends) or as a bearer token (newer SDKs).
  rejectsKey: (request) => request.headers.get("x-api-key") === "bad-key" || request.headers.get("authorization") === "Bearer bad-key",
  badKeyResponse: () => anthropicErrorResponse(401),
  errorResponse: anthropicErrorResponse,
  validate({ request, body, unparsable }) {
    const invalid = (message: string) => anthropicErrorResponse(400, { message });
    if (!request.headers.get("anthropic-version")) return invalid("anthropic-version: header is required");
    if (unparsable) return invalid("There was an issue with the format or content of your request: the body is not valid JSON.");
    if (typeof body.model !== "string" || body.model === "") return invalid("model: Field required");
    // The Messages API has no default for max_tokens: a gateway must always send one.
    if (typeof body.max_tokens !== "number") return invalid("max_tokens: Field required");
    if (!Array.isArray(body.messages)) return invalid("messages: Field required");
    if (body.messages.length === 0) return invalid("messages: at least one message is required");
    const thinking = thinkingProblem(body);
    return thinking ? invalid(thinking) : undefined;
  },
  wantsStream: (chat) => chat.stream === true,
  promptCache: ({ body }, chat) => anthropicPromptCache(body, promptTokens(asMessages(chat.messages))),
  renderBody: messageBody,
  planStream: (answer, usage, meta, _chat, scenario) => planMessageStream(answer, usage, meta, scenario),
};
