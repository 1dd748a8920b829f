import { GatewayError } from "@switchyard/schemas";
import { describe, expect, it } from "vitest";
import { endpointHealthKey, type PlanInput, planRoute, seededRandom, UNHEALTHY_WINDOW_MS, type WorkspaceRouting } from "../src/index.ts";
import { catalog, llama, req } from "./fixtures.ts";

const open: WorkspaceRouting = { zdr: false, euOnly: false };
const NOW = 1_750_000_000_000;

function plan(overrides: Partial<PlanInput> = {}) {
  return planRoute({ request: req(), workspace: open, now: NOW, random: seededRandom(1), catalog, ...overrides });
}
/** "provider/upstream" of each planned attempt, in order. */
const names = (p: ReturnType<typeof planRoute>) => p.map((a) => (a.endpoint.free ? `${a.endpoint.provider}:free` : a.endpoint.provider));
const sorted = (list: string[]) => [...list].sort();

function failure(fn: () => unknown): GatewayError {
  try {
    fn();
  } catch (e) {
    if (e instanceof GatewayError) return e;
    throw e;
  }
  throw new Error("expected a GatewayError");
}

describe("filters: each rule keeps exactly the endpoints it allows", () => {
  it.each<[string, Partial<PlanInput>, string[]]>([
    ["no rule: every paid endpoint", {}, ["fireworks", "groq", "nebius", "together"]],
    [":free: only the free endpoint", { request: req({ model: "test/llama:free" }) }, ["together:free"]],
    ["workspace EU-only", { workspace: { zdr: false, euOnly: true } }, ["nebius"]],
    ["workspace ZDR", { workspace: { zdr: true, euOnly: false } }, ["groq", "nebius"]],
    ["workspace ZDR and EU", { workspace: { zdr: true, euOnly: true } }, ["nebius"]],
    ["provider.zdr", { request: req({ provider: { zdr: true } }) }, ["groq", "nebius"]],
    ["provider.data_collection deny", { request: req({ provider: { data_collection: "deny" } }) }, ["fireworks", "groq", "nebius"]],
    ["provider.only", { request: req({ provider: { only: ["groq", "nebius"] } }) }, ["groq", "nebius"]],
    ["provider.ignore", { request: req({ provider: { ignore: ["groq", "together"] } }) }, ["fireworks", "nebius"]],
    ["provider.quantizations", { request: req({ provider: { quantizations: ["fp8", "fp16"] } }) }, ["fireworks", "groq"]],
    // tools + response_format: groq lacks response_format
    ["provider.require_parameters", { request: req({ response_format: { type: "json_object" }, provider: { require_parameters: true } }) }, ["fireworks", "nebius", "together"]],
    ["require_parameters off: unsupported parameters do not filter", { request: req({ response_format: { type: "json_object" } }) }, ["fireworks", "groq", "nebius", "together"]],
    // $0.80/M prompt keeps groq (0.50), together (0.80), nebius (0.10)
    ["provider.max_price.prompt (USD per million tokens)", { request: req({ provider: { max_price: { prompt: 0.8 } } }) }, ["groq", "nebius", "together"]],
    ["provider.max_price.completion as a string", { request: req({ provider: { max_price: { completion: "0.5" } } }) }, ["groq", "nebius"]],
    ["provider.max_price.request", { request: req({ provider: { max_price: { request: 0.000004 } } }) }, ["groq", "nebius", "together"]],
    ["provider.order without fallbacks", { request: req({ provider: { order: ["nebius", "groq"], allow_fallbacks: false } }) }, ["groq", "nebius"]],
    ["workspace preferences narrow too", { workspace: { ...open, preferences: { ignore: ["fireworks"] } } }, ["groq", "nebius", "together"]],
    ["workspace and request preferences both apply", { workspace: { ...open, preferences: { ignore: ["fireworks"] } }, request: req({ provider: { only: ["fireworks", "groq"] } }) }, ["groq"]],
  ])("%s", (_name, input, expected) => {
    expect(sorted(names(plan(input)))).toEqual(expected);
  });
});

describe("a request narrows the workspace's rules, never widens them", () => {
  it("provider.zdr false and data_collection allow do not lift workspace ZDR", () => {
    const p = plan({ workspace: { zdr: true, euOnly: false }, request: req({ provider: { zdr: false, data_collection: "allow" } }) });
    expect(p.every((a) => a.endpoint.dataPolicy.zdr)).toBe(true);
  });

  it("provider.only naming a US provider in an EU-only workspace is a 404, not a US request", () => {
    const err = failure(() => plan({ workspace: { zdr: false, euOnly: true }, request: req({ provider: { only: ["groq"] } }) }));
    expect(err.status).toBe(404);
    expect(err.message).toBe("No endpoint of test/llama is from a provider in provider.only (groq)");
  });

  it("provider.order of a non-ZDR provider in a ZDR workspace never plans it", () => {
    const p = plan({ workspace: { zdr: true, euOnly: false }, request: req({ provider: { order: ["together", "fireworks"] } }) });
    expect(sorted(names(p))).toEqual(["groq", "nebius"]);
  });
});

