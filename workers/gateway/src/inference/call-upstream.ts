import type { ProviderAdapter, UpstreamFailure, UpstreamTarget } from "@switchyard/providers";
import type { ChatCompletionRequest } from "@switchyard/schemas";
import { awaitFirstEvent } from "./first-event.ts";
import { readCompletion } from "./read-completion.ts";
import { upstreamFetch } from "./upstream-fetch.ts";

export type UpstreamResult = { ok: true; response: Response } | { ok: false; failure: UpstreamFailure };

/**
 * One attempt against one endpoint, up to the point where the answer can be
 * sent: a stream's first event, or a whole non-streamed answer. A timeout
 * before that, a refused connection, an error status, a stream that dies
 * before answering or an invalid answer is a failure the caller may fail over from. `signal` carries the client's disconnect, and
 * keeps aborting the upstream call after it answered.
 */
export async function callUpstream(
  adapter: ProviderAdapter,
  request: ChatCompletionRequest,
  target: UpstreamTarget,
  stream: boolean,
  signal: AbortSignal,
  firstByteTimeoutMs: number,
): Promise<UpstreamResult> {
  if (signal.aborted) return { ok: false, failure: clientGone() };
  const controller = new AbortController();
  const onClientAbort = () => controller.abort(signal.reason);
  signal.addEventListener("abort", onClientAbort, { once: true });
  const timer = setTimeout(() => controller.abort(new FirstByteTimeout()), firstByteTimeoutMs);
  let answered = false;
  try {
    const upstream = adapter.buildRequest(request, target, stream);
    const response = await upstreamFetch(new Request(upstream, { signal: controller.signal }));
    if (!response.ok) {
      const text = await response.text().catch(() => "");
      return { ok: false, failure: adapter.parseError(response.status, text, response.headers) };
    }
    const result = stream ? await awaitFirstEvent(response, adapter, controller.signal) : await readCompletion(response, adapter);
    answered = result.ok;
    return result;
  } catch (error) {
    if (controller.signal.reason instanceof FirstByteTimeout) {
      return { ok: false, failure: { status: 408, message: `No response within ${firstByteTimeoutMs} ms`, retryable: true } };
    }
    if (signal.aborted) return { ok: false, failure: clientGone() };
    return { ok: false, failure: { status: 502, message: "Could not connect to the provider", retryable: true } };
  } finally {
    clearTimeout(timer);
    if (!answered) signal.removeEventListener("abort", onClientAbort);
  }
}

const clientGone = (): UpstreamFailure => ({ status: 499, message: "Client closed the request", retryable: false });

class FirstByteTimeout extends Error {}
