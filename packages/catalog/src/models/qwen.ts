import type { Model } from "../types.ts";
import { endpoint, released } from "./defaults.ts";

// Prices: integer nano-USD per token, from Together, Fireworks, Groq and Nebius pricing
// pages. All whole nanos, no rounding needed.
export const qwenModels: Model[] = [
  {
    id: "qwen/qwen-2.5-72b-instruct",
    name: "Qwen: Qwen2.5 72B Instruct",
    description: "Alibaba's Qwen2.5 72B: strong coding, maths and multilingual chat.",
    created: released("2024-09-19"),
    contextLength: 131_072,
    inputModalities: ["text"],
    outputModalities: ["text"],
    endpoints: [
      endpoint("together", {
        upstreamModel: "Qwen/Qwen2.5-72B-Instruct-Turbo",
        pricing: { prompt: 1200, completion: 1200 }, // $1.20 / $1.20
        quantization: "fp8",
        contextLength: 32_768,
        maxOutput: 8192,
        throughput: 90,
        latencyMs: 450,
      }),
      endpoint("fireworks", {
        upstreamModel: "accounts/fireworks/models/qwen2p5-72b-instruct",
        pricing: { prompt: 900, completion: 900 }, // $0.90 / $0.90
        quantization: "fp16",
        contextLength: 32_768,
        maxOutput: 16_384,
        throughput: 80,
        latencyMs: 400,
      }),
      endpoint("nebius", {
        upstreamModel: "Qwen/Qwen2.5-72B-Instruct",
        pricing: { prompt: 130, completion: 400 }, // $0.13 / $0.40
        quantization: "fp8",
        contextLength: 131_072,
        maxOutput: 8192,
        throughput: 35,
        latencyMs: 700,
      }),
    ],
  },
  {
    id: "qwen/qwen3-235b-a22b",
    name: "Qwen: Qwen3 235B A22B",
    description: "Qwen3 flagship MoE (22B active) with switchable thinking mode.",
    created: released("2025-04-29"),
    contextLength: 131_072,
    inputModalities: ["text"],
    outputModalities: ["text"],
    endpoints: [
      endpoint("together", {
        upstreamModel: "Qwen/Qwen3-235B-A22B-fp8-tput",
        pricing: { prompt: 200, completion: 600 }, // $0.20 / $0.60
        quantization: "fp8",
        contextLength: 40_960,
        maxOutput: 16_384,
        throughput: 40,
        latencyMs: 700,
      }),
      endpoint("fireworks", {
        upstreamModel: "accounts/fireworks/models/qwen3-235b-a22b",
        pricing: { prompt: 220, completion: 880 }, // $0.22 / $0.88
        quantization: "fp8",
        contextLength: 131_072,
        maxOutput: 16_384,
        throughput: 80,
        latencyMs: 450,
      }),
      endpoint("nebius", {
        upstreamModel: "Qwen/Qwen3-235B-A22B",
        pricing: { prompt: 200, completion: 600 }, // $0.20 / $0.60
        quantization: "fp8",
        contextLength: 40_960,
        maxOutput: 16_384,
        throughput: 35,
        latencyMs: 800,
      }),
    ],
  },
  {
    id: "qwen/qwen3-32b",
    name: "Qwen: Qwen3 32B",
    description: "Dense 32B Qwen3 with thinking and non-thinking modes.",
    created: released("2025-04-29"),
    contextLength: 131_072,
    inputModalities: ["text"],
    outputModalities: ["text"],
    endpoints: [
      endpoint("groq", {
        upstreamModel: "qwen/qwen3-32b",
        pricing: { prompt: 290, completion: 590 }, // $0.29 / $0.59
        quantization: "unknown",
        contextLength: 131_072,
        maxOutput: 40_960,
        throughput: 400,
        latencyMs: 200,
      }),
      endpoint("nebius", {
        upstreamModel: "Qwen/Qwen3-32B",
        pricing: { prompt: 100, completion: 300 }, // $0.10 / $0.30
        quantization: "fp8",
        contextLength: 40_960,
        maxOutput: 16_384,
        throughput: 45,
        latencyMs: 600,
      }),
    ],
  },
];
