import { apiKeys, generations } from "@switchyard/db";
import { and, eq, gte, lt, sql } from "drizzle-orm";
import { drizzle } from "drizzle-orm/d1";

/** One day × model × provider × key of a workspace's successful requests. */
export interface ActivityRow {
  date: string;
  model: string;
  provider: string | null;
  keyId: string | null;
  keyHash: string | null;
  keyName: string | null;
  usage: number;
  byokUsage: number;
  requests: number;
  promptTokens: number;
  completionTokens: number;
}

export interface ActivityQuery {
  workspaceId: string;
  from: number;
  to: number;
  keyHash?: string;
}

/**
 * A workspace's activity from D1: the usage roll-ups (one ledger entry per key, model
 * and minute, with per-provider totals in `detail`), plus, for days before the move to
 * roll-ups, the legacy per-request `generations` rows. Summed per day, model, provider, key.
 */
export async function activityRows(db: D1Database, q: ActivityQuery): Promise<ActivityRow[]> {
  const [rolled, legacy] = await Promise.all([rollupActivity(db, q), legacyActivity(db, q)]);
  const merged = new Map<string, ActivityRow>();
  for (const row of [...rolled, ...legacy]) {
    const key = JSON.stringify([row.date, row.model, row.provider, row.keyId]);
    const known = merged.get(key);
    if (!known) merged.set(key, { ...row });
    else
      for (const f of ["usage", "byokUsage", "requests", "promptTokens", "completionTokens"] as const) known[f] += row[f];
  }
  return [...merged.values()].sort((a, b) => (a.date === b.date ? b.usage - a.usage : a.date < b.date ? 1 : -1));
}

async function rollupActivity(db: D1Database, q: ActivityQuery): Promise<ActivityRow[]> {
  const { results } = await db
    .prepare(
      `SELECT strftime('%Y-%m-%d', l.created_at / 1000, 'unixepoch') AS date, l.model AS model, NULLIF(p.key, '') AS provider,
              l.api_key_id AS keyId, k.hash AS keyHash, k.name AS keyName,
              SUM(p.value ->> 1) AS usage, SUM(p.value ->> 2) AS byokUsage, SUM(p.value ->> 0) AS requests,
              SUM(p.value ->> 3) AS promptTokens, SUM(p.value ->> 4) AS completionTokens
       FROM ledger_entries AS l JOIN json_each(l.detail, '$.providers') AS p LEFT JOIN api_keys AS k ON k.id = l.api_key_id
       WHERE l.workspace_id = ?1 AND l.kind = 'usage' AND l.detail IS NOT NULL AND l.created_at >= ?2 AND l.created_at < ?3
         AND (?4 IS NULL OR k.hash = ?4)
       GROUP BY 1, 2, 3, 4`,
    )
    .bind(q.workspaceId, q.from, q.to, q.keyHash || null)
    .all<ActivityRow>();
  return results;
}

/** Per-request rows D1 still holds from before the move (nothing writes them any more). */
async function legacyActivity(db: D1Database, q: ActivityQuery): Promise<ActivityRow[]> {
  const day = sql<string>`strftime('%Y-%m-%d', ${generations.createdAt} / 1000, 'unixepoch')`;
  return drizzle(db)
    .select({
      date: day,
      model: generations.model,
      provider: generations.provider,
      keyId: generations.apiKeyId,
      keyHash: apiKeys.hash,
      keyName: apiKeys.name,
      usage: sql<number>`SUM(CASE WHEN ${generations.byok} THEN ${generations.byokFeeNanos} ELSE ${generations.costNanos} END)`,
      byokUsage: sql<number>`SUM(CASE WHEN ${generations.byok} THEN ${generations.costNanos} ELSE 0 END)`,
      requests: sql<number>`COUNT(*)`,
      promptTokens: sql<number>`SUM(${generations.promptTokens})`,
      completionTokens: sql<number>`SUM(${generations.completionTokens})`,
    })
    .from(generations)
    .leftJoin(apiKeys, eq(apiKeys.id, generations.apiKeyId))
    .where(
      and(
        eq(generations.workspaceId, q.workspaceId),
        eq(generations.status, "success"),
        gte(generations.createdAt, q.from),
        lt(generations.createdAt, q.to),
        q.keyHash ? eq(apiKeys.hash, q.keyHash) : undefined,
      ),
    )
    .groupBy(day, generations.model, generations.provider, generations.apiKeyId);
}
