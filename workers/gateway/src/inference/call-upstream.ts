import type { ProviderAdapter, UpstreamFailure, UpstreamTarget } from "@switchyard/providers";
import type { ChatCompletionRequest } from "@switchyard/schemas";
import { upstreamFetch } from "./upstream-fetch.ts";

export type UpstreamResult = { ok: true; response: Response } | { ok: false; failure: UpstreamFailure };

/**
 * One attempt against one endpoint, up to the response headers. A timeout
 * before the first byte, a refused connection or an error status is a failure
 * the caller may fail over from; `signal` carries the client's disconnect.
 */
export async function callUpstream(
  adapter: ProviderAdapter,
  request: ChatCompletionRequest,
  target: UpstreamTarget,
  stream: boolean,
  signal: AbortSignal,
  firstByteTimeoutMs: number,
): Promise<UpstreamResult> {
  const controller = new AbortController();
  const onClientAbort = () => controller.abort(signal.reason);
  signal.addEventListener("abort", onClientAbort, { once: true });
  const timer = setTimeout(() => controller.abort(new FirstByteTimeout()), firstByteTimeoutMs);
  try {
    const upstream = adapter.buildRequest(request, target, stream);
    const response = await upstreamFetch(upstream, controller.signal);
    if (response.ok) return { ok: true, response };
    const text = await response.text().catch(() => "");
    return { ok: false, failure: adapter.parseError(response.status, text, response.headers) };
  } catch (error) {
    if (controller.signal.reason instanceof FirstByteTimeout) {
      return { ok: false, failure: { status: 408, message: `No response within ${firstByteTimeoutMs} ms`, retryable: true } };
    }
    if (signal.aborted) return { ok: false, failure: { status: 499, message: "Client closed the request", retryable: false } };
    return { ok: false, failure: { status: 502, message: "Could not connect to the provider", retryable: true } };
  } finally {
    clearTimeout(timer);
    signal.removeEventListener("abort", onClientAbort);
  }
}

class FirstByteTimeout extends Error {}
