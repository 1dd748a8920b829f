import { reconcileAccount } from "@switchyard/db";
import { env } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { creditCompletedCheckout } from "../../billing/src/webhook/purchase-completed.ts";
import { balanceOf, chat, firstRecord, json, rolledUp, sseData } from "./setup/call.ts";
import { seedKey, seedTenant, seedWorkspace } from "./setup/seed.ts";

/**
 * Money under mixed concurrency (spend.test.ts has the single-rule cases: 100
 * requests against credits, 100 against a key limit): one small account, a key
 * with a limit, a second workspace with a budget, successes, streams, upstream
 * failures and stream cuts all at once, and the purchase webhook replayed and
 * raced in the middle of it. Nothing overdraws, failures cost nothing, the
 * purchase lands once, and the ledger reconciles to the nano-dollar.
 */
const MODEL = "mock/echo-us-only"; // one endpoint: $1/M prompt, $2/M completion tokens
const PROMPT = Array(100).fill("x").join(" ");
const MAX_TOKENS = 100;
const CENT = 10_000_000; // nanos

type Kind = "plain" | "stream" | "upstream-500" | "stream-cut";
const KINDS: Kind[] = ["plain", "stream", "plain", "upstream-500", "stream", "stream-cut"];

function request(key: string, kind: Kind) {
  const content = kind === "upstream-500" ? `${PROMPT} [mock:status=500]` : kind === "stream-cut" ? `${PROMPT} [mock:cut=3]` : PROMPT;
  return chat(key, content, { model: MODEL, max_tokens: MAX_TOKENS, stream: kind === "stream" || kind === "stream-cut" });
}

/** What one successful request costs (the mock's answer is deterministic). */
async function costOfOne(): Promise<number> {
  const probe = await seedTenant(`load-probe-${crypto.randomUUID().slice(0, 8)}`);
  return Math.round((await json(await request(probe.key, "plain"))).usage.cost * 1e9);
}

const sum = async (sql: string, ...params: unknown[]) => (await env.DB.prepare(sql).bind(...params).first<{ n: number | null }>())!.n ?? 0;

function paidCheckout(accountId: string, workspaceId: string, cents: number) {
  const metadata = { purchase_id: `pur_load_${accountId}`, account_id: accountId, workspace_id: workspaceId, credits_cents: String(cents), fee_cents: "80" };
  const session = { id: `cs_load_${accountId}`, object: "checkout.session", amount_total: cents + 80, currency: "usd", metadata, payment_intent: `pi_load_${accountId}`, payment_status: "paid" };
  return (eventId: string) => {
    const event = { id: eventId, type: "checkout.session.completed", data: { object: session } } as unknown as Parameters<typeof creditCompletedCheckout>[1];
    return creditCompletedCheckout(env.DB, event, session as unknown as Parameters<typeof creditCompletedCheckout>[2]);
  };
}

