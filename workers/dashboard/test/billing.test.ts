import { env } from "cloudflare:test";
import Stripe from "stripe";
import { describe, expect, it } from "vitest";
import { purchaseFeeNanos } from "../src/lib/purchase-fee.ts";
import { row, signUp, TestBrowser, visibleText } from "./setup/browser.ts";

const usd = (n: number) => Math.round(n * 100) * 10_000_000;

describe("the purchase fee (stand-in for @switchyard/fees)", () => {
  it.each([
    [10, 0.8],
    [20, 1.1],
    [100, 5.5],
    [5, 0.8],
    [14.54, 0.8], // 5.5 % = 0.7997 → the $0.80 floor
    [14.64, 0.81], // 0.8052 → 0.81
    [15, 0.83], // 0.825 exactly: half-up, not half-even
    [10_000, 550],
  ])("$%d → fee $%d", (amount, fee) => {
    expect(purchaseFeeNanos(usd(amount))).toBe(usd(fee));
  });
});

async function signedWebhook(payload: object, secret = env.STRIPE_WEBHOOK_SECRET!) {
  const body = JSON.stringify(payload);
  const signature = await new Stripe("sk_test_unused").webhooks.generateTestHeaderStringAsync({
    payload: body,
    secret,
    cryptoProvider: Stripe.createSubtleCryptoProvider(),
  });
  return new TestBrowser().request("/stripe/webhook", { method: "POST", body, headers: { "stripe-signature": signature, "content-type": "application/json" } });
}

/** Signs up, opens checkout for `amount` through the page, returns the purchase the page made. */
async function checkout(amount: string) {
  const user = await signUp("buyer");
  await user.browser.get(`/w/${user.workspaceId}/credits?amount=${amount}`);
  const res = await user.browser.post(`/w/${user.workspaceId}/credits/checkout`, { amount });
  const purchase = await row<{ id: string; account_id: string; amount_nanos: number; fee_nanos: number; status: string; stripe_session_id: string }>(
    "SELECT * FROM purchases WHERE workspace_id = ?",
    user.workspaceId,
  );
  return { ...user, res, purchase: purchase! };
}

const completed = (p: { id: string; stripe_session_id: string }, totalCents: number, eventId = `evt_${crypto.randomUUID()}`) => ({
  id: eventId,
  object: "event",
  type: "checkout.session.completed",
  data: {
    object: {
      id: p.stripe_session_id,
      object: "checkout.session",
      client_reference_id: p.id,
      amount_total: totalCents,
      currency: "usd",
      payment_status: "paid",
      payment_intent: "pi_test_123",
      metadata: { purchase_id: p.id },
    },
  },
});

const balance = async (accountId: string) => (await row<{ b: number }>("SELECT balance_nanos AS b FROM account_balances WHERE account_id = ?", accountId))!.b;
const ledgerSum = async (accountId: string) => (await row<{ s: number }>("SELECT COALESCE(SUM(amount_nanos), 0) AS s FROM ledger_entries WHERE account_id = ?", accountId))!.s;

describe("credits", () => {
  it("shows the fee and total before paying", async () => {
    const { browser, workspaceId } = await signUp("quote");
    const page = await browser.get(`/w/${workspaceId}/credits?amount=20`);
    const text = visibleText(page.html);
    expect(text).toMatch(/Credits \$20\.00 Processing fee .* \$1\.10 Total charged \$21\.10/);
    expect(text).toContain("Pay $21.10 with Stripe");
  });

  it("refuses amounts outside $5..$10,000 in place", async () => {
    const { browser, workspaceId } = await signUp("bounds");
    for (const amount of ["4.99", "10000.01", "ten"]) {
      const res = await browser.post(`/w/${workspaceId}/credits/checkout`, { amount });
      expect(res.status, amount).toBe(400);
      expect(res.headers.get("content-type")).toMatch(/text\/html/);
    }
    expect(visibleText((await browser.get(`/w/${workspaceId}/credits?amount=4`)).html)).toContain("Choose an amount between $5.00 and $10,000.00");
    expect(await row("SELECT 1 FROM purchases WHERE workspace_id = ?", workspaceId)).toBeNull();
  });

  it("opens Stripe Checkout for the amount plus the fee, with a pending purchase", async () => {
    const { res, purchase } = await checkout("10");
    expect(res.status).toBe(303);
    expect(res.location).toMatch(/^http:\/\/stripe\.fake\/pay\/cs_test_\w+$/);
    expect(purchase).toMatchObject({ amount_nanos: usd(10), fee_nanos: usd(0.8), status: "pending" });
    expect(res.location).toContain(purchase.stripe_session_id);
  });

  it("a signed webhook adds the amount, not the fee; a replay adds nothing", async () => {
    const { purchase } = await checkout("10");
    const event = completed(purchase, 1080);
    expect((await signedWebhook(event)).status).toBe(200);
    expect(await balance(purchase.account_id)).toBe(usd(10));
    expect(await ledgerSum(purchase.account_id)).toBe(usd(10));
    expect(await row("SELECT status, stripe_payment_intent_id AS pi FROM purchases WHERE id = ?", purchase.id)).toEqual({ status: "paid", pi: "pi_test_123" });

    expect((await signedWebhook(event)).status).toBe(200); // same event again
    expect((await signedWebhook(completed(purchase, 1080))).status).toBe(200); // another event, same session
    expect(await balance(purchase.account_id)).toBe(usd(10));
    expect(await ledgerSum(purchase.account_id)).toBe(usd(10));
  });

  it("refuses a bad signature and a total that is not what was quoted", async () => {
    const { purchase } = await checkout("20");
    expect((await signedWebhook(completed(purchase, 2110), "whsec_wrong")).status).toBe(400);
    expect((await signedWebhook(completed(purchase, 2000))).status).toBe(422);
    expect(await balance(purchase.account_id)).toBe(0);
  });

  it("the receipt shows credits, fee and total once paid", async () => {
    const { browser, workspaceId, purchase } = await checkout("100");
    expect((await browser.get(`/w/${workspaceId}/credits/receipts/${purchase.id}`)).status).toBe(404);
    await signedWebhook(completed(purchase, 10550));
    const receipt = visibleText((await browser.get(`/w/${workspaceId}/credits/receipts/${purchase.id}`)).html);
    expect(receipt).toMatch(/Credits \$100\.00 Processing fee \$5\.50 Total paid \$105\.50/);
  });
});
