import { MalformedUpstreamResponse, type ParsedCompletion, type ProviderAdapter, type UpstreamFailure } from "@switchyard/providers";
import { TranslationFault } from "./translation-fault.ts";

export type CompletionReadResult = { ok: true; response: Response; completion: ParsedCompletion } | { ok: false; failure: UpstreamFailure };

/**
 * Reads a non-streamed answer whole and checks that it parses, while the
 * request can still fail over: nothing reaches the client before the whole
 * answer is in, so a body cut mid-way or an answer that is not valid is a
 * failure like a 5xx. The answer is handed on parsed (its body is read): it is
 * parsed once per request, not once to check and again to answer.
 */
export async function readCompletion(response: Response, adapter: ProviderAdapter): Promise<CompletionReadResult> {
  const text = await response.text(); // a throw here is the connection's (or the first-byte timeout's): the caller classifies it
  const body = parseAnswer(text);
  if (!body.ok) return body;
  try {
    return { ok: true, response, completion: adapter.parseCompletion(body.value) };
  } catch (e) {
    if (e instanceof MalformedUpstreamResponse) return { ok: false, failure: invalidAnswer(e.message) };
    throw new TranslationFault(e); // the answer was JSON of the expected kind: what failed is the gateway's translation
  }
}

/** A provider's 2xx body as JSON, or the failure of an answer that is not JSON (the provider's fault: fail over). */
export function parseAnswer(text: string): { ok: true; value: unknown } | { ok: false; failure: UpstreamFailure } {
  try {
    return { ok: true, value: JSON.parse(text) };
  } catch {
    return { ok: false, failure: invalidAnswer("the answer is not valid JSON") };
  }
}

export function invalidAnswer(reason: string): UpstreamFailure {
  return { status: 502, message: `Provider sent an invalid answer: ${reason}`, retryable: true };
}
