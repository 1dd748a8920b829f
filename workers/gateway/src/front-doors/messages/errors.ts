import type { Context } from "hono";
import { errorParts } from "../../middleware/errors.ts";

/** Anthropic's error type for a status (the statuses stay the gateway's own). */
export function anthropicErrorType(status: number): string {
  switch (status) {
    case 400:
    case 413:
    case 422:
      return status === 413 ? "request_too_large" : "invalid_request_error";
    case 401:
      return "authentication_error";
    case 402:
      return "billing_error";
    case 403:
      return "permission_error";
    case 404:
      return "not_found_error";
    case 408:
      return "timeout_error";
    case 429:
      return "rate_limit_error";
    case 503:
    case 529:
      return "overloaded_error";
    default:
      return "api_error";
  }
}

export const anthropicError = (status: number, message: string) => ({ type: "error", error: { type: anthropicErrorType(status), message } });

/** The Messages front door's error handler: the gateway's status, Anthropic's error shape. */
export function anthropicErrorResponse(err: unknown, c: Context): Response {
  const { status, body, headers } = errorParts(err);
  return c.json(anthropicError(status, body.error.message), status as 400, headers);
}
