import { env, runInDurableObject } from "cloudflare:test";
import type { FreeTierLimiter } from "../src/routing/free-tier-limiter.ts";
import { afterEach, beforeAll, beforeEach, describe, expect, it, vi } from "vitest";
import { giveByokKey } from "./setup/byok.ts";
import { balanceOf, call, sseData, firstRecord } from "./setup/call.ts";
import { clearHealth } from "./setup/health.ts";
import { clearStats } from "./setup/stats.ts";
import { seedTenant, type SeededTenant } from "./setup/seed.ts";
import { type ScriptedUpstreams, scriptedUpstreams } from "./setup/upstreams.ts";

let open: SeededTenant;
let zdr: SeededTenant;
let eu: SeededTenant;
let upstreams: ScriptedUpstreams;

beforeAll(async () => {
  open = await seedTenant("routing-open");
  zdr = await seedTenant("routing-zdr", 10_000_000_000, { zdr: true });
  eu = await seedTenant("routing-eu", 10_000_000_000, { euOnly: true });
});
beforeEach(async () => {
  await clearHealth();
  await clearStats(); // measured latency/throughput of earlier tests' traffic must not reorder :nitro
  upstreams = scriptedUpstreams({ mock: [], "mock-eu": [] });
});
afterEach(() => upstreams.restore());

const ask = (model: string, extra: Record<string, unknown> = {}) => ({ model, messages: [{ role: "user", content: "route me" }], ...extra });

async function chat(body: unknown, key: string, extraEnv: Partial<Cloudflare.Env> = {}) {
  const res = await call("/api/v1/chat/completions", { method: "POST", key, json: body, env: { ...upstreams.env, ...extraEnv } });
  return { res, json: (await res.clone().json().catch(() => null)) as any };
}

describe("workspace ZDR and EU-only: every request, no way around them", () => {
  it.each([
    ["ZDR", () => zdr],
    ["EU-only", () => eu],
  ])("a %s workspace only reaches mock-eu, whatever the request asks", async (_name, tenant) => {
    for (const provider of [{}, { sort: "price" }, { order: ["mock"] }, { zdr: false, data_collection: "allow" }]) {
      const { res } = await chat(ask("mock/echo", { provider }), tenant().key);
      expect(res.status).toBe(200);
      expect(res.headers.get("x-switchyard-provider")).toBe("mock-eu");
    }
    expect(new Set(upstreams.log)).toEqual(new Set(["mock-eu"]));
  });

  it.each([
    ["ZDR", () => zdr],
    ["EU-only", () => eu],
  ])("a %s workspace never falls back to a non-matching endpoint, even when every matching one fails", async (_name, tenant) => {
    upstreams.script("mock-eu", ["status=503", "status=500"]);
    const { res, json } = await chat(ask("mock/echo", { models: ["mock/echo-us-only", "mock/echo-eu-only"] }), tenant().key);
    expect(res.status).toBe(502);
    expect(upstreams.log).toEqual(["mock-eu", "mock-eu"]);
    expect(json.error.metadata.attempts.map((a: any) => a.provider)).toEqual(["mock-eu", "mock-eu"]);
  });

  it("EU-only: a US-only model is a 404 naming the rule", async () => {
    const { res, json } = await chat(ask("mock/echo-us-only"), eu.key);
    expect(res.status).toBe(404);
    expect(json.error.message).toBe("No endpoint of mock/echo-us-only is in the EU region (workspace EU-only routing is on)");
    expect(json.error.metadata.reasons).toEqual([{ model: "mock/echo-us-only", constraint: "workspace.eu_only" }]);
    expect(upstreams.log).toEqual([]);
  });

  it("ZDR: a model with no ZDR endpoint is a 404 naming the rule", async () => {
    const { res, json } = await chat(ask("mock/echo-us-only"), zdr.key);
    expect(res.status).toBe(404);
    expect(json.error.message).toBe("No endpoint of mock/echo-us-only offers zero data retention (workspace ZDR is on)");
  });

  it("a request that names only a non-EU provider in an EU workspace is a 404, not a widening", async () => {
    const { res, json } = await chat(ask("mock/echo", { provider: { only: ["mock"] } }), eu.key);
    expect(res.status).toBe(404);
    expect(json.error.message).toBe("No endpoint of mock/echo is from a provider in provider.only (mock)");
  });

  it("ZDR: no provider text is kept in the generation record, and nothing of the prompt or answer is logged", async () => {
    const secret = "zdr-secret-4f1c";
    upstreams.script("mock-eu", ["status=500"]);
    const spies = (["log", "info", "warn", "error", "debug"] as const).map((m) => vi.spyOn(console, m));
    const { json } = await chat({ model: "mock/echo", models: ["mock/echo-eu-only"], messages: [{ role: "user", content: `repeat ${secret}` }] }, zdr.key);
    const logged = JSON.stringify(spies.flatMap((s) => s.mock.calls));
    spies.forEach((s) => s.mockRestore());
    expect(json.choices[0].message.content).toContain(secret);
    expect(logged).not.toContain(secret);
    const gen = await firstRecord<Record<string, unknown>>(zdr.accountId, "SELECT * FROM generations WHERE id = ?", json.id);
    expect(JSON.stringify(gen)).not.toContain(secret);
    expect(JSON.parse(gen!.attempts as string)).toEqual([
      { provider: "mock-eu", model: "mock/echo", status: 500 },
      { provider: "mock-eu", model: "mock/echo-eu-only", status: 200 },
    ]);
  });

  it("without ZDR the provider's error message is kept in the attempts", async () => {
    upstreams.script("mock", ["status=500"]);
    const { json } = await chat(ask("mock/echo", { provider: { sort: "price" } }), open.key);
    const gen = await firstRecord<{ attempts: string }>(open.accountId, "SELECT attempts FROM generations WHERE id = ?", json.id);
    expect(JSON.parse(gen!.attempts)[0].message).toMatch(/server had an error/);
  });
});

