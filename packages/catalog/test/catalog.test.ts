import { describe, expect, it } from "vitest";
import { allModels, MOCK_BASE_URL, models, OPENAI_PARAMS, providerFor, providers } from "../src/index.ts";

const real = models.filter((m) => !m.id.startsWith("mock/"));
const allEndpoints = models.flatMap((m) => m.endpoints.map((e) => ({ model: m, e })));

describe("catalog is well formed", () => {
  it("has unique, author/slug-shaped ids without variant suffixes", () => {
    const ids = models.map((m) => m.id);
    expect(new Set(ids).size).toBe(ids.length);
    for (const id of ids) expect(id).toMatch(/^[a-z0-9-]+\/[a-z0-9.-]+$/);
  });

  it("every model has endpoints and sane metadata", () => {
    for (const m of models) {
      expect(m.endpoints.length, m.id).toBeGreaterThan(0);
      expect(m.name && m.description, m.id).toBeTruthy();
      expect(Number.isSafeInteger(m.created) && m.created > 1_600_000_000, m.id).toBe(true);
      expect(m.inputModalities, m.id).toContain("text");
      // The model's context is the largest any endpoint offers.
      expect(m.contextLength, m.id).toBe(Math.max(...m.endpoints.map((e) => e.contextLength)));
    }
  });

  it("every endpoint's provider exists and limits are positive integers", () => {
    for (const { model, e } of allEndpoints) {
      expect(providerFor(e.provider), `${model.id} → ${e.provider}`).toBeDefined();
      expect(e.upstreamModel, model.id).not.toBe("");
      for (const n of [e.contextLength, e.maxOutput]) expect(Number.isSafeInteger(n) && n > 0, model.id).toBe(true);
      expect(e.maxOutput, model.id).toBeLessThanOrEqual(e.contextLength);
    }
  });

  it("prices are non-negative safe integers; only free endpoints are zero", () => {
    for (const { model, e } of allEndpoints) {
      for (const v of Object.values(e.pricing)) {
        expect(Number.isSafeInteger(v) && v >= 0, `${model.id}@${e.provider}: ${v}`).toBe(true);
      }
      if (e.free) expect(e.pricing.prompt + e.pricing.completion, model.id).toBe(0);
      // Embedding models bill input only.
      else if (model.outputModalities.includes("embeddings")) expect([e.pricing.prompt > 0, e.pricing.completion], model.id).toEqual([true, 0]);
      else expect(e.pricing.prompt > 0 && e.pricing.completion > 0, `${model.id}@${e.provider}`).toBe(true);
    }
  });

  it("a cache read is cheaper than the prompt, a cache write dearer or equal (Anthropic: 125 %)", () => {
    for (const { model, e } of allEndpoints) {
      const { prompt, cacheRead, cacheWrite } = e.pricing;
      if (cacheRead !== undefined) expect(cacheRead, `${model.id}@${e.provider}`).toBeLessThan(prompt);
      if (cacheWrite !== undefined) expect(cacheWrite, `${model.id}@${e.provider}`).toBeGreaterThanOrEqual(prompt);
    }
  });

  it("a model has at most one paid and one free endpoint per provider", () => {
    for (const m of models) {
      const keys = m.endpoints.map((e) => `${e.provider}:${e.free ? "free" : "paid"}`);
      expect(new Set(keys).size, m.id).toBe(keys.length);
    }
  });

  it("has breadth: ≥15 real models, ≥6 real providers, multi-endpoint, EU and free endpoints", () => {
    expect(real.length).toBeGreaterThanOrEqual(15);
    const realProviders = new Set(real.flatMap((m) => m.endpoints.map((e) => e.provider)));
    expect(realProviders.size).toBeGreaterThanOrEqual(6);
    expect(real.some((m) => m.endpoints.length >= 3)).toBe(true);
    expect(allEndpoints.some(({ model, e }) => e.region === "eu" && !model.id.startsWith("mock/"))).toBe(true);
    expect(real.some((m) => m.endpoints.some((e) => e.free))).toBe(true);
  });

  it("knows the headline list prices", () => {
    const price = (id: string, provider: string) =>
      models.find((m) => m.id === id)?.endpoints.find((e) => e.provider === provider && !e.free)?.pricing;
    expect(price("openai/gpt-4o", "openai")).toEqual({ prompt: 2500, completion: 10_000, cacheRead: 1250 });
    expect(price("openai/gpt-4o-mini", "openai")).toEqual({ prompt: 150, completion: 600, cacheRead: 75 });
    expect(price("openai/gpt-4.1", "openai")).toEqual({ prompt: 2000, completion: 8000, cacheRead: 500 });
    expect(price("anthropic/claude-sonnet-4", "anthropic")).toEqual({ prompt: 3000, completion: 15_000, cacheRead: 300, cacheWrite: 3750 });
    expect(price("anthropic/claude-3.5-haiku", "anthropic")).toEqual({ prompt: 800, completion: 4000, cacheRead: 80, cacheWrite: 1000 });
    expect(price("google/gemini-2.5-flash", "google-ai-studio")).toEqual({ prompt: 300, completion: 2500, cacheRead: 75 });
    expect(price("deepseek/deepseek-chat", "deepseek")).toEqual({ prompt: 270, completion: 1100, cacheRead: 70 });
  });

  it("allModels returns a copy of the catalog", () => {
    const list = allModels();
    expect(list).toEqual(models);
    list.pop();
    expect(allModels().length).toBe(models.length);
  });
});

