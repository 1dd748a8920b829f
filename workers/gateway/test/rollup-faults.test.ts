import { reconcileAccount } from "@switchyard/db";
import { abortAllDurableObjects, env, runDurableObjectAlarm, runInDurableObject } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { balanceOf, chat, firstRecord, json } from "./setup/call.ts";
import { seedTenant, type SeededTenant } from "./setup/seed.ts";
import { reserveOf, settlementOf, spendObjectOf, useD1 } from "./setup/spend.ts";

/**
 * Faults between a request's answer and its roll-up into D1 (issue 20): nothing is
 * lost, nothing counted twice, and while a roll-up waits its charge is still held.
 * Every case ends with both levels of reconcile: D1's balances against its ledger,
 * and the object's records against their roll-ups.
 */

async function expectReconciledAtBothLevels(t: SeededTenant): Promise<void> {
  expect(await reconcileAccount(env.DB, t.accountId)).toMatchObject({ ok: true });
  expect((await spendObjectOf(t).reconcile()).differences).toEqual([]);
}

const rollupEntries = async (t: SeededTenant) =>
  (await env.DB.prepare("SELECT COUNT(*) AS n, COALESCE(-SUM(amount_nanos), 0) AS spent, COALESCE(SUM(request_count), 0) AS requests FROM ledger_entries WHERE account_id = ? AND idempotency_key LIKE 'rollup:%'").bind(t.accountId).first<{ n: number; spent: number; requests: number }>())!;

/** The account's roll-up entries as written, oldest first. */
const entryRows = async (t: SeededTenant) =>
  (await env.DB.prepare("SELECT idempotency_key, amount_nanos, request_count, detail FROM ledger_entries WHERE account_id = ? AND idempotency_key LIKE 'rollup:%' ORDER BY id").bind(t.accountId).all()).results;

/** A D1 whose batches fail: refused outright, or ("timeout") after they have in fact committed. */
function faultyD1(mode: "refuse" | "commit-then-timeout"): D1Database {
  return new Proxy(env.DB, {
    get(target, prop, receiver) {
      if (prop === "batch") {
        return async (statements: D1PreparedStatement[]) => {
          if (mode === "refuse") throw new Error("D1_ERROR: database is unavailable");
          await target.batch(statements);
          throw new Error("D1_ERROR: the operation timed out");
        };
      }
      const value = Reflect.get(target, prop, receiver);
      return typeof value === "function" ? value.bind(target) : value;
    },
  });
}

