/**
 * Reconcile: every account's running balance against the sum of its ledger.
 * The same SQL runs in the worker (tests) and from `pnpm billing:reconcile`
 * against the local D1 through wrangler.
 */
export const RECONCILE_SQL = `
SELECT a.id AS account_id,
       COALESCE((SELECT balance_nanos FROM account_balances b WHERE b.account_id = a.id), 0) AS balance_nanos,
       COALESCE((SELECT SUM(amount_nanos) FROM ledger_entries l WHERE l.account_id = a.id), 0) AS ledger_nanos
FROM accounts a
ORDER BY a.id`;

export interface AccountTotals {
  account_id: string;
  balance_nanos: number;
  ledger_nanos: number;
}

export interface ReconcileReport {
  accounts: number;
  /** Accounts whose balance differs from their ledger sum; empty when all is well. */
  differences: Array<AccountTotals & { difference_nanos: number }>;
}

export function compareTotals(rows: AccountTotals[]): ReconcileReport {
  const differences = rows
    .filter((r) => r.balance_nanos !== r.ledger_nanos)
    .map((r) => ({ ...r, difference_nanos: r.balance_nanos - r.ledger_nanos }));
  return { accounts: rows.length, differences };
}

export async function reconcile(db: D1Database): Promise<ReconcileReport> {
  const { results } = await db.prepare(RECONCILE_SQL).all<AccountTotals>();
  return compareTotals(results);
}
