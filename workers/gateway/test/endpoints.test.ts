import { env } from "cloudflare:test";
import { afterEach, describe, expect, it } from "vitest";
import { resetClockForTests, setNowForTests } from "../src/lib/clock.ts";
import { sha256Hex } from "@switchyard/keys";
import { balanceOf, call, chat, json, firstRecord } from "./setup/call.ts";
import { clearHealth } from "./setup/health.ts";
import { addCredits, seedKey, seedTenant } from "./setup/seed.ts";

afterEach(resetClockForTests);

const nanos = (usd: number) => Math.round(usd * 1e9);

describe("GET /api/v1/key", () => {
  it("describes the calling key: label, usage by window, limit and what is left, free tier", async () => {
    const t = await seedTenant("key-info", 10_000_000_000, { limitNanos: 2_000_000_000, limitReset: "monthly" });
    const costs: number[] = [];
    for (const q of ["one", "two two"]) costs.push(nanos((await json(await chat(t.key, q))).usage.cost));
    const spent = costs[0]! + costs[1]!;
    const { data } = await json(await call("/api/v1/key", { key: t.key }));
    expect(data).toMatchObject({
      label: `${t.key.slice(0, 12)}...`,
      name: "key-info key",
      limit: 2,
      limit_reset: "monthly",
      is_free_tier: true, // seeded credits, never bought any
      is_management_key: false,
      expires_at: null,
      rate_limit: { requests: -1, interval: "10s" },
    });
    for (const field of ["usage", "usage_daily", "usage_weekly", "usage_monthly"]) expect(nanos(data[field])).toBe(spent);
    expect(nanos(data.limit_remaining)).toBe(2_000_000_000 - spent);
    expect(JSON.stringify(data)).not.toContain(t.key);

    await addCredits(t.accountId, 5_000_000_000, "purchase:key-info", "purchase");
    expect((await json(await call("/api/v1/key", { key: t.key }))).data.is_free_tier).toBe(false);
  });

  it("answers for a management key too, with no limit", async () => {
    const t = await seedTenant("key-info-mgmt");
    const mgmt = await seedKey(t.workspaceId, "key-info-mgmt", { kind: "management" });
    const { data } = await json(await call("/api/v1/key", { key: mgmt.key }));
    expect(data).toMatchObject({ is_management_key: true, is_provisioning_key: true, limit: null, limit_remaining: null, limit_reset: null, usage: 0 });
  });
});

describe("GET /api/v1/credits", () => {
  it("total_credits (purchases, adjustments, less refunds and disputes) and total_usage, whose difference is the balance", async () => {
    const t = await seedTenant("credits", 10_000_000_000);
    await addCredits(t.accountId, 5_000_000_000, "purchase:credits", "purchase");
    await addCredits(t.accountId, -2_000_000_000, "refund:credits", "refund");
    await addCredits(t.accountId, -1_000_000_000, "dispute:credits", "dispute");
    const cost = nanos((await json(await chat(t.key, "what do I owe"))).usage.cost);
    const { data } = await json(await call("/api/v1/credits", { key: t.key }));
    expect(data).toEqual({ total_credits: 12, total_usage: cost / 1e9 });
    expect(nanos(data.total_credits) - nanos(data.total_usage)).toBe(await balanceOf(t.accountId));
  });
});

