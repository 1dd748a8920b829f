import type { UpstreamFailure } from "../types.ts";

/**
 * OpenAI-compatible error bodies → a classified failure. The upstream's own
 * message is kept (it helps the developer), never its headers or our key.
 */
export function parseOpenAIError(status: number, bodyText: string, headers: Headers): UpstreamFailure {
  let message = `Upstream returned HTTP ${status}`;
  let providerCode: string | undefined;
  try {
    const body = JSON.parse(bodyText) as { error?: { message?: string; type?: string; code?: unknown } | string; message?: string };
    if (typeof body.error === "string") message = body.error;
    else if (body.error?.message) message = body.error.message;
    else if (body.message) message = body.message;
    const code = typeof body.error === "object" ? (body.error.code ?? body.error.type) : undefined;
    if (typeof code === "string") providerCode = code;
  } catch {
    // not JSON: keep the generic message
  }
  return classify(status, message, headers, providerCode);
}

/**
 * The longest wait passed on from a provider's Retry-After (one day): a provider that says
 * "wait three years" is misconfigured or hostile, and a client must not be told to stop for that long.
 */
export const MAX_RETRY_AFTER_SECONDS = 86_400;

export function classify(upstreamStatus: number, message: string, headers: Headers, providerCode?: string): UpstreamFailure {
  const retryAfter = parseRetryAfter(headers.get("retry-after"));
  const base = { message, upstreamStatus, ...(providerCode ? { providerCode } : {}), ...(retryAfter !== undefined ? { retryAfterSeconds: retryAfter } : {}) };
  if (upstreamStatus === 429) return { ...base, status: 429, retryable: true };
  if (upstreamStatus === 408) return { ...base, status: 408, retryable: true };
  if (upstreamStatus >= 500) return { ...base, status: upstreamStatus === 503 ? 503 : 502, retryable: true };
  // A rejected hosted key or unknown upstream model is our configuration problem, not the
  // caller's: report 502 and try another endpoint.
  if (upstreamStatus === 401 || upstreamStatus === 403 || upstreamStatus === 404) return { ...base, status: 502, retryable: true };
  if (upstreamStatus === 413) return { ...base, status: 413, retryable: false };
  if (upstreamStatus === 402) return { ...base, status: 502, retryable: true };
  // A redirect (the gateway never follows one: it would resend the prompt and key to wherever it
  // points) means the endpoint moved or is misconfigured: the provider's fault, not the caller's.
  // So is any other status below 400 that is not an answer.
  if (upstreamStatus < 400) {
    const what = upstreamStatus >= 300 ? "a redirect" : "a status that is not an answer";
    return { ...base, message: `Upstream answered with ${what} (HTTP ${upstreamStatus})`, status: 502, retryable: true };
  }
  return { ...base, status: 400, retryable: false };
}

/** Seconds or an HTTP date, in whole seconds from now, at most MAX_RETRY_AFTER_SECONDS. */
function parseRetryAfter(value: string | null): number | undefined {
  if (!value) return undefined;
  const seconds = Number(value);
  if (Number.isFinite(seconds) && seconds >= 0) return Math.min(Math.ceil(seconds), MAX_RETRY_AFTER_SECONDS);
  const date = Date.parse(value);
  return Number.isNaN(date) ? undefined : Math.min(Math.max(0, Math.ceil((date - Date.now()) / 1000)), MAX_RETRY_AFTER_SECONDS);
}
