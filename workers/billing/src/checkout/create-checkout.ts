import { purchases } from "@switchyard/db";
import { centsToNanos, DEFAULT_PURCHASE_BOUNDS, formatCents, type PurchaseBounds, purchaseAmountProblem, purchaseQuote, toStoredNanos } from "@switchyard/fees";
import { badRequest } from "@switchyard/schemas";
import { drizzle } from "drizzle-orm/d1";
import type Stripe from "stripe";

export interface CheckoutInput {
  stripe: Stripe;
  /** Where the pending purchase is recorded. */
  db: D1Database;
  accountId: string;
  workspaceId: string;
  /** Credits to buy, in cents; the fee comes on top. */
  amountCents: number;
  successUrl: string;
  cancelUrl: string;
  bounds?: PurchaseBounds;
}

export interface CheckoutResult {
  url: string;
  sessionId: string;
  purchaseId: string;
  creditsCents: number;
  feeCents: number;
  totalCents: number;
}

/** What every Stripe object of a purchase carries, so any webhook can find the purchase. */
export interface PurchaseMetadata {
  purchase_id: string;
  account_id: string;
  workspace_id: string;
  credits_cents: string;
  fee_cents: string;
}

/**
 * Starts a credit purchase: a Stripe Checkout Session with two line items, the
 * credits (A) and the fee, and a pending `purchases` row. Credits are granted
 * only by the `checkout.session.completed` webhook. Throws a 400 GatewayError
 * for an amount outside the bounds. Used by POST /billing/checkout and callable
 * from the dashboard worker.
 */
export async function createCheckout(input: CheckoutInput): Promise<CheckoutResult> {
  const problem = purchaseAmountProblem(input.amountCents, input.bounds ?? DEFAULT_PURCHASE_BOUNDS);
  if (problem) throw badRequest(problem, { amount_cents: input.amountCents });
  const quote = purchaseQuote(input.amountCents);
  const purchaseId = `pur_${crypto.randomUUID().replaceAll("-", "")}`;
  const metadata: PurchaseMetadata = {
    purchase_id: purchaseId,
    account_id: input.accountId,
    workspace_id: input.workspaceId,
    credits_cents: String(quote.creditsCents),
    fee_cents: String(quote.feeCents),
  };

  const session = await input.stripe.checkout.sessions.create(
    {
      mode: "payment",
      client_reference_id: input.accountId,
      success_url: input.successUrl,
      cancel_url: input.cancelUrl,
      line_items: [
        lineItem(quote.creditsCents, "switchyard credits", `${formatCents(quote.creditsCents)} of credits`),
        lineItem(quote.feeCents, "Payment processing fee", "5.5 %, minimum $0.80"),
      ],
      metadata: { ...metadata },
      // Copied by Stripe onto the charge, so a refund webhook names the purchase too.
      payment_intent_data: { metadata: { ...metadata } },
    },
    { idempotencyKey: purchaseId },
  );
  if (!session.url) throw new Error("Stripe returned a Checkout Session without a URL");

  await drizzle(input.db)
    .insert(purchases)
    .values({
      id: purchaseId,
      accountId: input.accountId,
      workspaceId: input.workspaceId,
      stripeSessionId: session.id,
      amountNanos: toStoredNanos(centsToNanos(quote.creditsCents)),
      feeNanos: toStoredNanos(centsToNanos(quote.feeCents)),
      status: "pending",
    })
    .onConflictDoNothing();

  return { url: session.url, sessionId: session.id, purchaseId, ...quote };
}

function lineItem(cents: number, name: string, description: string): Stripe.Checkout.SessionCreateParams.LineItem {
  return { quantity: 1, price_data: { currency: "usd", unit_amount: cents, product_data: { name, description } } };
}
