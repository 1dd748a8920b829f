import { Hono } from "hono";
import type Stripe from "stripe";
import { dbOf } from "../db/client.ts";
import { creditPaidPurchase, purchaseById } from "../db/purchases.ts";
import type { AppEnv } from "../env.ts";
import { verifyWebhook } from "../lib/stripe.ts";

/**
 * STAND-IN for the billing worker's Stripe webhook (workers/billing), which is not
 * on main yet: it credits paid Checkout Sessions created by the credits page.
 * Re-point Stripe at the billing worker and delete this route once that lands.
 *
 * JSON in and out (Stripe is the only caller); signature checked with WebCrypto;
 * a replayed event credits nothing twice (see creditPaidPurchase).
 */
const NANOS_PER_CENT = 10_000_000;

const PAID_EVENTS = new Set(["checkout.session.completed", "checkout.session.async_payment_succeeded"]);

export const stripeWebhook = new Hono<AppEnv>().post("/", async (c) => {
  if (!c.env.STRIPE_WEBHOOK_SECRET) return c.json({ error: { code: 503, message: "Webhooks are not configured" } }, 503);
  const signature = c.req.header("stripe-signature");
  if (!signature) return c.json({ error: { code: 400, message: "Missing Stripe-Signature header" } }, 400);
  let event: Stripe.Event;
  try {
    event = await verifyWebhook(c.env, await c.req.text(), signature);
  } catch {
    return c.json({ error: { code: 400, message: "Invalid webhook signature" } }, 400);
  }
  if (!PAID_EVENTS.has(event.type)) return c.json({ received: true, ignored: event.type });

  const session = event.data.object as Stripe.Checkout.Session;
  if (session.payment_status !== "paid") return c.json({ received: true, ignored: "not paid yet" });
  const db = dbOf(c.env.DB);
  const purchaseId = session.client_reference_id ?? session.metadata?.purchase_id;
  const purchase = purchaseId ? await purchaseById(db, purchaseId) : undefined;
  if (!purchase || (purchase.stripeSessionId !== null && purchase.stripeSessionId !== session.id)) {
    return c.json({ error: { code: 404, message: "No purchase for this Checkout Session" } }, 404);
  }
  // What Stripe charged must be what we quoted; credit the amount, never the fee.
  const expectedCents = (purchase.amountNanos + purchase.feeNanos) / NANOS_PER_CENT;
  if (session.amount_total !== expectedCents || session.currency !== "usd") {
    console.error("stripe webhook: amount mismatch", purchase.id);
    return c.json({ error: { code: 422, message: "Checkout Session total does not match the purchase" } }, 422);
  }
  const paymentIntent = typeof session.payment_intent === "string" ? session.payment_intent : (session.payment_intent?.id ?? null);
  await creditPaidPurchase(db, purchase, event, paymentIntent);
  return c.json({ received: true });
});
