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
 * from one column list, so they cannot disagree.
 */
import type { GenerationRow, LedgerRow } from "./types.ts";

interface Column<Row> {
  name: string;
  field: keyof Row & string;
  /** SQL for a field left out (a column with a default, as drizzle would have written it). */
  absent?: string;
}

/** The row as a JSON-ready array in column order; a missing field is null, which `absent` replaces. */
const encoder =
  <Row>(columns: readonly Column<Row>[]) =>
  (row: Row): unknown[] =>
    columns.map((c) => row[c.field] ?? null);

const select = <Row>(columns: readonly Column<Row>[]) =>
  columns.map((c, i) => (c.absent ? `COALESCE(value ->> ${i}, ${c.absent})` : `value ->> ${i}`)).join(", ");

const index = <Row>(columns: readonly Column<Row>[], field: keyof Row) => columns.findIndex((c) => c.field === field);

const NOW_MS = "unixepoch() * 1000";

const ENTRY_COLUMNS: readonly Column<LedgerRow>[] = [
  { name: "account_id", field: "accountId" },
  { name: "workspace_id", field: "workspaceId" },
  { name: "api_key_id", field: "apiKeyId" },
  { name: "kind", field: "kind" },
  { name: "amount_nanos", field: "amountNanos" },
  { name: "idempotency_key", field: "idempotencyKey" },
  { name: "generation_id", field: "generationId" },
  { name: "description", field: "description" },
  { name: "created_at", field: "createdAt", absent: NOW_MS },
];

const GENERATION_COLUMNS: readonly Column<GenerationRow>[] = [
  { name: "id", field: "id" },
  { name: "account_id", field: "accountId" },
  { name: "workspace_id", field: "workspaceId" },
  { name: "api_key_id", field: "apiKeyId" },
  { name: "model", field: "model" },
  { name: "provider", field: "provider" },
  { name: "upstream_model", field: "upstreamModel" },
  { name: "status", field: "status" },
  { name: "error_code", field: "errorCode" },
  { name: "prompt_tokens", field: "promptTokens", absent: "0" },
  { name: "completion_tokens", field: "completionTokens", absent: "0" },
  { name: "cost_nanos", field: "costNanos", absent: "0" },
  { name: "byok", field: "byok", absent: "0" },
  { name: "streamed", field: "streamed", absent: "0" },
  { name: "finish_reason", field: "finishReason" },
  { name: "latency_ms", field: "latencyMs" },
  { name: "ttft_ms", field: "ttftMs" },
  { name: "attempts", field: "attempts" },
  { name: "created_at", field: "createdAt", absent: NOW_MS },
];

/** A ledger entry as APPLY_NEW_ENTRIES_TO_BALANCES and INSERT_ENTRIES read it. */
export const entryRow = encoder(ENTRY_COLUMNS);
/** A generation row as INSERT_GENERATIONS reads it. */
export const generationRow = encoder(GENERATION_COLUMNS);

const entryField = (field: keyof LedgerRow) => `e.value ->> ${index(ENTRY_COLUMNS, field)}`;

/** Moves each account's balance by its entries that are not in the ledger yet: run right before INSERT_ENTRIES, in the same batch (one transaction), it counts exactly what that insert writes. */
export const APPLY_NEW_ENTRIES_TO_BALANCES = `
INSERT INTO account_balances (account_id, balance_nanos)
SELECT ${entryField("accountId")}, SUM(${entryField("amountNanos")}) FROM json_each(?1) AS e
WHERE NOT EXISTS (SELECT 1 FROM ledger_entries AS l WHERE l.idempotency_key = ${entryField("idempotencyKey")})
GROUP BY 1
ON CONFLICT (account_id) DO UPDATE SET balance_nanos = balance_nanos + excluded.balance_nanos, updated_at = ${NOW_MS}`;

/** Inserts the entries whose idempotency key is new; returns the keys it wrote. */
export const INSERT_ENTRIES = `
INSERT INTO ledger_entries (${ENTRY_COLUMNS.map((c) => c.name).join(", ")})
SELECT ${select(ENTRY_COLUMNS)}
FROM json_each(?1) WHERE true
ON CONFLICT (idempotency_key) DO NOTHING
RETURNING idempotency_key`;

/** Inserts generation rows; one already written (a retried settlement) is left as it is. */
export const INSERT_GENERATIONS = `
INSERT INTO generations (${GENERATION_COLUMNS.map((c) => c.name).join(", ")})
SELECT ${select(GENERATION_COLUMNS)}
FROM json_each(?1) WHERE true
ON CONFLICT (id) DO NOTHING`;

/** Each key's last use: the latest of what is stored and what these settlements saw (rows: [keyId, usedAt]). */
export const TOUCH_KEYS = `
UPDATE api_keys SET last_used_at = MAX(COALESCE(last_used_at, 0), used.at)
FROM (SELECT value ->> 0 AS key_id, MAX(value ->> 1) AS at FROM json_each(?1) GROUP BY 1) AS used
WHERE api_keys.id = used.key_id`;
