import { applyEntryToBalance, statement } from "@switchyard/billing/ledger";
import { byokFeeKey } from "@switchyard/billing/usage";
import { accountBalances, apiKeys, generations, ledgerEntries } from "@switchyard/db";
import { and, eq, gte, inArray, sql } from "drizzle-orm";
import { drizzle } from "drizzle-orm/d1";
import { byokFeeEntry, byokStatements } from "../settle-byok.ts";
import type { LedgerRow, Settlement } from "./types.ts";

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
 * it was; a BYOK settlement also runs billing's counter-and-fee statements.
 * Returns, per settlement, the ledger entries that this batch actually wrote.
 */
export async function writeSettlements(db: D1Database, settlements: readonly Settlement[]): Promise<LedgerRow[][]> {
  const d = drizzle(db);
  const statements: D1PreparedStatement[] = [];
  const add = (...more: D1PreparedStatement[]) => statements.push(...more) - more.length; // index of the first
  const reads = settlements.map((s) => {
    const insertGeneration = statement(db, d.insert(generations).values(s.generation).onConflictDoNothing());
    // billing's BYOK statements chain on the generation insert, which comes first in them
    const generation = s.byok ? add(...byokStatements(db, insertGeneration, { ...s, byok: s.byok })) : add(insertGeneration);
    const entries = s.entries.map((entry) => {
      const index = add(statement(db, d.insert(ledgerEntries).values(entry).onConflictDoNothing().returning({ id: ledgerEntries.id })));
      add(applyEntryToBalance(db, entry.idempotencyKey)); // right after its insert: moves only if it was written
      return index;
    });
    const byokFee = s.byok ? add(byokFeeEntry(db, s.generation.id)) : null;
    add(statement(db, d.update(apiKeys).set({ lastUsedAt: sql`MAX(COALESCE(${apiKeys.lastUsedAt}, 0), ${s.usedAt})` }).where(eq(apiKeys.id, s.keyId))));
    return { generation, entries, byokFee };
  });
  const results = await db.batch(statements);
  return settlements.map((s, i) => {
    const { generation, entries, byokFee } = reads[i]!;
    const written = s.entries.filter((_, j) => results[entries[j]!]!.results.length > 0);
    const fee = byokFee === null ? undefined : (results[byokFee]!.results[0] as { amount_nanos: number } | undefined);
    // the fee entry was written by this batch exactly when this batch inserted the generation
    if (fee && results[generation]!.meta.changes > 0) {
      written.push({ accountId: s.accountId, workspaceId: s.generation.workspaceId, apiKeyId: s.keyId, kind: "byok_fee", amountNanos: fee.amount_nanos, idempotencyKey: byokFeeKey(s.generation.id), createdAt: s.usedAt });
    }
    return written;
  });
}
