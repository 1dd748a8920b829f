import type { Model } from "../types.ts";
import { endpoint, released } from "./defaults.ts";

// Prices: integer nano-USD per token, from mistral.ai/pricing and Nebius' price list.
// Mistral's La Plateforme and Nebius both serve from the EU. All whole nanos.
export const mistralModels: Model[] = [
  {
    id: "mistralai/mistral-large",
    name: "Mistral: Mistral Large",
    description: "Mistral's flagship model (2411): strong reasoning, multilingual, function calling.",
    created: released("2024-11-18"),
    contextLength: 131_072,
    inputModalities: ["text"],
    outputModalities: ["text"],
    endpoints: [
      endpoint("mistral", {
        upstreamModel: "mistral-large-latest",
        pricing: { prompt: 2000, completion: 6000 }, // $2 / $6
        quantization: "unknown",
        contextLength: 131_072,
        maxOutput: 131_072, // no separate output cap; bounded by the context
        throughput: 45,
        latencyMs: 500,
      }),
    ],
  },
  {
    id: "mistralai/mistral-small",
    name: "Mistral: Mistral Small",
    description: "Mistral Small 3.x (24B): fast, cheap, image input, function calling.",
    created: released("2025-03-17"),
    contextLength: 131_072,
    inputModalities: ["text", "image"],
    outputModalities: ["text"],
    endpoints: [
      endpoint("mistral", {
        upstreamModel: "mistral-small-latest",
        pricing: { prompt: 100, completion: 300 }, // $0.10 / $0.30
        quantization: "unknown",
        contextLength: 131_072,
        maxOutput: 131_072,
        throughput: 120,
        latencyMs: 300,
      }),
    ],
  },
  {
    id: "mistralai/mistral-nemo",
    name: "Mistral: Mistral Nemo",
    description: "12B model built with NVIDIA, 128k context, Apache 2.0.",
    created: released("2024-07-18"),
    contextLength: 131_072,
    inputModalities: ["text"],
    outputModalities: ["text"],
    endpoints: [
      endpoint("mistral", {
        upstreamModel: "open-mistral-nemo",
        pricing: { prompt: 150, completion: 150 }, // $0.15 / $0.15
        quantization: "unknown",
        contextLength: 131_072,
        maxOutput: 131_072,
        throughput: 130,
        latencyMs: 300,
      }),
      endpoint("nebius", {
        upstreamModel: "mistralai/Mistral-Nemo-Instruct-2407",
        pricing: { prompt: 40, completion: 120 }, // $0.04 / $0.12
        quantization: "fp8",
        contextLength: 131_072,
        maxOutput: 8192,
        throughput: 70,
        latencyMs: 500,
      }),
    ],
  },
];
