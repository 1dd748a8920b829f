/**
 * The model catalog: models → endpoints. Prices are integer nano-dollars (1e-9 USD)
 * per unit, so cost = tokens × price is exact integer arithmetic.
 */

/** Wire format the provider speaks; picks the adapter. */
export type ApiFormat = "openai" | "anthropic" | "gemini";

export interface ProviderInfo {
  /** Slug used in `provider.order` / `only` / `ignore`, e.g. "openai", "together". */
  slug: string;
  name: string;
  apiFormat: ApiFormat;
  /** Base URL of the provider's API (the adapter appends its paths). Tests override it. */
  baseUrl: string;
  /** Environment variable holding the hosted key for this provider (absent for the mock). */
  apiKeyEnv?: string;
}

export type Region = "us" | "eu";

export interface DataPolicy {
  /** The provider may train on prompts. */
  training: boolean;
  /** The provider retains prompts (e.g. for abuse monitoring). */
  retainsPrompts: boolean;
  /** The provider offers zero data retention for this endpoint. */
  zdr: boolean;
}

/** Integer nano-dollars per unit. */
export interface Pricing {
  prompt: number; // per input token
  completion: number; // per output token
  cacheRead?: number; // per input token served from the provider's prompt cache (absent: prompt price)
  cacheWrite?: number; // per input token written to the provider's prompt cache (absent: prompt price)
  request?: number; // per request
  image?: number; // per input image
}

export interface Endpoint {
  /** Provider slug, a key of the provider table. */
  provider: string;
  /** The model id the provider expects in its own API. */
  upstreamModel: string;
  pricing: Pricing;
  region: Region;
  dataPolicy: DataPolicy;
  quantization: "fp4" | "fp8" | "bf16" | "fp16" | "int8" | "unknown";
  contextLength: number;
  maxOutput: number;
  supportedParameters: string[];
  /** Free-tier endpoint (served to `:free` variants), rate limited per key. */
  free?: boolean;
  /** Typical throughput (tokens/s) and latency (ms to first token): inputs to `sort`. */
  throughput?: number;
  latencyMs?: number;
}

export interface Model {
  /** "author/slug", e.g. "anthropic/claude-sonnet-4". */
  id: string;
  name: string;
  description: string;
  /** Unix seconds the model was released. */
  created: number;
  contextLength: number;
  inputModalities: Array<"text" | "image" | "file" | "audio">;
  outputModalities: Array<"text" | "embeddings">;
  endpoints: Endpoint[];
}

export const NANOS_PER_USD = 1_000_000_000n;

/** Common parameter sets, to keep catalog entries short. */
export const OPENAI_PARAMS = [
  "max_tokens", "temperature", "top_p", "stop", "seed", "frequency_penalty", "presence_penalty",
  "logit_bias", "logprobs", "top_logprobs", "tools", "tool_choice", "parallel_tool_calls",
  "response_format", "structured_outputs",
];
