/**
 * Errors in Google's shape, `{"error":{"code","message","status","details"?}}`.
 * As the real API does, a rate limit carries its retry hint in a RetryInfo detail
 * (no Retry-After header), and a bad API key is a 400 with reason API_KEY_INVALID.
 */
import type { ErrorOptions } from "../errors.ts";

const DEFAULTS: Record<number, { status: string; message: string }> = {
  400: { status: "INVALID_ARGUMENT", message: "Request contains an invalid argument." },
  401: { status: "UNAUTHENTICATED", message: "Request had invalid authentication credentials." },
  403: { status: "PERMISSION_DENIED", message: "The caller does not have permission" },
  404: { status: "NOT_FOUND", message: "The requested model is not found for API version v1beta, or is not supported for generateContent." },
  429: {
    status: "RESOURCE_EXHAUSTED",
    message: "You exceeded your current quota, please check your plan and billing details. For more information on this error, head to: https://ai.google.dev/gemini-api/docs/rate-limits.",
  },
  500: { status: "INTERNAL", message: "An internal error has occurred. Please retry or report in https://developers.generativeai.google/guide/troubleshooting" },
  503: { status: "UNAVAILABLE", message: "The model is overloaded. Please try again later." },
  504: { status: "DEADLINE_EXCEEDED", message: "Deadline expired before operation could complete." },
};

export function googleError(code: number, opts: ErrorOptions = {}): { error: Record<string, unknown> } {
  const d = DEFAULTS[code] ?? { status: code >= 500 ? "INTERNAL" : "FAILED_PRECONDITION", message: `Mock upstream error (HTTP ${code}).` };
  const details =
    code === 429 ? [{ "@type": "type.googleapis.com/google.rpc.RetryInfo", retryDelay: `${opts.retryAfter ?? 1}s` }] : undefined;
  return { error: { code, message: opts.message ?? d.message, status: d.status, ...(details ? { details } : {}) } };
}

export function googleErrorResponse(code: number, opts: ErrorOptions = {}): Response {
  return new Response(JSON.stringify(googleError(code, opts), null, 2), { status: code, headers: { "content-type": "application/json; charset=UTF-8" } });
}

export function apiKeyInvalidResponse(): Response {
  const body = {
    error: {
      code: 400,
      message: "API key not valid. Please pass a valid API key.",
      status: "INVALID_ARGUMENT",
      details: [
        {
          "@type": "type.googleapis.com/google.rpc.ErrorInfo",
          reason: "API_KEY_INVALID",
          domain: "googleapis.com",
          metadata: { service: "generativelanguage.googleapis.com" },
        },
      ],
    },
  };
  return new Response(JSON.stringify(body, null, 2), { status: 400, headers: { "content-type": "application/json; charset=UTF-8" } });
}
