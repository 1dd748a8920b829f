import { endpointHealthKey, planRoute, UNHEALTHY_WINDOW_MS } from "@switchyard/router";
import { findModel } from "@switchyard/catalog";
import { env } from "cloudflare:test";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { currentHealth, HEALTH_REFRESH_MS, reportFailure } from "../src/health/snapshot-cache.ts";
import { call } from "./setup/call.ts";
import { clearHealth, healthStub, inHealthObject } from "./setup/health.ts";
import { seedTenant } from "./setup/seed.ts";
import { type ScriptedUpstreams, scriptedUpstreams } from "./setup/upstreams.ts";

const T = 1_800_000_000_000;
const echo = findModel("mock/echo")!;
const MOCK = endpointHealthKey(echo.endpoints[0]!); // "mock/echo"

beforeEach(async () => {
  await clearHealth();
});

/** Sets the health object's clock. */
const objectClock = (now: number) => inHealthObject((instance) => void (instance.now = () => now));

describe("the ProviderHealth object, with a controllable clock", () => {
  it("a failure at t is reported at t+29 s and forgotten at t+31 s", async () => {
    const stub = healthStub();
    await objectClock(T);
    await stub.report([{ endpoint: MOCK, status: 503, at: T }]);
    expect(await stub.snapshot()).toEqual({ [MOCK]: T });
    await objectClock(T + 29_000);
    expect(await stub.snapshot()).toEqual({ [MOCK]: T });
    await objectClock(T + 31_000);
    expect(await stub.snapshot()).toEqual({});
  });

  it("the planner tries it last at t+29 s and in its normal place at t+31 s", async () => {
    const stub = healthStub();
    await objectClock(T);
    await stub.report([{ endpoint: MOCK, status: 500, at: T }]);
    const first = async (now: number) => {
      await objectClock(now);
      const health = await stub.snapshot();
      const plan = planRoute({ request: { model: "mock/echo", messages: [{ role: "user", content: "x" }], provider: { sort: "price" } }, workspace: { zdr: false, euOnly: false }, health, now });
      return plan.map((a) => a.endpoint.provider);
    };
    expect(await first(T + 29_000)).toEqual(["mock-eu", "mock"]);
    expect(await first(T + 31_000)).toEqual(["mock", "mock-eu"]);
  });

  it("counts failures within the window and starts over after a healthy window", async () => {
    const stub = healthStub();
    await objectClock(T + 2_000);
    await stub.report([{ endpoint: MOCK, status: 500, at: T }, { endpoint: MOCK, status: 429, at: T + 1_000 }]);
    expect(await stub.details()).toEqual([{ endpoint: MOCK, lastFailureAt: T + 1_000, lastStatus: 429, recentFailures: 2 }]);
    await objectClock(T + 1_000 + UNHEALTHY_WINDOW_MS + 5_000);
    await stub.report([{ endpoint: MOCK, status: 502, at: T + 1_000 + UNHEALTHY_WINDOW_MS + 5_000 }]);
    expect(await stub.details()).toMatchObject([{ lastStatus: 502, recentFailures: 1 }]);
  });

  it("a late report of an older failure does not move the last failure back", async () => {
    const stub = healthStub();
    await objectClock(T + 5_000);
    await stub.report([{ endpoint: MOCK, status: 503, at: T + 4_000 }]);
    await stub.report([{ endpoint: MOCK, status: 500, at: T + 1_000 }]);
    expect(await stub.details()).toMatchObject([{ lastFailureAt: T + 4_000, lastStatus: 503, recentFailures: 2 }]);
  });

  it("a reporter clock ahead of the object cannot keep an endpoint down longer than the window", async () => {
    const stub = healthStub();
    await objectClock(T);
    await stub.report([{ endpoint: MOCK, status: 500, at: T + 60_000 }]);
    await objectClock(T + 31_000);
    expect(await stub.snapshot()).toEqual({});
  });

  it("keeps only the endpoints that failed within the window", async () => {
    const stub = healthStub();
    await objectClock(T);
    await stub.report([{ endpoint: "a/x", status: 500, at: T - 40_000 }, { endpoint: "b/y", status: 500, at: T - 10_000 }]);
    const rows = await inHealthObject((_i, state) => state.storage.sql.exec("SELECT endpoint FROM failures").toArray());
    expect(rows).toEqual([{ endpoint: "b/y" }]);
  });
});

describe("the isolate's snapshot: never waited on", () => {
  it("a fresh isolate plans with an empty copy at once and refreshes in the background", async () => {
    await healthStub().report([{ endpoint: MOCK, status: 500, at: Date.now() }]);
    const deferred: Promise<unknown>[] = [];
    const now = Date.now();
    expect(currentHealth(env, (p) => deferred.push(p), now)).toEqual({}); // nothing awaited: the empty copy
    expect(deferred).toHaveLength(1);
    await Promise.all(deferred);
    expect(Object.keys(currentHealth(env, (p) => deferred.push(p), now))).toEqual([MOCK]);
    expect(deferred).toHaveLength(1); // still fresh: no second refresh
  });

  it(`refreshes at most every ${HEALTH_REFRESH_MS} ms`, async () => {
    const deferred: Promise<unknown>[] = [];
    const now = Date.now();
    currentHealth(env, (p) => deferred.push(p), now);
    await Promise.all(deferred);
    currentHealth(env, (p) => deferred.push(p), now + HEALTH_REFRESH_MS - 1);
    expect(deferred).toHaveLength(1);
    currentHealth(env, (p) => deferred.push(p), now + HEALTH_REFRESH_MS);
    expect(deferred).toHaveLength(2);
    await Promise.all(deferred);
  });

  it("a failure this isolate saw applies to its next plan at once, before the object has it", async () => {
    const deferred: Promise<unknown>[] = [];
    const now = Date.now();
    reportFailure(env, (p) => deferred.push(p), MOCK, 502, now);
    expect(currentHealth(env, () => {}, now)).toEqual({ [MOCK]: now });
    await Promise.all(deferred);
    expect(await healthStub().snapshot()).toEqual({ [MOCK]: now });
  });
});

describe("the 30-second window through the gateway", () => {
  let upstreams: ScriptedUpstreams;
  afterEach(() => {
    upstreams?.restore();
    vi.useRealTimers();
  });

  it("after a failure at t: tried last at t+29 s, first again at t+31 s", async () => {
    const tenant = await seedTenant("health-window");
    const t = Date.now();
    vi.useFakeTimers({ toFake: ["Date"], now: t });
    upstreams = scriptedUpstreams({ mock: ["status=500"], "mock-eu": [] });
    const ask = () =>
      call("/api/v1/chat/completions", { method: "POST", key: tenant.key, env: upstreams.env, json: { model: "mock/echo", messages: [{ role: "user", content: "hi" }], provider: { sort: "price" } } });

    expect((await ask()).headers.get("x-switchyard-attempts")).toBe("mock mock/echo 500, mock-eu mock/echo 200");
    await objectClock(t + 29_000);
    vi.setSystemTime(t + 29_000);
    expect((await ask()).headers.get("x-switchyard-provider")).toBe("mock-eu");
    await objectClock(t + 31_000);
    vi.setSystemTime(t + 31_000);
    expect((await ask()).headers.get("x-switchyard-attempts")).toBe("mock mock/echo 200");
  });
});
