import { handleMockUpstream } from "@switchyard/mock-upstream";

/** Requests to this host never leave the isolate: they go to the built-in mock provider. */
export const MOCK_HOST = "mock.switchyard.internal";

export function upstreamFetch(request: Request): Promise<Response> {
  if (new URL(request.url).host === MOCK_HOST) return handleMockUpstream(request);
  return fetch(request);
}
