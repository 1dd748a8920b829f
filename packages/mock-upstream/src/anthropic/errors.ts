/**
 * Errors in Anthropic's shape, `{"type":"error","error":{"type","message"},"request_id"}`,
 * with the types and messages Anthropic uses (529 is overloaded_error).
 */
import type { ErrorOptions } from "../errors.ts";

const DEFAULTS: Record<number, { type: string; message: string }> = {
  400: { type: "invalid_request_error", message: "There was an issue with the format or content of your request." },
  401: { type: "authentication_error", message: "invalid x-api-key" },
  403: { type: "permission_error", message: "Your API key does not have permission to use the specified resource." },
  404: { type: "not_found_error", message: "The requested resource could not be found." },
  413: { type: "request_too_large", message: "Request exceeds the maximum allowed number of bytes." },
  429: {
    type: "rate_limit_error",
    message: "This request would exceed the rate limit for your organization (mock) of 50 requests per minute. Please try again later.",
  },
  500: { type: "api_error", message: "Internal server error" },
  529: { type: "overloaded_error", message: "Overloaded" },
};

export function anthropicError(status: number, opts: ErrorOptions = {}): { type: "error"; error: { type: string; message: string } } {
  const d = DEFAULTS[status] ?? { type: status >= 500 ? "api_error" : "invalid_request_error", message: `Mock upstream error (HTTP ${status}).` };
  return { type: "error", error: { type: opts.type ?? d.type, message: opts.message ?? d.message } };
}

export function anthropicErrorResponse(status: number, opts: ErrorOptions = {}): Response {
  const requestId = opts.requestId ?? "req_mock_error";
  const headers = new Headers({ "content-type": "application/json", "request-id": requestId });
  const retryAfter = opts.retryAfter ?? (status === 429 ? 1 : undefined);
  if (retryAfter !== undefined) headers.set("retry-after", String(retryAfter));
  return new Response(JSON.stringify({ ...anthropicError(status, opts), request_id: requestId }), { status, headers });
}
