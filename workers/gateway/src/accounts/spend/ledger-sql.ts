import { accountBalances, ledgerEntries } from "@switchyard/db";
import { and, eq, gte, inArray, sql } from "drizzle-orm";
import { drizzle } from "drizzle-orm/d1";

/** Kinds of ledger entry that count as spend against key limits and workspace budgets. */
export const SPEND_KINDS = ["usage", "byok_fee"] as const;

export async function readBalance(db: D1Database, accountId: string): Promise<number> {
  const rows = await drizzle(db)
    .select({ balance: accountBalances.balanceNanos })
    .from(accountBalances)
    .where(eq(accountBalances.accountId, accountId))
    .limit(1);
  return rows[0]?.balance ?? 0;
}

/** Spend (positive nanos) of one key or one workspace since `since`. */
export async function readSpend(db: D1Database, scope: { keyId: string } | { workspaceId: string }, since: number): Promise<number> {
  const owner = "keyId" in scope ? eq(ledgerEntries.apiKeyId, scope.keyId) : eq(ledgerEntries.workspaceId, scope.workspaceId);
  const rows = await drizzle(db)
    .select({ spent: sql<number>`COALESCE(-SUM(${ledgerEntries.amountNanos}), 0)` })
    .from(ledgerEntries)
    .where(and(owner, inArray(ledgerEntries.kind, [...SPEND_KINDS]), gte(ledgerEntries.createdAt, since)));
  return rows[0]?.spent ?? 0;
}
