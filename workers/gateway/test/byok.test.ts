import { findModel } from "@switchyard/catalog";
import { byokFeeNanos } from "@switchyard/fees";
import { env } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { reconcile } from "../../billing/src/ledger/reconcile.ts";
import type { AuthContext } from "../src/accounts/auth.ts";
import { settleGeneration } from "../src/accounts/settle.ts";
import type { GenerationOutcome } from "../src/inference/generation.ts";
import { balanceOf, call, firstRecord, records } from "./setup/call.ts";
import { giveByokKey } from "./setup/byok.ts";
import { seedTenant, type SeededTenant } from "./setup/seed.ts";

// mock/echo on the "mock" provider: 1000 nanos per prompt token, 2000 per completion token.
const hostedCost = (usage: { prompt_tokens: number; completion_tokens: number }) => BigInt(usage.prompt_tokens * 1000 + usage.completion_tokens * 2000);


// The free million is counted in the account's spend object (its D1 count, if any, is where it starts the month).
const monthNow = () => new Date().toISOString().slice(0, 7);

// A month the object has not counted yet starts from D1's count (a deployment from before the move).
const byokRequestsCounted = async (accountId: string, month = monthNow()) =>
  (await firstRecord<{ n: number }>(accountId, "SELECT requests AS n FROM byok_months WHERE month = ?", month))?.n ??
  (await env.DB.prepare("SELECT COALESCE(SUM(requests), 0) AS n FROM byok_monthly_usage WHERE account_id = ? AND month = ?").bind(accountId, month).first<number>("n"))!;

const seedMonth = (accountId: string, month: string, requests: number) =>
  env.DB.prepare("INSERT INTO byok_monthly_usage (account_id, month, requests) VALUES (?, ?, ?) ON CONFLICT DO UPDATE SET requests = excluded.requests")
    .bind(accountId, month, requests)
    .run();


// Each request's fee is part of its record's exact charge (D1 has it inside the minute's roll-up).
const feeEntries = async (accountId: string) =>
  records(accountId, "SELECT -byok_fee_nanos AS amount_nanos, 'byok_fee:' || id AS idempotency_key FROM generations WHERE byok_fee_nanos > 0 ORDER BY rowid");

async function expectReconciled(accountId: string) {
  expect((await reconcile(env.DB)).differences.filter((d) => d.account_id === accountId)).toEqual([]);
}

const chat = (tenant: SeededTenant, content: string, model = "mock/echo", extra: Record<string, unknown> = {}) =>
  call("/api/v1/chat/completions", { method: "POST", key: tenant.key, json: { model, messages: [{ role: "user", content }], ...extra } });

