/**
 * Error responses in OpenAI's own wire shape
 * `{"error":{"message","type","param","code"}}`, with the messages and codes
 * OpenAI uses, so provider adapters are tested against what they will really see.
 */

export interface OpenAIErrorBody {
  error: { message: string; type: string; param: string | null; code: string | number | null };
}

export interface ErrorOptions {
  message?: string;
  type?: string;
  param?: string | null;
  code?: string | null;
  /** Seconds; sent as `retry-after`. 429 always gets one (default 1). */
  retryAfter?: number;
  requestId?: string;
}

/** Defaults per status, modelled on real OpenAI responses. */
const DEFAULTS: Record<number, { message: string; type: string; code: string | null }> = {
  400: { message: "Invalid request.", type: "invalid_request_error", code: null },
  401: {
    message: "Incorrect API key provided. You can find your API key at https://platform.openai.com/account/api-keys.",
    type: "invalid_request_error",
    code: "invalid_api_key",
  },
  403: { message: "You are not allowed to access this resource.", type: "invalid_request_error", code: "unsupported_country_region_territory" },
  404: { message: "The requested resource does not exist.", type: "invalid_request_error", code: null },
  408: { message: "Request timed out.", type: "server_error", code: "timeout" },
  429: {
    message: "Rate limit reached for requests (mock). Please try again later.",
    type: "requests",
    code: "rate_limit_exceeded",
  },
  500: {
    message: "The server had an error while processing your request. Sorry about that!",
    type: "server_error",
    code: null,
  },
  502: { message: "Bad gateway.", type: "server_error", code: null },
  503: { message: "The engine is currently overloaded, please try again later.", type: "server_error", code: "overloaded" },
  504: { message: "Gateway timeout.", type: "server_error", code: "timeout" },
};

export function errorBody(status: number, opts: ErrorOptions = {}): OpenAIErrorBody {
  const d = DEFAULTS[status] ?? {
    message: `Mock upstream error (HTTP ${status}).`,
    type: status >= 500 ? "server_error" : "invalid_request_error",
    code: null,
  };
  return {
    error: {
      message: opts.message ?? d.message,
      type: opts.type ?? d.type,
      param: opts.param ?? null,
      code: opts.code !== undefined ? opts.code : d.code,
    },
  };
}

export function errorResponse(status: number, opts: ErrorOptions = {}): Response {
  const headers = new Headers({ "content-type": "application/json" });
  const retryAfter = opts.retryAfter ?? (status === 429 ? 1 : undefined);
  if (retryAfter !== undefined) headers.set("retry-after", String(retryAfter));
  if (opts.requestId) headers.set("x-request-id", opts.requestId);
  return new Response(JSON.stringify(errorBody(status, opts)), { status, headers });
}

/** The in-stream error event OpenAI-compatible providers send after a 200 has started. */
export function streamErrorEvent(): string {
  return JSON.stringify({
    error: { message: "The server had an error while processing your request (mock error_event).", type: "server_error", code: 500 },
  });
}
