import { env } from "cloudflare:test";
import { afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { refreshMeasured } from "../src/health/stats-snapshot.ts";
import { call } from "./setup/call.ts";
import { clearHealth } from "./setup/health.ts";
import { seedTenant, type SeededTenant } from "./setup/seed.ts";
import { clearStats } from "./setup/stats.ts";
import { type ScriptedUpstreams, scriptedUpstreams } from "./setup/upstreams.ts";

let tenant: SeededTenant;
let upstreams: ScriptedUpstreams;

beforeAll(async () => {
  tenant = await seedTenant("measured-routing");
});
beforeEach(async () => {
  await clearHealth();
  await clearStats();
  upstreams = scriptedUpstreams({ mock: [], "mock-eu": [] });
});
afterEach(() => upstreams.restore());

/** Flushing every batch at once (STATS_FLUSH_MS=0) stands in for the 10 s interval: the test does not wait for it. */
async function chat(model: string, content: string, provider: Record<string, unknown> = {}) {
  const res = await call("/api/v1/chat/completions", {
    method: "POST",
    key: tenant.key,
    json: { model, messages: [{ role: "user", content }], provider },
    env: { ...upstreams.env, STATS_FLUSH_MS: "0" },
  });
  expect(res.status).toBe(200);
  return res.headers.get("x-switchyard-provider");
}

describe("routing by measured figures", () => {
  it("a slow endpoint loses the latency and throughput sorts and :nitro once its traffic is measured", async () => {
    // the catalog types mock as the faster endpoint (50 ms, 100 tok/s against 80 ms, 80 tok/s)
    expect(await chat("mock/echo", "x", { sort: "latency" })).toBe("mock");
    expect(await chat("mock/echo:nitro", "x")).toBe("mock");
    // traffic: mock answers after 500 ms, mock-eu at once
    for (let i = 0; i < 3; i++) {
      expect(await chat("mock/echo", `slow ${i} [mock:latency=500]`, { order: ["mock"] })).toBe("mock");
      expect(await chat("mock/echo", `fast ${i}`, { order: ["mock-eu"] })).toBe("mock-eu");
    }
    await refreshMeasured(env); // what the isolate does in the background every 10 s
    expect(await chat("mock/echo", "x", { sort: "latency" })).toBe("mock-eu");
    expect(await chat("mock/echo", "x", { sort: "throughput" })).toBe("mock-eu");
    expect(await chat("mock/echo:nitro", "x")).toBe("mock-eu");
  });

  it("fewer than 3 answers in 30 minutes do not override the catalog's figures", async () => {
    for (let i = 0; i < 2; i++) expect(await chat("mock/echo", `slow ${i} [mock:latency=500]`, { order: ["mock"] })).toBe("mock");
    await refreshMeasured(env);
    expect(await chat("mock/echo", "x", { sort: "latency" })).toBe("mock");
  });
});
