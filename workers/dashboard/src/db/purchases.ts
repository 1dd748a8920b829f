import type { PurchaseRow } from "@switchyard/dashboards";
import { purchases } from "@switchyard/db";
import { and, desc, eq } from "drizzle-orm";
import type { Db } from "./client.ts";

/**
 * Reads only: purchases are written by the billing package (createCheckout makes
 * the pending row, the billing worker's webhook marks it paid and credits the ledger).
 */
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

export async function purchaseBySession(db: Db, accountId: string, stripeSessionId: string) {
  const rows = await db.select().from(purchases).where(and(eq(purchases.stripeSessionId, stripeSessionId), eq(purchases.accountId, accountId))).limit(1);
  return rows[0];
}
