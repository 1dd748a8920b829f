import { chatRequestFromCompletion, type ChatCompletion, completionRequestSchema, parseOrThrow } from "@switchyard/schemas";
import { Hono } from "hono";
import type { AppEnv } from "../env.ts";
import { textCompletionFrom, textCompletionStream } from "../inference/text-completion.ts";
import { errorResponse } from "../middleware/errors.ts";
import { DEFAULT_MAX_BODY_BYTES, readJsonBody } from "../middleware/json-body.ts";
import { chatCompletions } from "./chat-completions.ts";

/** The chat route, callable in-process with the app's error handling. */
const chatPath = new Hono<AppEnv>().route("/", chatCompletions);
chatPath.onError(errorResponse);

/**
 * `POST /completions`, the legacy prompt-style endpoint, served as a one-message
 * chat through the chat route itself: the same authentication, routing, failover,
 * errors and settlement by construction. Only the shapes are translated, both ways.
 */
export const completions = new Hono<AppEnv>().post("/", async (c) => {
  const body = await readJsonBody(c.req.raw, Number(c.env.MAX_BODY_BYTES) || DEFAULT_MAX_BODY_BYTES);
  const chat = chatRequestFromCompletion(parseOrThrow(completionRequestSchema, body));

  const headers = new Headers(c.req.raw.headers);
  headers.set("content-type", "application/json");
  headers.delete("content-length");
  const inner = await chatPath.fetch(
    new Request("http://gateway.internal/", { method: "POST", headers, body: JSON.stringify(chat), signal: c.req.raw.signal }),
    c.env,
    c.executionCtx,
  );
  if (!inner.ok) return inner; // already an OpenRouter-shaped error

  const outHeaders = new Headers(inner.headers);
  if (inner.headers.get("content-type")?.startsWith("text/event-stream")) {
    return new Response(inner.body!.pipeThrough(textCompletionStream()), { headers: outHeaders });
  }
  outHeaders.delete("content-length");
  return new Response(JSON.stringify(textCompletionFrom((await inner.json()) as ChatCompletion)), { headers: outHeaders });
});
