import { clip, GatewayError } from "@switchyard/schemas";
import { Hono } from "hono";
import { HTTPException } from "hono/http-exception";
import { checkout } from "./checkout/route.ts";
import type { AppEnv } from "./env.ts";
import { capRequestBody } from "./lib/body-limit.ts";
import { webhook } from "./webhook/route.ts";

export const app = new Hono<AppEnv>()
  .use(capRequestBody)
  .get("/health", (c) => c.json({ status: "ok" }))
  .route("/billing/checkout", checkout)
  .route("/billing/webhook", webhook);

// Errors in OpenRouter's shape; unexpected ones are logged by name only (requests may hold secrets).
app.onError((err, c) => {
  if (err instanceof GatewayError) return c.json(err.toBody(), err.status as 400);
  if (err instanceof HTTPException) return c.json({ error: { code: err.status, message: err.message || "Request rejected" } }, err.status);
  console.error("unhandled error", err instanceof Error ? `${err.name}: ${err.message}` : "non-error thrown");
  return c.json({ error: { code: 500, message: "Internal error" } }, 500);
});
app.notFound((c) => c.json({ error: { code: 404, message: `No route for ${c.req.method} ${clip(new URL(c.req.url).pathname)}` } }, 404));
