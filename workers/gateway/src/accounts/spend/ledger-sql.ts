import { applyEntryToBalance, statement } from "@switchyard/billing/ledger";
import { byokFeeKey } from "@switchyard/billing/usage";
import { accountBalances, generations, ledgerEntries } from "@switchyard/db";
import { and, eq, gte, inArray, sql } from "drizzle-orm";
import { drizzle } from "drizzle-orm/d1";
import { byokFeeEntry, byokStatements } from "../settle-byok.ts";
import { APPLY_NEW_ENTRIES_TO_BALANCES, entryRow, generationRow, INSERT_ENTRIES, INSERT_GENERATIONS, TOUCH_KEYS } from "./settlement-sql.ts";
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
 * inserted only if its idempotency key is new, and the balance moves only by
 * entries that were; a BYOK settlement also runs billing's counter-and-fee
 * statements. Hosted settlements, however many, take four statements
 * (settlement-sql.ts); a BYOK one takes its own. Returns, per settlement, the
 * ledger entries that this batch actually wrote.
 */
export async function writeSettlements(db: D1Database, settlements: readonly Settlement[]): Promise<LedgerRow[][]> {
  const hosted = settlements.filter((s) => !s.byok);
  // one entry per idempotency key: the balance statement counts each new key once
  const hostedEntries = [...new Map(hosted.flatMap((s) => s.entries).map((e) => [e.idempotencyKey, e])).values()];
  const statements: D1PreparedStatement[] = [];
  const add = (...more: D1PreparedStatement[]) => statements.push(...more) - more.length; // index of the first
  const json = (rows: unknown[]) => JSON.stringify(rows);

  let insertedKeys = -1;
  if (hostedEntries.length > 0) {
    const entries = json(hostedEntries.map(entryRow));
    add(db.prepare(APPLY_NEW_ENTRIES_TO_BALANCES).bind(entries));
    insertedKeys = add(db.prepare(INSERT_ENTRIES).bind(entries));
  }
  if (hosted.length > 0) add(db.prepare(INSERT_GENERATIONS).bind(json(hosted.map((s) => generationRow(s.generation)))));
  const byokReads = new Map<Settlement, { generation: number; entries: number[]; byokFee: number }>();
  if (hosted.length < settlements.length) {
    const d = drizzle(db);
    for (const s of settlements) {
      if (!s.byok) continue;
      // billing's BYOK statements chain on the generation insert, which comes first in them
      const generation = add(...byokStatements(db, statement(db, d.insert(generations).values(s.generation).onConflictDoNothing()), { ...s, byok: s.byok }));
      const entries = s.entries.map((entry) => {
        const index = add(statement(db, d.insert(ledgerEntries).values(entry).onConflictDoNothing().returning({ id: ledgerEntries.id })));
        add(applyEntryToBalance(db, entry.idempotencyKey)); // right after its insert: moves only if it was written
        return index;
      });
      byokReads.set(s, { generation, entries, byokFee: add(byokFeeEntry(db, s.generation.id)) });
    }
  }
  add(db.prepare(TOUCH_KEYS).bind(json(settlements.map((s) => [s.keyId, s.usedAt]))));

  const results = await db.batch(statements);
  const inserted = new Set(insertedKeys < 0 ? [] : (results[insertedKeys]!.results as { idempotency_key: string }[]).map((r) => r.idempotency_key));
  return settlements.map((s) => {
    const reads = byokReads.get(s);
    if (!reads) return s.entries.filter((e) => inserted.has(e.idempotencyKey));
    const written = s.entries.filter((_, j) => results[reads.entries[j]!]!.results.length > 0);
    const fee = results[reads.byokFee]!.results[0] as { amount_nanos: number } | undefined;
    // the fee entry was written by this batch exactly when this batch inserted the generation
    if (fee && results[reads.generation]!.meta.changes > 0) {
      written.push({ accountId: s.accountId, workspaceId: s.generation.workspaceId, apiKeyId: s.keyId, kind: "byok_fee", amountNanos: fee.amount_nanos, idempotencyKey: byokFeeKey(s.generation.id), createdAt: s.usedAt });
    }
    return written;
  });
}
