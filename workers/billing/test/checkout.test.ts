import { env } from "cloudflare:test";
import Stripe from "stripe";
import { beforeEach, describe, expect, it } from "vitest";
import { createCheckout } from "../src/checkout/create-checkout.ts";
import { type Buyer, call, fakeStripeUrl, seedBuyer } from "./setup/helpers.ts";

interface RecordedRequest {
  method: string;
  path: string;
  authorization: string;
  idempotencyKey: string;
  body: any;
}

const stripeRequests = async (): Promise<RecordedRequest[]> => (await fetch(`${fakeStripeUrl()}/__requests`)).json();

let owner: Buyer;
beforeEach(async () => {
  await fetch(`${fakeStripeUrl()}/__requests`, { method: "DELETE" });
  owner = await seedBuyer(`co${crypto.randomUUID().slice(0, 8)}`);
});

const checkout = (buyer: Buyer, json: unknown, headers: Record<string, string> = {}) =>
  call("/billing/checkout", {
    method: "POST",
    json,
    headers: { cookie: `sy_session=${buyer.cookie}`, "x-csrf-token": buyer.csrf, ...headers },
  });

describe("POST /billing/checkout", () => {
  it.each([
    [1_000, 80, 1_080],
    [10_000, 550, 10_550],
    [2_000, 110, 2_110],
  ])("creates a Checkout Session for %i cents of credits with the fee (%i) as a second line item", async (credits, fee, total) => {
    const res = await checkout(owner, { workspace_id: owner.workspaceId, amount_cents: credits });
    expect(res.status).toBe(200);
    const body = (await res.json()) as any;
    expect(body).toMatchObject({ amount_cents: credits, fee_cents: fee, total_cents: total });
    expect(body.url).toBe(`https://checkout.stripe.com/c/pay/${body.session_id}`);
    expect(body.session_id).toMatch(/^cs_test_/);

    // What the stripe SDK actually sent to the (fake) Stripe API.
    const [sent] = await stripeRequests();
    expect(sent!.method).toBe("POST");
    expect(sent!.path).toBe("/v1/checkout/sessions");
    expect(sent!.authorization).toBe(`Bearer ${env.STRIPE_SECRET_KEY}`);
    expect(sent!.idempotencyKey).toBe(body.purchase_id);
    const items = Object.values(sent!.body.line_items) as any[];
    expect(items).toHaveLength(2);
    expect(items.map((i) => [i.price_data.currency, Number(i.price_data.unit_amount), Number(i.quantity)])).toEqual([
      ["usd", credits, 1],
      ["usd", fee, 1],
    ]);
    expect(items[1].price_data.product_data.name).toMatch(/fee/i);
    expect(sent!.body.mode).toBe("payment");
    const metadata = { purchase_id: body.purchase_id, account_id: owner.accountId, workspace_id: owner.workspaceId, credits_cents: String(credits), fee_cents: String(fee) };
    expect(sent!.body.metadata).toEqual(metadata);
    expect(sent!.body.payment_intent_data.metadata).toEqual(metadata);
    expect(sent!.body.success_url).toBe(env.CHECKOUT_SUCCESS_URL);

    const purchase = await env.DB.prepare("SELECT * FROM purchases WHERE id = ?").bind(body.purchase_id).first<any>();
    expect(purchase).toMatchObject({
      account_id: owner.accountId,
      stripe_session_id: body.session_id,
      amount_nanos: credits * 10_000_000,
      fee_nanos: fee * 10_000_000,
      status: "pending",
    });
    // Nothing is credited before Stripe says the payment went through.
    expect(await env.DB.prepare("SELECT COUNT(*) AS n FROM ledger_entries WHERE account_id = ?").bind(owner.accountId).first("n")).toBe(0);
  });

  it.each([[499], [1_000_001], [0], [12.5]])("400 for %s cents, without calling Stripe", async (amount) => {
    const res = await checkout(owner, { workspace_id: owner.workspaceId, amount_cents: amount });
    expect(res.status).toBe(400);
    const body = (await res.json()) as any;
    expect(body.error.code).toBe(400);
    expect(body.error.message).toMatch(/amount_cents/);
    expect(await stripeRequests()).toHaveLength(0);
  });

  it("400 for a body that is not the checkout request", async () => {
    for (const json of [{ amount_cents: 1000 }, { workspace_id: owner.workspaceId, amount_cents: "1000" }]) {
      const res = await checkout(owner, json);
      expect(res.status).toBe(400);
    }
    const res = await call("/billing/checkout", { method: "POST", body: "{nope", headers: { cookie: `sy_session=${owner.cookie}`, "x-csrf-token": owner.csrf } });
    expect(res.status).toBe(400);
  });

  it("401 without a session or with an expired one, 403 without the CSRF token", async () => {
    expect((await call("/billing/checkout", { method: "POST", json: { workspace_id: owner.workspaceId, amount_cents: 1000 } })).status).toBe(401);
    expect((await checkout({ ...owner, cookie: "unknown" }, { workspace_id: owner.workspaceId, amount_cents: 1000 })).status).toBe(401);
    expect((await checkout(owner, { workspace_id: owner.workspaceId, amount_cents: 1000 }, { "x-csrf-token": "wrong" })).status).toBe(403);
    await env.DB.prepare("UPDATE sessions SET expires_at = ? WHERE user_id = ?").bind(Date.now() - 1, owner.userId).run();
    expect((await checkout(owner, { workspace_id: owner.workspaceId, amount_cents: 1000 })).status).toBe(401);
    expect(await stripeRequests()).toHaveLength(0);
  });

  it("403 for a workspace the user is not an owner or admin of", async () => {
    const member = await seedBuyer(`mem${crypto.randomUUID().slice(0, 8)}`, "member");
    expect((await checkout(member, { workspace_id: member.workspaceId, amount_cents: 1000 })).status).toBe(403);
    expect((await checkout(member, { workspace_id: owner.workspaceId, amount_cents: 1000 })).status).toBe(403);
    const admin = await seedBuyer(`adm${crypto.randomUUID().slice(0, 8)}`, "admin");
    expect((await checkout(admin, { workspace_id: admin.workspaceId, amount_cents: 1000 })).status).toBe(200);
  });

  it("uses configured purchase bounds", async () => {
    const res = await createCheckout({
      stripe: new Stripe(env.STRIPE_SECRET_KEY, { httpClient: Stripe.createFetchHttpClient(), host: "127.0.0.1", port: new URL(fakeStripeUrl()).port, protocol: "http" }),
      db: env.DB,
      accountId: owner.accountId,
      workspaceId: owner.workspaceId,
      amountCents: 2_000,
      successUrl: "https://dash.example/ok",
      cancelUrl: "https://dash.example/cancel",
      bounds: { minCents: 5_000, maxCents: 10_000 },
    }).catch((e) => e);
    expect(res).toMatchObject({ status: 400, message: expect.stringContaining("between 5000 and 10000") });
  });

  it("is callable by another worker with its own Stripe client (the dashboard's path)", async () => {
    const stripe = new Stripe(env.STRIPE_SECRET_KEY, { httpClient: Stripe.createFetchHttpClient(), host: "127.0.0.1", port: new URL(fakeStripeUrl()).port, protocol: "http" });
    const result = await createCheckout({ stripe, db: env.DB, accountId: owner.accountId, workspaceId: owner.workspaceId, amountCents: 500, successUrl: "https://dash.example/ok", cancelUrl: "https://dash.example/cancel" });
    expect(result).toMatchObject({ creditsCents: 500, feeCents: 80, totalCents: 580 });
    const [sent] = await stripeRequests();
    expect(sent!.body.success_url).toBe("https://dash.example/ok");
  });

  it("502s, records nothing and leaks no secret when Stripe refuses the call", async () => {
    const res = await call("/billing/checkout", {
      method: "POST",
      json: { workspace_id: owner.workspaceId, amount_cents: 1000 },
      headers: { cookie: `sy_session=${owner.cookie}`, "x-csrf-token": owner.csrf },
      env: { STRIPE_SECRET_KEY: "sk_test_revoked_key_123456" },
    });
    expect(res.status).toBe(502);
    const text = await res.text();
    expect(JSON.parse(text).error.message).toMatch(/Stripe/);
    expect(text).not.toContain("sk_test_revoked");
    expect(await env.DB.prepare("SELECT COUNT(*) AS n FROM purchases WHERE account_id = ?").bind(owner.accountId).first("n")).toBe(0);
  });
});