describe("model fallbacks", () => {
  it("the next model is tried after every endpoint of the first has failed, and is the one named and charged", async () => {
    upstreams.script("mock", ["status=500", "status=502"]);
    const before = await balanceOf(open.accountId);
    const { res, json } = await chat(ask("mock/echo-us-only", { models: ["mock/echo-us-only", "mock/echo-eu-only"], stream: false }), open.key);
    expect(res.status).toBe(200);
    expect(json.model).toBe("mock/echo-eu-only");
    expect(res.headers.get("x-switchyard-attempts")).toBe("mock mock/echo-us-only 500, mock-eu mock/echo-eu-only 200");
    expect(upstreams.models).toEqual(["echo-us-only", "echo-eu-only"]);
    const cost = json.usage.prompt_tokens * 1500 + json.usage.completion_tokens * 3000;
    expect(await balanceOf(open.accountId)).toBe(before - cost);
  });

  it("models alone (no model) works as the chain, streaming too", async () => {
    upstreams.script("mock", ["status=429"]);
    const { res } = await chat({ models: ["mock/echo-us-only", "mock/echo-eu-only"], messages: [{ role: "user", content: "hi" }], stream: true }, open.key);
    const text = await res.text();
    const chunks = sseData(text).slice(0, -1).map((e) => JSON.parse(e));
    expect(chunks[0].model).toBe("mock/echo-eu-only");
  });

  it("an unknown fallback model is a 404 naming it", async () => {
    const { res, json } = await chat(ask("mock/echo", { models: ["nobody/nothing"] }), open.key);
    expect(res.status).toBe(404);
    expect(json.error.message).toContain("nobody/nothing");
  });
});

describe("variants", () => {
  it(":floor tries the cheapest endpoint first, :nitro the fastest", async () => {
    for (const model of ["mock/echo:floor", "mock/echo:nitro"]) {
      const { res, json } = await chat(ask(model), open.key);
      expect(res.headers.get("x-switchyard-provider")).toBe("mock");
      expect(json.model).toBe("mock/echo");
    }
  });

  it(":free on a model without free endpoints is a 404 naming the variant", async () => {
    const { res, json } = await chat(ask("mock/echo:free"), open.key);
    expect(res.status).toBe(404);
    expect(json.error.message).toBe("mock/echo has no free endpoint (the :free variant)");
  });
});

