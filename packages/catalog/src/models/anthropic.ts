import type { Model } from "../types.ts";
import { endpoint, released } from "./defaults.ts";

// Prices: integer nano-USD per token, from anthropic.com/pricing. cacheRead is the cache
// hit price (10 % of input), cacheWrite the 5-minute cache write (125 % of input); 1-hour
// writes (200 %) bill as 5-minute writes: the adapter does not read usage.cache_creation's
// 5m/1h split yet.
// All whole nanos.
export const anthropicModels: Model[] = [
  {
    id: "anthropic/claude-sonnet-4",
    name: "Anthropic: Claude Sonnet 4",
    description: "Balanced Claude 4 model: strong coding and agentic tool use, hybrid reasoning.",
    created: released("2025-05-22"),
    contextLength: 200_000,
    inputModalities: ["text", "image", "file"],
    outputModalities: ["text"],
    endpoints: [
      endpoint("anthropic", {
        upstreamModel: "claude-sonnet-4-20250514",
        pricing: { prompt: 3000, completion: 15_000, cacheRead: 300, cacheWrite: 3750 }, // $3 / $15, read $0.30, write $3.75
        quantization: "unknown",
        contextLength: 200_000,
        maxOutput: 64_000,
        throughput: 60,
        latencyMs: 1200,
      }),
    ],
  },
  {
    id: "anthropic/claude-opus-4",
    name: "Anthropic: Claude Opus 4",
    description: "Anthropic's most capable Claude 4 model for long, complex agentic work.",
    created: released("2025-05-22"),
    contextLength: 200_000,
    inputModalities: ["text", "image", "file"],
    outputModalities: ["text"],
    endpoints: [
      endpoint("anthropic", {
        upstreamModel: "claude-opus-4-20250514",
        pricing: { prompt: 15_000, completion: 75_000, cacheRead: 1500, cacheWrite: 18_750 }, // $15 / $75, read $1.50, write $18.75
        quantization: "unknown",
        contextLength: 200_000,
        maxOutput: 32_000,
        throughput: 35,
        latencyMs: 1800,
      }),
    ],
  },
  {
    id: "anthropic/claude-3.5-haiku",
    name: "Anthropic: Claude 3.5 Haiku",
    description: "Anthropic's fast, low-cost model for everyday tasks.",
    created: released("2024-11-04"),
    contextLength: 200_000,
    inputModalities: ["text", "image"],
    outputModalities: ["text"],
    endpoints: [
      endpoint("anthropic", {
        upstreamModel: "claude-3-5-haiku-20241022",
        pricing: { prompt: 800, completion: 4000, cacheRead: 80, cacheWrite: 1000 }, // $0.80 / $4, read $0.08, write $1
        quantization: "unknown",
        contextLength: 200_000,
        maxOutput: 8192,
        throughput: 60,
        latencyMs: 700,
      }),
    ],
  },
];
