import type { DailySeries, TopKey } from "@switchyard/dashboards";
import { apiKeys, generations, ledgerEntries } from "@switchyard/db";
import { and, desc, eq, gte, inArray, sql } from "drizzle-orm";
import type { Db } from "./client.ts";

const DAY_MS = 24 * 3600 * 1000;

/**
 * A workspace's spend since a time, one row per usage roll-up entry (the gateway's ledger entries
 * per key, model and minute: the first, and any later delta; each its exact charge and request
 * count, summed here) plus, for the time before
 * roll-ups, one per legacy `generations` row. Both are read through the (workspace_id,
 * created_at) indexes.
 */
const spendRows = (workspaceId: string, since: number) => sql`(
  SELECT ${ledgerEntries.createdAt} AS at, ${ledgerEntries.model} AS model, ${ledgerEntries.apiKeyId} AS key_id,
         -${ledgerEntries.amountNanos} AS spend, ${ledgerEntries.requestCount} AS requests
  FROM ${ledgerEntries}
  WHERE ${ledgerEntries.workspaceId} = ${workspaceId} AND ${ledgerEntries.kind} = 'usage' AND ${ledgerEntries.requestCount} IS NOT NULL AND ${ledgerEntries.createdAt} >= ${since}
  UNION ALL
  SELECT ${generations.createdAt}, ${generations.model}, ${generations.apiKeyId}, ${generations.costNanos}, 1
  FROM ${generations}
  WHERE ${generations.workspaceId} = ${workspaceId} AND ${generations.createdAt} >= ${since}
) AS spent`;

/** "YYYY-MM-DD" (UTC) of the rows' unix-ms time, computed by SQLite. */
const utcDay = sql<string>`strftime('%Y-%m-%d', spent.at / 1000, 'unixepoch')`;

export function lastDays(n: number, now = Date.now()): string[] {
  const today = Date.UTC(new Date(now).getUTCFullYear(), new Date(now).getUTCMonth(), new Date(now).getUTCDate());
  return Array.from({ length: n }, (_, i) => new Date(today - (n - 1 - i) * DAY_MS).toISOString().slice(0, 10));
}

export interface UsageSummary {
  days: string[];
  series: DailySeries[];
  spendNanos: number;
  requests: number;
  topKeys: TopKey[];
  monthSpendNanos: number;
}

/** Everything the overview shows, in one D1 round trip. */
export async function usageSummary(db: Db, workspaceId: string, now = Date.now()): Promise<UsageSummary> {
  const days = lastDays(30, now);
  const since = Date.parse(`${days[0]}T00:00:00Z`);
  const d = new Date(now);
  const monthStart = Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), 1);
  const recent = spendRows(workspaceId, since);
  const spend = sql<number>`SUM(spent.spend)`;
  const requests = sql<number>`SUM(spent.requests)`;

  const [byDayModel, totals, keys, month] = await db.batch([
    db.select({ day: utcDay, model: sql<string>`spent.model`, spend }).from(recent).groupBy(utcDay, sql`spent.model`),
    db.select({ spend, requests }).from(recent),
    db
      .select({ id: sql<string>`spent.key_id`, name: apiKeys.name, prefix: apiKeys.prefix, requests, spend })
      .from(recent)
      .leftJoin(apiKeys, eq(apiKeys.id, sql`spent.key_id`))
      .groupBy(sql`spent.key_id`)
      .orderBy(desc(spend), desc(requests))
      .limit(5),
    // From the ledger, like the gateway's budget check: usage and BYOK fees (which generations do not carry).
    db
      .select({ spend: sql<number>`COALESCE(-SUM(${ledgerEntries.amountNanos}), 0)` })
      .from(ledgerEntries)
      .where(and(eq(ledgerEntries.workspaceId, workspaceId), inArray(ledgerEntries.kind, ["usage", "byok_fee"]), gte(ledgerEntries.createdAt, monthStart))),
  ]);

  const dayIndex = new Map(days.map((day, i) => [day, i]));
  const seriesByModel = new Map<string, number[]>();
  for (const row of byDayModel) {
    const spend = Number(row.spend ?? 0);
    const i = dayIndex.get(row.day);
    if (i === undefined || spend <= 0) continue;
    const values = seriesByModel.get(row.model) ?? days.map(() => 0);
    values[i] = spend;
    seriesByModel.set(row.model, values);
  }
  return {
    days,
    series: [...seriesByModel].map(([name, values]) => ({ name, values })),
    spendNanos: Number(totals[0]?.spend ?? 0),
    requests: Number(totals[0]?.requests ?? 0),
    topKeys: keys.map((k) => ({
      id: k.id,
      name: k.name ?? "Deleted key",
      prefix: k.prefix ?? "",
      requests: Number(k.requests),
      spendNanos: Number(k.spend ?? 0),
    })),
    monthSpendNanos: Number(month[0]?.spend ?? 0),
  };
}
