import type { ActivityFilters, ActivityRow } from "@switchyard/dashboards";
import { apiKeys, generations } from "@switchyard/db";
import { type SQL, and, asc, desc, eq, gte, lt, sql } from "drizzle-orm";
import type { Db } from "./client.ts";

const DAY_MS = 24 * 3600 * 1000;
const DATE = /^\d{4}-\d{2}-\d{2}$/;
const STATUSES = new Set(["success", "error", "cancelled"]);

/** Reads the filter fields from a query string, dropping anything malformed. */
export function parseFilters(query: Record<string, string | undefined>): ActivityFilters {
  const f: ActivityFilters = {};
  if (query.model) f.model = query.model.slice(0, 200);
  if (query.key) f.key = query.key.slice(0, 100);
  if (query.status && STATUSES.has(query.status)) f.status = query.status;
  if (query.from && DATE.test(query.from)) f.from = query.from;
  if (query.to && DATE.test(query.to)) f.to = query.to;
  return f;
}

export const filtersToQuery = (f: ActivityFilters) =>
  new URLSearchParams(Object.entries(f).filter(([, v]) => v) as Array<[string, string]>).toString();

/** Older-page cursor: "<created_at>_<id>" of the last row shown. */
export function parseCursor(before: string | undefined): { at: number; id: string } | null {
  const match = before ? /^(\d{1,15})_([\w-]{1,80})$/.exec(before) : null;
  return match ? { at: Number(match[1]), id: match[2]! } : null;
}

function conditions(workspaceId: string, f: ActivityFilters, cursor: { at: number; id: string } | null): SQL | undefined {
  const where: Array<SQL | undefined> = [eq(generations.workspaceId, workspaceId)];
  if (f.model) where.push(eq(generations.model, f.model));
  if (f.key) where.push(eq(generations.apiKeyId, f.key));
  if (f.status) where.push(eq(generations.status, f.status as ActivityRow["status"]));
  if (f.from) where.push(gte(generations.createdAt, Date.parse(`${f.from}T00:00:00Z`)));
  if (f.to) where.push(lt(generations.createdAt, Date.parse(`${f.to}T00:00:00Z`) + DAY_MS));
  if (cursor) where.push(sql`(${generations.createdAt}, ${generations.id}) < (${cursor.at}, ${cursor.id})`);
  return and(...where);
}

const columns = {
  id: generations.id,
  createdAt: generations.createdAt,
  model: generations.model,
  provider: generations.provider,
  keyId: generations.apiKeyId,
  keyName: apiKeys.name,
  promptTokens: generations.promptTokens,
  completionTokens: generations.completionTokens,
  costNanos: generations.costNanos,
  latencyMs: generations.latencyMs,
  ttftMs: generations.ttftMs,
  status: generations.status,
  errorCode: generations.errorCode,
  streamed: generations.streamed,
  byok: generations.byok,
  finishReason: generations.finishReason,
};

export type ActivityRecord = ActivityRow & { keyId: string; ttftMs: number | null; finishReason: string | null };

/** Newest first, `limit` rows, filtered; uses the (workspace_id, created_at) index. */
export function queryActivity(db: Db, workspaceId: string, f: ActivityFilters, limit: number, before?: string): Promise<ActivityRecord[]> {
  return db
    .select(columns)
    .from(generations)
    .leftJoin(apiKeys, eq(apiKeys.id, generations.apiKeyId))
    .where(conditions(workspaceId, f, parseCursor(before)))
    .orderBy(desc(generations.createdAt), desc(generations.id))
    .limit(limit);
}

/** What the filter menus offer: the models this workspace has used and its keys. */
export async function filterOptions(db: Db, workspaceId: string) {
  const [models, keys] = await db.batch([
    db.selectDistinct({ model: generations.model }).from(generations).where(eq(generations.workspaceId, workspaceId)).orderBy(asc(generations.model)),
    db.select({ id: apiKeys.id, name: apiKeys.name }).from(apiKeys).where(eq(apiKeys.workspaceId, workspaceId)).orderBy(asc(apiKeys.name)),
  ]);
  return { models: models.map((m) => m.model), keys };
}
