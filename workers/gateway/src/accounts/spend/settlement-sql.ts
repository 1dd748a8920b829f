/**
 * Bulk settlement SQL: a constant number of statements for any number of
 * settlements, each taking one JSON array (`json_each`) instead of one
 * statement per row. Built once at module load. Raw SQL because drizzle's
 * builder has no INSERT … SELECT FROM json_each, and building a query per row
 * cost more CPU than the rest of the request (bench/README.md).
 */

/** Moves each account's balance by its entries that are not in the ledger yet: run right before INSERT_ENTRIES, in the same batch (one transaction), it counts exactly what that insert writes. */
export const APPLY_NEW_ENTRIES_TO_BALANCES = `
INSERT INTO account_balances (account_id, balance_nanos)
SELECT e.value ->> 'accountId', SUM(e.value ->> 'amountNanos') FROM json_each(?1) AS e
WHERE NOT EXISTS (SELECT 1 FROM ledger_entries AS l WHERE l.idempotency_key = e.value ->> 'idempotencyKey')
GROUP BY 1
ON CONFLICT (account_id) DO UPDATE SET balance_nanos = balance_nanos + excluded.balance_nanos, updated_at = unixepoch() * 1000`;

/** Inserts the entries whose idempotency key is new; returns the keys it wrote. */
export const INSERT_ENTRIES = `
INSERT INTO ledger_entries (account_id, workspace_id, api_key_id, kind, amount_nanos, idempotency_key, generation_id, description, created_at)
SELECT value ->> 'accountId', value ->> 'workspaceId', value ->> 'apiKeyId', value ->> 'kind', value ->> 'amountNanos',
       value ->> 'idempotencyKey', value ->> 'generationId', value ->> 'description', COALESCE(value ->> 'createdAt', unixepoch() * 1000)
FROM json_each(?1) WHERE true
ON CONFLICT (idempotency_key) DO NOTHING
RETURNING idempotency_key`;

/** Inserts generation rows (a field left out takes the column's default, as with drizzle); one already written (a retried settlement) is left as it is. */
export const INSERT_GENERATIONS = `
INSERT INTO generations (id, account_id, workspace_id, api_key_id, model, provider, upstream_model, status, error_code,
  prompt_tokens, completion_tokens, cost_nanos, byok, streamed, finish_reason, latency_ms, ttft_ms, attempts, created_at)
SELECT value ->> 'id', value ->> 'accountId', value ->> 'workspaceId', value ->> 'apiKeyId', value ->> 'model', value ->> 'provider',
       value ->> 'upstreamModel', value ->> 'status', value ->> 'errorCode', COALESCE(value ->> 'promptTokens', 0),
       COALESCE(value ->> 'completionTokens', 0), COALESCE(value ->> 'costNanos', 0), COALESCE(value ->> 'byok', 0), COALESCE(value ->> 'streamed', 0),
       value ->> 'finishReason', value ->> 'latencyMs', value ->> 'ttftMs', value ->> 'attempts', COALESCE(value ->> 'createdAt', unixepoch() * 1000)
FROM json_each(?1) WHERE true
ON CONFLICT (id) DO NOTHING`;

/** Each key's last use: the latest of what is stored and what these settlements saw. */
export const TOUCH_KEYS = `
UPDATE api_keys SET last_used_at = MAX(COALESCE(last_used_at, 0), used.at)
FROM (SELECT value ->> 'keyId' AS key_id, MAX(value ->> 'usedAt') AS at FROM json_each(?1) GROUP BY 1) AS used
WHERE api_keys.id = used.key_id`;
