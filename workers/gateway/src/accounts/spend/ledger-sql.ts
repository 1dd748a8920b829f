import { accountBalances, apiKeys, generations, ledgerEntries } from "@switchyard/db";
import { and, eq, gte, inArray, sql } from "drizzle-orm";
import { drizzle } from "drizzle-orm/d1";
import type { Settlement } from "./types.ts";

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

/**
 * Writes settlements in one D1 batch (a transaction). Each ledger entry is
 * inserted only if its idempotency key is new, and the balance moves only when
 * it was; returns, per settlement, the entries that were actually written.
 */
export async function writeSettlements(db: D1Database, settlements: readonly Settlement[]): Promise<Settlement["entries"][]> {
  const d = drizzle(db);
  const statements = [];
  const ledgerStatementIndex: number[][] = [];
  for (const s of settlements) {
    statements.push(d.insert(generations).values(s.generation).onConflictDoNothing());
    const indexes: number[] = [];
    for (const entry of s.entries) {
      indexes.push(statements.length);
      statements.push(d.insert(ledgerEntries).values(entry).onConflictDoNothing().returning({ id: ledgerEntries.id }));
      // Only moves the balance if the ledger row just above was written (changes() = 1).
      statements.push(
        d
          .insert(accountBalances)
          .values({ accountId: s.accountId, balanceNanos: entry.amountNanos, updatedAt: s.usedAt })
          .onConflictDoUpdate({
            target: accountBalances.accountId,
            set: { balanceNanos: sql`${accountBalances.balanceNanos} + ${entry.amountNanos}`, updatedAt: s.usedAt },
            setWhere: sql`changes() > 0`,
          }),
      );
    }
    ledgerStatementIndex.push(indexes);
    statements.push(
      d
        .update(apiKeys)
        .set({ lastUsedAt: sql`MAX(COALESCE(${apiKeys.lastUsedAt}, 0), ${s.usedAt})` })
        .where(eq(apiKeys.id, s.keyId)),
    );
  }
  const results = await d.batch(statements as [(typeof statements)[number], ...(typeof statements)[number][]]);
  return settlements.map((s, i) =>
    s.entries.filter((_, j) => (results[ledgerStatementIndex[i]![j]!] as unknown[]).length > 0),
  );
}
