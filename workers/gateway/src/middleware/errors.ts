import { clip, GatewayError } from "@switchyard/schemas";
import type { Context } from "hono";
import { HTTPException } from "hono/http-exception";

/**
 * Every error leaves as OpenRouter's JSON shape. Unexpected errors are logged
 * by name and message only (never the request, which may hold keys or prompts).
 */
export function errorResponse(err: unknown, c: Context): Response {
  if (err instanceof GatewayError) {
    // A provider's Retry-After (all endpoints rate limited) is passed on as the header clients honour, too.
    const retryAfter = err.metadata?.retry_after_seconds;
    const headers = typeof retryAfter === "number" ? { "retry-after": String(Math.ceil(retryAfter)) } : undefined;
    return c.json(err.toBody(), err.status as 400, headers);
  }
  if (err instanceof HTTPException) {
    return c.json({ error: { code: err.status, message: err.message || "Request rejected" } }, err.status);
  }
  console.error("unhandled error", err instanceof Error ? `${err.name}: ${err.message}` : "non-error thrown");
  return c.json({ error: { code: 500, message: "Internal error" } }, 500);
}

export function notFoundResponse(c: Context): Response {
  return c.json({ error: { code: 404, message: `No route for ${c.req.method} ${clip(new URL(c.req.url).pathname)}` } }, 404);
}
