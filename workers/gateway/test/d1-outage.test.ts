import { reconcileAccount } from "@switchyard/db";
import { env } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { balanceOf, call, chat, json } from "./setup/call.ts";
import { seedTenant } from "./setup/seed.ts";
import { spendObjectOf, useD1 } from "./setup/spend.ts";

/**
 * The D1-unavailable runbook (docs/operations.md), as a test: while D1 refuses every
 * statement, keys already known to an isolate keep being served and their charges are
 * held in the account's spend object; what needs D1 (a key not seen yet, a read of usage)
 * is refused with a retryable 503, never a 500; once D1 is back every roll-up is written
 * once, and both levels reconcile.
 */
function downD1(): D1Database {
  const refuse = () => {
    throw new Error("D1_ERROR: Network connection lost.");
  };
  const statement = new Proxy({} as D1PreparedStatement, {
    get: (_, prop) => (prop === "bind" ? () => statement : async () => refuse()),
  });
  return new Proxy(env.DB, {
    get(_, prop) {
      if (prop === "prepare") return () => statement;
      return async () => refuse();
    },
  });
}

describe("D1 unavailable for a while", () => {
  it("known keys keep serving and are charged once; unknown keys and reads get a 503; roll-ups are written once D1 is back", async () => {
    const t = await seedTenant("d1-outage", 10_000_000_000);
    const other = await seedTenant("d1-outage-cold", 10_000_000_000);
    const before = await balanceOf(t.accountId);
    const warm = await chat(t.key, "warm the key cache");
    expect(warm.status).toBe(200);
    const costs = [Math.round((await json(warm)).usage.cost * 1e9)];

    // D1 goes away, for the workers and for the account's spend object
    const down = downD1();
    await useD1(t, down);
    for (let i = 0; i < 5; i++) {
      const res = await call("/api/v1/chat/completions", {
        method: "POST", key: t.key, env: { DB: down },
        json: { model: "mock/echo", messages: [{ role: "user", content: `during the outage ${i}` }], provider: { sort: "price" } },
      });
      expect(res.status).toBe(200);
      costs.push(Math.round((await json(res)).usage.cost * 1e9));
    }
    // a key this isolate has not seen: D1 is needed to know it
    const cold = await call("/api/v1/chat/completions", { method: "POST", key: other.key, env: { DB: down }, json: { model: "mock/echo", messages: [{ role: "user", content: "hi" }] } });
    expect(cold.status).toBe(503);
    expect((await json(cold)).error.message).toMatch(/retry/i);
    expect(cold.headers.get("retry-after")).not.toBeNull();
    // a read of usage needs D1 too
    const credits = await call("/api/v1/credits", { key: t.key, env: { DB: down } });
    expect(credits.status).toBe(503);
    // roll-ups are refused meanwhile: nothing written
    expect(await spendObjectOf(t).rollUp()).toBe(false);

    // D1 is back
    await useD1(t, env.DB);
    costs.push(Math.round((await json(await chat(t.key, "after the outage"))).usage.cost * 1e9));
    const charged = before - (await balanceOf(t.accountId));
    const served = await env.DB.prepare("SELECT COALESCE(SUM(request_count), 0) AS n FROM ledger_entries WHERE account_id = ? AND idempotency_key LIKE 'rollup:%'").bind(t.accountId).first<{ n: number }>();
    expect(served!.n).toBe(7); // the warm-up, five during the outage, one after: each once
    expect(charged).toBe(costs.reduce((a, b) => a + b, 0));
    expect(await reconcileAccount(env.DB, t.accountId)).toMatchObject({ ok: true });
    expect((await spendObjectOf(t).reconcile()).differences).toEqual([]);
  });
});
