import { env } from "cloudflare:test";
import { afterEach, describe, expect, it } from "vitest";
import { clearKeyCache, KEY_CACHE_TTL_MS, keyCacheSize } from "../src/accounts/key-cache.ts";
import { resetClockForTests, setNowForTests } from "../src/lib/clock.ts";
import { call, chat, countingD1, firstRecord, json, rolledUp } from "./setup/call.ts";
import { seedKey, seedTenant } from "./setup/seed.ts";

afterEach(resetClockForTests);

describe("bearer auth", () => {
  it("401 without a key, with a malformed one and with an unknown one", async () => {
    const noKey = await call("/api/v1/key");
    expect(noKey.status).toBe(401);
    expect((await json(noKey)).error).toMatchObject({ code: 401, message: expect.stringContaining("Missing API key") });
    for (const key of ["not-a-key", "sk-sy-v1-unknown000000000000000000"]) {
      const res = await chat(key);
      expect(res.status).toBe(401);
      expect((await json(res)).error.code).toBe(401);
    }
  });

  it("401 for a disabled key and for an expired key, on inference and on the account endpoints", async () => {
    const t = await seedTenant("auth-states");
    const disabled = await seedKey(t.workspaceId, "auth-disabled", { disabled: true });
    const expired = await seedKey(t.workspaceId, "auth-expired", { expiresAt: Date.now() - 1000 });
    const future = await seedKey(t.workspaceId, "auth-future", { expiresAt: Date.now() + 3_600_000 });
    for (const [key, message] of [[disabled.key, /disabled/], [expired.key, /expired/]] as const) {
      for (const res of [await chat(key), await call("/api/v1/key", { key }), await call("/api/v1/credits", { key })]) {
        expect(res.status).toBe(401);
        expect((await json(res)).error.message).toMatch(message);
      }
    }
    expect((await chat(future.key)).status).toBe(200);
  });

  it("403 when a key of the wrong kind calls: management keys cannot infer, inference keys cannot manage keys", async () => {
    const t = await seedTenant("auth-kinds");
    const mgmt = await seedKey(t.workspaceId, "auth-kinds", { kind: "management" });
    const asInference = await chat(mgmt.key);
    expect(asInference.status).toBe(403);
    expect((await json(asInference)).error.message).toMatch(/Management keys cannot call inference/);
    const asManagement = await call("/api/v1/keys", { key: t.key });
    expect(asManagement.status).toBe(403);
    expect((await call("/api/v1/activity", { key: t.key })).status).toBe(403);
  });

  it("402 when the account has no credits, with nothing charged and no generation recorded", async () => {
    const broke = await seedTenant("auth-broke", 0);
    const res = await chat(broke.key);
    expect(res.status).toBe(402);
    expect((await json(res)).error).toMatchObject({ code: 402, message: expect.stringContaining("Insufficient credits") });
    const gens = await firstRecord<{ n: number }>(broke.accountId, "SELECT COUNT(*) AS n FROM generations");
    expect(gens!.n).toBe(0);
  });

  it("402 when the credits cannot cover the request's max_tokens, and 200 once max_tokens is lowered", async () => {
    // mock/echo: up to 16,384 completion tokens at 2,000 nanos = $0.032768 without max_tokens
    const t = await seedTenant("auth-max-tokens", 1_000_000); // $0.001
    const res = await chat(t.key, "hi");
    expect(res.status).toBe(402);
    const error = (await json(res)).error;
    expect(error.message).toMatch(/lower max_tokens/);
    expect(error.metadata.available).toBe("0.001");
    expect((await chat(t.key, "hi", { max_tokens: 100 })).status).toBe(200);
  });

  it("403 when the key's own limit is reached, while the account still has credits", async () => {
    const t = await seedTenant("auth-key-limit", 10_000_000_000, { limitNanos: 300_000, limitReset: "none" });
    let status = 200;
    let calls = 0;
    while (status === 200 && calls < 50) {
      status = (await chat(t.key, "spend a little", { max_tokens: 20 })).status;
      calls++;
    }
    expect(status).toBe(403);
    expect(calls).toBeGreaterThan(1);
    const res = await chat(t.key, "spend a little", { max_tokens: 20 });
    expect((await json(res)).error.message).toMatch(/API key limit reached/);
    // the spend never passed the limit
    await rolledUp(t.accountId);
    const spent = await env.DB.prepare("SELECT -SUM(amount_nanos) AS s FROM ledger_entries WHERE api_key_id = ? AND kind = 'usage'").bind(t.keyId).first<{ s: number }>();
    expect(spent!.s).toBeLessThanOrEqual(300_000);
  });

  it("403 when the workspace's monthly budget is reached", async () => {
    const t = await seedTenant("auth-budget", 10_000_000_000, { monthlyBudgetNanos: 200_000 });
    const other = await seedKey(t.workspaceId, "auth-budget-2");
    let status = 200;
    for (let i = 0; i < 50 && status === 200; i++) status = (await chat(i % 2 ? t.key : other.key, "spend", { max_tokens: 20 })).status;
    expect(status).toBe(403);
    const res = await chat(other.key, "spend", { max_tokens: 20 });
    expect((await json(res)).error.message).toMatch(/Workspace monthly budget reached/);
    await rolledUp(t.accountId);
    const spent = await env.DB.prepare("SELECT -SUM(amount_nanos) AS s FROM ledger_entries WHERE workspace_id = ? AND kind = 'usage'").bind(t.workspaceId).first<{ s: number }>();
    expect(spent!.s).toBeLessThanOrEqual(200_000);
  });
});

