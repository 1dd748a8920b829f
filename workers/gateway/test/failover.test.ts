import { env } from "cloudflare:test";
import { afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { balanceOf, call, ledgerSum, sseData, firstRecord } from "./setup/call.ts";
import { clearHealth, healthDetails } from "./setup/health.ts";
import { seedTenant, type SeededTenant } from "./setup/seed.ts";
import { REFUSE, type ScriptedUpstreams, scriptedUpstreams } from "./setup/upstreams.ts";

// mock/echo: "mock" (US) at 1000/2000 nanos per prompt/completion token, "mock-eu" (EU, ZDR) at 1500/3000.
const PRICES = { mock: [1000, 2000], "mock-eu": [1500, 3000] } as const;

let tenant: SeededTenant;
let upstreams: ScriptedUpstreams;
beforeAll(async () => {
  tenant = await seedTenant("failover");
});
beforeEach(async () => {
  await clearHealth();
});
afterEach(() => upstreams?.restore());

/** Cheapest first, so the order of attempts is known: mock, then mock-eu. */
const ask = (content: string, extra: Record<string, unknown> = {}) => ({
  model: "mock/echo",
  messages: [{ role: "user", content }],
  provider: { sort: "price" },
  ...extra,
});

async function chat(body: unknown, key = tenant.key) {
  const res = await call("/api/v1/chat/completions", { method: "POST", key, json: body, env: upstreams.env });
  return { res, text: await res.clone().text() };
}

async function generation(id: string) {
  return firstRecord<{ status: string; provider: string; cost_nanos: number; attempts: string }>(tenant.accountId, "SELECT status, provider, cost_nanos, attempts FROM generations WHERE id = ?", id);
}

describe("failover before the first byte", () => {
  it.each([
    ["a 500", "status=500", 500],
    ["a 503", "status=503", 503],
    ["a 429", "status=429,retry_after=1", 429],
    ["a refused connection", REFUSE, 502],
  ])("after %s from the first endpoint, the next one answers; only it is charged", async (_name, step, recordedStatus) => {
    upstreams = scriptedUpstreams({ mock: [step], "mock-eu": [] });
    const before = await balanceOf(tenant.accountId);
    const { res } = await chat(ask("hello"));
    expect(res.status).toBe(200);
    const body = (await res.json()) as any;
    expect(upstreams.log).toEqual(["mock", "mock-eu"]);
    expect(body.provider).toBe("Mock (EU)");
    expect(res.headers.get("x-switchyard-provider")).toBe("mock-eu");
    expect(res.headers.get("x-switchyard-attempts")).toBe(`mock mock/echo ${recordedStatus}, mock-eu mock/echo 200`);

    const [prompt, completion] = PRICES["mock-eu"];
    const cost = body.usage.prompt_tokens * prompt + body.usage.completion_tokens * completion;
    expect(body.usage.cost).toBe(cost / 1e9);
    expect(await balanceOf(tenant.accountId)).toBe(before - cost);
    expect(await ledgerSum(tenant.accountId)).toBe(await balanceOf(tenant.accountId));

    const gen = await generation(body.id);
    expect(gen).toMatchObject({ status: "success", provider: "mock-eu", cost_nanos: cost });
    expect(JSON.parse(gen!.attempts).map((a: any) => [a.provider, a.status])).toEqual([["mock", recordedStatus], ["mock-eu", 200]]);
  });

  it("an answer that is not valid JSON moves on before anything reaches the client", async () => {
    upstreams = scriptedUpstreams({ mock: ["malformed"], "mock-eu": [] });
    const { res } = await chat(ask("garbled"));
    expect(res.status).toBe(200);
    expect(res.headers.get("x-switchyard-attempts")).toBe("mock mock/echo 502, mock-eu mock/echo 200");
    expect(((await res.json()) as any).choices[0].message.content).toBe("Echo: garbled");
  });

  it("a first-byte timeout moves on, with the configured timeout", async () => {
    upstreams = scriptedUpstreams({ mock: ["hang"], "mock-eu": [] }, { FIRST_BYTE_TIMEOUT_MS: "150" });
    const started = Date.now();
    const { res } = await chat(ask("slow"));
    expect(res.status).toBe(200);
    expect(Date.now() - started).toBeLessThan(5_000);
    expect(res.headers.get("x-switchyard-attempts")).toBe("mock mock/echo 408, mock-eu mock/echo 200");
    expect(upstreams.aborted).toContain("mock"); // the hung call was abandoned, not left running
  });

  it("a 400 from the provider is the caller's error: no failover, nothing charged", async () => {
    upstreams = scriptedUpstreams({ mock: ["status=400"], "mock-eu": [] });
    const before = await balanceOf(tenant.accountId);
    const { res } = await chat(ask("bad"));
    expect(res.status).toBe(400);
    expect(upstreams.log).toEqual(["mock"]);
    expect(await balanceOf(tenant.accountId)).toBe(before);
  });

  it("when every endpoint fails, the last failure is reported with every attempt, and nothing is charged", async () => {
    upstreams = scriptedUpstreams({ mock: ["status=502"], "mock-eu": ["status=503"] });
    const before = await balanceOf(tenant.accountId);
    const { res } = await chat(ask("doomed"));
    expect(res.status).toBe(503);
    const body = (await res.json()) as any;
    expect(body.error.metadata.attempts.map((a: any) => [a.provider, a.status])).toEqual([["mock", 502], ["mock-eu", 503]]);
    expect(await balanceOf(tenant.accountId)).toBe(before);
    // recorded all the same, with every attempt, at no cost; and its reserve no longer holds credit
    const row = await firstRecord<any>(tenant.accountId, "SELECT model, status, error_code, cost_nanos, provider, attempts FROM generations ORDER BY created_at DESC LIMIT 1");
    expect(row).toMatchObject({ model: "mock/echo", status: "error", error_code: 503, cost_nanos: 0, provider: null });
    expect(JSON.parse(row.attempts).map((a: any) => [a.provider, a.status])).toEqual([["mock", 502], ["mock-eu", 503]]);
    const stub = env.ACCOUNT_SPEND.get(env.ACCOUNT_SPEND.idFromName(tenant.accountId));
    const all = await balanceOf(tenant.accountId);
    const probe = { accountId: tenant.accountId, reservationId: "after-doomed", amountNanos: all, keyId: tenant.keyId, keyLimitNanos: null, keyLimitReset: "none" as const, workspaceId: tenant.workspaceId, workspaceBudgetNanos: null, now: Date.now() };
    expect(await stub.reserve(probe)).toEqual({ ok: true });
    // (and the probe's own hold let go again, for the tests after this one)
    const generation = { id: probe.reservationId, accountId: tenant.accountId, workspaceId: tenant.workspaceId, apiKeyId: tenant.keyId, model: "mock/echo", status: "cancelled" as const };
    await stub.settle({ reservationId: probe.reservationId, accountId: tenant.accountId, keyId: tenant.keyId, usedAt: Date.now(), byok: null, generation, entries: [] });
  });
});

describe("streams", () => {
  it.each([
    ["is cut before its first content", "cut=0"],
    ["sends an error event before its first content", "error_event=0"],
    ["is malformed before its first content", "malformed"],
  ])("a stream that %s fails over; the client sees one clean stream", async (_name, step) => {
    upstreams = scriptedUpstreams({ mock: [step], "mock-eu": [] });
    const before = await balanceOf(tenant.accountId);
    const { res, text } = await chat(ask("stream me", { stream: true }));
    expect(res.status).toBe(200);
    expect(upstreams.log).toEqual(["mock", "mock-eu"]);
    const events = sseData(text);
    expect(events.at(-1)).toBe("[DONE]");
    const chunks = events.slice(0, -1).map((e) => JSON.parse(e));
    expect(chunks.some((c) => c.error)).toBe(false);
    expect(chunks.map((c) => c.choices[0]?.delta?.content ?? "").join("")).toBe("Echo: stream me");
    const usage = chunks.at(-1).usage;
    const [prompt, completion] = PRICES["mock-eu"];
    expect(await balanceOf(tenant.accountId)).toBe(before - (usage.prompt_tokens * prompt + usage.completion_tokens * completion));
  });

  it("a stream that stalls before its first content times out and fails over", async () => {
    upstreams = scriptedUpstreams({ mock: ["stall=0"], "mock-eu": [] }, { FIRST_BYTE_TIMEOUT_MS: "150" });
    const { res, text } = await chat(ask("stream me", { stream: true }));
    expect(res.headers.get("x-switchyard-attempts")).toBe("mock mock/echo 408, mock-eu mock/echo 200");
    expect(sseData(text).at(-1)).toBe("[DONE]");
  });

  it("after the first byte, a failure ends the stream with an error event, no failover, no charge", async () => {
    upstreams = scriptedUpstreams({ mock: ["cut=2"], "mock-eu": [] });
    const before = await balanceOf(tenant.accountId);
    const { text } = await chat(ask("a longer answer that will be cut", { stream: true }));
    expect(upstreams.log).toEqual(["mock"]);
    const events = sseData(text);
    expect(events.at(-1)).toBe("[DONE]");
    const last = JSON.parse(events.at(-2)!);
    expect(last.error).toMatchObject({ code: 502 });
    expect(last.choices[0].finish_reason).toBe("error");
    expect(await generation(last.id)).toMatchObject({ status: "error", cost_nanos: 0, provider: "mock" });
    expect(await balanceOf(tenant.accountId)).toBe(before);
    expect(await healthDetails()).toMatchObject([{ endpoint: "mock/echo", lastStatus: 502 }]); // the cut counts against the provider
  });

  it("an in-stream error event after the first byte ends the stream the same way", async () => {
    upstreams = scriptedUpstreams({ mock: ["error_event=2"], "mock-eu": [] });
    const { text } = await chat(ask("a longer answer with an error inside", { stream: true }));
    expect(upstreams.log).toEqual(["mock"]);
    const last = JSON.parse(sseData(text).at(-2)!);
    expect(last.error.code).toBe(502);
    expect(await generation(last.id)).toMatchObject({ status: "error", cost_nanos: 0 });
  });
});

describe("client disconnect", () => {
  it("aborts the upstream call while waiting for the first byte", async () => {
    upstreams = scriptedUpstreams({ mock: ["hang"], "mock-eu": [] });
    const controller = new AbortController();
    const pending = call("/api/v1/chat/completions", { method: "POST", key: tenant.key, json: ask("never mind"), env: upstreams.env, signal: controller.signal });
    // the client leaves once the upstream has the request (a fixed wait lost that race on a loaded CI machine)
    for (let waited = 0; upstreams.log.length === 0 && waited < 5_000; waited += 5) await new Promise((ok) => setTimeout(ok, 5));
    controller.abort();
    await pending.catch(() => {});
    expect(upstreams.aborted).toEqual(["mock"]);
    expect(upstreams.log).toEqual(["mock"]); // no failover for a client that left
  });
});

describe("health reports", () => {
  it("a failed endpoint is recorded in the health object, and the next request tries it last", async () => {
    upstreams = scriptedUpstreams({ mock: ["status=500"], "mock-eu": [] });
    await chat(ask("first"));
    const details = await healthDetails();
    expect(details).toEqual([{ endpoint: "mock/echo", lastFailureAt: expect.any(Number), lastStatus: 500, recentFailures: 1 }]);

    upstreams.log.length = 0;
    const { res } = await chat(ask("second"));
    expect(res.headers.get("x-switchyard-provider")).toBe("mock-eu");
    expect(upstreams.log).toEqual(["mock-eu"]); // the cheaper but failing endpoint was not tried first
  });

  it("a 400 (the caller's fault) does not count against the endpoint", async () => {
    upstreams = scriptedUpstreams({ mock: ["status=400"], "mock-eu": [] });
    await chat(ask("bad"));
    expect(await healthDetails()).toEqual([]);
  });
});
