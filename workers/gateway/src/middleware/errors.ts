import { clip, type ErrorBody, GatewayError } from "@switchyard/schemas";
import type { Context } from "hono";
import { HTTPException } from "hono/http-exception";

/** Any error as what the client is told: status, OpenRouter's body, headers. */
export interface ErrorParts {
  status: number;
  body: ErrorBody;
  headers: Record<string, string>;
}

/**
 * Every error leaves as OpenRouter's JSON shape (the Anthropic and Responses front doors
 * re-shape the same parts). Unexpected errors are logged by name and message only (never
 * the request, which may hold keys or prompts).
 */
export function errorParts(err: unknown): ErrorParts {
  if (err instanceof GatewayError) {
    // A provider's Retry-After (all endpoints rate limited) is passed on as the header clients honour, too.
    const retryAfter = err.metadata?.retry_after_seconds;
    const headers: Record<string, string> = typeof retryAfter === "number" ? { "retry-after": String(Math.ceil(retryAfter)) } : {};
    return { status: err.status, body: err.toBody(), headers };
  }
  if (err instanceof HTTPException) {
    return { status: err.status, body: { error: { code: err.status, message: err.message || "Request rejected" } }, headers: {} };
  }
  const unavailable = databaseUnavailable(err);
  if (unavailable) {
    // D1 is down or overloaded (what still serves meanwhile: docs/operations.md): the client retries
    console.error("database unavailable", unavailable);
    return { status: 503, body: { error: { code: 503, message: "The database is unavailable just now; retry shortly." } }, headers: { "retry-after": "5" } };
  }
  console.error("unhandled error", err instanceof Error ? `${err.name}: ${err.message}` : "non-error thrown");
  return { status: 500, body: { error: { code: 500, message: "Internal error" } }, headers: {} };
}

export function errorResponse(err: unknown, c: Context): Response {
  const { status, body, headers } = errorParts(err);
  return c.json(body, status as 400, headers);
}

export function notFoundResponse(c: Context): Response {
  return c.json({ error: { code: 404, message: `No route for ${c.req.method} ${clip(new URL(c.req.url).pathname)}` } }, 404);
}

/**
 * D1's transient errors (Cloudflare's list of errors to retry: a lost connection, an
 * overloaded database, a reset storage object, a timeout), found through drizzle's "Failed
 * query" wrapper. Returns D1's own message (never the query or its parameters), or null
 * for anything else: a SQL error is a bug, and stays a 500.
 */
export function databaseUnavailable(err: unknown): string | null {
  for (let e = err, depth = 0; e instanceof Error && depth < 4; e = e.cause, depth++) {
    if (/^D1_|D1 DB/.test(e.message) && TRANSIENT.test(e.message)) return e.message.slice(0, 200);
  }
  return null;
}
const TRANSIENT = /network connection lost|overloaded|timed out|timeout|unavailable|transient|object to be reset|code was updated|internal error/i;
