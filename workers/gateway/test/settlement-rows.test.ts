import { apiKeys, generations, ledgerEntries } from "@switchyard/db";
import { env } from "cloudflare:test";
import { eq } from "drizzle-orm";
import { drizzle } from "drizzle-orm/d1";
import { describe, expect, it } from "vitest";
import { writeSettlements } from "../src/accounts/spend/ledger-sql.ts";
import type { GenerationRow, LedgerRow, Settlement } from "../src/accounts/spend/types.ts";
import { balanceOf } from "./setup/call.ts";
import { seedTenant, type SeededTenant } from "./setup/seed.ts";

// Settlements travel to D1 as positional JSON arrays (settlement-sql.ts): every
// field must land in its own column. Each field below has a value no other has.
const db = () => drizzle(env.DB);

function everyField(t: SeededTenant, id: string): { generation: GenerationRow; entry: LedgerRow } {
  const generation: GenerationRow = {
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
    createdAt: 1_700_000_000_066,
  };
  const entry: LedgerRow = {
    accountId: t.accountId,
    workspaceId: t.workspaceId,
    apiKeyId: t.keyId,
    kind: "usage",
    amountNanos: -33_000,
    idempotencyKey: `usage:${id}`,
    generationId: id,
    description: "vendor/model-a via provider-b",
    createdAt: 1_700_000_000_077,
  };
  return { generation, entry };
}

const settlementOf = (t: SeededTenant, generation: GenerationRow, entries: LedgerRow[], usedAt: number): Settlement => ({
  reservationId: generation.id,
  accountId: t.accountId,
  generation,
  entries,
  byok: null,
  keyId: t.keyId,
  usedAt,
});

describe("settlement rows", () => {
  it("writes every field of the generation and its ledger entry to its own column", async () => {
    const t = await seedTenant("rows-every-field");
    const before = await balanceOf(t.accountId);
    const { generation, entry } = everyField(t, "gen-rows-every-field");
    await writeSettlements(env.DB, [settlementOf(t, generation, [entry], 1_700_000_000_088)]);

    const [row] = await db().select().from(generations).where(eq(generations.id, generation.id));
    expect(row).toEqual({ ...generation, byokFeeNanos: 0 });
    const [written] = await db().select().from(ledgerEntries).where(eq(ledgerEntries.idempotencyKey, entry.idempotencyKey));
    expect(written).toEqual({ ...entry, id: expect.any(Number) });
    expect(await balanceOf(t.accountId)).toBe(before - 33_000);
    const [key] = await db().select({ lastUsedAt: apiKeys.lastUsedAt }).from(apiKeys).where(eq(apiKeys.id, t.keyId));
    expect(key!.lastUsedAt).toBe(1_700_000_000_088);
  });

  it("gives a field left out the column's default, as an insert naming only the given fields would", async () => {
    const t = await seedTenant("rows-defaults");
    const startedAt = Date.now();
    const generation: GenerationRow = { id: "gen-rows-defaults", accountId: t.accountId, workspaceId: t.workspaceId, apiKeyId: t.keyId, model: "vendor/model-a", status: "error" };
    const entry: LedgerRow = { accountId: t.accountId, kind: "usage", amountNanos: 0, idempotencyKey: "usage:gen-rows-defaults" };
    await writeSettlements(env.DB, [settlementOf(t, generation, [entry], startedAt)]);

    const [row] = await db().select().from(generations).where(eq(generations.id, generation.id));
    expect(row).toMatchObject({ promptTokens: 0, completionTokens: 0, costNanos: 0, byok: false, streamed: false, provider: null, errorCode: null, latencyMs: null, attempts: null });
    expect(row!.createdAt).toBeGreaterThanOrEqual(Math.floor(startedAt / 1000) * 1000);
    const [written] = await db().select().from(ledgerEntries).where(eq(ledgerEntries.idempotencyKey, entry.idempotencyKey));
    expect(written).toMatchObject({ workspaceId: null, apiKeyId: null, generationId: null, description: null });
    expect(written!.createdAt).toBeGreaterThanOrEqual(Math.floor(startedAt / 1000) * 1000);
  });

  it("keeps a key's latest use when an older settlement arrives after a newer one", async () => {
    const t = await seedTenant("rows-last-use");
    const a = everyField(t, "gen-rows-last-use-a");
    const b = everyField(t, "gen-rows-last-use-b");
    await writeSettlements(env.DB, [settlementOf(t, b.generation, [b.entry], 2_000)]);
    await writeSettlements(env.DB, [settlementOf(t, a.generation, [a.entry], 1_000)]);
    const [key] = await db().select({ lastUsedAt: apiKeys.lastUsedAt }).from(apiKeys).where(eq(apiKeys.id, t.keyId));
    expect(key!.lastUsedAt).toBe(2_000);
  });
});
