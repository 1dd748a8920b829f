import { findModel } from "@switchyard/catalog";
import { reconcileAccount } from "@switchyard/db";
import { chatCompletionRequestSchema } from "@switchyard/schemas";
import { abortAllDurableObjects, env, runInDurableObject } from "cloudflare:test";
import { afterEach, describe, expect, it } from "vitest";
import { BALANCE_TTL_MS, FLUSH_INTERVAL_MS, REFUSAL_RECHECK_MS, RESERVATION_TTL_MS } from "../src/accounts/spend/account-spend.ts";
import { costBoundNanos } from "../src/accounts/spend/cost-bound.ts";
import { resetClockForTests, setNowForTests } from "../src/lib/clock.ts";
import { balanceOf, call, chat, countingD1, firstRecord, json, rolledUp } from "./setup/call.ts";
import { addCredits, seedTenant, type SeededTenant } from "./setup/seed.ts";
import { reserveOf, settlementOf, spendObjectOf, useD1 } from "./setup/spend.ts";

afterEach(resetClockForTests);

// One endpoint ($1/M prompt, $2/M completion tokens), and an answer truncated at
// max_tokens: the real cost is close to the reserve, so many reserves fit at once.
const MODEL = "mock/echo-us-only";
const PROMPT = Array(100).fill("x").join(" ");
const MAX_TOKENS = 100;
const ask = (key: string, content = PROMPT, extra: Record<string, unknown> = {}) => chat(key, content, { model: MODEL, max_tokens: MAX_TOKENS, ...extra });

/** What one `ask()` really costs, and the most it may cost (its reserve). */
async function priceOfOneRequest(): Promise<{ cost: number; bound: number }> {
  const probe = await seedTenant(`probe-${crypto.randomUUID().slice(0, 8)}`);
  const body = await json(await ask(probe.key));
  const request = chatCompletionRequestSchema.parse({ model: MODEL, messages: [{ role: "user", content: PROMPT }], max_tokens: MAX_TOKENS });
  const model = findModel(MODEL)!;
  const bound = Number(costBoundNanos(model.endpoints.map((endpoint) => ({ model, endpoint })), request));
  return { cost: Math.round(body.usage.cost * 1e9), bound };
}

/** A number from D1, once the account's roll-ups are written. */
async function count(sql: string, accountId: string, ...params: unknown[]): Promise<number> {
  await rolledUp(accountId);
  return (await env.DB.prepare(sql).bind(...params).first<{ n: number }>())!.n;
}

/** A number from the account's per-request records (its spend object). */
const recorded = async (accountId: string, sql: string) => (await firstRecord<{ n: number }>(accountId, sql))!.n;

describe("concurrent requests cannot overdraw", () => {
  it("100 concurrent requests against credits for 10: at most 10 succeed, the rest get 402, the ledger reconciles exactly", async () => {
    const { cost, bound } = await priceOfOneRequest();
    expect(bound).toBeGreaterThan(cost); // the reserve is an upper bound
    const t = await seedTenant("concurrent-credits", 10 * cost);

    const results = await Promise.all(Array.from({ length: 100 }, () => ask(t.key)));
    const ok = results.filter((r) => r.status === 200).length;
    expect(results.every((r) => r.status === 200 || r.status === 402)).toBe(true);
    expect(ok).toBeLessThanOrEqual(10);
    // never fewer than the reserves the balance can hold at once
    expect(ok).toBeGreaterThanOrEqual(Math.floor((10 * cost) / bound));

    await rolledUp(t.accountId);
    expect(await reconcileAccount(env.DB, t.accountId)).toEqual({ accountId: t.accountId, ledgerSum: 10 * cost - ok * cost, balance: 10 * cost - ok * cost, ok: true });
    expect(await count("SELECT SUM(request_count) AS n FROM ledger_entries WHERE account_id = ? AND kind = 'usage'", t.accountId, t.accountId)).toBe(ok);
    expect(await recorded(t.accountId, "SELECT COUNT(*) AS n FROM generations WHERE status = 'success'")).toBe(ok);

    // Then one at a time until refused: still never more than 10 in all, and a
    // refusal comes only when what is left cannot hold one more reserve.
    let more = 0;
    while ((await ask(t.key)).status === 200) more++;
    expect(ok + more).toBeLessThanOrEqual(10);
    const left = await balanceOf(t.accountId);
    expect(left).toBe(10 * cost - (ok + more) * cost);
    expect(left).toBeGreaterThanOrEqual(0);
    expect(left).toBeLessThan(bound);
    expect((await reconcileAccount(env.DB, t.accountId)).ok).toBe(true);
  });

  it("100 concurrent requests against a key limit for 10: at most 10 succeed, the rest get 403", async () => {
    const { cost } = await priceOfOneRequest();
    const t = await seedTenant("concurrent-key-limit", 10_000_000_000, { limitNanos: 10 * cost, limitReset: "daily" });
    const results = await Promise.all(Array.from({ length: 100 }, () => ask(t.key)));
    const ok = results.filter((r) => r.status === 200).length;
    expect(results.every((r) => r.status === 200 || r.status === 403)).toBe(true);
    expect(ok).toBeGreaterThanOrEqual(1);
    expect(ok).toBeLessThanOrEqual(10);
    expect(await count("SELECT -SUM(amount_nanos) AS n FROM ledger_entries WHERE api_key_id = ?", t.accountId, t.keyId)).toBe(ok * cost);
    expect((await reconcileAccount(env.DB, t.accountId)).ok).toBe(true);
  });
});

