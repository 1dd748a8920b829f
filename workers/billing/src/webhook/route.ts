import { stripeEvents } from "@switchyard/db";
import { badRequest } from "@switchyard/schemas";
import { eq } from "drizzle-orm";
import { drizzle } from "drizzle-orm/d1";
import { Hono } from "hono";
import type Stripe from "stripe";
import type { AppEnv } from "../env.ts";
import { stripeClient, webhookCrypto } from "../stripe-client.ts";
import { creditReinstatedFunds, debitDisputedFunds } from "./charge-dispute.ts";
import { debitRefundedCharge } from "./charge-refunded.ts";
import { creditCompletedCheckout, type EventOutcome } from "./purchase-completed.ts";

/**
 * POST /billing/webhook: Stripe's events. The signature is checked on the raw
 * body before anything is read from it; a bad one is a 400 and changes nothing.
 * Its body is capped (MAX_WEBHOOK_BYTES) in app.ts.
 */
export const webhook = new Hono<AppEnv>().post("/", async (c) => {
  const signature = c.req.header("stripe-signature");
  if (!signature) throw badRequest("Missing Stripe-Signature header");
  const payload = await c.req.text();
  let event: Stripe.Event;
  try {
    event = await stripeClient(c.env).webhooks.constructEventAsync(payload, signature, c.env.STRIPE_WEBHOOK_SECRET, undefined, webhookCrypto);
  } catch {
    throw badRequest("Invalid Stripe signature");
  }
  const outcome = await applyStripeEvent(c.env.DB, event);
  return c.json({ received: true, outcome });
});

export async function applyStripeEvent(db: D1Database, event: Stripe.Event): Promise<EventOutcome> {
  // Signed but not shaped like an event (another API version, a test payload): say so, never a 500.
  if (typeof event.id !== "string" || typeof event.data?.object !== "object" || event.data.object === null) throw badRequest("Malformed Stripe event");
  const seen = await drizzle(db).select({ id: stripeEvents.id }).from(stripeEvents).where(eq(stripeEvents.id, event.id)).limit(1);
  if (seen.length) return "already_applied"; // a shortcut only: every write below is idempotent on its own
  switch (event.type) {
    case "checkout.session.completed":
    case "checkout.session.async_payment_succeeded":
      return creditCompletedCheckout(db, event, event.data.object);
    case "charge.refunded":
      return debitRefundedCharge(db, event, event.data.object);
    case "charge.dispute.funds_withdrawn":
      return debitDisputedFunds(db, event, event.data.object);
    case "charge.dispute.funds_reinstated":
      return creditReinstatedFunds(db, event, event.data.object);
    default:
      return "ignored";
  }
}
