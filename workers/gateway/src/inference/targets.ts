import { type Endpoint, type ProviderInfo, providerFor } from "@switchyard/catalog";
import type { UpstreamTarget } from "@switchyard/providers";
import type { Env } from "../env.ts";

let parsedFor: string | undefined;
let overrides: Record<string, string> = {};

/** PROVIDER_BASE_URLS is parsed once per isolate, not per request. */
function baseUrlOverrides(env: Env): Record<string, string> {
  const raw = env.PROVIDER_BASE_URLS ?? "";
  if (raw !== parsedFor) {
    parsedFor = raw;
    try {
      overrides = raw ? (JSON.parse(raw) as Record<string, string>) : {};
    } catch {
      console.error("PROVIDER_BASE_URLS is not valid JSON; ignoring it");
      overrides = {};
    }
  }
  return overrides;
}

export interface ResolvedTarget {
  provider: ProviderInfo;
  target: UpstreamTarget;
}

/**
 * Where to send a request for this endpoint, with the hosted key or `apiKey` (a
 * workspace's own key); null when the provider has no key to use.
 */
export function resolveTarget(env: Env, endpoint: Endpoint, apiKey?: string): ResolvedTarget | null {
  const provider = providerFor(endpoint.provider);
  if (!provider) return null;
  if (!apiKey && provider.apiKeyEnv) {
    const value = env[provider.apiKeyEnv];
    if (typeof value !== "string" || !value) return null;
    apiKey = value;
  }
  return {
    provider,
    target: {
      baseUrl: baseUrlOverrides(env)[provider.slug] ?? provider.baseUrl,
      upstreamModel: endpoint.upstreamModel,
      maxOutput: endpoint.maxOutput,
      ...(apiKey ? { apiKey } : {}),
    },
  };
}
