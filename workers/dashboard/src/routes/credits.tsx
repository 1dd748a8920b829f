import { CreditsPage, formatUsd, ReceiptPage } from "@switchyard/dashboards";
import { type Context, Hono } from "hono";
import { dbOf } from "../db/client.ts";
import { attachCheckoutSession, createPendingPurchase, findPurchase, listPurchases } from "../db/purchases.ts";
import { accountName, balanceNanos } from "../db/workspaces.ts";
import type { AppEnv } from "../env.ts";
import { parseUsdToNanos, usdToNanos } from "../lib/money.ts";
import { field, pageContext } from "../lib/page-context.ts";
import { purchaseFeeNanos } from "../lib/purchase-fee.ts";
import { stripeClient } from "../lib/stripe.ts";
import { notFoundPage } from "../middleware/error-pages.tsx";

const PRESETS_USD = [10, 20, 50, 100];
const NANOS_PER_CENT = 10_000_000;

const bounds = (c: Context<AppEnv>) => ({
  minUsd: Number(c.env.CREDIT_PURCHASE_MIN_USD) || 5,
  maxUsd: Number(c.env.CREDIT_PURCHASE_MAX_USD) || 10_000,
});

/** The amount, fee and total for what was typed, or the message that says what is wrong with it. */
function quote(c: Context<AppEnv>, input: string) {
  const { minUsd, maxUsd } = bounds(c);
  const amountNanos = parseUsdToNanos(input);
  if (amountNanos === null) return `Enter an amount in dollars, like 25 or 25.50.`;
  if (amountNanos < usdToNanos(minUsd) || amountNanos > usdToNanos(maxUsd)) {
    return `Choose an amount between ${formatUsd(usdToNanos(minUsd))} and ${formatUsd(usdToNanos(maxUsd))}.`;
  }
  const feeNanos = purchaseFeeNanos(amountNanos);
  return { amountNanos, feeNanos, totalNanos: amountNanos + feeNanos };
}

async function render(c: Context<AppEnv>, amountInput: string, error?: string, status: 200 | 400 | 502 = 200) {
  const db = dbOf(c.env.DB);
  const ws = c.get("workspace");
  const [balance, purchases] = await Promise.all([balanceNanos(db, ws.accountId), listPurchases(db, ws.accountId)]);
  const q = amountInput ? quote(c, amountInput) : null;
  const problem = error ?? (typeof q === "string" ? q : undefined);
  return c.html(
    <CreditsPage
      ctx={pageContext(c, "credits", problem)}
      data={{
        balanceNanos: balance,
        presetsUsd: PRESETS_USD,
        ...bounds(c),
        amountInput,
        quote: q && typeof q !== "string" ? q : null,
        paymentsUnavailable: c.env.STRIPE_SECRET_KEY ? null : "Payments are not configured on this deployment (STRIPE_SECRET_KEY is not set).",
        purchases,
      }}
    />,
    problem && status === 200 ? 400 : status,
  );
}

export const credits = new Hono<AppEnv>()
  .get("/", (c) => render(c, (c.req.query("amount") ?? "").slice(0, 20)))
  .post("/checkout", async (c) => {
    const amountInput = field(await c.req.parseBody(), "amount").slice(0, 20);
    const q = quote(c, amountInput);
    if (typeof q === "string") return render(c, amountInput, q, 400);
    const stripe = stripeClient(c.env);
    if (!stripe) return render(c, amountInput, "Payments are not configured on this deployment.", 400);

    const db = dbOf(c.env.DB);
    const ws = c.get("workspace");
    const purchaseId = await createPendingPurchase(db, ws.accountId, ws.id, q.amountNanos, q.feeNanos);
    const origin = new URL(c.req.url).origin;
    const metadata = {
      purchase_id: purchaseId,
      account_id: ws.accountId,
      workspace_id: ws.id,
      credits_nanos: String(q.amountNanos),
      fee_nanos: String(q.feeNanos),
    };
    try {
      const session = await stripe.checkout.sessions.create(
        {
          mode: "payment",
          line_items: [
            { quantity: 1, price_data: { currency: "usd", unit_amount: q.amountNanos / NANOS_PER_CENT, product_data: { name: "switchyard credits" } } },
            { quantity: 1, price_data: { currency: "usd", unit_amount: q.feeNanos / NANOS_PER_CENT, product_data: { name: "Payment processing fee" } } },
          ],
          client_reference_id: purchaseId,
          customer_email: c.get("user")!.email,
          metadata,
          payment_intent_data: { metadata },
          success_url: `${origin}/w/${ws.id}/credits/return/${purchaseId}`,
          cancel_url: `${origin}/w/${ws.id}/credits?notice=payment-cancelled`,
        },
        { idempotencyKey: purchaseId },
      );
      await attachCheckoutSession(db, purchaseId, session.id);
      if (!session.url) throw new Error("Stripe returned a session without a URL");
      return c.redirect(session.url, 303);
    } catch (err) {
      console.error("stripe checkout failed", err instanceof Error ? `${err.name}: ${err.message}` : "non-error thrown");
      return render(c, amountInput, "We could not reach the payment provider. Nothing was charged; please try again in a moment.", 502);
    }
  })
  // Stripe sends the customer back here; the webhook may or may not have arrived yet.
  .get("/return/:purchaseId", async (c) => {
    const ws = c.get("workspace");
    const p = await findPurchase(dbOf(c.env.DB), ws.accountId, c.req.param("purchaseId"));
    const notice = p?.status === "paid" ? "payment-credited" : "payment-received";
    return c.redirect(`/w/${ws.id}/credits?notice=${notice}`, 303);
  })
  .get("/receipts/:purchaseId", async (c) => {
    const db = dbOf(c.env.DB);
    const ws = c.get("workspace");
    const p = await findPurchase(db, ws.accountId, c.req.param("purchaseId"));
    if (!p || p.status === "pending") return notFoundPage(c);
    return c.html(
      <ReceiptPage
        data={{
          purchaseId: p.id,
          paidAt: p.createdAt,
          accountName: await accountName(db, ws.accountId),
          workspaceName: ws.name,
          amountNanos: p.amountNanos,
          feeNanos: p.feeNanos,
          refundedNanos: p.refundedNanos,
          stripePaymentIntentId: p.stripePaymentIntentId,
          backHref: `/w/${ws.id}/credits`,
        }}
      />,
    );
  });
