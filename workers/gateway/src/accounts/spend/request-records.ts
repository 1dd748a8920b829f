/**
 * The account's per-request records, in its spend object's SQLite: one row per
 * finished request — its generation stats (never its text) and its exact charge
 * (usage + BYOK fee). D1 only receives their per-minute roll-ups (rollup-sql.ts).
 *
 * The table has D1's `generations` columns (snake_case, booleans as 0/1), so a row
 * reads the same from either place (routes/generation.ts falls back to D1 for
 * generations written before this change), plus:
 * - `minute`: the UTC minute the object received the settlement: its roll-up bucket;
 * - `rolled`: 1 once the row's bucket, with this row counted, is in D1.
 */
import type { GenerationRow } from "./types.ts";

export const MINUTE_MS = 60_000;

/** Columns in the order records travel as JSON arrays (one `json_each` insert for any number of rows). */
const COLUMNS = [
  "id", "account_id", "workspace_id", "api_key_id", "model", "provider", "upstream_model", "status", "error_code",
  "prompt_tokens", "completion_tokens", "cost_nanos", "byok", "byok_fee_nanos", "streamed", "finish_reason",
  "latency_ms", "ttft_ms", "attempts", "created_at", "minute", "end_user", "redactions", "cache_hit",
] as const;

export const CREATE_RECORDS = [
  `CREATE TABLE IF NOT EXISTS generations (
    id TEXT PRIMARY KEY, account_id TEXT NOT NULL, workspace_id TEXT NOT NULL, api_key_id TEXT NOT NULL, model TEXT NOT NULL,
    provider TEXT, upstream_model TEXT, status TEXT NOT NULL, error_code INTEGER, prompt_tokens INTEGER NOT NULL DEFAULT 0,
    completion_tokens INTEGER NOT NULL DEFAULT 0, cost_nanos INTEGER NOT NULL DEFAULT 0, byok INTEGER NOT NULL DEFAULT 0,
    byok_fee_nanos INTEGER NOT NULL DEFAULT 0, streamed INTEGER NOT NULL DEFAULT 0, finish_reason TEXT, latency_ms INTEGER,
    ttft_ms INTEGER, attempts TEXT, created_at INTEGER NOT NULL, minute INTEGER NOT NULL, rolled INTEGER NOT NULL DEFAULT 0,
    end_user TEXT, redactions INTEGER NOT NULL DEFAULT 0, cache_hit INTEGER NOT NULL DEFAULT 0)`,
  // what is still to roll up (small: at most the last minute or two, or what D1 refused)
  "CREATE INDEX IF NOT EXISTS generations_unrolled ON generations (minute) WHERE rolled = 0",
  // the dashboard's list, newest first, per workspace
  "CREATE INDEX IF NOT EXISTS generations_workspace ON generations (workspace_id, created_at)",
  // the retention sweep
  "CREATE INDEX IF NOT EXISTS generations_minute ON generations (minute)",
  // successful BYOK requests per UTC month ("YYYY-MM"): the free million is counted here, one account at a time
  "CREATE TABLE IF NOT EXISTS byok_months (month TEXT PRIMARY KEY, requests INTEGER NOT NULL)",
];

/** Columns added after the table was first created: added to an existing object's table at start-up. */
const ADDED_COLUMNS: Record<string, string> = {
  end_user: "end_user TEXT",
  redactions: "redactions INTEGER NOT NULL DEFAULT 0",
  cache_hit: "cache_hit INTEGER NOT NULL DEFAULT 0",
};

/** Brings an object's records table made by an older version up to the current columns. */
export function addMissingRecordColumns(sql: SqlStorage): void {
  const present = new Set([...sql.exec<{ name: string }>("SELECT name FROM pragma_table_info('generations')")].map((c) => c.name));
  for (const [name, definition] of Object.entries(ADDED_COLUMNS)) if (!present.has(name)) sql.exec(`ALTER TABLE generations ADD COLUMN ${definition}`);
}

/** One record as the insert reads it; `costNanos` + `byokFeeNanos` is what the request is charged. */
export function recordRow(g: GenerationRow, costNanos: number, byokFeeNanos: number, minute: number): unknown[] {
  const values: Record<(typeof COLUMNS)[number], unknown> = {
    id: g.id,
    account_id: g.accountId,
    workspace_id: g.workspaceId,
    api_key_id: g.apiKeyId,
    model: g.model,
    provider: g.provider ?? null,
    upstream_model: g.upstreamModel ?? null,
    status: g.status,
    error_code: g.errorCode ?? null,
    prompt_tokens: g.promptTokens ?? 0,
    completion_tokens: g.completionTokens ?? 0,
    cost_nanos: costNanos,
    byok: g.byok ? 1 : 0,
    byok_fee_nanos: byokFeeNanos,
    streamed: g.streamed ? 1 : 0,
    finish_reason: g.finishReason ?? null,
    latency_ms: g.latencyMs ?? null,
    ttft_ms: g.ttftMs ?? null,
    attempts: g.attempts ?? null,
    created_at: g.createdAt ?? minute,
    minute,
    end_user: g.endUser ?? null,
    redactions: g.redactions ?? 0,
    cache_hit: g.cacheHit ? 1 : 0,
  };
  return COLUMNS.map((c) => values[c]);
}

