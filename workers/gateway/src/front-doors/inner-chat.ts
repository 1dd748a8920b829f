import { type ErrorBody, GatewayError } from "@switchyard/schemas";
import { type Context, Hono } from "hono";
import type { AppEnv } from "../env.ts";
import { errorResponse } from "../middleware/errors.ts";
import { chatCompletions } from "../routes/chat-completions.ts";

/** The chat route, callable in-process with the app's error handling. */
const chatPath = new Hono<AppEnv>().route("/", chatCompletions);
chatPath.onError(errorResponse);

/** The gateway's own headers of an answer, passed on by the front doors. */
const PASSED_HEADERS = ["x-generation-id", "x-switchyard-provider", "x-switchyard-attempts"];

export interface InnerAnswer {
  response: Response;
  /** The answer's gateway headers (generation id, provider, attempts). */
  headers: Record<string, string>;
  streamed: boolean;
}

/**
 * Runs a translated request through the chat completions route itself: the same keys,
 * routing, ZDR/EU, BYOK, spend reserve, failover and settlement by construction. The
 * client's signal goes along, so a client that leaves cancels the inner stream and the
 * upstream read. The key may come as `x-api-key` (Anthropic's clients); the chat route
 * reads `Authorization`. A failure is thrown as the GatewayError it was, for the front
 * door to answer in its own error shape.
 *
 * Known cost, until one inner form replaces the chat request: the translated request is
 * serialised and parsed again, and every streamed event is parsed and re-encoded once more.
 */
export async function callChat(c: Context<AppEnv>, chat: Record<string, unknown>): Promise<InnerAnswer> {
  const headers: Record<string, string> = { "content-type": "application/json" };
  const authorization = authorizationOf(c);
  if (authorization) headers.authorization = authorization;
  const response = await chatPath.fetch(
    new Request("http://gateway.internal/", { method: "POST", headers, body: JSON.stringify(chat), signal: c.req.raw.signal }),
    c.env,
    c.executionCtx,
  );
  if (!response.ok) {
    const body = (await response.json().catch(() => null)) as ErrorBody | null;
    const retryAfter = response.headers.get("retry-after");
    const metadata = { ...(body?.error?.metadata ?? {}), ...(retryAfter && !body?.error?.metadata?.retry_after_seconds ? { retry_after_seconds: Number(retryAfter) } : {}) };
    throw new GatewayError(response.status, body?.error?.message ?? `Request failed with status ${response.status}`, Object.keys(metadata).length ? metadata : undefined);
  }
  const passed: Record<string, string> = {};
  for (const name of PASSED_HEADERS) {
    const value = response.headers.get(name);
    if (value !== null) passed[name] = value;
  }
  return { response, headers: passed, streamed: response.headers.get("content-type")?.startsWith("text/event-stream") === true };
}

/** The caller's key as the chat route reads it: `Authorization`, else Anthropic's `x-api-key` as a bearer token. */
export function authorizationOf(c: Context<AppEnv>): string | undefined {
  const key = c.req.header("x-api-key");
  return c.req.header("authorization") ?? (key ? `Bearer ${key}` : undefined);
}

/** The header naming what a front door dropped because switchyard cannot carry or run it (tools, items, blocks). */
export const DROPPED_HEADER = "x-switchyard-dropped";

export function droppedHeader(dropped: string[]): Record<string, string> {
  return dropped.length ? { [DROPPED_HEADER]: [...new Set(dropped)].join(", ").slice(0, 1000) } : {};
}

/** Top-level fields of a request body its schema does not know: passed nowhere, so named as dropped. */
export function unknownFields(body: unknown, known: object): string[] {
  if (!body || typeof body !== "object" || Array.isArray(body)) return [];
  return Object.keys(body)
    .filter((k) => !(k in known))
    .map((k) => `field:${k.slice(0, 40)}`);
}
