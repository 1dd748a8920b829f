/** OpenAI's Chat Completions, the mock's first format. */
import { completionBody } from "./completion.ts";
import { BAD_KEY_AUTH } from "./constants.ts";
import type { Dialect } from "./dialect.ts";
import { errorResponse } from "./errors.ts";
import { asMessages } from "./messages.ts";
import { prefixKey, useCache } from "./prompt-cache.ts";
import { promptTokens } from "./usage.ts";
import { planChatStream } from "./stream.ts";
import type { ChatRequest } from "./types.ts";

export const openaiDialect: Dialect = {
  idPrefix: "chatcmpl-mock-",
  toChat: ({ body }) => body as ChatRequest,
  rejectsKey: (request) => request.headers.get("authorization") === BAD_KEY_AUTH,
  badKeyResponse: () => errorResponse(401),
  errorResponse,
  validate({ body, unparsable }) {
    if (unparsable) {
      return errorResponse(400, {
        message:
          "We could not parse the JSON body of your request. (HINT: This likely means you aren't using your HTTP library correctly. The OpenAI API expects a JSON payload, but what was sent was not valid JSON.)",
      });
    }
    if (typeof body.model !== "string" || body.model === "") {
      return errorResponse(400, { message: "you must provide a model parameter", param: "model" });
    }
    if (!Array.isArray(body.messages)) {
      return errorResponse(400, { message: "Missing required parameter: 'messages'.", param: "messages", code: "missing_required_parameter" });
    }
    if (body.messages.length === 0) {
      return errorResponse(400, {
        message: "Invalid 'messages': empty array. Expected an array with minimum length 1, but got an empty array instead.",
        param: "messages",
        code: "empty_array",
      });
    }
    return undefined;
  },
  wantsStream: (chat) => chat.stream === true,
  // OpenAI caches prefixes by itself; the mock does for requests that name a prompt_cache_key (so other tests see no cache).
  promptCache({ body }) {
    const messages = asMessages(body.messages);
    if (typeof body.prompt_cache_key !== "string") return { cached: 0, written: 0 };
    const head = { model: body.model, key: body.prompt_cache_key, tools: body.tools ?? null };
    const prefixes = messages.map((_, j) => ({ key: prefixKey([head, messages.slice(0, j + 1)]), tokens: promptTokens(messages.slice(0, j + 1)), breakpoint: true }));
    return { cached: useCache(prefixes, promptTokens(messages)).cached, written: 0 };
  },
  renderBody: (answer, usage, meta, scenario) => JSON.stringify(completionBody(answer, usage, meta, scenario)),
  planStream(answer, usage, meta, chat, scenario) {
    const includeUsage = (chat.stream_options as { include_usage?: unknown } | null | undefined)?.include_usage === true;
    return planChatStream(answer, usage, meta, includeUsage, scenario);
  },
};
