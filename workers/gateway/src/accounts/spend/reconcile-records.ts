import { bucketOfEntry, bucketTotals, type Rollup, worthWriting } from "./rollup-sql.ts";

/** One bucket whose D1 entries' sum differs from the sum of the object's records it covers. */
export interface RecordDifference {
  idempotencyKey: string;
  records: { amountNanos: number; requestCount: number };
  d1: { amountNanos: number; requestCount: number } | null;
}

export interface RecordReconciliation {
  accountId: string;
  /** buckets compared */
  buckets: number;
  differences: RecordDifference[];
}

/**
 * The second level of reconcile: an account object's per-request records against its
 * roll-ups in D1. Every bucket whose records are all rolled up must have D1 entries
 * (its first and any later deltas) summing to their exact sum and count (none, if
 * they charged nothing and none succeeded); and D1 must hold no roll-up of this
 * account that the object's records (still kept, not yet exported) do not explain.
 */
export async function reconcileRecords(sql: SqlStorage, db: D1Database, accountId: string): Promise<RecordReconciliation> {
  const all = bucketTotals(sql, Number.POSITIVE_INFINITY, Number.MAX_SAFE_INTEGER, { includeRolled: true });
  const open = new Set(bucketTotals(sql, Number.POSITIVE_INFINITY, Number.MAX_SAFE_INTEGER).map((b) => b.idempotencyKey));
  const settled = all.filter((b) => !open.has(b.idempotencyKey));
  const oldest = sql.exec<{ m: number | null }>("SELECT MIN(minute) AS m FROM generations").one().m ?? Number.POSITIVE_INFINITY;
  const { results } = await db
    .prepare("SELECT idempotency_key, amount_nanos, request_count FROM ledger_entries WHERE account_id = ? AND idempotency_key LIKE 'rollup:%' AND created_at >= ?")
    .bind(accountId, oldest)
    .all<{ idempotency_key: string; amount_nanos: number; request_count: number }>();
  const inD1 = new Map<string, { amountNanos: number; requestCount: number }>();
  for (const r of results) {
    const bucket = bucketOfEntry(r.idempotency_key);
    const sum = inD1.get(bucket) ?? { amountNanos: 0, requestCount: 0 };
    inD1.set(bucket, { amountNanos: sum.amountNanos + r.amount_nanos, requestCount: sum.requestCount + r.request_count });
  }
  const differences: RecordDifference[] = [];
  const expected = (b: Rollup) => (worthWriting(b) ? { amountNanos: b.amountNanos, requestCount: b.requestCount } : null);
  for (const b of settled) {
    const want = expected(b);
    const got = inD1.get(b.idempotencyKey) ?? null;
    if (want?.amountNanos !== got?.amountNanos || want?.requestCount !== got?.requestCount) {
      differences.push({ idempotencyKey: b.idempotencyKey, records: { amountNanos: b.amountNanos, requestCount: b.requestCount }, d1: got });
    }
  }
  const known = new Set(all.map((b) => b.idempotencyKey));
  for (const [key, got] of inD1) {
    if (!known.has(key)) differences.push({ idempotencyKey: key, records: { amountNanos: 0, requestCount: 0 }, d1: got });
  }
  return { accountId, buckets: settled.length, differences };
}