describe("GET /api/v1/generation", () => {
  it("the stats of one generation, never its text", async () => {
    const t = await seedTenant("gen-stats");
    const res = await chat(t.key, "a secret prompt nobody may store");
    const body = await json(res);
    const { data } = await json(await call(`/api/v1/generation?id=${body.id}`, { key: t.key }));
    expect(data).toMatchObject({
      id: body.id,
      model: "mock/echo",
      provider_name: "Mock",
      status: "success",
      streamed: false,
      cancelled: false,
      finish_reason: "stop",
      tokens_prompt: body.usage.prompt_tokens,
      tokens_completion: body.usage.completion_tokens,
      total_cost: body.usage.cost,
      is_byok: false,
    });
    expect(data.generation_time).toBeGreaterThanOrEqual(data.latency);
    expect(Date.parse(data.created_at)).not.toBeNaN();
    const row = await firstRecord(t.accountId, "SELECT * FROM generations WHERE id = ?", body.id);
    expect(JSON.stringify(row)).not.toMatch(/secret prompt|Echo:/);
  });

  it("records a failed stream as an error, at no cost", async () => {
    const t = await seedTenant("gen-cut");
    const res = await chat(t.key, "cut this one short please [mock:cut=2]", { stream: true });
    const id = res.headers.get("x-generation-id")!;
    await res.text();
    const { data } = await json(await call(`/api/v1/generation?id=${id}`, { key: t.key }));
    expect(data).toMatchObject({ id, status: "error", total_cost: 0, streamed: true });
  });

  it("400 without an id, 404 for an unknown one", async () => {
    const t = await seedTenant("gen-missing");
    expect((await call("/api/v1/generation", { key: t.key })).status).toBe(400);
    const res = await call("/api/v1/generation?id=gen-doesnotexist", { key: t.key });
    expect(res.status).toBe(404);
    expect((await json(res)).error.code).toBe(404);
  });
});

describe("GET /api/v1/activity", () => {
  it("daily usage per model, provider and key over the last 30 UTC days; filters by date and key", async () => {
    await clearHealth(); // earlier tests' failures would deprioritise the US endpoint
    const t = await seedTenant("activity");
    const mgmt = await seedKey(t.workspaceId, "activity", { kind: "management" });
    const second = await seedKey(t.workspaceId, "activity-2");
    const cost = async (res: Promise<Response>) => nanos((await json(await res)).usage.cost);

    setNowForTests(Date.parse("2031-05-09T10:00:00Z"));
    const yesterday = await cost(chat(t.key, "old"));
    setNowForTests(Date.parse("2031-05-10T10:00:00Z"));
    const a = (await cost(chat(t.key, "one"))) + (await cost(chat(t.key, "two")));
    const b = await cost(chat(second.key, "three", { model: "mock/echo-eu-only" }));
    await chat(t.key, "failed [mock:status=500]"); // failures are not activity

    const { data } = await json(await call("/api/v1/activity", { key: mgmt.key }));
    const firstHash = await sha256Hex(t.key);
    expect(data).toHaveLength(3);
    expect(data).toContainEqual(expect.objectContaining({ date: "2031-05-10", model: "mock/echo", provider_name: "Mock", api_key_hash: firstHash, requests: 2, usage: a / 1e9 }));
    expect(data).toContainEqual(expect.objectContaining({ date: "2031-05-10", model: "mock/echo-eu-only", provider_name: "Mock (EU)", api_key_hash: second.hash, requests: 1, usage: b / 1e9 }));
    expect(data).toContainEqual(expect.objectContaining({ date: "2031-05-09", model: "mock/echo", api_key_hash: firstHash, requests: 1, usage: yesterday / 1e9 }));
    expect(data[0].date).toBe("2031-05-10"); // newest first

    const oneDay = await json(await call("/api/v1/activity?date=2031-05-09", { key: mgmt.key }));
    expect(oneDay.data.map((r: any) => r.date)).toEqual(["2031-05-09"]);
    const oneKey = await json(await call(`/api/v1/activity?api_key_hash=${second.hash}`, { key: mgmt.key }));
    expect(oneKey.data.map((r: any) => r.api_key_hash)).toEqual([second.hash]);
    expect((await call("/api/v1/activity?date=2031-04-01", { key: mgmt.key })).status).toBe(400);
    expect((await call("/api/v1/activity?date=yesterday", { key: mgmt.key })).status).toBe(400);

    setNowForTests(Date.parse("2031-06-09T10:00:00Z")); // 31 days later: out of the window
    expect((await json(await call("/api/v1/activity", { key: mgmt.key }))).data).toEqual([]);
  });
});

