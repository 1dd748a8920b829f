import type { Endpoint, Model } from "@switchyard/catalog";
import type { ChatCompletionRequest } from "@switchyard/schemas";
import type { RouteCatalog } from "../src/index.ts";

/** A test endpoint: US, no ZDR, bf16, every OpenAI parameter, unless overridden. */
export function ep(provider: string, overrides: Partial<Endpoint> = {}): Endpoint {
  return {
    provider,
    upstreamModel: `${provider}-model`,
    pricing: { prompt: 1000, completion: 1000 },
    region: "us",
    dataPolicy: { training: false, retainsPrompts: false, zdr: false },
    quantization: "bf16",
    contextLength: 128_000,
    maxOutput: 8192,
    supportedParameters: ["max_tokens", "temperature", "tools", "tool_choice", "response_format", "structured_outputs"],
    ...overrides,
  };
}

export function model(id: string, endpoints: Endpoint[]): Model {
  return { id, name: id, description: "", created: 0, contextLength: 128_000, inputModalities: ["text"], outputModalities: ["text"], endpoints };
}

/**
 * test/llama: five endpoints that differ in one way each, so every rule has
 * exactly one endpoint to keep or drop.
 */
export const llama = model("test/llama", [
  ep("groq", { pricing: { prompt: 500, completion: 500 }, dataPolicy: { training: false, retainsPrompts: false, zdr: true }, throughput: 300, latencyMs: 200, quantization: "fp8", supportedParameters: ["max_tokens", "temperature", "tools"] }),
  ep("together", { pricing: { prompt: 800, completion: 800 }, dataPolicy: { training: false, retainsPrompts: true, zdr: false }, throughput: 100, latencyMs: 400 }),
  ep("fireworks", { pricing: { prompt: 900, completion: 900, request: 5000 }, throughput: 120, latencyMs: 100, quantization: "fp16" }),
  ep("nebius", { pricing: { prompt: 100, completion: 300 }, region: "eu", dataPolicy: { training: false, retainsPrompts: false, zdr: true }, throughput: 35 }),
  ep("together", { upstreamModel: "together-free", pricing: { prompt: 0, completion: 0 }, free: true, dataPolicy: { training: false, retainsPrompts: true, zdr: false } }),
]);

export const usOnly = model("test/us-only", [ep("groq"), ep("together")]);
export const euOnly = model("test/eu-only", [ep("mistral", { region: "eu" })]);

export const catalog: RouteCatalog = {
  findModel: (id) => [llama, usOnly, euOnly].find((m) => m.id === id || id.startsWith(`${m.id}:`)),
};

export function req(extra: Partial<ChatCompletionRequest> = {}): ChatCompletionRequest {
  return { model: "test/llama", messages: [{ role: "user", content: "hello" }], ...extra };
}