describe("BYOK: requests served with the workspace's own provider key", () => {
  it("are served with that key, cost no credits and are counted, within the free million", async () => {
    const tenant = await seedTenant("byok_free");
    await giveByokKey(tenant, "mock", "sk-own-mock-key-1234");
    const before = await balanceOf(tenant.accountId);

    const res = await chat(tenant, "hello with my own key");
    expect(res.status).toBe(200);
    const body = (await res.json()) as any;
    expect(res.headers.get("x-switchyard-provider")).toBe("mock");
    expect(body.usage).toMatchObject({ is_byok: true, cost: 0 });

    const gen = await firstRecord<any>(tenant.accountId, "SELECT byok, cost_nanos, byok_fee_nanos, attempts FROM generations WHERE id = ?", body.id);
    expect(gen).toMatchObject({ byok: 1, cost_nanos: 0, byok_fee_nanos: 0 });
    expect(JSON.parse(gen.attempts)).toEqual([{ provider: "mock", model: "mock/echo", status: 200, byok: true }]);
    expect(await byokRequestsCounted(tenant.accountId)).toBe(1);
    expect(await balanceOf(tenant.accountId)).toBe(before);
    await expectReconciled(tenant.accountId);
  });

  it("pay 5 % of the hosted price from the 1,000,001st request of the month on", async () => {
    const tenant = await seedTenant("byok_paid");
    await giveByokKey(tenant, "mock", "sk-own-mock-key-5678");
    await seedMonth(tenant.accountId, monthNow(), 999_999);
    const before = await balanceOf(tenant.accountId);

    const millionth = (await (await chat(tenant, "the millionth")).json()) as any;
    expect(await balanceOf(tenant.accountId)).toBe(before); // the 1,000,000th is still free
    expect(await byokRequestsCounted(tenant.accountId)).toBe(1_000_000);

    const next = (await (await chat(tenant, "one past the free million", "mock/echo", { stream: true })).text());
    const usage = JSON.parse(next.split("\n\n").map((e) => e.replace(/^data: /, "")).filter((e) => e.includes('"usage"')).at(-1)!).usage;
    const fee = byokFeeNanos(hostedCost(usage));
    expect(fee).toBeGreaterThan(0n);
    expect(await balanceOf(tenant.accountId)).toBe(before - Number(fee));
    expect(await byokRequestsCounted(tenant.accountId)).toBe(1_000_001);
    const entries = await feeEntries(tenant.accountId);
    expect(entries).toHaveLength(1);
    expect(entries[0]).toMatchObject({ amount_nanos: -Number(fee) });
    expect(entries[0]!.idempotency_key).not.toBe(`byok_fee:${millionth.id}`);
    const gen = await firstRecord(tenant.accountId, "SELECT byok_fee_nanos, cost_nanos FROM generations WHERE id = ?", String(entries[0]!.idempotency_key).slice("byok_fee:".length));
    expect(gen).toEqual({ byok_fee_nanos: Number(fee), cost_nanos: 0 });
    await expectReconciled(tenant.accountId);
  });

  it("are neither charged nor counted when they fail (a stream cut before the end)", async () => {
    const tenant = await seedTenant("byok_cut");
    await giveByokKey(tenant, "mock", "sk-own-mock-key-9999");
    await seedMonth(tenant.accountId, monthNow(), 2_000_000);
    const before = await balanceOf(tenant.accountId);
    await (await chat(tenant, "a long answer that gets cut [mock:cut=2]", "mock/echo", { stream: true })).text();
    expect(await byokRequestsCounted(tenant.accountId)).toBe(2_000_000);
    expect(await balanceOf(tenant.accountId)).toBe(before);
    expect(await feeEntries(tenant.accountId)).toEqual([]);
  });
});

describe("BYOK fallback", () => {
  it("falls back to hosted credits when the workspace's key is refused, and charges what served", async () => {
    const tenant = await seedTenant("byok_fallback");
    await giveByokKey(tenant, "mock", "bad-key"); // the mock answers 401 to exactly this key
    const before = await balanceOf(tenant.accountId);
    const res = await chat(tenant, "my key is revoked");
    expect(res.status).toBe(200);
    const body = (await res.json()) as any;
    expect(body.usage.is_byok).toBe(false);
    const gen = await firstRecord<any>(tenant.accountId, "SELECT byok, cost_nanos, attempts FROM generations WHERE id = ?", body.id);
    expect(JSON.parse(gen.attempts)).toEqual([
      { provider: "mock", model: "mock/echo", status: 401, message: expect.any(String), byok: true },
      { provider: "mock", model: "mock/echo", status: 200 },
    ]);
    expect(gen.byok).toBe(0);
    expect(gen.cost_nanos).toBe(Number(hostedCost(body.usage)));
    expect(await balanceOf(tenant.accountId)).toBe(before - Number(hostedCost(body.usage)));
    expect(await byokRequestsCounted(tenant.accountId)).toBe(0);
    await expectReconciled(tenant.accountId);
  });

  it("never uses hosted keys for that provider when the workspace set 'always use my key'", async () => {
    const tenant = await seedTenant("byok_always");
    await giveByokKey(tenant, "mock", "bad-key", true);
    const before = await balanceOf(tenant.accountId);

    const onlyThatProvider = await chat(tenant, "only the US mock serves this", "mock/echo-us-only");
    expect(onlyThatProvider.status).toBe(502);
    const error = ((await onlyThatProvider.json()) as any).error;
    expect(error.metadata.attempts).toEqual([{ provider: "mock", model: "mock/echo-us-only", status: 401, message: expect.any(String), byok: true }]);
    expect(JSON.stringify(error)).not.toContain("bad-key");
    expect(await balanceOf(tenant.accountId)).toBe(before);

    // Another provider of the model still serves on hosted credits.
    const other = await chat(tenant, "another provider may serve this");
    expect(other.status).toBe(200);
    expect(other.headers.get("x-switchyard-provider")).toBe("mock-eu");
    await expectReconciled(tenant.accountId);
  });
});

