import { afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { findModel } from "@switchyard/catalog";
import { env } from "cloudflare:test";
import { recordOutcome } from "../src/health/record-outcome.ts";
import { flushStats } from "../src/health/stats-recorder.ts";
import { MINUTE_MS } from "../src/health/stats-types.ts";
import type { GenerationOutcome } from "../src/inference/generation.ts";
import { call } from "./setup/call.ts";
import { clearHealth } from "./setup/health.ts";
import { seedTenant, type SeededTenant } from "./setup/seed.ts";
import { clearStats, inStatsObject, statsStub } from "./setup/stats.ts";
import { type ScriptedUpstreams, scriptedUpstreams } from "./setup/upstreams.ts";

let tenant: SeededTenant;
let upstreams: ScriptedUpstreams;

beforeAll(async () => {
  tenant = await seedTenant("endpoint-stats");
});
beforeEach(async () => {
  await clearHealth();
  await clearStats();
  upstreams = scriptedUpstreams({ mock: [], "mock-eu": [] });
});
afterEach(() => upstreams.restore());

const chat = (content: string, extra: Record<string, unknown> = {}, env: Partial<Cloudflare.Env> = {}) =>
  call("/api/v1/chat/completions", {
    method: "POST",
    key: tenant.key,
    json: { model: "mock/echo", messages: [{ role: "user", content }], provider: { sort: "price" }, ...extra },
    env: { ...upstreams.env, ...env },
  });

async function endpointsList(): Promise<Record<string, any>> {
  const res = await call("/api/v1/models/mock/echo/endpoints", { env: upstreams.env });
  expect(res.status).toBe(200);
  const body = (await res.json()) as any;
  return Object.fromEntries(body.data.endpoints.map((e: any) => [e.tag, e]));
}

describe("the endpoints list shows measured stats", () => {
  it("before any traffic every measured field is null", async () => {
    const list = await endpointsList();
    for (const field of ["uptime_last_5m", "uptime_last_30m", "uptime_last_1d", "latency_last_30m", "throughput_last_30m"]) {
      expect(list.mock).toHaveProperty(field, null);
    }
  });

  it("a failed attempt lowers its endpoint's uptime; the answering endpoint gets uptime, latency and throughput", async () => {
    upstreams.script("mock", ["status=500"]);
    const failedOver = await chat("one", {}, { STATS_FLUSH_MS: "0" });
    expect(failedOver.headers.get("x-switchyard-provider")).toBe("mock-eu");
    // asked for by name: an explicit order is not reordered by health
    const slow = await chat("two [mock:latency=60]", { provider: { order: ["mock"] } }, { STATS_FLUSH_MS: "0" });
    expect(slow.headers.get("x-switchyard-provider")).toBe("mock");
    const list = await endpointsList();
    expect(list.mock).toMatchObject({ uptime_last_5m: 50, uptime_last_30m: 50, uptime_last_1d: 50 });
    expect(list["mock-eu"]).toMatchObject({ uptime_last_5m: 100, uptime_last_30m: 100, uptime_last_1d: 100 });
    // the mock waited 60 ms before answering: latency p50 is at least that (within the histogram's 5 %)
    expect(list.mock.latency_last_30m.p50).toBeGreaterThanOrEqual(57);
    for (const e of [list.mock, list["mock-eu"]]) {
      expect(Object.keys(e.latency_last_30m)).toEqual(["p50", "p75", "p90", "p99"]);
      expect(e.throughput_last_30m.p50).toBeGreaterThan(0);
    }
  });

  it("a client's own fault (400) is not a provider failure", async () => {
    upstreams.script("mock", ["status=400"]);
    await chat("bad", {}, { STATS_FLUSH_MS: "0" });
    expect((await endpointsList()).mock.uptime_last_30m).toBeNull();
  });
});

describe("what is not a provider's answer is not recorded", () => {
  it("a request the client left (cancelled) adds nothing; an answered one adds a success", async () => {
    const model = findModel("mock/echo")!;
    const t = Date.now() - 300;
    const base = { id: "gen-1", model, endpoint: model.endpoints[0]!, provider: null, usage: { promptTokens: 1, completionTokens: 4 }, costNanos: 0n, reservedNanos: 0n, byok: false, finishReason: null, streamed: true, startedAt: t, firstTokenAt: t + 100, endedAt: t + 300, attempts: [] };
    const deferred: Promise<unknown>[] = [];
    recordOutcome({ ...env, STATS_FLUSH_MS: "0" }, (p) => deferred.push(p), { ...base, status: "cancelled" } as GenerationOutcome);
    await flushStats(env);
    expect((await endpointsList()).mock.uptime_last_30m).toBeNull();
    recordOutcome({ ...env, STATS_FLUSH_MS: "0" }, (p) => deferred.push(p), { ...base, status: "success" } as GenerationOutcome);
    await Promise.all(deferred);
    const mock = (await endpointsList()).mock;
    expect(mock.uptime_last_30m).toBe(100);
    // 4 tokens in the 200 ms after the first token: 20 tok/s; first token after 100 ms
    expect(Math.abs(mock.throughput_last_30m.p50 - 20) / 20).toBeLessThan(0.05);
    expect(Math.abs(mock.latency_last_30m.p50 - 100) / 100).toBeLessThan(0.05);
  });
});

describe("recording is batched off the request path", () => {
  it("with the default 10 s interval, 5 requests are not 5 writes: the isolate holds them until the next batch", async () => {
    const answered = async () => {
      const rows = await inStatsObject((_i, state) => state.storage.sql.exec("SELECT ok FROM minutes WHERE endpoint = 'mock/echo'").toArray());
      return rows.reduce((s, r) => s + Number(r.ok), 0);
    };
    for (let i = 0; i < 5; i++) expect((await chat(`n${i}`)).status).toBe(200);
    // the first attempt was sent at once (nothing sent for 10 s); the other four wait in the isolate
    expect(await answered()).toBe(1);
    const list = await endpointsList(); // the list sends this isolate's pending minutes first
    expect(await answered()).toBe(5);
    expect(list.mock.uptime_last_30m).toBe(100);
  });
});

describe("the EndpointStats object", () => {
  const T = 1_800_000_000_000;
  const minute = Math.floor(T / MINUTE_MS);
  const at = (now: number) => inStatsObject((i) => void (i.now = () => now));
  const rows = (m: number, ok: number, failed: number, ttft: Record<number, number> = {}) => ({ endpoint: "p/x", minute: m, ok, failed, ttft, total: {}, throughput: {} });

  it("uptime windows: a failure 10 minutes ago counts for 30 min and the day, not for 5 min", async () => {
    await at(T);
    await statsStub().record([rows(minute - 10, 0, 1), rows(minute, 3, 0)]);
    expect((await statsStub().snapshot())["p/x"]).toMatchObject({ uptime_last_5m: 100, uptime_last_30m: 75, uptime_last_1d: 75 });
  });

  it("batches from several isolates merge exactly; minutes older than a day are dropped", async () => {
    await at(T);
    await statsStub().record([rows(minute, 1, 0, { 80: 1 })]);
    await statsStub().record([rows(minute, 1, 0, { 80: 1 }), rows(minute - 2000, 5, 0)]);
    const s = (await statsStub().snapshot())["p/x"]!;
    expect(s.uptime_last_1d).toBe(100);
    // bucket 80 is (955 ms, 1024 ms]: reported as its geometric middle
    expect(s.latency_last_30m!.p50).toBe(980.59);
    expect(s.latency_last_30m!.p99).toBe(s.latency_last_30m!.p50);
    const stored = await inStatsObject((_i, state) => state.storage.sql.exec("SELECT ok, ttft FROM minutes").toArray());
    expect(stored).toEqual([{ ok: 2, ttft: JSON.stringify({ 80: 2 }) }]);
    await at(T + 24 * 60 * MINUTE_MS);
    await statsStub().record([]);
    expect(await statsStub().snapshot()).toEqual({});
  });
});
