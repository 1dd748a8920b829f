import { env } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { call, fakeStripeUrl, seedBuyer } from "./setup/helpers.ts";

/**
 * Cross-tenant checkout: the owner of one workspace cannot start a purchase
 * for another workspace (whose credits would then be bought on the other
 * account), with its own session or with the other user's CSRF token.
 */
describe("POST /billing/checkout across tenants", () => {
  it("403 for another account's workspace: no Stripe call, no purchase recorded", async () => {
    await fetch(`${fakeStripeUrl()}/__requests`, { method: "DELETE" });
    const a = await seedBuyer(`isoa${crypto.randomUUID().slice(0, 8)}`);
    const b = await seedBuyer(`isob${crypto.randomUUID().slice(0, 8)}`);
    const asB = (workspaceId: string, csrf = b.csrf) =>
      call("/billing/checkout", { method: "POST", json: { workspace_id: workspaceId, amount_cents: 1_000 }, headers: { cookie: `sy_session=${b.cookie}`, "x-csrf-token": csrf } });

    const res = await asB(a.workspaceId);
    expect(res.status).toBe(403);
    expect(((await res.json()) as any).error.code).toBe(403);
    expect((await asB(a.workspaceId, a.csrf)).status).toBe(403); // A's CSRF token with B's session
    expect((await asB(`${a.workspaceId}' OR '1'='1`)).status).toBe(403);
    expect(await (await fetch(`${fakeStripeUrl()}/__requests`)).json()).toEqual([]);
    expect(await env.DB.prepare("SELECT COUNT(*) AS n FROM purchases WHERE account_id = ?").bind(a.accountId).first("n")).toBe(0);
    expect((await asB(b.workspaceId)).status).toBe(200); // B's own workspace works
  });
});
