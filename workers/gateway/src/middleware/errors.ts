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
