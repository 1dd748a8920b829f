import { classify } from "../openai/errors.ts";
import type { UpstreamFailure } from "../types.ts";

/** Error `type` → the HTTP status Anthropic uses for it (for errors that arrive inside a stream). */
const STATUS_OF_TYPE: Record<string, number> = {
  invalid_request_error: 400,
  authentication_error: 401,
  permission_error: 403,
  not_found_error: 404,
  request_too_large: 413,
  rate_limit_error: 429,
  api_error: 500,
  overloaded_error: 529,
};

interface AnthropicErrorBody {
  type?: string;
  error?: { type?: string; message?: string };
}

/** `{"type":"error","error":{"type","message"}}` → a classified failure. */
export function parseAnthropicError(status: number, bodyText: string, headers: Headers): UpstreamFailure {
  let message = `Upstream returned HTTP ${status}`;
  let providerCode: string | undefined;
  try {
    const body = JSON.parse(bodyText) as AnthropicErrorBody;
    if (typeof body.error?.message === "string") message = body.error.message;
    if (typeof body.error?.type === "string") providerCode = body.error.type;
  } catch {
    // not JSON (a proxy's HTML page, an empty body): keep the generic message
  }
  return classifyAnthropic(status, message, headers, providerCode);
}

/** The `error` event of a stream that had already started. */
export function anthropicStreamFailure(error: AnthropicErrorBody["error"]): UpstreamFailure {
  const type = error?.type ?? "api_error";
  const failure = classifyAnthropic(STATUS_OF_TYPE[type] ?? 500, `Upstream error: ${error?.message ?? type}`, new Headers(), type);
  // A stream's HTTP status was 200; the type-derived one is only for classifying.
  delete failure.upstreamStatus;
  return failure;
}

function classifyAnthropic(status: number, message: string, headers: Headers, providerCode?: string): UpstreamFailure {
  const failure = classify(status, message, headers, providerCode);
  // 529 overloaded_error: Anthropic is out of capacity for everyone — the service is unavailable.
  return status === 529 ? { ...failure, status: 503 } : failure;
}
