import { purchases, stripeEvents } from "@switchyard/db";
import { toStoredNanos } from "@switchyard/fees";
import { sql } from "drizzle-orm";
import { drizzle } from "drizzle-orm/d1";
import type Stripe from "stripe";
import { postEntry, statement } from "../ledger/entries.ts";
import { paymentIntentId, purchaseRef } from "./purchase-metadata.ts";

export type EventOutcome =
  | "credited"
  | "refund_debited"
  | "dispute_debited"
  | "dispute_reinstated"
  | "nothing_to_debit"
  | "nothing_to_reinstate"
  | "already_applied"
  | "awaiting_payment"
  | "not_a_purchase"
  | "amount_mismatch"
  | "ignored";

export const markEventApplied = (db: D1Database, event: Stripe.Event) =>
  statement(db, drizzle(db).insert(stripeEvents).values({ id: event.id, type: event.type }).onConflictDoNothing());

/**
 * A paid Checkout Session grants its credits (A, never the fee) exactly once:
 * the ledger key is the session id, so a replay, a concurrent duplicate or a
 * second event about the same session writes nothing. A refund seen earlier
 * (events out of order) is already in the ledger and stays there.
 */
export async function creditCompletedCheckout(db: D1Database, event: Stripe.Event, session: Stripe.Checkout.Session): Promise<EventOutcome> {
  const ref = purchaseRef(session.metadata);
  if (!ref) {
    await markEventApplied(db, event).run();
    return "not_a_purchase";
  }
  if (session.payment_status !== "paid") {
    await markEventApplied(db, event).run(); // async payment methods: checkout.session.async_payment_succeeded follows
    return "awaiting_payment";
  }
  if (session.amount_total !== ref.creditsCents + ref.feeCents || session.currency !== "usd") {
    // Never seen unless the session was made outside createCheckout: grant nothing, say so loudly.
    console.error("checkout session amount does not match its purchase", { session: session.id, purchase: ref.purchaseId });
    await markEventApplied(db, event).run();
    return "amount_mismatch";
  }
  const paymentIntent = paymentIntentId(session.payment_intent);
  const recordPurchase = drizzle(db)
    .insert(purchases)
    .values({
      id: ref.purchaseId,
      accountId: ref.accountId,
      workspaceId: ref.workspaceId,
      stripeSessionId: session.id,
      stripePaymentIntentId: paymentIntent,
      amountNanos: toStoredNanos(ref.creditsNanos),
      feeNanos: toStoredNanos(ref.feeNanos),
      status: "paid",
    })
    .onConflictDoUpdate({
      target: purchases.id,
      set: {
        status: sql`CASE WHEN ${purchases.status} = 'pending' THEN 'paid' ELSE ${purchases.status} END`,
        stripeSessionId: sql`COALESCE(${purchases.stripeSessionId}, excluded.stripe_session_id)`,
        stripePaymentIntentId: sql`COALESCE(excluded.stripe_payment_intent_id, ${purchases.stripePaymentIntentId})`,
      },
    });
  const [, , credit] = await db.batch([
    markEventApplied(db, event),
    statement(db, recordPurchase),
    ...postEntry(db, {
      accountId: ref.accountId,
      workspaceId: ref.workspaceId,
      kind: "purchase",
      amountNanos: ref.creditsNanos,
      idempotencyKey: `purchase:${session.id}`,
      description: `Credit purchase ${ref.purchaseId}`,
    }),
  ]);
  return credit!.meta.changes > 0 ? "credited" : "already_applied";
}
