import type { DailySeries, TopKey } from "@switchyard/dashboards";
import { apiKeys, generations, ledgerEntries } from "@switchyard/db";
import { and, count, desc, eq, gte, inArray, sql, sum } from "drizzle-orm";
import type { Db } from "./client.ts";

const DAY_MS = 24 * 3600 * 1000;

/** "YYYY-MM-DD" (UTC) of a unix-ms column, computed by SQLite. */
const utcDay = sql<string>`strftime('%Y-%m-%d', ${generations.createdAt} / 1000, 'unixepoch')`;

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
  const recent = and(eq(generations.workspaceId, workspaceId), gte(generations.createdAt, since));

  const [byDayModel, totals, keys, month] = await db.batch([
    db
      .select({ day: utcDay, model: generations.model, spend: sum(generations.costNanos) })
      .from(generations)
      .where(recent)
      .groupBy(utcDay, generations.model),
    db.select({ spend: sum(generations.costNanos), requests: count() }).from(generations).where(recent),
    db
      .select({ id: generations.apiKeyId, name: apiKeys.name, prefix: apiKeys.prefix, requests: count(), spend: sum(generations.costNanos) })
      .from(generations)
      .leftJoin(apiKeys, eq(apiKeys.id, generations.apiKeyId))
      .where(recent)
      .groupBy(generations.apiKeyId)
      .orderBy(desc(sum(generations.costNanos)), desc(count()))
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
    requests: totals[0]?.requests ?? 0,
    topKeys: keys.map((k) => ({
      id: k.id,
      name: k.name ?? "Deleted key",
      prefix: k.prefix ?? "",
      requests: k.requests,
      spendNanos: Number(k.spend ?? 0),
    })),
    monthSpendNanos: Number(month[0]?.spend ?? 0),
  };
}
