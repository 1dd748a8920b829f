import { payloadTooLarge } from "@switchyard/schemas";
import type { MiddlewareHandler } from "hono";
import { bodyLimit } from "hono/body-limit";

/** Stripe's events are at most a few hundred KiB (an expanded checkout session). */
export const MAX_WEBHOOK_BYTES = 1024 * 1024;
/** Everything else: a checkout request is two short fields, and no other route reads a body. */
export const MAX_BODY_BYTES = 16 * 1024;

const webhookPath = /^\/billing\/webhook\/?$/;

const refuse = (limit: number) => () => {
  throw payloadTooLarge(limit);
};
const forWebhook = bodyLimit({ maxSize: MAX_WEBHOOK_BYTES, onError: refuse(MAX_WEBHOOK_BYTES) });
const forTheRest = bodyLimit({ maxSize: MAX_BODY_BYTES, onError: refuse(MAX_BODY_BYTES) });

/**
 * The billing worker's one body cap, on every route (unknown ones too), before
 * any session lookup or signature check: a declared Content-Length over the
 * route's cap is a 413 before a byte is read; a chunked body is counted as it
 * arrives and refused once past the cap (hono's bodyLimit), never read further.
 */
export const capRequestBody: MiddlewareHandler = (c, next) => (webhookPath.test(c.req.path) ? forWebhook : forTheRest)(c, next);