describe("money under mixed concurrency", () => {
  it("150 concurrent requests of every kind against a small balance, a key limit and a workspace budget, with the purchase webhook raced in", async () => {
    const cost = await costOfOne();
    const balance = 12 * cost;
    const t = await seedTenant("load-money", balance);
    const limited = await seedKey(t.workspaceId, "load-limited", { limitNanos: 4 * cost, limitReset: "daily" });
    const budgeted = await seedWorkspace(t.accountId, "load-budgeted", { monthlyBudgetNanos: 6 * cost });
    const budgetKey = await seedKey(budgeted, "load-budgeted");
    const keys = [t.key, limited.key, budgetKey.key];

    const deliver = paidCheckout(t.accountId, t.workspaceId, 1);
    // every kind on every key (the shift keeps kind and key from repeating in step)
    const requests = Array.from({ length: 150 }, (_, i) => ({ key: keys[(i + Math.floor(i / KINDS.length)) % 3]!, kind: KINDS[i % KINDS.length]! }));
    const [responses, outcomes] = await Promise.all([
      Promise.all(requests.map(async (r) => ({ ...r, res: await request(r.key, r.kind) }))),
      // the same event five times and two other events about the same session, while the requests run
      Promise.all(["evt_1", "evt_1", "evt_2", "evt_1", "evt_3", "evt_1", "evt_2"].map((id) => deliver(id))),
    ]);
    expect(outcomes.filter((o) => o === "credited")).toHaveLength(1);

    // every answer is an expected one: served, refused (402 credits, 403 limit or budget), or the injected failure
    let served = 0;
    for (const { kind, res } of responses) {
      const text = await res.text();
      if (kind === "upstream-500") expect([402, 403, 502]).toContain(res.status);
      else expect([200, 402, 403]).toContain(res.status);
      if (res.status !== 200) continue;
      if (kind === "stream-cut") expect(text).toContain('"finish_reason":"error"');
      else if (kind === "stream") expect(sseData(text).at(-1)).toBe("[DONE]");
      if (kind === "plain" || kind === "stream") served++;
    }
    expect(served).toBeGreaterThan(0);

    // what was served is exactly what was charged, one record each (in the spend object) at the generation's cost,
    // and D1's roll-ups sum to exactly that
    const recorded = (sql: string) => firstRecord<{ n: number }>(t.accountId, sql).then((r) => r!.n);
    const successes = await recorded("SELECT COUNT(*) AS n FROM generations WHERE status = 'success' AND cost_nanos > 0");
    expect(successes).toBe(served);
    expect(await recorded("SELECT COALESCE(SUM(cost_nanos + byok_fee_nanos), 0) AS n FROM generations")).toBe(served * cost);
    await rolledUp(t.accountId);
    expect(await sum("SELECT SUM(request_count) AS n FROM ledger_entries WHERE account_id = ? AND kind = 'usage'", t.accountId)).toBeGreaterThanOrEqual(served);
    expect(await sum("SELECT -SUM(amount_nanos) AS n FROM ledger_entries WHERE account_id = ? AND kind = 'usage'", t.accountId)).toBe(served * cost);
    // failures are recorded and cost nothing
    expect(await recorded("SELECT COUNT(*) AS n FROM generations WHERE status != 'success'")).toBeGreaterThan(0);
    expect(await recorded("SELECT COALESCE(SUM(cost_nanos + byok_fee_nanos), 0) AS n FROM generations WHERE status != 'success'")).toBe(0);

    // no rule was broken: the account never went below zero, the key stayed within its limit, the workspace within its budget
    const credited = balance + CENT;
    expect(await sum("SELECT COUNT(*) AS n FROM ledger_entries WHERE account_id = ? AND kind = 'purchase'", t.accountId)).toBe(1);
    expect(await balanceOf(t.accountId)).toBe(credited - served * cost);
    expect(await balanceOf(t.accountId)).toBeGreaterThanOrEqual(0);
    expect(await sum("SELECT -SUM(amount_nanos) AS n FROM ledger_entries WHERE api_key_id = ?", limited.keyId)).toBeLessThanOrEqual(4 * cost);
    expect(await sum("SELECT -SUM(amount_nanos) AS n FROM ledger_entries WHERE workspace_id = ? AND kind = 'usage'", budgeted)).toBeLessThanOrEqual(6 * cost);
    expect(await reconcileAccount(env.DB, t.accountId)).toMatchObject({ ok: true });

    // nothing is still held: one at a time, the account spends down to less than one request's reserve
    let more = 0;
    while ((await request(t.key, "plain")).status === 200) more++;
    const left = await balanceOf(t.accountId);
    expect(left).toBe(credited - (served + more) * cost);
    expect(left).toBeGreaterThanOrEqual(0);
    expect(left).toBeLessThan(2 * cost); // the reserve bound is under twice this request's cost
    expect(await reconcileAccount(env.DB, t.accountId)).toMatchObject({ ok: true });
  }, 30_000);
});
