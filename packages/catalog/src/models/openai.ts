import type { Model } from "../types.ts";
import { endpoint, released } from "./defaults.ts";

// Prices: integer nano-USD per token ($1/M tokens = 1000). From openai.com/api/pricing
// and each host's pricing page; all were whole nanos, no rounding needed. cacheRead is
// OpenAI's "cached input" price (automatic prompt caching; no charge for writes). The
// third-party gpt-oss hosts' cache discounts are not modelled: billed at the input price.
export const openaiModels: Model[] = [
  {
    id: "openai/gpt-4o",
    name: "OpenAI: GPT-4o",
    description: "OpenAI's flagship omni model: text and image input, strong tool use.",
    created: released("2024-05-13"),
    contextLength: 128_000,
    inputModalities: ["text", "image", "file"],
    outputModalities: ["text"],
    endpoints: [
      endpoint("openai", {
        upstreamModel: "gpt-4o",
        pricing: { prompt: 2500, completion: 10_000, cacheRead: 1250 }, // $2.50 / $10, cached $1.25
        quantization: "unknown",
        contextLength: 128_000,
        maxOutput: 16_384,
        throughput: 80,
        latencyMs: 450,
      }),
    ],
  },
  {
    id: "openai/gpt-4o-mini",
    name: "OpenAI: GPT-4o-mini",
    description: "Small, cheap GPT-4o variant for high-volume tasks.",
    created: released("2024-07-18"),
    contextLength: 128_000,
    inputModalities: ["text", "image", "file"],
    outputModalities: ["text"],
    endpoints: [
      endpoint("openai", {
        upstreamModel: "gpt-4o-mini",
        pricing: { prompt: 150, completion: 600, cacheRead: 75 }, // $0.15 / $0.60, cached $0.075
        quantization: "unknown",
        contextLength: 128_000,
        maxOutput: 16_384,
        throughput: 75,
        latencyMs: 400,
      }),
    ],
  },
  {
    id: "openai/gpt-4.1",
    name: "OpenAI: GPT-4.1",
    description: "GPT-4.1: 1M-token context, improved coding and instruction following.",
    created: released("2025-04-14"),
    contextLength: 1_047_576,
    inputModalities: ["text", "image", "file"],
    outputModalities: ["text"],
    endpoints: [
      endpoint("openai", {
        upstreamModel: "gpt-4.1",
        pricing: { prompt: 2000, completion: 8000, cacheRead: 500 }, // $2 / $8, cached $0.50
        quantization: "unknown",
        contextLength: 1_047_576,
        maxOutput: 32_768,
        throughput: 70,
        latencyMs: 500,
      }),
    ],
  },
  {
    id: "openai/gpt-4.1-mini",
    name: "OpenAI: GPT-4.1 Mini",
    description: "Mid-size GPT-4.1 with the same 1M context at a fraction of the price.",
    created: released("2025-04-14"),
    contextLength: 1_047_576,
    inputModalities: ["text", "image", "file"],
    outputModalities: ["text"],
    endpoints: [
      endpoint("openai", {
        upstreamModel: "gpt-4.1-mini",
        pricing: { prompt: 400, completion: 1600, cacheRead: 100 }, // $0.40 / $1.60, cached $0.10
        quantization: "unknown",
        contextLength: 1_047_576,
        maxOutput: 32_768,
        throughput: 80,
        latencyMs: 400,
      }),
    ],
  },
  {
    // Open-weight MoE, MXFP4 weights; served by third parties, not by OpenAI's API.
    id: "openai/gpt-oss-120b",
    name: "OpenAI: gpt-oss-120b",
    description: "OpenAI's open-weight 117B MoE reasoning model (5.1B active), Apache 2.0.",
    created: released("2025-08-05"),
    contextLength: 131_072,
    inputModalities: ["text"],
    outputModalities: ["text"],
    endpoints: [
      endpoint("groq", {
        upstreamModel: "openai/gpt-oss-120b",
        pricing: { prompt: 150, completion: 750 }, // $0.15 / $0.75
        quantization: "fp4",
        contextLength: 131_072,
        maxOutput: 65_536,
        throughput: 450,
        latencyMs: 200,
      }),
      endpoint("together", {
        upstreamModel: "openai/gpt-oss-120b",
        pricing: { prompt: 150, completion: 600 }, // $0.15 / $0.60
        quantization: "fp4",
        contextLength: 131_072,
        maxOutput: 32_768,
        throughput: 150,
        latencyMs: 400,
      }),
      endpoint("fireworks", {
        upstreamModel: "accounts/fireworks/models/gpt-oss-120b",
        pricing: { prompt: 150, completion: 600 }, // $0.15 / $0.60
        quantization: "fp4",
        contextLength: 131_072,
        maxOutput: 32_768,
        throughput: 200,
        latencyMs: 350,
      }),
      endpoint("nebius", {
        upstreamModel: "openai/gpt-oss-120b",
        pricing: { prompt: 150, completion: 600 }, // $0.15 / $0.60
        quantization: "fp4",
        contextLength: 131_072,
        maxOutput: 32_768,
        throughput: 90,
        latencyMs: 600,
      }),
    ],
  },
];
