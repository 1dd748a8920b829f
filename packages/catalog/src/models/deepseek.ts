import type { Model } from "../types.ts";
import { endpoint, FREE_TIER_POLICY, released } from "./defaults.ts";

// Prices: integer nano-USD per token. DeepSeek's own prices are its V3/R1-era list
// prices: prompt is the cache-miss input price, cacheRead the cache-hit price (context
// caching is automatic; writes cost the miss price). Third-party prices from Together's
// and Fireworks' pages (cache discounts not modelled). All whole nanos.
export const deepseekModels: Model[] = [
  {
    id: "deepseek/deepseek-chat",
    name: "DeepSeek: DeepSeek V3",
    description: "DeepSeek V3: 671B MoE (37B active) general chat model.",
    created: released("2024-12-26"),
    contextLength: 131_072,
    inputModalities: ["text"],
    outputModalities: ["text"],
    endpoints: [
      endpoint("deepseek", {
        upstreamModel: "deepseek-chat",
        pricing: { prompt: 270, completion: 1100, cacheRead: 70 }, // $0.27 / $1.10, cache hit $0.07
        quantization: "fp8",
        contextLength: 65_536,
        maxOutput: 8192,
        throughput: 25,
        latencyMs: 1500,
      }),
      endpoint("together", {
        upstreamModel: "deepseek-ai/DeepSeek-V3",
        pricing: { prompt: 1250, completion: 1250 }, // $1.25 / $1.25
        quantization: "fp8",
        contextLength: 131_072,
        maxOutput: 16_384,
        throughput: 60,
        latencyMs: 600,
      }),
      endpoint("fireworks", {
        upstreamModel: "accounts/fireworks/models/deepseek-v3",
        pricing: { prompt: 900, completion: 900 }, // $0.90 / $0.90
        quantization: "fp8",
        contextLength: 131_072,
        maxOutput: 16_384,
        throughput: 70,
        latencyMs: 500,
      }),
    ],
  },
  {
    id: "deepseek/deepseek-r1",
    name: "DeepSeek: R1",
    description: "DeepSeek R1: open reasoning model with visible chain of thought.",
    created: released("2025-01-20"),
    contextLength: 163_840,
    inputModalities: ["text"],
    outputModalities: ["text"],
    endpoints: [
      endpoint("deepseek", {
        upstreamModel: "deepseek-reasoner",
        pricing: { prompt: 550, completion: 2190, cacheRead: 140 }, // $0.55 / $2.19, cache hit $0.14
        quantization: "fp8",
        contextLength: 65_536,
        maxOutput: 32_768,
        // deepseek-reasoner ignores sampling params and rejects logprobs/tools.
        supportedParameters: ["max_tokens", "stop"],
        throughput: 25,
        latencyMs: 3000,
      }),
      endpoint("together", {
        upstreamModel: "deepseek-ai/DeepSeek-R1",
        pricing: { prompt: 3000, completion: 7000 }, // $3 / $7
        quantization: "fp8",
        contextLength: 163_840,
        maxOutput: 32_768,
        throughput: 55,
        latencyMs: 900,
      }),
      endpoint("fireworks", {
        upstreamModel: "accounts/fireworks/models/deepseek-r1",
        pricing: { prompt: 3000, completion: 8000 }, // $3 / $8
        quantization: "fp8",
        contextLength: 163_840,
        maxOutput: 32_768,
        throughput: 70,
        latencyMs: 800,
      }),
    ],
  },
  {
    id: "deepseek/deepseek-r1-distill-llama-70b",
    name: "DeepSeek: R1 Distill Llama 70B",
    description: "Llama 3.3 70B fine-tuned on DeepSeek R1 reasoning traces.",
    created: released("2025-01-23"),
    contextLength: 131_072,
    inputModalities: ["text"],
    outputModalities: ["text"],
    endpoints: [
      endpoint("groq", {
        upstreamModel: "deepseek-r1-distill-llama-70b",
        pricing: { prompt: 750, completion: 990 }, // $0.75 / $0.99
        quantization: "unknown",
        contextLength: 131_072,
        maxOutput: 131_072,
        throughput: 275,
        latencyMs: 250,
      }),
      endpoint("together", {
        upstreamModel: "deepseek-ai/DeepSeek-R1-Distill-Llama-70B",
        pricing: { prompt: 2000, completion: 2000 }, // $2 / $2
        quantization: "fp16",
        contextLength: 131_072,
        maxOutput: 16_384,
        throughput: 90,
        latencyMs: 500,
      }),
      // Together's rate-limited free endpoint (short context), served to `:free`.
      endpoint("together", {
        upstreamModel: "deepseek-ai/DeepSeek-R1-Distill-Llama-70B-free",
        pricing: { prompt: 0, completion: 0 },
        free: true,
        dataPolicy: FREE_TIER_POLICY,
        quantization: "fp16",
        contextLength: 8192,
        maxOutput: 4096,
        throughput: 40,
        latencyMs: 1000,
      }),
    ],
  },
];
