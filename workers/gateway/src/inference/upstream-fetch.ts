import { handleMockUpstream } from "@switchyard/mock-upstream";
import type { UpstreamRequest } from "@switchyard/providers";

/** Requests to this host never leave the isolate: they go to the built-in mock provider. */
export const MOCK_HOST = "mock.switchyard.internal";

/**
 * POSTs the adapter's request with the attempt's abort signal: one `Request`, made by `fetch` itself.
 * Redirects are never followed (`manual`): following one would resend the prompt, and on a 307/308
 * the provider key headers, to whatever host it names. The 3xx comes back as the answer, and is
 * classified as the provider's fault (502, fail over).
 */
export function upstreamFetch(upstream: UpstreamRequest, signal: AbortSignal): Promise<Response> {
  const init: RequestInit = { method: "POST", headers: upstream.headers, body: upstream.body, signal, redirect: "manual" };
  // A substring test first: parsing every upstream URL would cost more than the check saves.
  if (upstream.url.includes(MOCK_HOST) && new URL(upstream.url).host === MOCK_HOST) {
    return handleMockUpstream(new Request(upstream.url, init));
  }
  return fetch(upstream.url, init);
}