describe("BYOK settlement is exactly once per generation", () => {
  const model = findModel("mock/echo")!;
  const authFor = (t: SeededTenant): AuthContext => ({
    keyId: t.keyId, kind: "inference", name: "k", prefix: "sk-sy-v1-", disabled: false, expiresAt: null, limitNanos: null, limitReset: "none",
    workspaceId: t.workspaceId, accountId: t.accountId, monthlyBudgetNanos: null, zdr: false, euOnly: false, providerPreferences: null, keyHash: "x",
    keyRpmLimit: null, keyTpmLimit: null, keyMaxParallelRequests: null, workspaceRpmLimit: null, workspaceTpmLimit: null, workspaceMaxParallelRequests: null,
    responseCache: false, responseCacheTtlSeconds: null, guardrails: null, userMonthlyLimitNanos: null, deleted: false,
  });
  const outcome = (id: string, startedAt: number, costNanos = 1_000_000n): GenerationOutcome => ({
    id, model, endpoint: model.endpoints[0]!, provider: null, status: "success", usage: { promptTokens: 500, completionTokens: 250 },
    costNanos, reservedNanos: costNanos, byok: true, finishReason: "stop", streamed: false, startedAt, endedAt: startedAt + 10, attempts: [],
  });

  it("settling the same generation again, or concurrently, counts and charges it once", async () => {
    const tenant = await seedTenant("byok_once");
    await seedMonth(tenant.accountId, "2026-03", 1_000_000);
    const before = await balanceOf(tenant.accountId);
    const gen = outcome("gen-byok-once", Date.parse("2026-03-15T12:00:00Z"));
    await settleGeneration(env, authFor(tenant), gen);
    await settleGeneration(env, authFor(tenant), gen);
    await Promise.all([1, 2, 3].map(() => settleGeneration(env, authFor(tenant), gen)));
    expect(await byokRequestsCounted(tenant.accountId, "2026-03")).toBe(1_000_001);
    expect(await feeEntries(tenant.accountId)).toEqual([{ amount_nanos: -50_000, idempotency_key: "byok_fee:gen-byok-once" }]);
    expect(await balanceOf(tenant.accountId)).toBe(before - 50_000);
    await expectReconciled(tenant.accountId);
  });

  it("concurrent generations at the boundary: exactly the ones past the millionth pay", async () => {
    const tenant = await seedTenant("byok_race");
    await seedMonth(tenant.accountId, "2026-03", 999_998);
    const at = Date.parse("2026-03-20T08:00:00Z");
    await Promise.all(Array.from({ length: 6 }, (_, i) => settleGeneration(env, authFor(tenant), outcome(`gen-byok-race-${i}`, at))));
    expect(await byokRequestsCounted(tenant.accountId, "2026-03")).toBe(1_000_004);
    expect(await feeEntries(tenant.accountId)).toHaveLength(4); // requests 1,000,001 … 1,000,004
    await expectReconciled(tenant.accountId);
  });

  it("resets at the UTC month boundary", async () => {
    const tenant = await seedTenant("byok_month");
    await seedMonth(tenant.accountId, "2026-01", 1_000_000);
    const before = await balanceOf(tenant.accountId);
    await settleGeneration(env, authFor(tenant), outcome("gen-byok-jan-last", Date.parse("2026-01-31T23:59:59.999Z")));
    expect(await balanceOf(tenant.accountId)).toBe(before - 50_000); // still January: past the free million
    await settleGeneration(env, authFor(tenant), outcome("gen-byok-feb-first", Date.parse("2026-02-01T00:00:00.000Z")));
    expect(await balanceOf(tenant.accountId)).toBe(before - 50_000); // February: free again
    const months = await records(tenant.accountId, "SELECT month, requests FROM byok_months ORDER BY month");
    expect(months).toEqual([{ month: "2026-01", requests: 1_000_001 }, { month: "2026-02", requests: 1 }]);
    await expectReconciled(tenant.accountId);
  });
});
