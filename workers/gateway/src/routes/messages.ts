import { type ChatCompletion, countTokensRequestSchema, messagesRequestSchema, parseOrThrow } from "@switchyard/schemas";
import { Hono } from "hono";
import { authenticate, INFERENCE } from "../accounts/auth.ts";
import type { AppEnv } from "../env.ts";
import { authorizationOf, callChat, droppedHeader, unknownFields } from "../front-doors/inner-chat.ts";
import { anthropicErrorResponse } from "../front-doors/messages/errors.ts";
import { chatFromMessages, conversationOf } from "../front-doors/messages/request.ts";
import { messageFromChat } from "../front-doors/messages/response.ts";
import { messagesStream } from "../front-doors/messages/stream.ts";
import { preferWarmProvider, recordServed, stickyPrefix } from "../front-doors/sticky.ts";
import { DEFAULT_MAX_BODY_BYTES, readJsonBody } from "../middleware/json-body.ts";

/** Characters per token of the count_tokens estimate (the router's rule of thumb). */
const CHARS_PER_TOKEN = 4;

/**
 * `POST /messages`, Anthropic's Messages API, for every chat model in the catalog: the
 * request is translated into a chat request and served by the chat route in process
 * (front-doors/inner-chat.ts), and the answer is translated back, streamed or not.
 * Auth by `x-api-key` or `Authorization: Bearer`; `anthropic-version` and
 * `anthropic-beta` are accepted and not needed. Errors in Anthropic's shape.
 */
export const messages = new Hono<AppEnv>()
  .post("/", async (c) => {
    const body = await readJsonBody(c.req.raw, Number(c.env.MAX_BODY_BYTES) || DEFAULT_MAX_BODY_BYTES);
    const request = parseOrThrow(messagesRequestSchema, body);
    const { chat, dropped } = chatFromMessages(request);
    const prefix = await stickyPrefix(authorizationOf(c), [request.model, request.system, request.tools]);
    preferWarmProvider(chat, prefix);
    const inner = await callChat(c, chat);
    recordServed(prefix, inner.headers["x-switchyard-provider"]);
    const headers = { ...inner.headers, ...droppedHeader([...dropped, ...unknownFields(body, messagesRequestSchema.shape)]) };
    if (inner.streamed) {
      return new Response(inner.response.body!.pipeThrough(messagesStream()), {
        headers: { ...headers, "content-type": "text/event-stream; charset=utf-8", "cache-control": "no-cache" },
      });
    }
    const message = messageFromChat((await inner.response.json()) as ChatCompletion);
    return new Response(JSON.stringify(message), { headers: { ...headers, "content-type": "application/json" } });
  })
  // An estimate, made without calling a provider: 4 characters a token over the prompt's text, tools included.
  .post("/count_tokens", async (c) => {
    const body = await readJsonBody(c.req.raw, Number(c.env.MAX_BODY_BYTES) || DEFAULT_MAX_BODY_BYTES);
    const request = parseOrThrow(countTokensRequestSchema, body);
    await authenticate(c.env.DB, authorizationOf(c), INFERENCE);
    const { messages: chatMessages, tools } = conversationOf(request, []);
    const chars = JSON.stringify(chatMessages).length + JSON.stringify(tools).length;
    return c.json({ input_tokens: Math.ceil(chars / CHARS_PER_TOKEN) });
  });
messages.onError(anthropicErrorResponse);