describe("404 names the rule that emptied the list", () => {
  it.each<[string, Partial<PlanInput>, string, string]>([
    ["workspace EU-only", { request: req({ model: "test/us-only" }), workspace: { zdr: false, euOnly: true } }, "workspace.eu_only", "No endpoint of test/us-only is in the EU region (workspace EU-only routing is on)"],
    ["workspace ZDR", { request: req({ model: "test/us-only" }), workspace: { zdr: true, euOnly: false } }, "workspace.zdr", "No endpoint of test/us-only offers zero data retention (workspace ZDR is on)"],
    [":free", { request: req({ model: "test/us-only:free" }) }, "variant.free", "test/us-only has no free endpoint (the :free variant)"],
    ["provider.ignore", { request: req({ model: "test/us-only", provider: { ignore: ["groq", "together"] } }) }, "provider.ignore", "Every provider of test/us-only is in provider.ignore (groq, together)"],
    ["provider.quantizations", { request: req({ provider: { quantizations: ["int4"] } }) }, "provider.quantizations", "No endpoint of test/llama uses a quantization in provider.quantizations (int4)"],
    ["provider.max_price", { request: req({ provider: { max_price: { prompt: "0.05" } } }) }, "provider.max_price", "No endpoint of test/llama is priced within provider.max_price"],
    ["provider.require_parameters", { request: req({ model: "test/eu-only", seed: 1, provider: { require_parameters: true } }) }, "provider.require_parameters", "No endpoint of test/eu-only supports every parameter of the request (seed) and provider.require_parameters is true"],
    ["workspace preferences", { workspace: { ...open, preferences: { only: ["mistral"] } } }, "workspace provider_preferences.only", "No endpoint of test/llama is from a provider in workspace provider_preferences.only (mistral)"],
  ])("%s", (_name, input, constraint, message) => {
    const err = failure(() => plan(input));
    expect(err.status).toBe(404);
    expect(err.message).toBe(message);
    expect(err.metadata).toEqual({ reasons: [{ model: expect.any(String), constraint }] });
  });

  it("with fallbacks, the 404 lists every model's reason", () => {
    const err = failure(() => plan({ request: req({ model: "test/us-only", models: ["test/llama"], provider: { only: ["mistral"] } }) }));
    expect(err.status).toBe(404);
    expect(err.message).toContain("test/us-only");
    expect(err.message).toContain("test/llama");
    expect((err.metadata as any).reasons).toHaveLength(2);
  });
});

describe("invalid preferences are a 400 naming the field", () => {
  it.each<[string, Partial<PlanInput>, RegExp]>([
    ["an unknown provider in only", { request: req({ provider: { only: ["groq", "nope"] } }) }, /^provider\.only\[1\]: unknown provider "nope"/],
    ["an unknown provider in order", { request: req({ provider: { order: ["azure"] } }) }, /^provider\.order\[0\]: unknown provider "azure"/],
    ["an unknown provider in ignore", { request: req({ provider: { ignore: ["x"] } }) }, /^provider\.ignore\[0\]/],
    ["an unknown quantization", { request: req({ provider: { quantizations: ["fp9"] } }) }, /^provider\.quantizations\[0\]: unknown quantization "fp9"/],
    ["a price finer than a nano-dollar per million tokens", { request: req({ provider: { max_price: { prompt: "0.0000000001" } } }) }, /^provider\.max_price\.prompt:/],
    ["an invalid workspace preference", { workspace: { ...open, preferences: { only: ["bogus"] } } }, /^workspace provider_preferences\.only\[0\]: unknown provider "bogus"/],
    ["the :online variant", { request: req({ model: "test/llama:online" }) }, /:online variant/],
  ])("%s", (_name, input, message) => {
    const err = failure(() => plan(input));
    expect(err.status).toBe(400);
    expect(err.message).toMatch(message);
  });

  it("an unknown model (also as a fallback) is a 404 naming it", () => {
    const err = failure(() => plan({ request: req({ models: ["nobody/nothing"] }) }));
    expect(err.status).toBe(404);
    expect(err.message).toContain("nobody/nothing");
  });
});

