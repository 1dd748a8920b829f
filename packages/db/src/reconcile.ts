import { sql } from "drizzle-orm";
import { drizzle } from "drizzle-orm/d1";
import { accountBalances, ledgerEntries } from "./schema.ts";

/** An account's running balance against the sum of its ledger: they must be equal. */
export interface Reconciliation {
  accountId: string;
  ledgerSum: number;
  balance: number;
  ok: boolean;
}

const ledgerSumOf = (accountId: unknown) =>
  sql<number>`(SELECT COALESCE(SUM(${ledgerEntries.amountNanos}), 0) FROM ${ledgerEntries} WHERE ${ledgerEntries.accountId} = ${accountId})`;

/**
 * Proves (or disproves) that an account's balance is derivable from its ledger:
 * balance_nanos == SUM(ledger_entries.amount_nanos). Both sides are read in one
 * SQL statement, so one consistent snapshot: a settlement in flight cannot make
 * a false alarm. A missing balance row counts as 0. (Every account at once:
 * billing's `reconcile`, @switchyard/billing/reconcile.)
 */
export async function reconcileAccount(db: D1Database, accountId: string): Promise<Reconciliation> {
  const rows = await drizzle(db)
    .select({ ledgerSum: ledgerSumOf(accountId), balance: sql<number | null>`(SELECT ${accountBalances.balanceNanos} FROM ${accountBalances} WHERE ${accountBalances.accountId} = ${accountId})` })
    .from(sql`(SELECT 1)`);
  const ledgerSum = rows[0]?.ledgerSum ?? 0;
  const balance = rows[0]?.balance ?? 0;
  return { accountId, ledgerSum, balance, ok: ledgerSum === balance };
}
