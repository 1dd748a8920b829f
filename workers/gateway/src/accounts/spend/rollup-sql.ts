/**
 * Usage roll-ups: what reaches D1 of the per-request records. One ledger entry per
 * (account, workspace, key, model, UTC minute the object received the settlement),
 * kind `usage`, holding the exact sum of those requests' charges (usage + BYOK fee),
 * their count and tokens, and per provider what the activity report shows.
 *
 * The ledger is append-only: an entry is never changed once written. The object sends
 * its bucket's running totals; the write, inside its own D1 transaction, subtracts what
 * D1 already holds of the bucket (the sum of its entries) and appends the difference as
 * a new entry. So a retried roll-up (a timeout that had in fact committed), or one
 * replayed after a restart, finds nothing more to add, and the balance moves, in the
 * same transaction, by exactly the appended amounts. A bucket written once (the alarm,
 * after its minute closed) has one entry; a read that forces its open minute out early
 * adds a second when the minute closes.
 */
import type { RecordRow } from "./request-records.ts";

/** A bucket's totals, over every record of it (rolled or not), as D1 stores them. */
export interface Rollup {
  idempotencyKey: string;
  accountId: string;
  workspaceId: string;
  apiKeyId: string;
  model: string;
  minute: number;
  /** negative: what the account pays (usage + BYOK fees) */
  amountNanos: number;
  requestCount: number;
  promptTokens: number;
  completionTokens: number;
  /** JSON: {"fee": BYOK fees inside amountNanos, "providers": {slug: [requests, charged, byokHosted, prompt, completion]}}, successful requests only */
  detail: string;
  /** the latest end of a request in it: the key's last use */
  usedAt: number;
}

export const rollupKey = (r: Pick<RecordRow, "account_id" | "workspace_id" | "api_key_id" | "model" | "minute">) =>
  `rollup:${r.account_id}:${r.workspace_id}:${r.api_key_id}:${r.model}:${new Date(r.minute).toISOString().slice(0, 16)}`;

