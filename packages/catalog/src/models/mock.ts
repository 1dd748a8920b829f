import type { Model } from "../types.ts";
import { endpoint, released, type EndpointSpec } from "./defaults.ts";

/**
 * Models served by the in-process mock upstream. Prices are small but non-zero so
 * billing paths are exercised; mock-eu costs more than mock so price sorting is
 * observable. upstreamModel is the slug after `mock/`. Cache prices follow the shape
 * of the real provider each mock speaks like (`[mock:cached=N]` makes them report cached
 * tokens): 25 % of input for cache reads, and for the Anthropic mock 10 % reads and
 * 125 % writes.
 */
const usSpec = (slug: string, pricing: EndpointSpec["pricing"] = { prompt: 1000, completion: 2000, cacheRead: 250 }): EndpointSpec => ({
  upstreamModel: slug,
  pricing, // $1 / $2 per M, cached $0.25
  quantization: "bf16",
  contextLength: 131_072,
  maxOutput: 16_384,
  throughput: 100,
  latencyMs: 50,
});

const euSpec = (slug: string): EndpointSpec => ({
  upstreamModel: slug,
  pricing: { prompt: 1500, completion: 3000, cacheRead: 375 }, // $1.50 / $3 per M, cached $0.375
  quantization: "bf16",
  contextLength: 131_072,
  maxOutput: 16_384,
  throughput: 80,
  latencyMs: 80,
});

const mockModel = (slug: string, description: string, endpoints: Model["endpoints"], shape: Partial<Model> = {}): Model => ({
  id: `mock/${slug}`,
  name: `Mock: ${slug}`,
  description,
  created: released("2025-01-01"),
  contextLength: 131_072,
  inputModalities: ["text"],
  outputModalities: ["text"],
  endpoints,
  ...shape,
});

export const mockModels: Model[] = [
  mockModel("echo", "Echoes the request; supports tools and JSON output. US and EU endpoints.", [
    endpoint("mock", usSpec("echo")),
    endpoint("mock-eu", euSpec("echo")),
  ]),
  mockModel("echo-eu-only", "Echo served only from the EU (ZDR) mock endpoint.", [
    endpoint("mock-eu", euSpec("echo-eu-only")),
  ]),
  mockModel("echo-us-only", "Echo served only from the US mock endpoint (no ZDR).", [
    endpoint("mock", usSpec("echo-us-only")),
  ]),
  mockModel("claude-echo", "Echo through the Anthropic Messages adapter (the mock speaks Anthropic's wire format).", [
    endpoint("mock-anthropic", usSpec("claude-echo", { prompt: 1000, completion: 2000, cacheRead: 100, cacheWrite: 1250 })),
  ], { inputModalities: ["text", "image", "file"] }),
  mockModel("gemini-echo", "Echo through the Gemini adapter (the mock speaks Gemini's wire format).", [
    endpoint("mock-gemini", usSpec("gemini-echo")),
  ], { inputModalities: ["text", "image", "file", "audio"] }),
  mockModel(
    "embed",
    "Deterministic unit-vector embeddings (16 dimensions unless asked otherwise).",
    [
      endpoint("mock", {
        ...usSpec("embed"),
        pricing: { prompt: 100, completion: 0 }, // $0.10 per M input tokens
        contextLength: 8192,
        maxOutput: 8192, // no output tokens; the catalog wants a positive limit
        supportedParameters: ["dimensions", "encoding_format"],
      }),
    ],
    { contextLength: 8192, outputModalities: ["embeddings"] },
  ),
];