/** (not INSERT OR IGNORE: that would also drop a row breaking NOT NULL, silently) */
export const INSERT_RECORDS = `INSERT INTO generations (${COLUMNS.join(", ")})
SELECT ${COLUMNS.map((_, i) => `value ->> ${i}`).join(", ")} FROM json_each(?) WHERE true
ON CONFLICT (id) DO NOTHING`;

/** A stored record, as D1's generations row reads (snake_case). */
export type RecordRow = {
  id: string;
  account_id: string;
  workspace_id: string;
  api_key_id: string;
  model: string;
  provider: string | null;
  upstream_model: string | null;
  status: "success" | "error" | "cancelled";
  error_code: number | null;
  prompt_tokens: number;
  completion_tokens: number;
  cost_nanos: number;
  byok: number;
  byok_fee_nanos: number;
  streamed: number;
  finish_reason: string | null;
  latency_ms: number | null;
  ttft_ms: number | null;
  attempts: string | null;
  created_at: number;
  minute: number;
  rolled: number;
  end_user: string | null;
  redactions: number;
  cache_hit: number;
};

/** A generation as the API shows it: the same whether read from the object or from D1's legacy rows. */
export interface GenerationRecord {
  id: string;
  workspaceId: string;
  apiKeyId: string;
  model: string;
  provider: string | null;
  upstreamModel: string | null;
  status: "success" | "error" | "cancelled";
  errorCode: number | null;
  promptTokens: number;
  completionTokens: number;
  costNanos: number;
  byok: boolean;
  byokFeeNanos: number;
  streamed: boolean;
  finishReason: string | null;
  latencyMs: number | null;
  ttftMs: number | null;
  attempts: string | null;
  createdAt: number;
  endUser: string | null;
  redactions: number;
  cacheHit: boolean;
}

export function toRecord(r: Omit<RecordRow, "minute" | "rolled">): GenerationRecord {
  return {
    id: r.id,
    workspaceId: r.workspace_id,
    apiKeyId: r.api_key_id,
    model: r.model,
    provider: r.provider,
    upstreamModel: r.upstream_model,
    status: r.status,
    errorCode: r.error_code,
    promptTokens: r.prompt_tokens,
    completionTokens: r.completion_tokens,
    costNanos: r.cost_nanos,
    byok: Boolean(r.byok),
    byokFeeNanos: r.byok_fee_nanos,
    streamed: Boolean(r.streamed),
    finishReason: r.finish_reason,
    latencyMs: r.latency_ms,
    ttftMs: r.ttft_ms,
    attempts: r.attempts,
    createdAt: r.created_at,
    endUser: r.end_user,
    redactions: r.redactions,
    cacheHit: Boolean(r.cache_hit),
  };
}

/** Filters of a page of records (the dashboard's Activity list and CSV export). */
export interface RecordQuery {
  workspaceId: string;
  /** unix ms, inclusive / exclusive */
  from?: number;
  to?: number;
  model?: string;
  status?: "success" | "error" | "cancelled";
  apiKeyId?: string;
  /** Older than this row (created_at, id): the next page. */
  before?: { at: number; id: string };
  limit: number;
}

export function selectRecords(sql: SqlStorage, q: RecordQuery): GenerationRecord[] {
  const where = ["workspace_id = ?"];
  const binds: unknown[] = [q.workspaceId];
  const add = (clause: string, value: unknown) => {
    where.push(clause);
    binds.push(value);
  };
  if (q.from !== undefined) add("created_at >= ?", q.from);
  if (q.to !== undefined) add("created_at < ?", q.to);
  if (q.model) add("model = ?", q.model);
  if (q.status) add("status = ?", q.status);
  if (q.apiKeyId) add("api_key_id = ?", q.apiKeyId);
  if (q.before) {
    where.push("(created_at, id) < (?, ?)");
    binds.push(q.before.at, q.before.id);
  }
  const rows = sql.exec<Omit<RecordRow, "minute" | "rolled">>(
    `SELECT * FROM generations WHERE ${where.join(" AND ")} ORDER BY created_at DESC, id DESC LIMIT ?`,
    ...binds,
    Math.max(0, Math.min(q.limit, 10_000)),
  );
  return [...rows].map(toRecord);
}
