import { type ChatCompletion, parseOrThrow, responsesRequestSchema } from "@switchyard/schemas";
import { Hono } from "hono";
import type { AppEnv } from "../env.ts";
import { authorizationOf, callChat, droppedHeader, unknownFields } from "../front-doors/inner-chat.ts";
import { openaiErrorResponse } from "../front-doors/responses/errors.ts";
import { chatFromResponses } from "../front-doors/responses/request.ts";
import { responseFromChat } from "../front-doors/responses/response.ts";
import { responsesStream } from "../front-doors/responses/stream.ts";
import { preferWarmProvider, recordServed, stickyPrefix } from "../front-doors/sticky.ts";
import { DEFAULT_MAX_BODY_BYTES, readJsonBody } from "../middleware/json-body.ts";

/** Says, on a request that asked for storage, that nothing was stored (the answer's `store` is false too). */
const STORE_NOTICE = { "x-switchyard-store": "false; switchyard stores no responses: send the whole conversation each time" };

/**
 * `POST /responses`, OpenAI's Responses API, stateless, for every chat model in the
 * catalog: translated into a chat request, served by the chat route in process
 * (front-doors/inner-chat.ts), and translated back, streamed or not. Errors in
 * OpenAI's shape with the gateway's statuses.
 */
export const responses = new Hono<AppEnv>().post("/", async (c) => {
  const body = await readJsonBody(c.req.raw, Number(c.env.MAX_BODY_BYTES) || DEFAULT_MAX_BODY_BYTES);
  const request = parseOrThrow(responsesRequestSchema, body);
  const { chat, dropped } = chatFromResponses(request);
  const prefix = await stickyPrefix(authorizationOf(c), [request.model, request.instructions, request.tools, request.prompt_cache_key]);
  preferWarmProvider(chat, prefix);
  const inner = await callChat(c, chat);
  recordServed(prefix, inner.headers["x-switchyard-provider"]);
  const ignored = unknownFields(body, responsesRequestSchema.shape);
  const headers = { ...inner.headers, ...droppedHeader([...dropped, ...ignored]), ...(request.store === true ? STORE_NOTICE : {}) };
  if (inner.streamed) {
    return new Response(inner.response.body!.pipeThrough(responsesStream(request)), {
      headers: { ...headers, "content-type": "text/event-stream; charset=utf-8", "cache-control": "no-cache" },
    });
  }
  const response = responseFromChat((await inner.response.json()) as ChatCompletion, request);
  return new Response(JSON.stringify(response), { headers: { ...headers, "content-type": "application/json" } });
});
responses.onError(openaiErrorResponse);
