import type { MiddlewareHandler } from "hono";
import { bodyLimit } from "hono/body-limit";
import { errorPage } from "./error-pages.tsx";

/**
 * The most any request body may hold, on every route and before sign-in: the
 * dashboard's forms are a few fields (the largest, a BYOK provider key or the
 * provider preferences, are a few KiB). A declared Content-Length over it is
 * refused before a byte is read; a chunked body is counted as it arrives and
 * refused once past it, never read further (hono's bodyLimit).
 */
export const MAX_FORM_BYTES = 64 * 1024;

export const capRequestBody: MiddlewareHandler = bodyLimit({
  maxSize: MAX_FORM_BYTES,
  onError: (c) => errorPage(c, 413, "Too much data", `This form sent more than ${MAX_FORM_BYTES / 1024} KiB, more than any form here needs. Go back and try again with less.`),
});