describe("provisioning API: /api/v1/keys", () => {
  it("creates a key shown once, lists it by hash, reads, limits, disables and deletes it", async () => {
    const t = await seedTenant("prov");
    const mgmt = await seedKey(t.workspaceId, "prov", { kind: "management" });
    const asMgmt = (path: string, init: RequestInit & { json?: unknown } = {}) => call(`/api/v1/keys${path}`, { ...init, key: mgmt.key });

    const createdRes = await asMgmt("", { method: "POST", json: { name: "ci key", limit: 1.5, limit_reset: "weekly", expires_at: "2099-12-31T23:59:59Z" } });
    expect(createdRes.status).toBe(201);
    const created = await json(createdRes);
    expect(created.key).toMatch(/^sk-sy-v1-[0-9a-f]{64}$/);
    expect(created.data).toMatchObject({
      hash: await sha256Hex(created.key),
      name: "ci key",
      label: `${created.key.slice(0, 12)}...`,
      disabled: false,
      limit: 1.5,
      limit_remaining: 1.5,
      limit_reset: "weekly",
      usage: 0,
      expires_at: "2099-12-31T23:59:59.000Z",
    });
    const hash = created.data.hash;
    // only the hash is stored, never the key
    const stored = await env.DB.prepare("SELECT * FROM api_keys WHERE hash = ?").bind(hash).first();
    expect(JSON.stringify(stored)).not.toContain(created.key);

    // the key works, and its spend shows up in the listing (the key itself never again)
    const cost = nanos((await json(await chat(created.key, "first use"))).usage.cost);
    const list = await json(await asMgmt(""));
    expect(list.data.map((k: any) => k.hash)).toEqual([hash, await sha256Hex(t.key)]); // newest first; management keys not listed
    expect(JSON.stringify(list)).not.toContain(created.key);
    const one = await json(await asMgmt(`/${hash}`));
    expect(nanos(one.data.usage)).toBe(cost);
    expect(one.data.last_used_at).not.toBeNull();

    // a limit below what it already spent: refused (403)
    const patched = await json(await asMgmt(`/${hash}`, { method: "PATCH", json: { limit: 0.000001, name: "ci key (capped)" } }));
    expect(patched.data).toMatchObject({ limit: 0.000001, limit_remaining: 0, name: "ci key (capped)" });
    expect(Date.parse(patched.data.updated_at)).not.toBeNaN();
    expect((await chat(created.key, "again")).status).toBe(403);
    await asMgmt(`/${hash}`, { method: "PATCH", json: { limit: null } });
    expect((await chat(created.key, "again")).status).toBe(200);

    // disabled: 401 at once, and hidden from the listing unless asked for
    expect((await json(await asMgmt(`/${hash}`, { method: "PATCH", json: { disabled: true } }))).data.disabled).toBe(true);
    expect((await chat(created.key, "again")).status).toBe(401);
    expect((await json(await asMgmt(""))).data.map((k: any) => k.hash)).not.toContain(hash);
    expect((await json(await asMgmt("?include_disabled=true"))).data.map((k: any) => k.hash)).toContain(hash);

    expect(await json(await asMgmt(`/${hash}`, { method: "DELETE" }))).toEqual({ deleted: true });
    expect((await asMgmt(`/${hash}`)).status).toBe(404);
    expect((await asMgmt(`/${hash}`, { method: "DELETE" })).status).toBe(404);
  });

  it.each([
    ["no name", {}],
    ["an empty name", { name: " " }],
    ["a negative limit", { name: "x", limit: -1 }],
    ["an unknown reset", { name: "x", limit: 1, limit_reset: "hourly" }],
    ["a non-UTC expiry", { name: "x", expires_at: "2099-01-01T00:00:00+02:00" }],
    ["an expiry in the past", { name: "x", expires_at: "2001-01-01T00:00:00Z" }],
  ])("400 for %s", async (_what, body) => {
    const t = await seedTenant(`prov-bad-${crypto.randomUUID().slice(0, 6)}`);
    const mgmt = await seedKey(t.workspaceId, t.workspaceId, { kind: "management" });
    const res = await call("/api/v1/keys", { method: "POST", key: mgmt.key, json: body });
    expect(res.status).toBe(400);
    expect((await json(res)).error.code).toBe(400);
  });

  it("404 for a management key's own hash: management keys are not managed here", async () => {
    const t = await seedTenant("prov-self");
    const mgmt = await seedKey(t.workspaceId, "prov-self", { kind: "management" });
    expect((await call(`/api/v1/keys/${mgmt.hash}`, { key: mgmt.key })).status).toBe(404);
    expect((await call(`/api/v1/keys/${mgmt.hash}`, { method: "DELETE", key: mgmt.key })).status).toBe(404);
    expect((await chat(t.key)).status).toBe(200);
  });
});
