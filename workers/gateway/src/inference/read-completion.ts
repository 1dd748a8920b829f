import { MalformedUpstreamResponse, type ProviderAdapter, type UpstreamFailure } from "@switchyard/providers";

export type CompletionReadResult = { ok: true; response: Response } | { ok: false; failure: UpstreamFailure };

/**
 * Reads a non-streamed answer whole and checks that it parses, while the
 * request can still fail over: nothing reaches the client before the whole
 * answer is in, so a body cut mid-way or an answer that is not valid is a
 * failure like a 5xx. The body is handed on as a fresh Response.
 */
export async function readCompletion(response: Response, adapter: ProviderAdapter): Promise<CompletionReadResult> {
  const text = await response.text();
  try {
    adapter.parseCompletion(JSON.parse(text));
  } catch (e) {
    const reason = e instanceof MalformedUpstreamResponse ? e.message : "the answer is not valid JSON";
    return { ok: false, failure: { status: 502, message: `Provider sent an invalid answer: ${reason}`, retryable: true } };
  }
  return { ok: true, response: new Response(text, { status: response.status, headers: response.headers }) };
}
