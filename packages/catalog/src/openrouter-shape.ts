import { formatUsdPerToken } from "./format.ts";
import { providerFor } from "./lookup.ts";
import type { DataPolicy, Endpoint, Model, Region } from "./types.ts";

/**
 * Catalog entries rendered as OpenRouter's public JSON (`GET /api/v1/models` and
 * `GET /api/v1/models/:author/:slug/endpoints`), so OpenRouter clients work unchanged.
 * Prices are decimal USD-per-unit strings, as OpenRouter sends them.
 */

export interface OpenRouterArchitecture {
  modality: string;
  input_modalities: string[];
  output_modalities: string[];
  tokenizer: "Other";
  instruct_type: null;
}

export interface OpenRouterEndpointPricing {
  prompt: string;
  completion: string;
  request: string;
  image: string;
  /** Per prompt token read from / written to the provider's prompt cache; only where priced. */
  input_cache_read?: string;
  input_cache_write?: string;
}

export interface OpenRouterModelPricing extends OpenRouterEndpointPricing {
  web_search: string;
  internal_reasoning: string;
}

export interface OpenRouterModel {
  id: string;
  canonical_slug: string;
  name: string;
  created: number;
  description: string;
  context_length: number;
  architecture: OpenRouterArchitecture;
  pricing: OpenRouterModelPricing;
  top_provider: { context_length: number; max_completion_tokens: number | null; is_moderated: boolean };
  per_request_limits: null;
  supported_parameters: string[];
}

export interface OpenRouterEndpoint {
  name: string;
  model_name: string;
  context_length: number;
  pricing: OpenRouterEndpointPricing;
  provider_name: string;
  tag: string;
  quantization: Endpoint["quantization"];
  max_completion_tokens: number;
  max_prompt_tokens: null;
  supported_parameters: string[];
  status: number;
  uptime_last_5m: number | null;
  uptime_last_30m: number | null;
  uptime_last_1d: number | null;
  /** Time to first token, ms, over the last 30 minutes. */
  latency_last_30m: OpenRouterPercentiles | null;
  /** Completion tokens per second over the last 30 minutes. */
  throughput_last_30m: OpenRouterPercentiles | null;
  region: Region;
  data_policy: { training: boolean; retains_prompts: boolean; zdr: boolean };
}

export interface OpenRouterPercentiles {
  p50: number;
  p75: number;
  p90: number;
  p99: number;
}

/** What the gateway measured of one endpoint (null: nothing measured in that window). */
export type OpenRouterEndpointStats = Pick<
  OpenRouterEndpoint,
  "uptime_last_5m" | "uptime_last_30m" | "uptime_last_1d" | "latency_last_30m" | "throughput_last_30m"
>;

const UNMEASURED: OpenRouterEndpointStats = {
  uptime_last_5m: null,
  uptime_last_30m: null,
  uptime_last_1d: null,
  latency_last_30m: null,
  throughput_last_30m: null,
};

export interface OpenRouterEndpointsResponse {
  data: {
    id: string;
    name: string;
    created: number;
    description: string;
    architecture: OpenRouterArchitecture;
    endpoints: OpenRouterEndpoint[];
  };
}

/** OpenRouter's summary string names only text and image inputs (e.g. "text+image->text"). */
function architecture(model: Model): OpenRouterArchitecture {
  const input = model.inputModalities.includes("image") ? "text+image" : "text";
  return {
    modality: `${input}->${model.outputModalities.join("+")}`,
    input_modalities: [...model.inputModalities],
    output_modalities: [...model.outputModalities],
    tokenizer: "Other",
    instruct_type: null,
  };
}

function endpointPricing(e: Endpoint | undefined): OpenRouterEndpointPricing {
  const p = e?.pricing;
  return {
    prompt: formatUsdPerToken(p?.prompt ?? 0),
    completion: formatUsdPerToken(p?.completion ?? 0),
    request: formatUsdPerToken(p?.request ?? 0),
    image: formatUsdPerToken(p?.image ?? 0),
    ...(p?.cacheRead !== undefined ? { input_cache_read: formatUsdPerToken(p.cacheRead) } : {}),
    ...(p?.cacheWrite !== undefined ? { input_cache_write: formatUsdPerToken(p.cacheWrite) } : {}),
  };
}

/**
 * The endpoint OpenRouter would show as the model's default: the cheapest paid one
 * (prompt + completion, then prompt; ties keep catalog order). Free endpoints belong to
 * the `:free` variant, so they only count when nothing else exists.
 */
export function cheapestEndpoint(model: Model): Endpoint | undefined {
  const paid = model.endpoints.filter((e) => !e.free);
  const pool = paid.length > 0 ? paid : model.endpoints;
  let best: Endpoint | undefined;
  for (const e of pool) {
    if (!best) {
      best = e;
      continue;
    }
    const sum = e.pricing.prompt + e.pricing.completion;
    const bestSum = best.pricing.prompt + best.pricing.completion;
    if (sum < bestSum || (sum === bestSum && e.pricing.prompt < best.pricing.prompt)) best = e;
  }
  return best;
}

/** Union of the endpoints' parameters, first-seen order. */
function supportedParameters(model: Model): string[] {
  return [...new Set(model.endpoints.flatMap((e) => e.supportedParameters))];
}

/** One item of `GET /api/v1/models`. */
export function toOpenRouterModel(model: Model): OpenRouterModel {
  const top = cheapestEndpoint(model);
  return {
    id: model.id,
    canonical_slug: model.id,
    name: model.name,
    created: model.created,
    description: model.description,
    context_length: model.contextLength,
    architecture: architecture(model),
    pricing: { ...endpointPricing(top), web_search: "0", internal_reasoning: "0" },
    top_provider: {
      context_length: top?.contextLength ?? model.contextLength,
      max_completion_tokens: top?.maxOutput ?? null,
      is_moderated: false,
    },
    per_request_limits: null,
    supported_parameters: supportedParameters(model),
  };
}

function dataPolicy(p: DataPolicy): OpenRouterEndpoint["data_policy"] {
  return { training: p.training, retains_prompts: p.retainsPrompts, zdr: p.zdr };
}

function toOpenRouterEndpoint(model: Model, e: Endpoint, stats: OpenRouterEndpointStats): OpenRouterEndpoint {
  const providerName = providerFor(e.provider)?.name ?? e.provider;
  return {
    name: `${providerName} | ${model.id}${e.free ? ":free" : ""}`,
    model_name: model.name,
    context_length: e.contextLength,
    pricing: endpointPricing(e),
    provider_name: providerName,
    tag: e.provider,
    quantization: e.quantization,
    max_completion_tokens: e.maxOutput,
    max_prompt_tokens: null,
    supported_parameters: [...e.supportedParameters],
    status: 0,
    ...stats,
    region: e.region,
    data_policy: dataPolicy(e.dataPolicy),
  };
}

/** Body of `GET /api/v1/models/:author/:slug/endpoints`. */
export function toOpenRouterEndpoints(model: Model, measured?: (e: Endpoint) => OpenRouterEndpointStats | undefined): OpenRouterEndpointsResponse {
  return {
    data: {
      id: model.id,
      name: model.name,
      created: model.created,
      description: model.description,
      architecture: architecture(model),
      endpoints: model.endpoints.map((e) => toOpenRouterEndpoint(model, e, measured?.(e) ?? UNMEASURED)),
    },
  };
}