describe("reserve → settle or release", () => {
  it("a request that fails upstream releases its reservation and charges nothing", async () => {
    const { bound } = await priceOfOneRequest();
    const failing = `${PROMPT} [mock:status=500]`;
    const t = await seedTenant("release-on-failure", bound + 200_000); // room for one reserve at a time
    for (let i = 0; i < 3; i++) expect((await ask(t.key, failing)).status).toBe(502);
    expect(await balanceOf(t.accountId)).toBe(bound + 200_000);
    expect((await ask(t.key)).status).toBe(200); // nothing still held
  });

  it("a stream cut before completion releases its reservation and charges nothing", async () => {
    const { bound } = await priceOfOneRequest();
    const t = await seedTenant("release-on-cut", bound + 200_000);
    for (let i = 0; i < 3; i++) {
      const res = await ask(t.key, `${PROMPT} [mock:cut=2]`, { stream: true });
      expect(res.status).toBe(200);
      expect(await res.text()).toContain('"finish_reason":"error"');
    }
    expect(await balanceOf(t.accountId)).toBe(bound + 200_000);
    expect((await ask(t.key)).status).toBe(200);
  });
});

describe("when the spend object cannot be reached", () => {
  it("the request is refused with a retryable 503, never sent upstream unguarded", async () => {
    const t = await seedTenant("spend-down");
    const unreachable = {
      idFromName: (name: string) => env.ACCOUNT_SPEND.idFromName(name),
      get: () => ({ reserve: async () => Promise.reject(new Error("Durable Object reset")) }),
    } as unknown as typeof env.ACCOUNT_SPEND;
    const res = await call("/api/v1/chat/completions", { method: "POST", key: t.key, json: { model: MODEL, messages: [{ role: "user", content: "x" }] }, env: { ACCOUNT_SPEND: unreachable } });
    expect(res.status).toBe(503);
    expect((await json(res)).error.code).toBe(503);
    expect(await recorded(t.accountId, "SELECT COUNT(*) AS n FROM generations")).toBe(0);
  });
});

describe("credits written by another worker (billing) straight into D1", () => {
  const t0 = Date.UTC(2031, 2, 3, 10);

  it(`a purchase unblocks a refused account within ${REFUSAL_RECHECK_MS} ms: the balance is re-read before refusing`, async () => {
    const t = await seedTenant("topped-up", 0);
    setNowForTests(t0);
    expect((await ask(t.key)).status).toBe(402);
    await addCredits(t.accountId, 5_000_000_000, "purchase:topped-up", "purchase");
    setNowForTests(t0 + REFUSAL_RECHECK_MS + 1);
    expect((await ask(t.key)).status).toBe(200);
  });

  it(`a refund is seen within ${BALANCE_TTL_MS} ms; what was granted meanwhile is the whole overdraw, and the ledger still reconciles`, async () => {
    const { cost } = await priceOfOneRequest();
    const t = await seedTenant("refunded", 1_000_000_000);
    setNowForTests(t0);
    expect((await ask(t.key)).status).toBe(200); // snapshot read now
    // billing refunds everything that is left
    await addCredits(t.accountId, -(1_000_000_000 - cost), "refund:refunded", "refund");
    setNowForTests(t0 + BALANCE_TTL_MS);
    expect((await ask(t.key)).status).toBe(200); // still the old snapshot
    setNowForTests(t0 + BALANCE_TTL_MS + 1);
    expect((await ask(t.key)).status).toBe(402);
    expect(await balanceOf(t.accountId)).toBe(-cost); // the one request granted inside the TTL
    expect((await reconcileAccount(env.DB, t.accountId)).ok).toBe(true);
  });
});

