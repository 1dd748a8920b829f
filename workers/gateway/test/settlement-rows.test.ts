import { apiKeys, ledgerEntries } from "@switchyard/db";
import { env } from "cloudflare:test";
import { eq, like } from "drizzle-orm";
import { drizzle } from "drizzle-orm/d1";
import { describe, expect, it } from "vitest";
import type { GenerationRow, Settlement } from "../src/accounts/spend/types.ts";
import { balanceOf, firstRecord, rolledUp } from "./setup/call.ts";
import { seedTenant, type SeededTenant } from "./setup/seed.ts";
import { spendObjectOf } from "./setup/spend.ts";

// Records travel into the spend object's SQLite as positional JSON arrays (request-records.ts),
// and roll-ups into D1 the same way (rollup-sql.ts): every field must land in its own column.
const db = () => drizzle(env.DB);
const MINUTE = Date.UTC(2026, 5, 1, 12, 34);

function everyField(t: SeededTenant, id: string): GenerationRow {
  return {
    id,
    accountId: t.accountId,
    workspaceId: t.workspaceId,
    apiKeyId: t.keyId,
    model: "vendor/model-a",
    provider: "provider-b",
    upstreamModel: "upstream-c",
    status: "success",
    errorCode: 499,
    promptTokens: 11,
    completionTokens: 22,
    costNanos: 33_000,
    byok: false,
    streamed: true,
    finishReason: "length",
    latencyMs: 44,
    ttftMs: 55,
    attempts: JSON.stringify([{ provider: "provider-b", status: 200 }]),
    createdAt: MINUTE + 66,
    endUser: "end-user-d",
    redactions: 77,
    cacheHit: true,
  };
}

const settlementOf = (t: SeededTenant, generation: GenerationRow, usedAt: number): Settlement => ({
  reservationId: generation.id,
  accountId: t.accountId,
  generation,
  entries: generation.costNanos
    ? [{ accountId: t.accountId, workspaceId: t.workspaceId, apiKeyId: t.keyId, kind: "usage", amountNanos: -generation.costNanos, idempotencyKey: `usage:${generation.id}`, generationId: generation.id }]
    : [],
  byok: null,
  keyId: t.keyId,
  usedAt,
});

describe("per-request records and their roll-ups", () => {
  it("store every field of the generation in its own column, and roll up into one entry with the exact sums", async () => {
    const t = await seedTenant("rows-every-field");
    const before = await balanceOf(t.accountId);
    const a = everyField(t, "gen-rows-a");
    const b = { ...everyField(t, "gen-rows-b"), provider: "provider-z", promptTokens: 1, completionTokens: 2, costNanos: 3 };
    await spendObjectOf(t).settleMany([settlementOf(t, a, MINUTE + 100), settlementOf(t, b, MINUTE + 200)]);

    const row = await firstRecord(t.accountId, "SELECT * FROM generations WHERE id = ?", a.id);
    expect(row).toEqual({
      id: a.id, account_id: t.accountId, workspace_id: t.workspaceId, api_key_id: t.keyId, model: "vendor/model-a", provider: "provider-b",
      upstream_model: "upstream-c", status: "success", error_code: 499, prompt_tokens: 11, completion_tokens: 22, cost_nanos: 33_000, byok: 0,
      byok_fee_nanos: 0, streamed: 1, finish_reason: "length", latency_ms: 44, ttft_ms: 55, attempts: a.attempts, created_at: MINUTE + 66,
      minute: MINUTE, rolled: 0, end_user: "end-user-d", redactions: 77, cache_hit: 1,
    });

    await rolledUp(t.accountId);
    const entries = await db().select().from(ledgerEntries).where(like(ledgerEntries.idempotencyKey, `rollup:${t.accountId}:%`));
    expect(entries).toEqual([
      {
        id: expect.any(Number), accountId: t.accountId, workspaceId: t.workspaceId, apiKeyId: t.keyId, kind: "usage", amountNanos: -33_003,
        idempotencyKey: `rollup:${t.accountId}:${t.workspaceId}:${t.keyId}:vendor/model-a:2026-06-01T12:34`, generationId: null,
        description: "usage roll-up", createdAt: MINUTE, model: "vendor/model-a", requestCount: 2, promptTokens: 12, completionTokens: 24,
        detail: JSON.stringify({ fee: 0, providers: { "provider-b": [1, 33_000, 0, 11, 22], "provider-z": [1, 3, 0, 1, 2] } }),
      },
    ]);
    expect(await balanceOf(t.accountId)).toBe(before - 33_003);
    const [key] = await db().select({ lastUsedAt: apiKeys.lastUsedAt }).from(apiKeys).where(eq(apiKeys.id, t.keyId));
    expect(key!.lastUsedAt).toBe(MINUTE + 66 + 44); // the latest end of a request rolled up
  });

  it("a minute with only failed requests writes nothing to D1; its records are kept", async () => {
    const t = await seedTenant("rows-failed-only");
    const failed: GenerationRow = { id: "gen-rows-failed", accountId: t.accountId, workspaceId: t.workspaceId, apiKeyId: t.keyId, model: "vendor/model-a", status: "error", createdAt: MINUTE };
    await spendObjectOf(t).settle(settlementOf(t, failed, MINUTE + 1));
    await rolledUp(t.accountId);
    expect(await db().select().from(ledgerEntries).where(eq(ledgerEntries.accountId, t.accountId))).toHaveLength(1); // the seeded credits only
    expect(await firstRecord(t.accountId, "SELECT status, cost_nanos, prompt_tokens, rolled FROM generations WHERE id = ?", failed.id)).toEqual({ status: "error", cost_nanos: 0, prompt_tokens: 0, rolled: 1 });
  });

  it("keeps a key's latest use when an older request is rolled up after a newer one", async () => {
    const t = await seedTenant("rows-last-use");
    await spendObjectOf(t).settle(settlementOf(t, { ...everyField(t, "gen-rows-new"), createdAt: 2 * MINUTE, latencyMs: 0 }, 2 * MINUTE));
    await rolledUp(t.accountId);
    await spendObjectOf(t).settle(settlementOf(t, { ...everyField(t, "gen-rows-old"), createdAt: MINUTE, latencyMs: 0 }, MINUTE));
    await rolledUp(t.accountId);
    const [key] = await db().select({ lastUsedAt: apiKeys.lastUsedAt }).from(apiKeys).where(eq(apiKeys.id, t.keyId));
    expect(key!.lastUsedAt).toBe(2 * MINUTE);
  });
});
