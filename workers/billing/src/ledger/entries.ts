import { ledgerEntries } from "@switchyard/db";
import { toStoredNanos } from "@switchyard/fees";
import { drizzle } from "drizzle-orm/d1";

/**
 * Writing to the ledger. Every entry has an idempotency key, so replaying a
 * business event writes nothing; the running balance moves in the same D1
 * batch (one transaction), and only when the entry was actually written.
 *
 * These return D1 statements for `db.batch([...])`: drizzle's batch cannot bind
 * parameters of raw SQL, and the balance move needs raw SQL (`changes()`).
 */
export interface NewLedgerEntry {
  accountId: string;
  workspaceId?: string | null;
  apiKeyId?: string | null;
  kind: (typeof ledgerEntries.$inferInsert)["kind"];
  /** Credits positive, debits negative. */
  amountNanos: bigint;
  idempotencyKey: string;
  generationId?: string | null;
  description?: string | null;
}

/** A drizzle query as a plain D1 statement, to batch with raw ones. */
export function statement(db: D1Database, query: { toSQL(): { sql: string; params: unknown[] } }): D1PreparedStatement {
  const { sql, params } = query.toSQL();
  return db.prepare(sql).bind(...params);
}

export function insertEntry(db: D1Database, entry: NewLedgerEntry): D1PreparedStatement {
  return statement(
    db,
    drizzle(db)
      .insert(ledgerEntries)
      .values({ ...entry, amountNanos: toStoredNanos(entry.amountNanos) })
      .onConflictDoNothing(),
  );
}

/**
 * Adds the entry `idempotencyKey` to its account's balance. Must come right after
 * the statement that inserts that entry in the same batch: `changes()` is that
 * statement's row count, so a replay (0 rows) leaves the balance alone.
 */
export function applyEntryToBalance(db: D1Database, idempotencyKey: string): D1PreparedStatement {
  return db
    .prepare(
      `INSERT INTO account_balances (account_id, balance_nanos)
       SELECT account_id, amount_nanos FROM ledger_entries WHERE idempotency_key = ? AND changes() > 0
       ON CONFLICT (account_id) DO UPDATE SET
         balance_nanos = balance_nanos + excluded.balance_nanos,
         updated_at = unixepoch() * 1000`,
    )
    .bind(idempotencyKey);
}

/** An entry and its balance move: the two statements that must stay together, in this order. */
export function postEntry(db: D1Database, entry: NewLedgerEntry): D1PreparedStatement[] {
  return [insertEntry(db, entry), applyEntryToBalance(db, entry.idempotencyKey)];
}