describe("provider preferences", () => {
  it.each([
    [{ only: ["mock", "nope"] }, "provider.only[1]: unknown provider \"nope\""],
    [{ quantizations: ["fp3"] }, "provider.quantizations[0]: unknown quantization \"fp3\""],
    [{ sort: "cheapest" }, "provider.sort"],
    [{ max_price: { prompt: "1.2.3" } }, "provider.max_price.prompt"],
    [{ max_price: { prompt: -1 } }, "provider.max_price.prompt"],
  ])("%j is a 400 naming the field", async (provider, field) => {
    const { res, json } = await chat(ask("mock/echo", { provider }), open.key);
    expect(res.status).toBe(400);
    expect(json.error.message).toContain(field);
    expect(upstreams.log).toEqual([]);
  });

  it("order puts the named provider first", async () => {
    const { res } = await chat(ask("mock/echo", { provider: { order: ["mock-eu"] } }), open.key);
    expect(res.headers.get("x-switchyard-provider")).toBe("mock-eu");
  });

  it("allow_fallbacks false stops after the ordered providers", async () => {
    upstreams.script("mock-eu", ["status=500"]);
    const { res, json } = await chat(ask("mock/echo", { provider: { order: ["mock-eu"], allow_fallbacks: false } }), open.key);
    expect(res.status).toBe(502);
    expect(json.error.metadata.attempts.map((a: any) => a.provider)).toEqual(["mock-eu"]);
  });

  it("max_price below every endpoint is a 404 naming max_price", async () => {
    const { res, json } = await chat(ask("mock/echo", { provider: { max_price: { prompt: 0.5 } } }), open.key);
    expect(res.status).toBe(404);
    expect(json.error.message).toBe("No endpoint of mock/echo is priced within provider.max_price");
  });

  it("the workspace's stored preferences apply to every request", async () => {
    const pinned = await seedTenant("routing-prefs", 10_000_000_000, { providerPreferences: { only: ["mock-eu"] } });
    const { res } = await chat(ask("mock/echo", { provider: { sort: "price" } }), pinned.key);
    expect(res.headers.get("x-switchyard-provider")).toBe("mock-eu");
  });

  it("invalid stored workspace preferences are a 400 pointing at the workspace setting", async () => {
    const broken = await seedTenant("routing-badprefs", 10_000_000_000, { providerPreferences: { only: ["nobody"] } });
    const { res, json } = await chat(ask("mock/echo"), broken.key);
    expect(res.status).toBe(400);
    expect(json.error.message).toBe('workspace provider_preferences.only[0]: unknown provider "nobody"');
  });
});

describe("switchyard/auto", () => {
  // Real catalog models, served by scripted mocks standing in for their providers.
  const providers = ["groq", "together", "fireworks", "nebius", "openai", "mistral", "google-vertex-eu"];
  const keys = { GROQ_API_KEY: "k", TOGETHER_API_KEY: "k", FIREWORKS_API_KEY: "k", NEBIUS_API_KEY: "k", OPENAI_API_KEY: "k", MISTRAL_API_KEY: "k" };

  it.each([
    ["a short question", { content: "What is 2 + 2?" }, "meta-llama/llama-3.3-70b-instruct"],
    ["a request with tools", { content: "weather?", tools: [{ type: "function", function: { name: "weather", parameters: { type: "object" } } }] }, "openai/gpt-4.1-mini"],
  ])("%s is answered by %s… and the response names the model that served", async (_name, { content, ...extra }, expected) => {
    upstreams.restore();
    upstreams = scriptedUpstreams(Object.fromEntries(providers.map((p) => [p, []])), keys);
    const { res, json } = await chat({ model: "switchyard/auto", messages: [{ role: "user", content }], ...extra }, open.key);
    expect(res.status).toBe(200);
    expect(json.model).toBe(expected);
  });
});