describe("roll-up faults", () => {
  it("the object restarted between an answer and its roll-up: the charge is still held, then rolled up once", async () => {
    const t = await seedTenant("fault-restart", 10_000_000_000);
    const body = await json(await chat(t.key, "hello"));
    const cost = Math.round(body.usage.cost * 1e9);
    expect(await rollupEntries(t)).toMatchObject({ n: 0 }); // answered, not yet in D1
    await abortAllDurableObjects();
    // after the restart the record is there, not rolled up, and its charge still held
    expect(await firstRecord(t.accountId, "SELECT cost_nanos, rolled FROM generations WHERE id = ?", body.id)).toEqual({ cost_nanos: cost, rolled: 0 });
    expect((await spendObjectOf(t).reserve(reserveOf(t, "gen-all", 10_000_000_000 - cost + 1))).ok).toBe(false);
    expect(await balanceOf(t.accountId)).toBe(10_000_000_000 - cost); // (rolls up)
    expect(await rollupEntries(t)).toEqual({ n: 1, spent: cost, requests: 1 });
    expect(await spendObjectOf(t).reserve(reserveOf(t, "gen-all", 10_000_000_000 - cost))).toEqual({ ok: true });
    await expectReconciledAtBothLevels(t);
  });

  it("D1 refusing roll-ups for a minute, then written once: no loss, no double count, held meanwhile", async () => {
    const t = await seedTenant("fault-d1-down", 100_000);
    const spend = spendObjectOf(t);
    await useD1(t, faultyD1("refuse"));
    await spend.settleMany(Array.from({ length: 30 }, (_, i) => settlementOf(t, `gen-down-${i}`, 1_000 + i)));
    const spent = 30 * 1_000 + (29 * 30) / 2;
    // every retry in the minute fails: the alarm re-arms itself, the records stay, their charge stays held
    for (let attempt = 0; attempt < 6; attempt++) {
      expect(await spend.rollUp()).toBe(false);
      await runInDurableObject(spend as unknown as DurableObjectStub, async (_, state) => {
        expect(await state.storage.getAlarm()).not.toBeNull();
      });
      await runDurableObjectAlarm(spend as unknown as DurableObjectStub);
    }
    expect(await rollupEntries(t)).toMatchObject({ n: 0 });
    expect((await spend.reserve(reserveOf(t, "gen-over", 100_000 - spent + 1))).ok).toBe(false);
    // D1 is back: written once
    await useD1(t, env.DB);
    expect(await spend.rollUp()).toBe(true);
    expect(await spend.rollUp()).toBe(true); // and again: nothing more
    expect(await rollupEntries(t)).toEqual({ n: 1, spent, requests: 30 });
    expect(await balanceOf(t.accountId)).toBe(100_000 - spent);
    expect(await spend.reserve(reserveOf(t, "gen-rest", 100_000 - spent))).toEqual({ ok: true });
    await expectReconciledAtBothLevels(t);
  });

  it("a roll-up retried after a timeout that had in fact committed counts once", async () => {
    const t = await seedTenant("fault-timeout", 100_000);
    const spend = spendObjectOf(t);
    await spend.settleMany([settlementOf(t, "gen-timeout-a", 4_000), settlementOf(t, "gen-timeout-b", 6_000)]);
    await useD1(t, faultyD1("commit-then-timeout"));
    expect(await spend.rollUp()).toBe(false); // the object saw a failure, but D1 has it
    expect(await rollupEntries(t)).toEqual({ n: 1, spent: 10_000, requests: 2 });
    // while unsure, the object counts it twice rather than never: it refuses early, never overdraws
    expect((await spend.reserve(reserveOf(t, "gen-over", 90_001))).ok).toBe(false);
    const committed = await entryRows(t);
    // a third request lands in the same minute's bucket before the retry
    await spend.settle(settlementOf(t, "gen-timeout-c", 500));
    await useD1(t, env.DB);
    expect(await spend.rollUp()).toBe(true);
    // the retry appended only what D1 did not have (the third request); the committed entry is unchanged
    expect(await rollupEntries(t)).toEqual({ n: 2, spent: 10_500, requests: 3 });
    expect((await entryRows(t)).slice(0, 1)).toEqual(committed);
    expect(await balanceOf(t.accountId)).toBe(100_000 - 10_500);
    expect(await spend.reserve(reserveOf(t, "gen-rest", 100_000 - 10_500))).toEqual({ ok: true });
    await expectReconciledAtBothLevels(t);
  });

  it("a roll-up retried after a timeout that had in fact committed, with nothing new: appends nothing", async () => {
    const t = await seedTenant("fault-timeout-same", 100_000);
    const spend = spendObjectOf(t);
    await spend.settleMany([settlementOf(t, "gen-same-a", 4_000), settlementOf(t, "gen-same-b", 6_000)]);
    await useD1(t, faultyD1("commit-then-timeout"));
    expect(await spend.rollUp()).toBe(false);
    const committed = await entryRows(t);
    await useD1(t, env.DB);
    expect(await spend.rollUp()).toBe(true);
    expect(await entryRows(t)).toEqual(committed);
    expect(await rollupEntries(t)).toEqual({ n: 1, spent: 10_000, requests: 2 });
    expect(await balanceOf(t.accountId)).toBe(90_000);
    expect(await spend.reserve(reserveOf(t, "gen-rest", 90_000))).toEqual({ ok: true });
    await expectReconciledAtBothLevels(t);
  });

  it("concurrent requests from many isolates (many stubs) on one account: never more than the credits, every record rolled up once", async () => {
    const t = await seedTenant("fault-many-isolates", 50_000);
    const isolates = Array.from({ length: 40 }, () => env.ACCOUNT_SPEND.get(env.ACCOUNT_SPEND.idFromName(t.accountId)));
    const outcomes = await Promise.all(
      isolates.flatMap((stub, i) =>
        [0, 1, 2].map(async (j) => {
          const id = `gen-iso-${i}-${j}`;
          const granted = await stub.reserve(reserveOf(t, id, 1_000));
          if (!granted.ok) return 0;
          await stub.settle(settlementOf(t, id, 700 + j * 100)); // 700, 800 or 900 of its 1,000 bound
          return 700 + j * 100;
        }),
      ),
    );
    const served = outcomes.filter((c) => c > 0);
    // 120 asked for 1,000 each against 50,000: at least 50 fit, a few more as settled ones give back part of their bound
    expect(served.length).toBeGreaterThanOrEqual(50);
    const spent = served.reduce((a, b) => a + b, 0);
    expect(spent).toBeLessThanOrEqual(50_000);
    expect(await balanceOf(t.accountId)).toBe(50_000 - spent);
    expect(await rollupEntries(t)).toMatchObject({ spent, requests: served.length });
    expect(await firstRecord(t.accountId, "SELECT COUNT(*) AS n, SUM(cost_nanos) AS s FROM generations")).toEqual({ n: served.length, s: spent });
    await expectReconciledAtBothLevels(t);
  });

  it("reconcile finds a roll-up that differs from the object's records", async () => {
    const t = await seedTenant("fault-drift", 100_000);
    await spendObjectOf(t).settle(settlementOf(t, "gen-drift", 2_000));
    await spendObjectOf(t).rollUp();
    await env.DB.prepare("UPDATE ledger_entries SET amount_nanos = amount_nanos - 1 WHERE account_id = ? AND idempotency_key LIKE 'rollup:%'").bind(t.accountId).run();
    const report = await spendObjectOf(t).reconcile();
    expect(report.differences).toEqual([expect.objectContaining({ records: { amountNanos: -2_000, requestCount: 1 }, d1: { amountNanos: -2_001, requestCount: 1 } })]);
  });
});