describe("order", () => {
  it.each<[string, Partial<PlanInput>, string[]]>([
    ["sort price: cheapest first (prompt + completion)", { request: req({ provider: { sort: "price" } }) }, ["nebius", "groq", "together", "fireworks"]],
    ["sort throughput: fastest first", { request: req({ provider: { sort: "throughput" } }) }, ["groq", "fireworks", "together", "nebius"]],
    ["sort latency: lowest first, unknown last", { request: req({ provider: { sort: "latency" } }) }, ["fireworks", "groq", "together", "nebius"]],
    [":floor sorts by price", { request: req({ model: "test/llama:floor" }) }, ["nebius", "groq", "together", "fireworks"]],
    [":nitro sorts by throughput, over the request's sort", { request: req({ model: "test/llama:nitro", provider: { sort: "price" } }) }, ["groq", "fireworks", "together", "nebius"]],
    ["order first, as given, then the rest by sort", { request: req({ provider: { order: ["fireworks", "together"], sort: "price" } }) }, ["fireworks", "together", "nebius", "groq"]],
    ["order without fallbacks: only the ordered providers", { request: req({ provider: { order: ["fireworks", "together"], allow_fallbacks: false } }) }, ["fireworks", "together"]],
    ["no fallbacks and no order: only the first pick", { request: req({ provider: { sort: "price", allow_fallbacks: false } }) }, ["nebius"]],
    ["the request's order wins over the workspace's", { workspace: { ...open, preferences: { order: ["groq"] } }, request: req({ provider: { order: ["together"], sort: "price" } }) }, ["together", "nebius", "groq", "fireworks"]],
    ["the workspace's sort applies when the request has none", { workspace: { ...open, preferences: { sort: "throughput" } } }, ["groq", "fireworks", "together", "nebius"]],
  ])("%s", (_name, input, expected) => {
    expect(names(plan(input))).toEqual(expected);
  });

  it("model fallbacks come after every endpoint of the first model, in the order given", () => {
    const p = plan({ request: req({ model: "test/eu-only", models: ["test/us-only", "test/eu-only"], provider: { sort: "price" } }) });
    expect(p.map((a) => `${a.model.id}@${a.endpoint.provider}`)).toEqual(["test/eu-only@mistral", "test/us-only@groq", "test/us-only@together"]);
  });

  it("a fallback model whose endpoints are all excluded is skipped, not fatal", () => {
    const p = plan({ request: req({ model: "test/us-only", models: ["test/eu-only"] }), workspace: { zdr: false, euOnly: true } });
    expect(p.map((a) => a.model.id)).toEqual(["test/eu-only"]);
  });

  it("models without model: the list is the chain", () => {
    const p = plan({ request: { messages: [{ role: "user", content: "x" }], models: ["test/eu-only", "test/llama:free"] } });
    expect(names(p)).toEqual(["mistral", "together:free"]);
  });

  it("never reorders the catalog's own arrays", () => {
    const before = llama.endpoints.map((e) => e.provider);
    plan({ request: req({ provider: { sort: "price" } }) });
    expect(llama.endpoints.map((e) => e.provider)).toEqual(before);
  });
});

describe("health: an endpoint that failed within 30 s is tried after the healthy ones", () => {
  const groqKey = endpointHealthKey(llama.endpoints[0]!);
  const byPrice = req({ provider: { sort: "throughput" } }); // groq is first by throughput
  const at = (failedAt: number, now: number) => names(plan({ request: byPrice, health: { [groqKey]: failedAt }, now }));

  it("failure at t: last at t+29 s, back in place at t+31 s", () => {
    const t = NOW;
    expect(at(t, t)).toEqual(["fireworks", "together", "nebius", "groq"]);
    expect(at(t, t + 29_000)).toEqual(["fireworks", "together", "nebius", "groq"]);
    expect(at(t, t + 31_000)).toEqual(["groq", "fireworks", "together", "nebius"]);
    expect(UNHEALTHY_WINDOW_MS).toBe(30_000);
  });

  it("deprioritised, not excluded: a failing endpoint stays in the plan", () => {
    const p = plan({ request: req({ provider: { only: ["groq"] } }), health: { [groqKey]: NOW - 1000 } });
    expect(names(p)).toEqual(["groq"]);
  });

  it("several failing endpoints: the one that failed longest ago comes first among them", () => {
    const [groq, together] = [llama.endpoints[0]!, llama.endpoints[1]!];
    const p = plan({ request: byPrice, health: { [endpointHealthKey(groq)]: NOW - 5000, [endpointHealthKey(together)]: NOW - 10_000 } });
    expect(names(p)).toEqual(["fireworks", "nebius", "together", "groq"]);
  });

  it("an explicit provider.order is the caller's wish and is not reordered by health", () => {
    const p = plan({ request: req({ provider: { order: ["groq", "nebius"] } }), health: { [groqKey]: NOW - 1000 } });
    expect(names(p).slice(0, 2)).toEqual(["groq", "nebius"]);
  });
});