describe(":free: free endpoints only, with their rate limits", () => {
  const keys = { TOGETHER_API_KEY: "k", GROQ_API_KEY: "k", FIREWORKS_API_KEY: "k", NEBIUS_API_KEY: "k", FREE_REQUESTS_PER_MINUTE: "2" };
  /** Pins the key's limiter clock, so a minute boundary cannot fall inside a test. */
  const limiterClock = (keyId: string, now: number) =>
    runInDurableObject(env.FREE_TIER_LIMITER.get(env.FREE_TIER_LIMITER.idFromName(keyId)), (instance) => {
      (instance as unknown as FreeTierLimiter).now = () => now;
    });
  const MINUTE_START = Date.UTC(2030, 0, 1, 12, 0, 0);
  const freeAsk = (extra: Record<string, unknown> = {}) => ({ model: "meta-llama/llama-3.3-70b-instruct:free", messages: [{ role: "user", content: "hi" }], ...extra });

  it("is served by the free endpoint at no cost, and the key's third request in a minute is a 429", async () => {
    const tenant = await seedTenant("free-tier");
    await limiterClock(tenant.keyId, MINUTE_START + 10_000);
    upstreams.restore();
    upstreams = scriptedUpstreams({ together: [], groq: [], fireworks: [], nebius: [] }, keys);
    const before = await balanceOf(tenant.accountId);
    for (let i = 0; i < 2; i++) {
      const { res, json } = await chat(freeAsk(), tenant.key);
      expect(res.status).toBe(200);
      expect(json.usage.cost).toBe(0);
    }
    expect(upstreams.models).toEqual(["meta-llama/Llama-3.3-70B-Instruct-Turbo-Free", "meta-llama/Llama-3.3-70B-Instruct-Turbo-Free"]);
    expect(await balanceOf(tenant.accountId)).toBe(before);

    const { res, json } = await chat(freeAsk(), tenant.key);
    expect(res.status).toBe(429);
    expect(json.error.message).toContain("2 requests per minute");
    expect(json.error.metadata.retry_after_seconds).toBe(50);
    expect(upstreams.log).toHaveLength(2);

    // A paid fallback model still serves the limited key.
    const fallback = await chat(freeAsk({ models: ["meta-llama/llama-3.3-70b-instruct"] }), tenant.key);
    expect(fallback.res.status).toBe(200);
    expect(fallback.json.usage.cost).toBeGreaterThan(0);

    // The next minute starts a new window.
    await limiterClock(tenant.keyId, MINUTE_START + 60_000);
    expect((await chat(freeAsk(), tenant.key)).res.status).toBe(200);
  });

  it("the daily limit holds across minutes", async () => {
    const tenant = await seedTenant("free-daily");
    upstreams.restore();
    upstreams = scriptedUpstreams({ together: [] }, { ...keys, FREE_REQUESTS_PER_DAY: "3" });
    for (let minute = 0; minute < 3; minute++) {
      await limiterClock(tenant.keyId, MINUTE_START + minute * 60_000);
      expect((await chat(freeAsk(), tenant.key)).res.status).toBe(200);
    }
    await limiterClock(tenant.keyId, MINUTE_START + 3 * 60_000);
    const { res, json } = await chat(freeAsk(), tenant.key);
    expect(res.status).toBe(429);
    expect(json.error.message).toContain("3 requests per day");
  });

  it("limits are per key", async () => {
    upstreams.restore();
    upstreams = scriptedUpstreams({ together: [] }, keys);
    const a = await seedTenant("free-a");
    const b = await seedTenant("free-b");
    await limiterClock(a.keyId, MINUTE_START);
    await limiterClock(b.keyId, MINUTE_START);
    for (let i = 0; i < 2; i++) expect((await chat(freeAsk(), a.key)).res.status).toBe(200);
    expect((await chat(freeAsk(), a.key)).res.status).toBe(429);
    expect((await chat(freeAsk(), b.key)).res.status).toBe(200);
  });
});

describe("the workspace's own keys (BYOK) within the plan", () => {
  it("an endpoint the workspace has a key for is tried first within its model, with that key", async () => {
    const tenant = await seedTenant("routing-byok-first");
    await giveByokKey(tenant, "mock-eu", "sk-own-eu-key");
    const { res, json } = await chat(ask("mock/echo", { provider: { sort: "price" } }), tenant.key); // mock is cheaper
    expect(res.headers.get("x-switchyard-attempts")).toBe("mock-eu mock/echo 200");
    expect(json.usage.is_byok).toBe(true);
  });

  it("a ZDR workspace's key for a non-ZDR provider is never used: the planner excluded that endpoint", async () => {
    const tenant = await seedTenant("routing-byok-zdr", 10_000_000_000, { zdr: true });
    await giveByokKey(tenant, "mock", "sk-own-us-key", true);
    upstreams.script("mock-eu", ["status=500"]);
    const { res } = await chat(ask("mock/echo"), tenant.key);
    expect(res.status).toBe(502);
    expect(upstreams.log).toEqual(["mock-eu"]);
  });
});
