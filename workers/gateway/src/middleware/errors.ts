import { GatewayError } from "@switchyard/schemas";
import type { Context } from "hono";
import { HTTPException } from "hono/http-exception";

/**
 * Every error leaves as OpenRouter's JSON shape. Unexpected errors are logged
 * by name and message only (never the request, which may hold keys or prompts).
 */
export function errorResponse(err: unknown, c: Context): Response {
  if (err instanceof GatewayError) return c.json(err.toBody(), err.status as 400);
  if (err instanceof HTTPException) {
    return c.json({ error: { code: err.status, message: err.message || "Request rejected" } }, err.status);
  }
  console.error("unhandled error", err instanceof Error ? `${err.name}: ${err.message}` : "non-error thrown");
  return c.json({ error: { code: 500, message: "Internal error" } }, 500);
}

export function notFoundResponse(c: Context): Response {
  return c.json({ error: { code: 404, message: `No route for ${c.req.method} ${new URL(c.req.url).pathname}` } }, 404);
}
