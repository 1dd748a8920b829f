import { handleMockUpstream } from "@switchyard/mock-upstream";

/** Requests to this host never leave the isolate: they go to the built-in mock provider. */
export const MOCK_HOST = "mock.switchyard.internal";

/** Sends the upstream request with the attempt's abort signal (one Request, not a copy of it). */
export function upstreamFetch(request: Request, signal: AbortSignal): Promise<Response> {
  // A substring test first: parsing every upstream URL would cost more than the check saves.
  if (request.url.includes(MOCK_HOST) && new URL(request.url).host === MOCK_HOST) {
    return handleMockUpstream(new Request(request, { signal }));
  }
  return fetch(request, { signal });
}
