import {
  type ParsedCompletion,
  type ProviderAdapter,
  UntranslatableRequest,
  type UpstreamFailure,
  type UpstreamRequest,
  type UpstreamTarget,
} from "@switchyard/providers";
import type { ChatCompletionRequest } from "@switchyard/schemas";
import { awaitFirstEvent, type StreamStart } from "./first-event.ts";
import { readCompletion } from "./read-completion.ts";
import { asTranslationFault, gatewayFault, TranslationFault, translating, withTranslationFaults } from "./translation-fault.ts";
import { upstreamFetch } from "./upstream-fetch.ts";

/**
 * `completion`: a non-streamed answer, already read and parsed; `stream`: a stream
 * read up to its first answer, to carry on from. Either way the response body is theirs.
 */
export type UpstreamResult = { ok: true; response: Response; completion?: ParsedCompletion; stream?: StreamStart } | { ok: false; failure: UpstreamFailure };

/**
 * One attempt against one endpoint, up to the point where the answer can be
 * sent: a stream's first event, or a whole non-streamed answer. A timeout
 * before that, a refused connection, an error status, a stream that dies
 * before answering or an invalid answer is a failure the caller may fail over from. `signal` carries the client's disconnect, and
 * keeps aborting a stream's upstream call after it answered.
 */
export function callUpstream(
  adapter: ProviderAdapter,
  request: ChatCompletionRequest,
  target: UpstreamTarget,
  stream: boolean,
  signal: AbortSignal,
  firstByteTimeoutMs: number,
): Promise<UpstreamResult> {
  return attemptUpstream(
    {
      build: () => adapter.buildRequest(request, target, stream),
      parseError: adapter.parseError,
      accept: (response, upstreamSignal) =>
        stream ? awaitFirstEvent(response, withTranslationFaults(adapter), upstreamSignal) : readCompletion(response, adapter),
    },
    signal,
    firstByteTimeoutMs,
  );
}

/** One kind of upstream call (chat, embeddings): how to make it and when its 2xx answer counts as answered. */
export interface UpstreamCall {
  /** May throw UntranslatableRequest: the provider's format cannot carry the request. */
  build(): UpstreamRequest;
  parseError: ProviderAdapter["parseError"];
  /**
   * Reads a 2xx answer far enough to know it is good; a failure here can still fail over. An
   * invalid answer is a failure it returns; a throw from its own translation code should be a
   * TranslationFault (else it is taken for the connection breaking while the answer was read).
   */
  accept(response: Response, signal: AbortSignal): Promise<UpstreamResult>;
}

/**
 * Each step's failure is classified as what it is: translating the request (the caller's
 * input: 400; a gateway bug: 500, never the provider's fault), connecting (only the fetch
 * itself failing is "Could not connect"), reading the answer (the connection broke, or the
 * first-byte timeout), parsing it (an invalid answer, or a gateway bug).
 */
export async function attemptUpstream(call: UpstreamCall, signal: AbortSignal, firstByteTimeoutMs: number): Promise<UpstreamResult> {
  if (signal.aborted) return { ok: false, failure: clientGone() };
  let upstream: UpstreamRequest;
  try {
    upstream = call.build();
  } catch (error) {
    // The request uses something this provider's format cannot carry: the caller's to change. Not
    // retryable, so it never counts against the provider's health.
    if (error instanceof UntranslatableRequest) return { ok: false, failure: { status: 400, message: error.message, retryable: false } };
    return { ok: false, failure: gatewayFault(asTranslationFault(error)) };
  }
  const controller = new AbortController();
  const onClientAbort = () => controller.abort(signal.reason);
  signal.addEventListener("abort", onClientAbort, { once: true });
  const timer = setTimeout(() => controller.abort(new FirstByteTimeout()), firstByteTimeoutMs);
  // A stream goes on after this returns: the client's disconnect must still reach its upstream call.
  let streaming = false;
  let connected = false;
  try {
    const response = await upstreamFetch(upstream, controller.signal);
    connected = true;
    if (!response.ok) {
      const text = await response.text().catch(() => "");
      return { ok: false, failure: translating(() => call.parseError(response.status, text, response.headers)) };
    }
    const result = await call.accept(response, controller.signal);
    streaming = result.ok && result.stream !== undefined;
    return result;
  } catch (error) {
    if (error instanceof TranslationFault) {
      controller.abort(error); // the answer will not be read on: let the upstream go
      return { ok: false, failure: gatewayFault(error) };
    }
    if (controller.signal.reason instanceof FirstByteTimeout) {
      return { ok: false, failure: { status: 408, message: `No response within ${firstByteTimeoutMs} ms`, retryable: true } };
    }
    if (signal.aborted) return { ok: false, failure: clientGone() };
    if (!connected) return { ok: false, failure: { status: 502, message: "Could not connect to the provider", retryable: true } };
    return { ok: false, failure: { status: 502, message: "The provider's connection broke while its answer was being read", retryable: true } };
  } finally {
    clearTimeout(timer);
    if (!streaming) signal.removeEventListener("abort", onClientAbort);
  }
}

const clientGone = (): UpstreamFailure => ({ status: 499, message: "Client closed the request", retryable: false });

class FirstByteTimeout extends Error {}
