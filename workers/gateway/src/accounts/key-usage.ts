import { apiKeys, ledgerEntries } from "@switchyard/db";
import { and, eq, inArray, type SQL, sql } from "drizzle-orm";
import { windowStart } from "./windows.ts";
import { SPEND_KINDS } from "./spend/ledger-sql.ts";

/** A key's spend (nano-dollars, positive): all time, and in the current UTC day, week and month. */
export interface KeyUsage {
  total: number;
  daily: number;
  weekly: number;
  monthly: number;
}

export const NO_USAGE: KeyUsage = { total: 0, daily: 0, weekly: 0, monthly: 0 };

/**
 * Select fields that sum a key's spend from the ledger (usage + BYOK fees), for
 * a query that LEFT JOINs ledger_entries on `spentBy(...)`. Summed from the
 * ledger of record rather than kept in a counter: exact by construction, and
 * cheap through the (api_key_id, created_at) index.
 */
export function keyUsageFields(at: number) {
  // Aliased: D1 returns rows keyed by column name, and the three window sums differ only in their parameters.
  const since = (start: number, alias: string): SQL.Aliased<number> =>
    sql<number>`COALESCE(-SUM(CASE WHEN ${ledgerEntries.createdAt} >= ${start} THEN ${ledgerEntries.amountNanos} END), 0)`.as(alias);
  return {
    total: sql<number>`COALESCE(-SUM(${ledgerEntries.amountNanos}), 0)`.as("usage_total"),
    daily: since(windowStart("daily", at), "usage_daily"),
    weekly: since(windowStart("weekly", at), "usage_weekly"),
    monthly: since(windowStart("monthly", at), "usage_monthly"),
  };
}

/** The join condition: the ledger entries that are this key's spend. */
export const spentBy = and(eq(ledgerEntries.apiKeyId, apiKeys.id), inArray(ledgerEntries.kind, [...SPEND_KINDS]))!;

/** What counts against the key's limit: its spend in the current window of its reset period. */
export function usageInWindow(usage: KeyUsage, reset: "none" | "daily" | "weekly" | "monthly"): number {
  return reset === "none" ? usage.total : usage[reset];
}
