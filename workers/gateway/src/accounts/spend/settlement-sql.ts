/**
 * Bulk settlement SQL: a constant number of statements for any number of
 * settlements, each taking one JSON array (`json_each`) instead of one
 * statement per row. Built once at module load. Raw SQL because drizzle's
 * builder has no INSERT … SELECT FROM json_each, and building a query per row
 * cost more CPU than the rest of the request (bench/README.md).
 *
 * Each row travels as a JSON array in the column order below, not as an
 * object: `value ->> 3` reads one element where `value ->> 'apiKeyId'` scans
 * the object's keys, which made the generation insert ≈ 25 % slower in D1's
 * SQLite (bench/results/README.md). The statement and the row encoder come
 * from one list of fields per table, and the SQL names from the Drizzle
 * schema, so none of them can disagree.
 */
import { generations, ledgerEntries } from "@switchyard/db";
import { getTableColumns, getTableName, type Table } from "drizzle-orm";
import type { GenerationRow, LedgerRow } from "./types.ts";

interface Column {
  /** The SQL column, as the Drizzle schema names it. */
  name: string;
  field: string;
  /** SQL for a field left out (a column with a default, as drizzle would have written it). */
  absent: string | undefined;
}

/** The listed fields of a table, in this order, with their SQL names from the schema. */
function columnsOf<T extends Table>(table: T, fields: readonly (keyof T["$inferInsert"] & string)[], absent: Partial<Record<keyof T["$inferInsert"], string>> = {}): Column[] {
  const schema = getTableColumns(table) as Record<string, { name: string }>;
  return fields.map((field) => ({ name: schema[field]!.name, field, absent: absent[field] }));
}

/** The row as a JSON-ready array in column order; a missing field is null, which `absent` replaces. */
const encoder =
  <Row>(columns: readonly Column[]) =>
  (row: Row): unknown[] =>
    columns.map((c) => (row as Record<string, unknown>)[c.field] ?? null);

/** INSERT … SELECT of one row per element of the JSON array bound as ?1. */
const insertFromJson = (table: Table, columns: readonly Column[]) => `
INSERT INTO ${getTableName(table)} (${columns.map((c) => c.name).join(", ")})
SELECT ${columns.map((c, i) => (c.absent ? `COALESCE(value ->> ${i}, ${c.absent})` : `value ->> ${i}`)).join(", ")}
FROM json_each(?1) WHERE true`;

const NOW_MS = "unixepoch() * 1000";

const ENTRY_COLUMNS = columnsOf(
  ledgerEntries,
  ["accountId", "workspaceId", "apiKeyId", "kind", "amountNanos", "idempotencyKey", "generationId", "description", "createdAt"],
  { createdAt: NOW_MS },
);

const GENERATION_COLUMNS = columnsOf(
  generations,
  ["id", "accountId", "workspaceId", "apiKeyId", "model", "provider", "upstreamModel", "status", "errorCode", "promptTokens", "completionTokens",
    "costNanos", "byok", "streamed", "finishReason", "latencyMs", "ttftMs", "attempts", "createdAt"],
  { promptTokens: "0", completionTokens: "0", costNanos: "0", byok: "0", streamed: "0", createdAt: NOW_MS },
);

/** A ledger entry as APPLY_NEW_ENTRIES_TO_BALANCES and INSERT_ENTRIES read it. */
export const entryRow = encoder<LedgerRow>(ENTRY_COLUMNS);
/** A generation row as INSERT_GENERATIONS reads it. */
export const generationRow = encoder<GenerationRow>(GENERATION_COLUMNS);

const entryField = (field: keyof LedgerRow) => `e.value ->> ${ENTRY_COLUMNS.findIndex((c) => c.field === field)}`;

/** Moves each account's balance by its entries that are not in the ledger yet: run right before INSERT_ENTRIES, in the same batch (one transaction), it counts exactly what that insert writes. */
export const APPLY_NEW_ENTRIES_TO_BALANCES = `
INSERT INTO account_balances (account_id, balance_nanos)
SELECT ${entryField("accountId")}, SUM(${entryField("amountNanos")}) FROM json_each(?1) AS e
WHERE NOT EXISTS (SELECT 1 FROM ledger_entries AS l WHERE l.idempotency_key = ${entryField("idempotencyKey")})
GROUP BY 1
ON CONFLICT (account_id) DO UPDATE SET balance_nanos = balance_nanos + excluded.balance_nanos, updated_at = ${NOW_MS}`;

/** Inserts the entries whose idempotency key is new; returns the keys it wrote. */
export const INSERT_ENTRIES = `${insertFromJson(ledgerEntries, ENTRY_COLUMNS)}
ON CONFLICT (idempotency_key) DO NOTHING
RETURNING idempotency_key`;

/** Inserts generation rows; one already written (a retried settlement) is left as it is. */
export const INSERT_GENERATIONS = `${insertFromJson(generations, GENERATION_COLUMNS)}
ON CONFLICT (id) DO NOTHING`;

/** Each key's last use: the latest of what is stored and what these settlements saw (rows: [keyId, usedAt]). */
export const TOUCH_KEYS = `
UPDATE api_keys SET last_used_at = MAX(COALESCE(last_used_at, 0), used.at)
FROM (SELECT value ->> 0 AS key_id, MAX(value ->> 1) AS at FROM json_each(?1) GROUP BY 1) AS used
WHERE api_keys.id = used.key_id`;
