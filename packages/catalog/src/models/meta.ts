import type { Model } from "../types.ts";
import { endpoint, FREE_TIER_POLICY, released } from "./defaults.ts";

// Prices: integer nano-USD per token, from each host's pricing page. Open-weight models
// show the spread a router exploits: same weights, different price/speed/region.
// All whole nanos, no rounding needed.
export const metaModels: Model[] = [
  {
    id: "meta-llama/llama-3.3-70b-instruct",
    name: "Meta: Llama 3.3 70B Instruct",
    description: "Meta's multilingual 70B instruct model, 128k context, tool use.",
    created: released("2024-12-06"),
    contextLength: 131_072,
    inputModalities: ["text"],
    outputModalities: ["text"],
    endpoints: [
      endpoint("groq", {
        upstreamModel: "llama-3.3-70b-versatile",
        pricing: { prompt: 590, completion: 790 }, // $0.59 / $0.79
        quantization: "unknown",
        contextLength: 131_072,
        maxOutput: 32_768,
        throughput: 275,
        latencyMs: 200,
      }),
      endpoint("together", {
        upstreamModel: "meta-llama/Llama-3.3-70B-Instruct-Turbo",
        pricing: { prompt: 880, completion: 880 }, // $0.88 / $0.88
        quantization: "fp8",
        contextLength: 131_072,
        maxOutput: 8192,
        throughput: 110,
        latencyMs: 400,
      }),
      endpoint("fireworks", {
        upstreamModel: "accounts/fireworks/models/llama-v3p3-70b-instruct",
        pricing: { prompt: 900, completion: 900 }, // $0.90 / $0.90
        quantization: "fp8",
        contextLength: 131_072,
        maxOutput: 16_384,
        throughput: 120,
        latencyMs: 350,
      }),
      endpoint("nebius", {
        upstreamModel: "meta-llama/Llama-3.3-70B-Instruct",
        pricing: { prompt: 130, completion: 400 }, // $0.13 / $0.40 (base flavour)
        quantization: "fp8",
        contextLength: 131_072,
        maxOutput: 8192,
        throughput: 35,
        latencyMs: 700,
      }),
      // Together's rate-limited free endpoint, served to `:free`.
      endpoint("together", {
        upstreamModel: "meta-llama/Llama-3.3-70B-Instruct-Turbo-Free",
        pricing: { prompt: 0, completion: 0 },
        free: true,
        dataPolicy: FREE_TIER_POLICY,
        quantization: "fp8",
        contextLength: 131_072,
        maxOutput: 4096,
        throughput: 60,
        latencyMs: 800,
      }),
    ],
  },
  {
    id: "meta-llama/llama-3.1-8b-instruct",
    name: "Meta: Llama 3.1 8B Instruct",
    description: "Small, fast Llama 3.1 for cheap classification and chat.",
    created: released("2024-07-23"),
    contextLength: 131_072,
    inputModalities: ["text"],
    outputModalities: ["text"],
    endpoints: [
      endpoint("groq", {
        upstreamModel: "llama-3.1-8b-instant",
        pricing: { prompt: 50, completion: 80 }, // $0.05 / $0.08
        quantization: "unknown",
        contextLength: 131_072,
        maxOutput: 131_072,
        throughput: 750,
        latencyMs: 150,
      }),
      endpoint("together", {
        upstreamModel: "meta-llama/Meta-Llama-3.1-8B-Instruct-Turbo",
        pricing: { prompt: 180, completion: 180 }, // $0.18 / $0.18
        quantization: "fp8",
        contextLength: 131_072,
        maxOutput: 8192,
        throughput: 250,
        latencyMs: 300,
      }),
      endpoint("fireworks", {
        upstreamModel: "accounts/fireworks/models/llama-v3p1-8b-instruct",
        pricing: { prompt: 200, completion: 200 }, // $0.20 / $0.20 (4B–16B tier)
        quantization: "fp16",
        contextLength: 131_072,
        maxOutput: 16_384,
        throughput: 280,
        latencyMs: 250,
      }),
      endpoint("nebius", {
        upstreamModel: "meta-llama/Meta-Llama-3.1-8B-Instruct",
        pricing: { prompt: 20, completion: 60 }, // $0.02 / $0.06
        quantization: "fp8",
        contextLength: 131_072,
        maxOutput: 8192,
        throughput: 90,
        latencyMs: 500,
      }),
    ],
  },
  {
    id: "meta-llama/llama-4-maverick",
    name: "Meta: Llama 4 Maverick",
    description: "Meta's 400B-parameter MoE (17B active, 128 experts), natively multimodal.",
    created: released("2025-04-05"),
    contextLength: 1_048_576,
    inputModalities: ["text", "image"],
    outputModalities: ["text"],
    endpoints: [
      endpoint("groq", {
        upstreamModel: "meta-llama/llama-4-maverick-17b-128e-instruct",
        pricing: { prompt: 200, completion: 600 }, // $0.20 / $0.60
        quantization: "unknown",
        contextLength: 131_072,
        maxOutput: 8192,
        throughput: 500,
        latencyMs: 200,
      }),
      endpoint("together", {
        upstreamModel: "meta-llama/Llama-4-Maverick-17B-128E-Instruct-FP8",
        pricing: { prompt: 270, completion: 850 }, // $0.27 / $0.85
        quantization: "fp8",
        contextLength: 1_048_576,
        maxOutput: 16_384,
        throughput: 120,
        latencyMs: 400,
      }),
      endpoint("fireworks", {
        upstreamModel: "accounts/fireworks/models/llama4-maverick-instruct-basic",
        pricing: { prompt: 220, completion: 880 }, // $0.22 / $0.88
        quantization: "fp8",
        contextLength: 1_048_576,
        maxOutput: 16_384,
        throughput: 140,
        latencyMs: 350,
      }),
    ],
  },
];
