import type { PurchaseRow } from "@switchyard/dashboards";
import { accountBalances, ledgerEntries, purchases, stripeEvents } from "@switchyard/db";
import { and, desc, eq, sql } from "drizzle-orm";
import { randomId } from "../lib/encoding.ts";
import type { Db } from "./client.ts";

export async function createPendingPurchase(db: Db, accountId: string, workspaceId: string, amountNanos: number, feeNanos: number): Promise<string> {
  const id = randomId("pur_");
  await db.insert(purchases).values({ id, accountId, workspaceId, amountNanos, feeNanos, status: "pending" });
  return id;
}

export async function attachCheckoutSession(db: Db, purchaseId: string, stripeSessionId: string): Promise<void> {
  await db.update(purchases).set({ stripeSessionId }).where(eq(purchases.id, purchaseId));
}

/** The account's purchases (credits are per account, so every workspace sees them). */
export function listPurchases(db: Db, accountId: string, limit = 50): Promise<PurchaseRow[]> {
  return db
    .select({ id: purchases.id, createdAt: purchases.createdAt, amountNanos: purchases.amountNanos, feeNanos: purchases.feeNanos, status: purchases.status })
    .from(purchases)
    .where(eq(purchases.accountId, accountId))
    .orderBy(desc(purchases.createdAt))
    .limit(limit);
}

export async function findPurchase(db: Db, accountId: string, purchaseId: string) {
  const rows = await db.select().from(purchases).where(and(eq(purchases.id, purchaseId), eq(purchases.accountId, accountId))).limit(1);
  return rows[0];
}

export async function purchaseById(db: Db, purchaseId: string) {
  const rows = await db.select().from(purchases).where(eq(purchases.id, purchaseId)).limit(1);
  return rows[0];
}

/**
 * Credits a paid purchase: the Stripe event, the ledger entry (amount only, never
 * the fee), the balance and the purchase status in one D1 batch. The ledger's
 * idempotency key makes a replayed webhook change nothing.
 */
export async function creditPaidPurchase(
  db: Db,
  p: { id: string; accountId: string; workspaceId: string; amountNanos: number },
  event: { id: string; type: string },
  paymentIntentId: string | null,
): Promise<void> {
  await db.batch([
    db.insert(stripeEvents).values({ id: event.id, type: event.type }).onConflictDoNothing(),
    db
      .insert(ledgerEntries)
      .values({
        accountId: p.accountId,
        workspaceId: p.workspaceId,
        kind: "purchase",
        amountNanos: p.amountNanos,
        idempotencyKey: `purchase:${p.id}`,
        description: "Credit purchase",
      })
      .onConflictDoNothing(),
    // Only moves the balance if the ledger row above was written by this batch.
    db
      .insert(accountBalances)
      .values({ accountId: p.accountId, balanceNanos: p.amountNanos })
      .onConflictDoUpdate({
        target: accountBalances.accountId,
        set: { balanceNanos: sql`${accountBalances.balanceNanos} + ${p.amountNanos}`, updatedAt: sql`(unixepoch() * 1000)` },
        setWhere: sql`changes() > 0`,
      }),
    db
      .update(purchases)
      .set({ status: "paid", stripePaymentIntentId: paymentIntentId })
      .where(and(eq(purchases.id, p.id), eq(purchases.status, "pending"))),
  ]);
}
