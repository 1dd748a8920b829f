import { classify } from "../openai/errors.ts";
import type { UpstreamFailure } from "../types.ts";

interface GoogleError {
  code?: number;
  message?: string;
  status?: string;
  details?: Array<{ "@type"?: string; reason?: string; retryDelay?: string }>;
}

/**
 * Google's `{"error":{"code","message","status","details"}}` → a classified failure.
 * Two Google habits are undone: a rejected API key comes back as 400 (it is our
 * configuration, not the caller's request), and the retry hint lives in a
 * RetryInfo detail rather than a Retry-After header.
 */
export function parseGeminiError(status: number, bodyText: string, headers: Headers): UpstreamFailure {
  const error = readError(bodyText);
  const message = error?.message ?? `Upstream returned HTTP ${status}`;
  const details = error?.details ?? [];
  const reason = details.find((d) => d["@type"]?.endsWith("google.rpc.ErrorInfo"))?.reason;
  const retryDelay = seconds(details.find((d) => d["@type"]?.endsWith("google.rpc.RetryInfo"))?.retryDelay);

  let hinted = headers;
  if (retryDelay !== undefined && !headers.has("retry-after")) {
    hinted = new Headers(headers);
    hinted.set("retry-after", String(retryDelay));
  }
  // API_KEY_INVALID (400) and FAILED_PRECONDITION (400, e.g. "User location is not
  // supported") are the endpoint's problem: classify them like a refused key, so
  // another endpoint is tried.
  const misconfigured = reason === "API_KEY_INVALID" || error?.status === "FAILED_PRECONDITION";
  const failure = classify(misconfigured ? 403 : status, message, hinted, error?.status);
  return { ...failure, upstreamStatus: status };
}

/** An error object that arrived inside a stream. */
export function geminiStreamFailure(error: GoogleError): UpstreamFailure {
  const failure = classify(error.code && error.code >= 400 ? error.code : 500, `Upstream error: ${error.message ?? "unknown error"}`, new Headers(), error.status);
  delete failure.upstreamStatus;
  return failure;
}

function readError(bodyText: string): GoogleError | undefined {
  try {
    let body = JSON.parse(bodyText) as unknown;
    // streamGenerateContent without alt=sse wraps everything, errors included, in an array
    if (Array.isArray(body)) body = body[0];
    const error = (body as { error?: unknown } | null)?.error;
    return error && typeof error === "object" ? (error as GoogleError) : undefined;
  } catch {
    return undefined;
  }
}

/** A protobuf Duration as JSON ("17s", "0.5s") → whole seconds, rounded up. */
function seconds(duration: string | undefined): number | undefined {
  const match = duration ? /^(\d+(?:\.\d+)?)s$/.exec(duration) : null;
  return match ? Math.ceil(Number(match[1])) : undefined;
}
