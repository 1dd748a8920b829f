import type { ProviderAdapter, UpstreamFailure } from "@switchyard/providers";

const REDACTED = "[redacted]";

/**
 * The adapter, with `secret` (the provider key the request is sent with: ours
 * or the workspace's own) cut out of every failure message it reports. A
 * provider that echoes the key it was sent ("Incorrect API key provided: sk-…")
 * would otherwise pass it on to the client, the generation record and the logs.
 */
export function redactingSecret(adapter: ProviderAdapter, secret: string | undefined): ProviderAdapter {
  if (!secret) return adapter;
  const scrub = (failure: UpstreamFailure): UpstreamFailure =>
    failure.message.includes(secret) ? { ...failure, message: failure.message.replaceAll(secret, REDACTED) } : failure;
  return {
    ...adapter,
    parseError: (status, bodyText, headers) => scrub(adapter.parseError(status, bodyText, headers)),
    createStreamParser: () => {
      const parser = adapter.createStreamParser();
      return {
        push: (event) => parser.push(event).map((e) => (e.type === "error" ? { ...e, failure: scrub(e.failure) } : e)),
        usageSoFar: parser.usageSoFar?.bind(parser),
      };
    },
  };
}
