import { describe, expect, it } from "vitest";
import { cheapestEndpoint, findModel, models, toOpenRouterEndpoints, toOpenRouterModel } from "../src/index.ts";
import type { Model } from "../src/index.ts";

const model = (id: string): Model => {
  const m = findModel(id);
  if (!m) throw new Error(`missing ${id}`);
  return m;
};

describe("toOpenRouterModel", () => {
  it("has exactly OpenRouter's keys, with string prices", () => {
    for (const m of models) {
      const or = toOpenRouterModel(m);
      expect(Object.keys(or).sort()).toEqual(
        [
          "id", "canonical_slug", "name", "created", "description", "context_length", "architecture",
          "pricing", "top_provider", "per_request_limits", "supported_parameters",
        ].sort(),
      );
      const cacheKeys = Object.keys(or.pricing).filter((k) => k.startsWith("input_cache_"));
      expect(Object.keys(or.pricing).filter((k) => !cacheKeys.includes(k)).sort()).toEqual(
        ["prompt", "completion", "request", "image", "web_search", "internal_reasoning"].sort(),
      );
      expect(cacheKeys.every((k) => k === "input_cache_read" || k === "input_cache_write"), m.id).toBe(true);
      for (const v of Object.values(or.pricing)) expect(v).toMatch(/^\d+(\.\d+)?$/);
      expect(or.architecture).toMatchObject({ tokenizer: "Other", instruct_type: null });
      expect(or.per_request_limits).toBeNull();
      expect(or.top_provider.is_moderated).toBe(false);
    }
  });

  it("shows gpt-4o's list price as decimal USD per token", () => {
    const or = toOpenRouterModel(model("openai/gpt-4o"));
    expect(or.pricing).toEqual({
      prompt: "0.0000025",
      completion: "0.00001",
      request: "0",
      image: "0",
      input_cache_read: "0.00000125",
      web_search: "0",
      internal_reasoning: "0",
    });
    expect(or.architecture.modality).toBe("text+image->text");
    expect(or.top_provider).toEqual({ context_length: 128_000, max_completion_tokens: 16_384, is_moderated: false });
  });

  it("shows Anthropic's cache read and write prices under OpenRouter's field names", () => {
    const or = toOpenRouterModel(model("anthropic/claude-sonnet-4"));
    expect(or.pricing).toMatchObject({ prompt: "0.000003", input_cache_read: "0.0000003", input_cache_write: "0.00000375" });
  });

  it("prices a multi-provider model at its cheapest paid endpoint, not the free one", () => {
    const llama = model("meta-llama/llama-3.3-70b-instruct");
    expect(cheapestEndpoint(llama)?.provider).toBe("nebius");
    const or = toOpenRouterModel(llama);
    expect(or.pricing.prompt).toBe("0.00000013");
    expect(or.pricing.completion).toBe("0.0000004");
    expect(or.architecture.modality).toBe("text->text");
  });

  it("unions supported parameters over endpoints without duplicates", () => {
    const or = toOpenRouterModel(model("meta-llama/llama-3.3-70b-instruct"));
    expect(or.supported_parameters).toContain("logit_bias"); // together has it, groq does not
    expect(or.supported_parameters).toContain("top_k");
    expect(new Set(or.supported_parameters).size).toBe(or.supported_parameters.length);
  });
});

describe("toOpenRouterEndpoints", () => {
  it("lists every endpoint in OpenRouter's shape", () => {
    const res = toOpenRouterEndpoints(model("meta-llama/llama-3.3-70b-instruct"));
    expect(Object.keys(res)).toEqual(["data"]);
    expect(Object.keys(res.data).sort()).toEqual(
      ["id", "name", "created", "description", "architecture", "endpoints"].sort(),
    );
    expect(res.data.endpoints.length).toBe(5);
    for (const e of res.data.endpoints) {
      expect(Object.keys(e).sort()).toEqual(
        [
          "name", "model_name", "context_length", "pricing", "provider_name", "tag", "quantization",
          "max_completion_tokens", "max_prompt_tokens", "supported_parameters", "status",
          "uptime_last_5m", "uptime_last_30m", "uptime_last_1d", "latency_last_30m", "throughput_last_30m", "region", "data_policy",
        ].sort(),
      );
      expect(Object.keys(e.pricing).sort()).toEqual(["completion", "image", "prompt", "request"]); // no cache prices at these hosts
      for (const v of Object.values(e.pricing)) expect(typeof v).toBe("string");
      expect(e.status).toBe(0);
      expect(e.max_prompt_tokens).toBeNull();
      expect(Object.keys(e.data_policy).sort()).toEqual(["retains_prompts", "training", "zdr"]);
    }
  });

  it("names endpoints '<Provider> | <model id>' and tags them with the provider slug", () => {
    const [groq, , , nebius, free] = toOpenRouterEndpoints(model("meta-llama/llama-3.3-70b-instruct")).data.endpoints;
    expect(groq).toMatchObject({
      name: "Groq | meta-llama/llama-3.3-70b-instruct",
      provider_name: "Groq",
      tag: "groq",
      region: "us",
      pricing: { prompt: "0.00000059", completion: "0.00000079", request: "0", image: "0" },
      data_policy: { training: false, retains_prompts: false, zdr: true },
    });
    expect(nebius).toMatchObject({ tag: "nebius", region: "eu" });
    expect(groq!.pricing).not.toHaveProperty("input_cache_read");
    expect(free).toMatchObject({
      name: "Together | meta-llama/llama-3.3-70b-instruct:free",
      pricing: { prompt: "0", completion: "0" },
    });
  });
});