/** The bucket a roll-up entry belongs to: its key without the `#<cumulative count>` of a later delta. */
export const bucketOfEntry = (idempotencyKey: string) => idempotencyKey.replace(/#\d+$/, "");

type Part = {
  account_id: string;
  workspace_id: string;
  api_key_id: string;
  model: string;
  minute: number;
  provider: string | null;
  ok: number;
  requests: number;
  cost: number;
  fee: number;
  byok_hosted: number;
  prompt: number;
  completion: number;
  used_at: number;
};

/**
 * The totals of every bucket that has a record not rolled up yet, received before
 * `before`, counting only records up to `maxRowid` (a record that arrives during
 * the D1 write is counted by the next roll-up, which appends its difference).
 * `includeRolled`: every bucket with a record before `before` (reconcile).
 */
export function bucketTotals(sql: SqlStorage, before: number, maxRowid: number, { includeRolled = false } = {}): Rollup[] {
  const parts = sql.exec<Part>(
    `SELECT account_id, workspace_id, api_key_id, model, minute, provider, status = 'success' AS ok, COUNT(*) AS requests,
            SUM(cost_nanos) AS cost, SUM(byok_fee_nanos) AS fee, SUM(CASE WHEN byok THEN cost_nanos ELSE 0 END) AS byok_hosted,
            SUM(prompt_tokens) AS prompt, SUM(completion_tokens) AS completion, MAX(created_at + COALESCE(latency_ms, 0)) AS used_at
     FROM generations
     WHERE rowid <= ?1 AND (workspace_id, api_key_id, model, minute) IN
       (SELECT DISTINCT workspace_id, api_key_id, model, minute FROM generations WHERE (rolled = 0 OR ?3) AND minute < ?2 AND rowid <= ?1)
     GROUP BY account_id, workspace_id, api_key_id, model, minute, provider, ok`,
    maxRowid,
    before,
    includeRolled ? 1 : 0,
  );
  const buckets = new Map<string, Rollup & { fee: number; providers: Record<string, number[]> }>();
  for (const p of parts) {
    const key = rollupKey(p);
    let b = buckets.get(key);
    if (!b) {
      b = { idempotencyKey: key, accountId: p.account_id, workspaceId: p.workspace_id, apiKeyId: p.api_key_id, model: p.model, minute: p.minute,
        amountNanos: 0, requestCount: 0, promptTokens: 0, completionTokens: 0, detail: "", usedAt: 0, fee: 0, providers: {} };
      buckets.set(key, b);
    }
    // (a BYOK request's cost_nanos is 0: it pays only its fee)
    const charged = p.cost + p.fee;
    b.amountNanos -= charged;
    b.fee += p.fee;
    b.requestCount += p.requests;
    b.promptTokens += p.prompt;
    b.completionTokens += p.completion;
    b.usedAt = Math.max(b.usedAt, p.used_at);
    if (p.ok) b.providers[p.provider ?? ""] = [p.requests, charged, p.byok_hosted, p.prompt, p.completion];
  }
  return [...buckets.values()].map(({ fee, providers, ...b }) => ({ ...b, detail: JSON.stringify({ fee, providers }) }));
}

/** Whether a bucket is worth a D1 row: it charged something or has a successful request to report. */
export const worthWriting = (r: Pick<Rollup, "amountNanos" | "detail">) => r.amountNanos !== 0 || r.detail.includes('":[');

const FIELDS = ["idempotencyKey", "accountId", "workspaceId", "apiKeyId", "model", "minute", "amountNanos", "requestCount", "promptTokens", "completionTokens", "detail"] as const;
const at = (field: (typeof FIELDS)[number], alias = "value") => `${alias} ->> ${FIELDS.indexOf(field)}`;

/** A roll-up as the statements below read it (a JSON array in FIELDS order). */
export const rollupRow = (r: Rollup): unknown[] => FIELDS.map((f) => r[f]);

/**
 * What D1 holds of each bucket in ?1: the sums of its entries. A bucket's entries are its
 * first (`rollupKey`) and the later deltas (`rollupKey#<cumulative count>`): the keys in
 * [key, key + '$') ('#' sorts just before '$'; a bucket key ends with its minute, so another
 * bucket's key could fall in the range only if its model id held a whole minute timestamp then
 * one of ` !"#`), a range of the unique index.
 */
const STORED = `
WITH r AS (SELECT value AS v, ${at("idempotencyKey")} AS k FROM json_each(?1)),
stored AS (
  SELECT r.k, COALESCE(SUM(l.amount_nanos), 0) AS amount, COALESCE(SUM(l.request_count), 0) AS requests,
    COALESCE(SUM(l.prompt_tokens), 0) AS prompt, COALESCE(SUM(l.completion_tokens), 0) AS completion,
    COALESCE(SUM(l.detail ->> '$.fee'), 0) AS fee
  FROM r LEFT JOIN ledger_entries AS l ON l.idempotency_key >= r.k AND l.idempotency_key < r.k || '$'
  GROUP BY r.k),
fresh AS (SELECT r.v, r.k, s.* FROM r JOIN stored AS s USING (k) WHERE (${at("requestCount", "r.v")}) > s.requests)`;

/** What D1 holds of these buckets already (read in the write's own transaction, before it). */
export const STORED_ROLLUPS = `${STORED}
SELECT k AS idempotency_key, amount AS amount_nanos, requests AS request_count FROM stored`;

/** Moves each account's balance by the new totals' difference from what is stored; first in the batch, before the insert. */
export const APPLY_ROLLUPS_TO_BALANCES = `${STORED}
INSERT INTO account_balances (account_id, balance_nanos)
SELECT ${at("accountId", "v")}, SUM((${at("amountNanos", "v")}) - amount) FROM fresh GROUP BY 1
ON CONFLICT (account_id) DO UPDATE SET balance_nanos = balance_nanos + excluded.balance_nanos, updated_at = unixepoch() * 1000`;

/**
 * Appends, for each bucket with more requests than D1 holds, one entry of the difference:
 * amount, count, tokens, BYOK fee and per-provider figures, all new totals minus the sums of
 * the bucket's stored entries. Never updates an entry (the ledger is append-only). Its key
 * names the bucket (and, after the first, the cumulative count), so it cannot collide: a
 * stale or repeated write finds no more requests than stored and inserts nothing.
 */
export const INSERT_ROLLUP_DELTAS = `${STORED},
stored_providers AS (
  SELECT r.k, p.key AS slug, SUM(p.value ->> 0) AS n0, SUM(p.value ->> 1) AS n1, SUM(p.value ->> 2) AS n2, SUM(p.value ->> 3) AS n3, SUM(p.value ->> 4) AS n4
  FROM r JOIN ledger_entries AS l ON l.idempotency_key >= r.k AND l.idempotency_key < r.k || '$' JOIN json_each(l.detail, '$.providers') AS p
  GROUP BY r.k, p.key),
new_providers AS (
  SELECT f.k, json_group_object(p.key, json_array(
    (p.value ->> 0) - COALESCE(s.n0, 0), (p.value ->> 1) - COALESCE(s.n1, 0), (p.value ->> 2) - COALESCE(s.n2, 0),
    (p.value ->> 3) - COALESCE(s.n3, 0), (p.value ->> 4) - COALESCE(s.n4, 0))) AS providers
  FROM fresh AS f JOIN json_each(${at("detail", "f.v")}, '$.providers') AS p LEFT JOIN stored_providers AS s ON s.k = f.k AND s.slug = p.key
  WHERE (p.value ->> 0) > COALESCE(s.n0, 0)
  GROUP BY f.k)
INSERT INTO ledger_entries (idempotency_key, account_id, workspace_id, api_key_id, kind, model, created_at, amount_nanos,
  request_count, prompt_tokens, completion_tokens, detail, description)
SELECT CASE WHEN f.requests = 0 THEN f.k ELSE f.k || '#' || (${at("requestCount", "f.v")}) END,
  ${at("accountId", "f.v")}, ${at("workspaceId", "f.v")}, ${at("apiKeyId", "f.v")}, 'usage', ${at("model", "f.v")}, ${at("minute", "f.v")},
  (${at("amountNanos", "f.v")}) - f.amount, (${at("requestCount", "f.v")}) - f.requests,
  (${at("promptTokens", "f.v")}) - f.prompt, (${at("completionTokens", "f.v")}) - f.completion,
  json_object('fee', ((${at("detail", "f.v")}) ->> '$.fee') - f.fee, 'providers', json(COALESCE(np.providers, '{}'))), 'usage roll-up'
FROM fresh AS f LEFT JOIN new_providers AS np ON np.k = f.k`;

/** Each key's last use: the latest of what is stored and what these roll-ups saw (rows: [keyId, usedAt]). */
export const TOUCH_KEYS = `
UPDATE api_keys SET last_used_at = MAX(COALESCE(last_used_at, 0), used.at)
FROM (SELECT value ->> 0 AS key_id, MAX(value ->> 1) AS at FROM json_each(?1) GROUP BY 1) AS used
WHERE api_keys.id = used.key_id`;

/**
 * Writes roll-ups in one D1 batch (a transaction: balance move, delta entries, key use).
 * Returns, per roll-up, by how much this write moved the ledger (0 for one D1 had already).
 */
export async function writeRollups(db: D1Database, rollups: readonly Rollup[]): Promise<number[]> {
  const json = JSON.stringify(rollups.map(rollupRow));
  const [stored] = await db.batch([
    db.prepare(STORED_ROLLUPS).bind(json),
    db.prepare(APPLY_ROLLUPS_TO_BALANCES).bind(json),
    db.prepare(INSERT_ROLLUP_DELTAS).bind(json),
    db.prepare(TOUCH_KEYS).bind(JSON.stringify(rollups.map((r) => [r.apiKeyId, r.usedAt]))),
  ]);
  const before = new Map((stored!.results as { idempotency_key: string; amount_nanos: number; request_count: number }[]).map((r) => [r.idempotency_key, r]));
  return rollups.map((r) => {
    const old = before.get(r.idempotencyKey);
    return r.requestCount > (old?.request_count ?? 0) ? r.amountNanos - (old?.amount_nanos ?? 0) : 0;
  });
}
