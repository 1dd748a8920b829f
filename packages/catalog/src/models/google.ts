import type { Model } from "../types.ts";
import { endpoint, released } from "./defaults.ts";

// Prices: integer nano-USD per token, from ai.google.dev/pricing (paid tier, text input;
// Vertex lists the same). Gemini 2.5 Pro uses its ≤200k-prompt tier; longer prompts
// cost more upstream ($2.50 / $15) and are not modelled. cacheRead is the context-cache
// price for text (implicit caching on 2.5, 25 % of input; explicit caching only on 2.0,
// whose storage fee is not modelled): Google lists $0.31 for 2.5 Pro (25 % would be
// $0.3125, not a whole nano), $0.075 for 2.5 Flash, $0.025 for 2.0 Flash. All whole nanos.
export const googleModels: Model[] = [
  {
    id: "google/gemini-2.5-pro",
    name: "Google: Gemini 2.5 Pro",
    description: "Google's top thinking model: 1M context, multimodal input, strong reasoning.",
    created: released("2025-06-17"),
    contextLength: 1_048_576,
    inputModalities: ["text", "image", "file", "audio"],
    outputModalities: ["text"],
    endpoints: [
      endpoint("google-ai-studio", {
        upstreamModel: "gemini-2.5-pro",
        pricing: { prompt: 1250, completion: 10_000, cacheRead: 310 }, // $1.25 / $10, cached $0.31
        quantization: "unknown",
        contextLength: 1_048_576,
        maxOutput: 65_536,
        throughput: 90,
        latencyMs: 2500,
      }),
      endpoint("google-vertex-eu", {
        upstreamModel: "gemini-2.5-pro",
        pricing: { prompt: 1250, completion: 10_000, cacheRead: 310 }, // $1.25 / $10, cached $0.31
        quantization: "unknown",
        contextLength: 1_048_576,
        maxOutput: 65_536,
        throughput: 85,
        latencyMs: 2700,
      }),
    ],
  },
  {
    id: "google/gemini-2.5-flash",
    name: "Google: Gemini 2.5 Flash",
    description: "Fast, cheap Gemini 2.5 thinking model with 1M context.",
    created: released("2025-06-17"),
    contextLength: 1_048_576,
    inputModalities: ["text", "image", "file", "audio"],
    outputModalities: ["text"],
    endpoints: [
      endpoint("google-ai-studio", {
        upstreamModel: "gemini-2.5-flash",
        pricing: { prompt: 300, completion: 2500, cacheRead: 75 }, // $0.30 / $2.50, cached $0.075
        quantization: "unknown",
        contextLength: 1_048_576,
        maxOutput: 65_536,
        throughput: 180,
        latencyMs: 500,
      }),
      endpoint("google-vertex-eu", {
        upstreamModel: "gemini-2.5-flash",
        pricing: { prompt: 300, completion: 2500, cacheRead: 75 }, // $0.30 / $2.50, cached $0.075
        quantization: "unknown",
        contextLength: 1_048_576,
        maxOutput: 65_536,
        throughput: 160,
        latencyMs: 600,
      }),
    ],
  },
  {
    id: "google/gemini-2.0-flash-001",
    name: "Google: Gemini 2.0 Flash",
    description: "Previous-generation Gemini Flash: very low cost, 1M context, tool use.",
    created: released("2025-02-05"),
    contextLength: 1_048_576,
    inputModalities: ["text", "image", "file", "audio"],
    outputModalities: ["text"],
    endpoints: [
      endpoint("google-ai-studio", {
        upstreamModel: "gemini-2.0-flash-001",
        pricing: { prompt: 100, completion: 400, cacheRead: 25 }, // $0.10 / $0.40, cached $0.025
        quantization: "unknown",
        contextLength: 1_048_576,
        maxOutput: 8192,
        throughput: 200,
        latencyMs: 400,
      }),
      endpoint("google-vertex-eu", {
        upstreamModel: "gemini-2.0-flash-001",
        pricing: { prompt: 100, completion: 400, cacheRead: 25 }, // $0.10 / $0.40, cached $0.025
        quantization: "unknown",
        contextLength: 1_048_576,
        maxOutput: 8192,
        throughput: 180,
        latencyMs: 500,
      }),
    ],
  },
];
