import { byokFeeFor, toStoredNanos, utcMonth } from "@switchyard/fees";

/**
 * The BYOK free million, counted in the account's spend object (byok_months in its
 * SQLite): the object takes one settlement at a time, so the counter is exact under
 * any concurrency, and a request counts in the UTC month it started in (billing's
 * rules, @switchyard/fees). Counted once per generation: the caller counts only
 * records it has just inserted.
 */
export function countByokRequest(sql: SqlStorage, startedAt: number, hostedCostNanos: number): number {
  const month = utcMonth(startedAt);
  const before = byokRequestsIn(sql, month) ?? 0;
  sql.exec("INSERT INTO byok_months (month, requests) VALUES (?1, ?2) ON CONFLICT (month) DO UPDATE SET requests = ?2", month, before + 1);
  return toStoredNanos(byokFeeFor(BigInt(hostedCostNanos), before));
}

/** The month's count in the object, or null if it has not counted that month yet. */
export function byokRequestsIn(sql: SqlStorage, month: string): number | null {
  return sql.exec<{ requests: number }>("SELECT requests FROM byok_months WHERE month = ?", month).toArray()[0]?.requests ?? null;
}

/**
 * Migration: a deployment that counted BYOK requests in D1 (byok_monthly_usage)
 * before the object did carries that month's count over the first time the object
 * sees the month. Later months start at 0 in the object.
 */
export async function seedByokMonth(sql: SqlStorage, db: D1Database, accountId: string, startedAt: number): Promise<void> {
  const month = utcMonth(startedAt);
  if (byokRequestsIn(sql, month) !== null) return;
  const row = await db.prepare("SELECT requests FROM byok_monthly_usage WHERE account_id = ? AND month = ?").bind(accountId, month).first<{ requests: number }>();
  // (another settlement may have seeded it while D1 answered)
  if (byokRequestsIn(sql, month) === null) sql.exec("INSERT INTO byok_months (month, requests) VALUES (?, ?)", month, row?.requests ?? 0);
}