describe("the key cache", () => {
  it("a cached key costs no D1 round trip in the worker: auth comes from the isolate, spend from the Durable Object", async () => {
    const t = await seedTenant("auth-hot-path");
    expect((await chat(t.key)).status).toBe(200); // warms the cache
    const counting = countingD1(env.DB);
    const res = await call("/api/v1/chat/completions", {
      method: "POST",
      key: t.key,
      json: { model: "mock/echo", messages: [{ role: "user", content: "hot path" }] },
      env: { DB: counting.db },
    });
    expect(res.status).toBe(200);
    expect(counting.queries()).toBe(0);
  });

  it(`a key disabled elsewhere keeps working from the cache for at most ${KEY_CACHE_TTL_MS} ms, then gets 401`, async () => {
    const t = await seedTenant("auth-revoke");
    const t0 = Date.UTC(2031, 0, 10, 12);
    setNowForTests(t0);
    expect((await chat(t.key)).status).toBe(200);
    // revoked by another isolate (dashboard, provisioning API elsewhere): only D1 changes
    await env.DB.prepare("UPDATE api_keys SET disabled = 1 WHERE id = ?").bind(t.keyId).run();
    setNowForTests(t0 + KEY_CACHE_TTL_MS - 1);
    expect((await chat(t.key)).status).toBe(200);
    setNowForTests(t0 + KEY_CACHE_TTL_MS);
    expect((await chat(t.key)).status).toBe(401);
  });

  it("the isolate's cache holds a key (kept as sent) no longer than its TTL once other keys are looked up", async () => {
    const [a, b] = [await seedTenant("auth-prune-a"), await seedTenant("auth-prune-b")];
    const t0 = Date.UTC(2031, 1, 1, 12);
    clearKeyCache();
    setNowForTests(t0);
    expect((await call("/api/v1/key", { key: a.key })).status).toBe(200);
    expect((await call("/api/v1/key", { key: "sk-sy-v1-unknown-0000000000000000" })).status).toBe(401);
    expect(keyCacheSize()).toBe(2);
    setNowForTests(t0 + KEY_CACHE_TTL_MS);
    expect((await call("/api/v1/key", { key: b.key })).status).toBe(200);
    expect(keyCacheSize()).toBe(1); // the two expired entries dropped, b's added
  });

  it("a key deleted through the provisioning API stops at once in the isolate that deleted it", async () => {
    const t = await seedTenant("auth-delete");
    const mgmt = await seedKey(t.workspaceId, "auth-delete", { kind: "management" });
    const created = await json(await call("/api/v1/keys", { method: "POST", key: mgmt.key, json: { name: "short-lived" } }));
    expect((await chat(created.key)).status).toBe(200);
    expect((await call(`/api/v1/keys/${created.data.hash}`, { method: "DELETE", key: mgmt.key })).status).toBe(200);
    expect((await chat(created.key)).status).toBe(401);
  });

  it("an expiry passes on the clock even while the key is cached", async () => {
    const t0 = Date.UTC(2031, 0, 10, 12);
    const t = await seedTenant("auth-expiry-clock");
    const expiring = await seedKey(t.workspaceId, "auth-expiring", { expiresAt: t0 + 1000 });
    setNowForTests(t0);
    expect((await chat(expiring.key)).status).toBe(200);
    setNowForTests(t0 + 1000);
    expect((await chat(expiring.key)).status).toBe(401);
  });
});