describe("the AccountSpend Durable Object", () => {
  const stubOf = spendObjectOf;

  it("the most an account can be overdrawn is what providers bill beyond the reserve: exactly that, and the next reserve is refused", async () => {
    const t = await seedTenant("overdraw", 1_000);
    const spend = stubOf(t);
    expect(await spend.reserve(reserveOf(t, "gen-a", 1_000))).toEqual({ ok: true });
    expect((await spend.reserve(reserveOf(t, "gen-b", 1))).ok).toBe(false); // all of it is held
    await spend.settle(settlementOf(t, "gen-a", 1_500)); // the provider reported more than the bound
    expect(await balanceOf(t.accountId)).toBe(-500);
    expect(await spend.reserve(reserveOf(t, "gen-c", 0))).toMatchObject({ ok: false, status: 402 });
    expect((await reconcileAccount(env.DB, t.accountId)).ok).toBe(true);
  });

  it("a BYOK settlement past the free million moves the held balance by exactly the fee billing's rules charged", async () => {
    const t = await seedTenant("byok-fee-memory", 100_000);
    const spend = stubOf(t);
    const startedAt = Date.parse("2031-07-15T12:00:00Z");
    await env.DB.prepare("INSERT INTO byok_monthly_usage (account_id, month, requests) VALUES (?, '2031-07', 1000000)").bind(t.accountId).run();
    expect(await spend.reserve(reserveOf(t, "gen-byok", 5_000))).toEqual({ ok: true });
    await spend.settle({ ...settlementOf(t, "gen-byok", 0), entries: [], byok: { startedAt, hostedCostNanos: 40_000 } });
    expect(await balanceOf(t.accountId)).toBe(98_000); // 5 % of 40,000
    expect((await spend.reserve(reserveOf(t, "gen-after", 98_001))).ok).toBe(false);
    expect(await spend.reserve(reserveOf(t, "gen-after", 98_000))).toEqual({ ok: true });
    // settled again: counted and charged once
    await spend.settle({ ...settlementOf(t, "gen-byok", 0), entries: [], byok: { startedAt, hostedCostNanos: 40_000 } });
    expect(await balanceOf(t.accountId)).toBe(98_000);
    expect((await reconcileAccount(env.DB, t.accountId)).ok).toBe(true);
  });

  it("settling twice debits once", async () => {
    const t = await seedTenant("settle-twice", 10_000);
    const spend = stubOf(t);
    await spend.reserve(reserveOf(t, "gen-twice", 5_000));
    await spend.settle(settlementOf(t, "gen-twice", 3_000));
    await spend.settle(settlementOf(t, "gen-twice", 3_000));
    expect(await balanceOf(t.accountId)).toBe(7_000);
    expect(await spend.reserve(reserveOf(t, "gen-rest", 7_000))).toEqual({ ok: true }); // the in-memory balance moved once too
  });

  it("settlements arriving together are written in one group: each once, the balance moved by exactly their sum, a repeat not counted", async () => {
    const t = await seedTenant("group-commit", 100_000);
    const spend = stubOf(t);
    const ids = Array.from({ length: 40 }, (_, i) => `gen-group-${i}`);
    for (const id of ids) expect(await spend.reserve(reserveOf(t, id, 2_000))).toEqual({ ok: true });
    await spend.settle(settlementOf(t, ids[0]!, 1_000)); // written first, then settled again inside the group
    await Promise.all(ids.map((id, i) => spend.settle(settlementOf(t, id, 1_000 + i))));
    const sum = ids.reduce((total, _, i) => total + 1_000 + i, 0);
    expect(await balanceOf(t.accountId)).toBe(100_000 - sum);
    expect(await recorded(t.accountId, "SELECT COUNT(*) AS n FROM generations")).toBe(40);
    // one roll-up entry for the 40 (same key, model and minute; at most two if the minute turned meanwhile)
    expect(await count("SELECT SUM(request_count) AS n FROM ledger_entries WHERE account_id = ? AND kind = 'usage'", t.accountId, t.accountId)).toBe(40);
    expect(await count("SELECT COUNT(*) AS n FROM ledger_entries WHERE account_id = ? AND kind = 'usage'", t.accountId, t.accountId)).toBeLessThanOrEqual(2);
    expect((await reconcileAccount(env.DB, t.accountId)).ok).toBe(true);
    // the in-memory balance moved the same way, and every hold is gone
    expect((await spend.reserve(reserveOf(t, "gen-rest-too-much", 100_000 - sum + 1))).ok).toBe(false);
    expect(await spend.reserve(reserveOf(t, "gen-rest", 100_000 - sum))).toEqual({ ok: true });
  });

  it("a settlement is acknowledged once stored in the object, before any D1 write; D1 gets one roll-up for the minute", async () => {
    const t = await seedTenant("no-d1-write", 10_000_000);
    const spend = stubOf(t);
    const { db, queries } = countingD1(env.DB);
    await useD1(t, db);
    const group = Array.from({ length: 200 }, (_, i) => settlementOf(t, `gen-full-${i}`, 1));
    await spend.settleMany(group); // as an isolate's round trip carries them
    expect(queries()).toBe(0); // nothing reached D1 on the settlement's way
    expect(await recorded(t.accountId, "SELECT COUNT(*) AS n FROM generations WHERE rolled = 0")).toBe(200);
    // every one is held until rolled up: the balance available already excludes them
    expect((await spend.reserve(reserveOf(t, "gen-over", 10_000_000 - 200 + 1))).ok).toBe(false);
    expect(await spend.rollUp()).toBe(true);
    expect(await recorded(t.accountId, "SELECT COUNT(*) AS n FROM generations WHERE rolled = 0")).toBe(0);
    expect(await count("SELECT COUNT(*) AS n FROM ledger_entries WHERE account_id = ? AND kind = 'usage'", t.accountId, t.accountId)).toBeLessThanOrEqual(2);
    expect(await balanceOf(t.accountId)).toBe(10_000_000 - 200);
    expect(await spend.reserve(reserveOf(t, "gen-rest", 10_000_000 - 200))).toEqual({ ok: true });
  });

  it(`reservations are stored within ${FLUSH_INTERVAL_MS} ms and survive the object being restarted`, async () => {
    const t = await seedTenant("restart", 10_000);
    expect(await stubOf(t).reserve(reserveOf(t, "gen-held", 10_000))).toEqual({ ok: true });
    await new Promise((ok) => setTimeout(ok, FLUSH_INTERVAL_MS + 30));
    await abortAllDurableObjects();
    expect(await stubOf(t).reserve(reserveOf(t, "gen-next", 1))).toMatchObject({ ok: false, status: 402 });
  });

  it(`a reservation never settled (its worker died) stops holding funds after ${RESERVATION_TTL_MS / 60_000} minutes`, async () => {
    const t = await seedTenant("abandoned", 10_000);
    const t0 = Date.now();
    const spend = stubOf(t);
    expect(await spend.reserve(reserveOf(t, "gen-abandoned", 10_000, { now: t0 }))).toEqual({ ok: true });
    expect((await spend.reserve(reserveOf(t, "gen-1", 1, { now: t0 + RESERVATION_TTL_MS - 1 }))).ok).toBe(false);
    expect(await spend.reserve(reserveOf(t, "gen-2", 1, { now: t0 + RESERVATION_TTL_MS }))).toEqual({ ok: true });
  });

  it("a roll-up D1 refuses waits in the object with its cost held, without holding the others back", async () => {
    const t = await seedTenant("poison", 10_000);
    const spend = stubOf(t);
    // a record naming a workspace of no account D1 knows: its bucket's entry breaks a foreign key
    const poison = settlementOf(t, "gen-poison", 1_000);
    poison.generation.accountId = "acct-that-does-not-exist";
    await spend.reserve(reserveOf(t, "gen-poison", 2_000));
    await spend.reserve(reserveOf(t, "gen-good", 2_000));
    await spend.settle(poison);
    await spend.settle(settlementOf(t, "gen-good", 1_500));
    expect(await spend.rollUp()).toBe(false);
    expect(await balanceOf(t.accountId)).toBe(8_500); // the good one is written
    // the poison one waits for a retry, and its real cost (1,000) is still held: 8,500 - 1,000 available
    expect((await spend.reserve(reserveOf(t, "gen-x", 7_501))).ok).toBe(false);
    expect(await spend.reserve(reserveOf(t, "gen-y", 7_500))).toEqual({ ok: true });
    await runInDurableObject(spend, async (_instance, state) => {
      expect(state.storage.sql.exec("SELECT COUNT(*) AS n FROM generations WHERE rolled = 0").one().n).toBe(1);
      expect(await state.storage.getAlarm()).not.toBeNull();
    });
  });
});
