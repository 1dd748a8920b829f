import { OPENAI_PARAMS, type DataPolicy, type Endpoint, type Region } from "../types.ts";

/**
 * Per-provider endpoint defaults (region, data policy, accepted parameters), so each
 * model file lists only what differs: upstream id, price, limits, speed.
 */

const without = (list: readonly string[], ...drop: string[]): string[] =>
  list.filter((p) => !drop.includes(p));

/** Parameters each provider's API accepts (OPENAI_PARAMS minus what it lacks). */
const PARAMS = {
  openai: [...OPENAI_PARAMS],
  // Messages API: no penalties, seed, logprobs, logit_bias or response_format.
  anthropic: ["max_tokens", "temperature", "top_p", "top_k", "stop", "tools", "tool_choice"],
  // generateContent: no logit_bias, logprobs or parallel_tool_calls switch.
  gemini: [
    ...without(OPENAI_PARAMS, "logit_bias", "logprobs", "top_logprobs", "parallel_tool_calls"),
    "top_k",
  ],
  groq: without(OPENAI_PARAMS, "logit_bias", "logprobs", "top_logprobs", "structured_outputs"),
  together: [...OPENAI_PARAMS, "top_k"],
  fireworks: [...OPENAI_PARAMS, "top_k"],
  nebius: [...OPENAI_PARAMS, "top_k"],
  // json_object only (no json_schema), no seed, logit_bias or parallel_tool_calls.
  deepseek: without(OPENAI_PARAMS, "seed", "logit_bias", "parallel_tool_calls", "structured_outputs"),
  mistral: without(OPENAI_PARAMS, "logit_bias", "logprobs", "top_logprobs"),
  // The mock accepts everything so tests can exercise any parameter.
  mock: [...OPENAI_PARAMS, "top_k"],
} satisfies Record<string, string[]>;

const policy = (training: boolean, retainsPrompts: boolean, zdr: boolean): DataPolicy => ({
  training,
  retainsPrompts,
  zdr,
});

interface ProviderDefaults {
  region: Region;
  dataPolicy: DataPolicy;
  supportedParameters: string[];
}

/** Keyed by provider slug (must match providers.ts). */
const DEFAULTS = {
  // Paid APIs: no training; prompts kept ~30 days for abuse monitoring; ZDR only by contract.
  openai: { region: "us", dataPolicy: policy(false, true, false), supportedParameters: PARAMS.openai },
  anthropic: { region: "us", dataPolicy: policy(false, true, false), supportedParameters: PARAMS.anthropic },
  "google-ai-studio": { region: "us", dataPolicy: policy(false, true, false), supportedParameters: PARAMS.gemini },
  // Vertex with caching off and the abuse-logging exemption is zero-retention.
  "google-vertex-eu": { region: "eu", dataPolicy: policy(false, false, true), supportedParameters: PARAMS.gemini },
  groq: { region: "us", dataPolicy: policy(false, false, true), supportedParameters: PARAMS.groq },
  // Retention is an account setting (off for us), not a contractual ZDR.
  together: { region: "us", dataPolicy: policy(false, false, false), supportedParameters: PARAMS.together },
  fireworks: { region: "us", dataPolicy: policy(false, false, true), supportedParameters: PARAMS.fireworks },
  nebius: { region: "eu", dataPolicy: policy(false, false, true), supportedParameters: PARAMS.nebius },
  // Hosted in China; its terms allow using inputs to improve the service. `region` only
  // distinguishes EU residency, so non-EU hosting is "us".
  deepseek: { region: "us", dataPolicy: policy(true, true, false), supportedParameters: PARAMS.deepseek },
  mistral: { region: "eu", dataPolicy: policy(false, true, false), supportedParameters: PARAMS.mistral },
  mock: { region: "us", dataPolicy: policy(false, false, false), supportedParameters: PARAMS.mock },
  "mock-eu": { region: "eu", dataPolicy: policy(false, false, true), supportedParameters: PARAMS.mock },
  // Native-format mocks accept what their format's adapter can carry, like the real providers.
  "mock-anthropic": { region: "us", dataPolicy: policy(false, false, false), supportedParameters: PARAMS.anthropic },
  "mock-gemini": { region: "us", dataPolicy: policy(false, false, false), supportedParameters: PARAMS.gemini },
} satisfies Record<string, ProviderDefaults>;

export type CatalogProvider = keyof typeof DEFAULTS;

/** An endpoint minus what the provider defaults supply (each may still be overridden). */
export type EndpointSpec = Omit<Endpoint, "provider" | keyof ProviderDefaults> & Partial<ProviderDefaults>;

/** Builds an endpoint with fresh copies of the defaults, so no two endpoints share arrays. */
export function endpoint(provider: CatalogProvider, spec: EndpointSpec): Endpoint {
  const d: ProviderDefaults = DEFAULTS[provider];
  const { region, dataPolicy, supportedParameters, ...rest } = spec;
  return {
    provider,
    ...rest,
    region: region ?? d.region,
    dataPolicy: { ...(dataPolicy ?? d.dataPolicy) },
    supportedParameters: [...(supportedParameters ?? d.supportedParameters)],
  };
}

/** Free-tier policy: free upstream tiers keep prompts and may not promise ZDR. */
export const FREE_TIER_POLICY: DataPolicy = policy(false, true, false);

/** Unix seconds at 00:00 UTC of a release date (YYYY-MM-DD). */
export function released(isoDate: string): number {
  const ms = Date.parse(`${isoDate}T00:00:00Z`);
  if (Number.isNaN(ms)) throw new Error(`bad release date: ${isoDate}`);
  return ms / 1000;
}
