import { centsToNanos, toStoredNanos } from "@switchyard/fees";
import type Stripe from "stripe";
import { applyEntryToBalance } from "../ledger/entries.ts";
import { type EventOutcome, markEventApplied } from "./purchase-completed.ts";
import { paymentIntentId } from "./purchase-metadata.ts";

/**
 * A dispute (chargeback) follows the money. When Stripe withdraws the disputed
 * funds, the purchase's credits are taken back: the disputed amount, credits
 * before the fee (as with refunds), and never more than the credits not already
 * refunded or disputed. When Stripe reinstates them (the dispute was won),
 * exactly what was taken is given back. An inquiry moves no money and changes
 * nothing. Each step is one ledger entry keyed by the dispute, written in one
 * D1 batch with its balance move, so replays and duplicates change nothing; a
 * reinstatement seen before its withdrawal (Stripe does not promise order)
 * leaves a marker that makes the late withdrawal a no-op.
 *
 * A dispute names the payment intent, not the purchase (it carries no purchase
 * metadata): the purchase is the one that recorded that payment intent when its
 * checkout completed.
 */
export async function debitDisputedFunds(db: D1Database, event: Stripe.Event, dispute: Stripe.Dispute): Promise<EventOutcome> {
  const key = withdrawnKey(dispute.id);
  const disputedNanos = toStoredNanos(centsToNanos(wholeCents(dispute.amount)));
  const written = await applyDisputeStep(db, event, dispute, key, (purchaseId) => ({
    entry: db
      .prepare(
        `INSERT INTO ledger_entries (account_id, workspace_id, kind, amount_nanos, idempotency_key, description)
         SELECT account_id, workspace_id, 'dispute', -MIN(?1, amount_nanos - refunded_nanos - disputed_nanos), ?2, ?3
         FROM purchases
         WHERE id = ?4 AND ?1 > 0 AND amount_nanos - refunded_nanos - disputed_nanos > 0
           AND NOT EXISTS (SELECT 1 FROM ledger_entries WHERE idempotency_key = ?5)
         ON CONFLICT DO NOTHING`,
      )
      .bind(disputedNanos, key, `Dispute ${dispute.id} of credit purchase ${purchaseId}: funds withdrawn`, purchaseId, reinstatedKey(dispute.id)),
    record: db
      .prepare(
        `UPDATE purchases SET
           disputed_nanos = disputed_nanos - (SELECT amount_nanos FROM ledger_entries WHERE idempotency_key = ?1),
           status = 'disputed'
         WHERE id = ?2 AND changes() > 0`,
      )
      .bind(key, purchaseId),
  }));
  if (written === null) return "not_a_purchase";
  if (written) return "dispute_debited";
  return (await hasEntry(db, key)) || (await hasEntry(db, reinstatedKey(dispute.id))) ? "already_applied" : "nothing_to_debit";
}

/** Gives back what the dispute's withdrawal took (nothing, if it took nothing). */
export async function creditReinstatedFunds(db: D1Database, event: Stripe.Event, dispute: Stripe.Dispute): Promise<EventOutcome> {
  const taken = withdrawnKey(dispute.id);
  const key = reinstatedKey(dispute.id);
  const written = await applyDisputeStep(db, event, dispute, key, (purchaseId) => ({
    // Minus the withdrawal's entry, or a zero marker when none was written yet (events out of order).
    entry: db
      .prepare(
        `INSERT INTO ledger_entries (account_id, workspace_id, kind, amount_nanos, idempotency_key, description)
         SELECT account_id, workspace_id, 'dispute',
                -COALESCE((SELECT amount_nanos FROM ledger_entries WHERE idempotency_key = ?1), 0), ?2, ?3
         FROM purchases WHERE id = ?4
         ON CONFLICT DO NOTHING`,
      )
      .bind(taken, key, `Dispute ${dispute.id} of credit purchase ${purchaseId}: funds reinstated`, purchaseId),
    record: db
      .prepare(
        `UPDATE purchases SET
           disputed_nanos = disputed_nanos - (SELECT amount_nanos FROM ledger_entries WHERE idempotency_key = ?1),
           status = CASE
             WHEN status <> 'disputed' THEN status
             WHEN refunded_nanos >= amount_nanos THEN 'refunded'
             WHEN refunded_nanos > 0 THEN 'partially_refunded'
             ELSE 'paid' END
         WHERE id = ?2 AND changes() > 0`,
      )
      .bind(key, purchaseId),
  }));
  if (written === null) return "not_a_purchase";
  if (!written) return "already_applied";
  return (await hasEntry(db, taken)) ? "dispute_reinstated" : "nothing_to_reinstate";
}

/**
 * One step of a dispute in one D1 batch: the event marked applied, the ledger entry `key`,
 * its balance move, and the purchase's record of it (which changes() lets run only when the
 * entry was written). Says whether the entry was written; null when the dispute is not about
 * a switchyard purchase (the event is marked applied, nothing else changes).
 */
async function applyDisputeStep(
  db: D1Database,
  event: Stripe.Event,
  dispute: Stripe.Dispute,
  key: string,
  step: (purchaseId: string) => { entry: D1PreparedStatement; record: D1PreparedStatement },
): Promise<boolean | null> {
  const paymentIntent = paymentIntentId(dispute.payment_intent);
  const purchaseId = paymentIntent && (await db.prepare("SELECT id FROM purchases WHERE stripe_payment_intent_id = ? LIMIT 1").bind(paymentIntent).first<string>("id"));
  if (!purchaseId) {
    await markEventApplied(db, event).run();
    return null;
  }
  const { entry, record } = step(purchaseId);
  const [, written] = await db.batch([markEventApplied(db, event), entry, applyEntryToBalance(db, key), record]);
  return written!.meta.changes > 0;
}

const withdrawnKey = (disputeId: string) => `dispute:${disputeId}`;
const reinstatedKey = (disputeId: string) => `dispute-reinstated:${disputeId}`;

async function hasEntry(db: D1Database, key: string): Promise<boolean> {
  return (await db.prepare("SELECT 1 AS found FROM ledger_entries WHERE idempotency_key = ?").bind(key).first("found")) !== null;
}

/** Stripe's amount in cents; anything else (a malformed or foreign payload) counts as nothing disputed. */
function wholeCents(amount: unknown): number {
  return typeof amount === "number" && Number.isSafeInteger(amount) && amount > 0 ? amount : 0;
}
