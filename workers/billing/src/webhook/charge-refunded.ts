import { purchases } from "@switchyard/db";
import { centsToNanos, toStoredNanos } from "@switchyard/fees";
import { sql } from "drizzle-orm";
import { drizzle } from "drizzle-orm/d1";
import type Stripe from "stripe";
import { applyEntryToBalance, statement } from "../ledger/entries.ts";
import { type EventOutcome, markEventApplied } from "./purchase-completed.ts";
import { paymentIntentId, purchaseRef } from "./purchase-metadata.ts";

/**
 * A refund takes back the refunded credits. Stripe reports the charge's
 * cumulative `amount_refunded`; credits are refunded before the fee, so the
 * credits taken back in total are min(amount_refunded, A). Each event debits
 * only what is not yet debited, computed inside the D1 batch (a transaction),
 * so replays, duplicates and out-of-order partial refunds all end at the same
 * total. A refund that arrives before the purchase's completed event is debited
 * at once; the credit follows when that event arrives.
 */
export async function debitRefundedCharge(db: D1Database, event: Stripe.Event, charge: Stripe.Charge): Promise<EventOutcome> {
  const ref = purchaseRef(charge.metadata);
  if (!ref) {
    await markEventApplied(db, event).run();
    return "not_a_purchase";
  }
  const refundedCents = Math.min(charge.amount_refunded, ref.creditsCents);
  const target = toStoredNanos(centsToNanos(refundedCents));
  const key = `refund:${ref.purchaseId}:${refundedCents}`;
  const paymentIntent = paymentIntentId(charge.payment_intent);

  // The purchase row exists even if this refund outran the completed event.
  const ensurePurchase = drizzle(db)
    .insert(purchases)
    .values({
      id: ref.purchaseId,
      accountId: ref.accountId,
      workspaceId: ref.workspaceId,
      stripePaymentIntentId: paymentIntent,
      amountNanos: toStoredNanos(ref.creditsNanos),
      feeNanos: toStoredNanos(ref.feeNanos),
      status: "pending",
    })
    .onConflictDoUpdate({
      target: purchases.id,
      set: { stripePaymentIntentId: sql`COALESCE(${purchases.stripePaymentIntentId}, excluded.stripe_payment_intent_id)` },
    });
  const debitUndebited = db
    .prepare(
      `INSERT INTO ledger_entries (account_id, workspace_id, kind, amount_nanos, idempotency_key, description)
       SELECT account_id, workspace_id, 'refund', refunded_nanos - ?1, ?2, ?3
       FROM purchases WHERE id = ?4 AND refunded_nanos < ?1
       ON CONFLICT DO NOTHING`,
    )
    .bind(target, key, `Refund of credit purchase ${ref.purchaseId}`, ref.purchaseId);
  const recordRefunded = db
    .prepare(
      `UPDATE purchases SET
         refunded_nanos = ?1,
         status = CASE WHEN ?1 >= amount_nanos THEN 'refunded' ELSE 'partially_refunded' END
       WHERE id = ?2 AND refunded_nanos < ?1`,
    )
    .bind(target, ref.purchaseId);

  const [, , debit] = await db.batch([markEventApplied(db, event), statement(db, ensurePurchase), debitUndebited, applyEntryToBalance(db, key), recordRefunded]);
  return debit!.meta.changes > 0 ? "refund_debited" : "already_applied";
}
