import { createCheckout } from "@switchyard/billing/checkout";
import { CreditsPage, ReceiptPage } from "@switchyard/dashboards";
import { formatCents, purchaseAmountProblem, purchaseBoundsFrom, purchaseQuote } from "@switchyard/fees";
import { type Context, Hono } from "hono";
import { dbOf } from "../db/client.ts";
import { findPurchase, listPurchases, purchaseBySession } from "../db/purchases.ts";
import { accountName, balanceNanos } from "../db/workspaces.ts";
import type { AppEnv } from "../env.ts";
import { parseUsdToCents } from "../lib/money.ts";
import { field, pageContext } from "../lib/page-context.ts";
import { stripeClient } from "../lib/stripe.ts";
import { notFoundPage } from "../middleware/error-pages.tsx";
import { rolledUpFirst } from "../db/rolled-up-first.ts";

const PRESETS_USD = [10, 20, 50, 100];
const NANOS_PER_CENT = 10_000_000;

const bounds = (c: Context<AppEnv>) => purchaseBoundsFrom(c.env.PURCHASE_MIN_CENTS, c.env.PURCHASE_MAX_CENTS);

/** Credits in cents for what was typed, or the message that says what is wrong with it. */
function amountCents(c: Context<AppEnv>, input: string): number | string {
  const cents = parseUsdToCents(input);
  if (cents === null) return "Enter an amount in dollars, like 25 or 25.50.";
  const { minCents, maxCents } = bounds(c);
  if (purchaseAmountProblem(cents, { minCents, maxCents })) return `Choose an amount between ${formatCents(minCents)} and ${formatCents(maxCents)}.`;
  return cents;
}

async function render(c: Context<AppEnv>, amountInput: string, error?: string, status: 200 | 400 | 502 = 200) {
  const db = dbOf(c.env.DB);
  const ws = c.get("workspace");
  await rolledUpFirst(c.env, ws.accountId);
  const [balance, purchases] = await Promise.all([balanceNanos(db, ws.accountId), listPurchases(db, ws.accountId)]);
  const cents = amountInput ? amountCents(c, amountInput) : null;
  const problem = error ?? (typeof cents === "string" ? cents : undefined);
  const quote = typeof cents === "number" ? purchaseQuote(cents) : null;
  const { minCents, maxCents } = bounds(c);
  return c.html(
    <CreditsPage
      ctx={pageContext(c, "credits", problem)}
      data={{
        balanceNanos: balance,
        presetsUsd: PRESETS_USD,
        minLabel: formatCents(minCents),
        maxLabel: formatCents(maxCents),
        amountInput,
        quote: quote && {
          amountNanos: quote.creditsCents * NANOS_PER_CENT,
          feeNanos: quote.feeCents * NANOS_PER_CENT,
          totalNanos: quote.totalCents * NANOS_PER_CENT,
        },
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
    const cents = amountCents(c, amountInput);
    if (typeof cents === "string") return render(c, amountInput, cents, 400);
    const stripe = stripeClient(c.env);
    if (!stripe) return render(c, amountInput, "Payments are not configured on this deployment.", 400);
    const ws = c.get("workspace");
    const back = `${new URL(c.req.url).origin}/w/${ws.id}/credits`;
    try {
      // The billing worker's checkout: two line items (credits, fee), a pending purchase, metadata for its webhook.
      const checkout = await createCheckout({
        stripe,
        db: c.env.DB,
        accountId: ws.accountId,
        workspaceId: ws.id,
        amountCents: cents,
        successUrl: `${back}/return?session_id={CHECKOUT_SESSION_ID}`,
        cancelUrl: `${back}?notice=payment-cancelled`,
        bounds: bounds(c),
      });
      return c.redirect(checkout.url, 303);
    } catch (err) {
      console.error("stripe checkout failed", err instanceof Error ? err.name : "non-error thrown");
      return render(c, amountInput, "We could not reach the payment provider. Nothing was charged; please try again in a moment.", 502);
    }
  })
  // Stripe sends the customer back here; its webhook (to the billing worker) may or may not have arrived yet.
  .get("/return", async (c) => {
    const ws = c.get("workspace");
    const p = await purchaseBySession(dbOf(c.env.DB), ws.accountId, c.req.query("session_id") ?? "");
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