describe("providers", () => {
  it("are keyed by their own slug, with https URLs and key env vars (mocks excepted)", () => {
    for (const [key, p] of Object.entries(providers)) {
      expect(p.slug).toBe(key);
      if (key.startsWith("mock")) continue;
      expect(p.baseUrl, key).toMatch(/^https:\/\/[^/]+\/.+[^/]$/);
      expect(p.apiKeyEnv, key).toMatch(/^[A-Z][A-Z0-9_]+_API_KEY$/);
    }
  });

  it("routes both mocks to the in-process host without a key", () => {
    for (const slug of ["mock", "mock-eu"]) {
      const p = providerFor(slug);
      expect(p).toMatchObject({ baseUrl: "http://mock.switchyard.internal/v1", apiFormat: "openai" });
      expect(p?.apiKeyEnv).toBeUndefined();
    }
    expect(MOCK_BASE_URL).toBe("http://mock.switchyard.internal/v1");
  });

  it("providerFor ignores prototype keys", () => {
    expect(providerFor("constructor")).toBeUndefined();
    expect(providerFor("__proto__")).toBeUndefined();
    expect(providerFor("openai")?.apiFormat).toBe("openai");
    expect(providerFor("anthropic")?.apiFormat).toBe("anthropic");
    expect(providerFor("google-ai-studio")?.apiFormat).toBe("gemini");
  });
});

describe("mock models", () => {
  const mock = (id: string) => models.find((m) => m.id === id)!;

  it("mock/echo is served by mock (us) and mock-eu (eu, zdr)", () => {
    const echo = mock("mock/echo");
    expect(echo.endpoints.map((e) => [e.provider, e.region, e.dataPolicy.zdr])).toEqual([
      ["mock", "us", false],
      ["mock-eu", "eu", true],
    ]);
  });

  it("region-pinned mocks have exactly one endpoint", () => {
    expect(mock("mock/echo-eu-only").endpoints.map((e) => [e.provider, e.region])).toEqual([["mock-eu", "eu"]]);
    expect(mock("mock/echo-us-only").endpoints.map((e) => [e.provider, e.region, e.dataPolicy.zdr])).toEqual([
      ["mock", "us", false],
    ]);
  });

  it("mock endpoints are cheap but paid, use the bare slug upstream, and the OpenAI-format chat mocks accept every parameter", () => {
    for (const m of models.filter((x) => x.id.startsWith("mock/"))) {
      for (const e of m.endpoints) {
        expect(e.pricing.prompt).toBeGreaterThan(0);
        expect(e.free).toBeFalsy();
        expect(e.upstreamModel).toBe(m.id.slice("mock/".length));
        if (m.outputModalities.includes("embeddings")) continue;
        expect(e.pricing.completion).toBeGreaterThan(0);
        if (providerFor(e.provider)?.apiFormat === "openai") {
          expect(e.supportedParameters).toEqual(expect.arrayContaining([...OPENAI_PARAMS, "top_k"]));
        }
      }
    }
  });

  it("native-format mocks accept exactly what the real providers of that format accept", () => {
    const paramsOf = (id: string) => models.find((m) => m.id === id)!.endpoints[0]!.supportedParameters;
    expect(paramsOf("mock/claude-echo")).toEqual(paramsOf("anthropic/claude-sonnet-4"));
    expect(paramsOf("mock/gemini-echo")).toEqual(paramsOf("google/gemini-2.5-flash"));
    expect([providerFor("mock-anthropic")?.apiFormat, providerFor("mock-gemini")?.apiFormat]).toEqual(["anthropic", "gemini"]);
  });

  it("lists embedding models with their input prices", () => {
    const price = (id: string) => models.find((m) => m.id === id)?.endpoints[0]?.pricing;
    expect(price("openai/text-embedding-3-small")).toEqual({ prompt: 20, completion: 0 }); // $0.02 / M
    expect(price("openai/text-embedding-3-large")).toEqual({ prompt: 130, completion: 0 }); // $0.13 / M
    expect(models.find((m) => m.id === "mock/embed")?.outputModalities).toEqual(["embeddings"]);
  });
});
