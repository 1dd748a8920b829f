import { reconcileAccount } from "@switchyard/db";
import { env, runDurableObjectAlarm } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { MINUTE_MS } from "../src/accounts/spend/request-records.ts";
import { balanceOf, call, chat, json, records } from "./setup/call.ts";
import { seedTenant, type SeededTenant } from "./setup/seed.ts";
import { settlementOf, spendObjectOf } from "./setup/spend.ts";

/**
 * The ledger is append-only: a usage read that forces the open minute's roll-up out
 * early, then more requests in that minute, then the minute's close, must add entries,
 * never change one already written; and the entries of each bucket still sum exactly
 * to its records, the balance to the ledger.
 */

type Entry = { idempotency_key: string; amount_nanos: number; request_count: number; prompt_tokens: number; completion_tokens: number; detail: string };

const usageEntries = async (t: SeededTenant) =>
  (
    await env.DB.prepare(
      "SELECT idempotency_key, amount_nanos, request_count, prompt_tokens, completion_tokens, detail FROM ledger_entries WHERE account_id = ? AND kind = 'usage' ORDER BY id",
    )
      .bind(t.accountId)
      .all<Entry>()
  ).results;

/** Every entry of `before` is still in `after`, unchanged. */
function expectUnchanged(before: Entry[], after: Entry[]): void {
  const now = new Map(after.map((e) => [e.idempotency_key, e]));
  for (const e of before) expect(now.get(e.idempotency_key)).toEqual(e);
}

async function expectReconciledAtBothLevels(t: SeededTenant): Promise<void> {
  expect(await reconcileAccount(env.DB, t.accountId)).toMatchObject({ ok: true });
  expect((await spendObjectOf(t).reconcile()).differences).toEqual([]);
}

const totalUsageNanos = async (t: SeededTenant) => Math.round((await json(await call("/api/v1/credits", { key: t.key }))).data.total_usage * 1e9);

describe("usage roll-ups are append-only", () => {
  it("a read forcing a minute out early, more requests in it, then its close: entries only added, their sum exact", async () => {
    const t = await seedTenant("append-only", 1_000_000);
    const spend = spendObjectOf(t);
    // one bucket: the last closed minute (the alarm rolls it; a read forces it out sooner)
    const minute = Math.floor(Date.now() / MINUTE_MS) * MINUTE_MS - MINUTE_MS;
    const settle = (ids: string[], debit: number) => spend.settleMany(ids.map((id) => ({ ...settlementOf(t, id, debit), usedAt: minute + 30_000 })));

    await settle(["gen-a1", "gen-a2", "gen-a3"], 1_000);
    expect(await totalUsageNanos(t)).toBe(3_000); // the read forces the roll-up
    const first = await usageEntries(t);
    expect(first).toMatchObject([{ amount_nanos: -3_000, request_count: 3 }]);

    await settle(["gen-b1", "gen-b2"], 2_000);
    expect(await totalUsageNanos(t)).toBe(7_000); // forced again, same bucket
    const second = await usageEntries(t);
    expectUnchanged(first, second);

    await settle(["gen-c1"], 500);
    // the minute's close: its alarm (run now, unless it already ran on its own on a slow machine)
    await runDurableObjectAlarm(spend as unknown as DurableObjectStub);
    const last = await usageEntries(t);
    expectUnchanged(second, last);
    // each write appended exactly its difference
    expect(last.map((e) => [e.amount_nanos, e.request_count])).toEqual([[-3_000, 3], [-4_000, 2], [-500, 1]]);
    expect(last.map((e) => JSON.parse(e.detail).providers[""][0])).toEqual([3, 2, 1]);

    // a further roll-up (nothing new) appends nothing
    expect(await spend.rollUp()).toBe(true);
    expect(await usageEntries(t)).toEqual(last);

    const [recorded] = await records<{ s: number; n: number }>(t.accountId, "SELECT SUM(cost_nanos) AS s, COUNT(*) AS n FROM generations");
    expect(recorded).toEqual({ s: 7_500, n: 6 });
    expect(last.reduce((s, e) => s + e.amount_nanos, 0)).toBe(-7_500);
    expect(await balanceOf(t.accountId)).toBe(1_000_000 - 7_500);
    expect(await totalUsageNanos(t)).toBe(7_500);
    await expectReconciledAtBothLevels(t);
  });

  it("through the API: usage read after each answer sees it, and no entry changes after it was written", async () => {
    const t = await seedTenant("append-only-api", 10_000_000_000);
    let charged = 0;
    let seen: Entry[] = [];
    for (const prompt of ["one", "two", "three"]) {
      charged += Math.round((await json(await chat(t.key, prompt))).usage.cost * 1e9);
      expect(await totalUsageNanos(t)).toBe(charged); // the open minute forced out by the read
      const now = await usageEntries(t);
      expectUnchanged(seen, now);
      expect(now.length).toBe(seen.length + 1);
      seen = now;
    }
    // a key's own usage (/key sums its entries) agrees with the records
    const key = await json(await call("/api/v1/key", { key: t.key }));
    expect(Math.round(key.data.usage * 1e9)).toBe(charged);
    expect(seen.reduce((s, e) => s + e.request_count, 0)).toBe(3);
    await expectReconciledAtBothLevels(t);
  });
});
