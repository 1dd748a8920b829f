import { env } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { row, signUp, visibleText } from "./setup/browser.ts";

/**
 * The credits page's side of a purchase. The fee rule is @switchyard/fees' and the
 * webhook that credits the ledger is the billing worker's, each tested there; the
 * whole loop (checkout → signed webhook → balance) runs in tests/browser.
 */
const usd = (n: number) => Math.round(n * 100) * 10_000_000;

async function checkout(amount: string) {
  const user = await signUp("buyer");
  await user.browser.get(`/w/${user.workspaceId}/credits?amount=${amount}`);
  const res = await user.browser.post(`/w/${user.workspaceId}/credits/checkout`, { amount });
  const purchase = await row<{ id: string; amount_nanos: number; fee_nanos: number; status: string; stripe_session_id: string }>(
    "SELECT * FROM purchases WHERE workspace_id = ?",
    user.workspaceId,
  );
  return { ...user, res, purchase: purchase! };
}

/** What the billing worker's webhook does to the purchase row once Stripe says it is paid. */
const markPaid = (purchaseId: string) => env.DB.prepare("UPDATE purchases SET status = 'paid', stripe_payment_intent_id = 'pi_test_1' WHERE id = ?").bind(purchaseId).run();

describe("credits page", () => {
  it("shows the fee and the total before paying", async () => {
    const { browser, workspaceId } = await signUp("quote");
    for (const [amount, fee, total] of [["10", "$0.80", "$10.80"], ["20", "$1.10", "$21.10"], ["100", "$5.50", "$105.50"]] as const) {
      const text = visibleText((await browser.get(`/w/${workspaceId}/credits?amount=${amount}`)).html);
      expect(text).toMatch(new RegExp(`Credits \\$${amount}\\.00 Processing fee .* \\${fee} Total charged \\${total}`));
      expect(text).toContain(`Pay ${total} with Stripe`);
    }
  });

  it("refuses amounts outside $5..$10,000 in place", async () => {
    const { browser, workspaceId } = await signUp("bounds");
    for (const amount of ["4.99", "10000.01", "ten"]) {
      const res = await browser.post(`/w/${workspaceId}/credits/checkout`, { amount });
      expect(res.status, amount).toBe(400);
      expect(res.headers.get("content-type")).toMatch(/text\/html/);
    }
    expect(visibleText((await browser.get(`/w/${workspaceId}/credits?amount=4`)).html)).toContain("Choose an amount between $5.00 and $10000.00");
    expect(await row("SELECT 1 FROM purchases WHERE workspace_id = ?", workspaceId)).toBeNull();
  });

  it("opens Stripe Checkout for the amount plus the fee, with a pending purchase", async () => {
    const { res, purchase } = await checkout("10");
    expect(res.status).toBe(303);
    expect(res.location).toBe(`http://stripe.fake/pay/${purchase.stripe_session_id}`);
    expect(purchase).toMatchObject({ amount_nanos: usd(10), fee_nanos: usd(0.8), status: "pending" });
  });

  it("back from Stripe, says whether the credits have arrived yet", async () => {
    const { browser, workspaceId, purchase } = await checkout("20");
    const early = await browser.get(`/w/${workspaceId}/credits/return?session_id=${purchase.stripe_session_id}`);
    expect(early.location).toBe(`/w/${workspaceId}/credits?notice=payment-received`);
    await markPaid(purchase.id);
    const later = await browser.get(`/w/${workspaceId}/credits/return?session_id=${purchase.stripe_session_id}`);
    expect(later.location).toBe(`/w/${workspaceId}/credits?notice=payment-credited`);
  });

  it("lists purchases, with a receipt once paid", async () => {
    const { browser, workspaceId, purchase } = await checkout("100");
    expect(visibleText((await browser.get(`/w/${workspaceId}/credits`)).html)).toMatch(/\$100\.00 \$5\.50 \$105\.50 Pending/);
    expect((await browser.get(`/w/${workspaceId}/credits/receipts/${purchase.id}`)).status).toBe(404);
    await markPaid(purchase.id);
    const receipt = visibleText((await browser.get(`/w/${workspaceId}/credits/receipts/${purchase.id}`)).html);
    expect(receipt).toMatch(/Credits \$100\.00 Processing fee \$5\.50 Total paid \$105\.50/);
    expect(receipt).toContain("pi_test_1");
  });

  it("another account's receipt is not found", async () => {
    const { purchase } = await checkout("10");
    await markPaid(purchase.id);
    const other = await signUp("nosy");
    expect((await other.browser.get(`/w/${other.workspaceId}/credits/receipts/${purchase.id}`)).status).toBe(404);
  });
});
