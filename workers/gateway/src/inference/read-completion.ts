import { MalformedUpstreamResponse, type ParsedCompletion, type ProviderAdapter, type UpstreamFailure } from "@switchyard/providers";

export type CompletionReadResult = { ok: true; response: Response; completion: ParsedCompletion } | { ok: false; failure: UpstreamFailure };

/**
 * Reads a non-streamed answer whole and checks that it parses, while the
 * request can still fail over: nothing reaches the client before the whole
 * answer is in, so a body cut mid-way or an answer that is not valid is a
 * failure like a 5xx. The answer is handed on parsed (its body is read): it is
 * parsed once per request, not once to check and again to answer.
 */
export async function readCompletion(response: Response, adapter: ProviderAdapter): Promise<CompletionReadResult> {
  const text = await response.text();
  let completion;
  try {
    completion = adapter.parseCompletion(JSON.parse(text));
  } catch (e) {
    const reason = e instanceof MalformedUpstreamResponse ? e.message : "the answer is not valid JSON";
    return { ok: false, failure: { status: 502, message: `Provider sent an invalid answer: ${reason}`, retryable: true } };
  }
  return { ok: true, response, completion };
}
