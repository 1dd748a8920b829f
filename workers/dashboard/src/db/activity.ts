import type { ActivityFilters, ActivityRow } from "@switchyard/dashboards";
import { apiKeys, generations, ledgerEntries } from "@switchyard/db";
import { type SQL, and, asc, desc, eq, gte, lt, sql } from "drizzle-orm";
import type { GenerationRecord, RecordQuery } from "../../../gateway/src/accounts/spend/request-records.ts";
import type { Env } from "../env.ts";
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
  costNanos: sql<number>`${generations.costNanos} + ${generations.byokFeeNanos}`,
  latencyMs: generations.latencyMs,
  ttftMs: generations.ttftMs,
  status: generations.status,
  errorCode: generations.errorCode,
  streamed: generations.streamed,
  byok: generations.byok,
  finishReason: generations.finishReason,
};

export type ActivityRecord = ActivityRow & { keyId: string; ttftMs: number | null; finishReason: string | null };

/** D1's per-request rows from before the move to the accounts' spend objects (nothing writes them any more). */
function legacyActivity(db: Db, workspaceId: string, f: ActivityFilters, limit: number, before?: string): Promise<ActivityRecord[]> {
  return db
    .select(columns)
    .from(generations)
    .leftJoin(apiKeys, eq(apiKeys.id, generations.apiKeyId))
    .where(conditions(workspaceId, f, parseCursor(before)))
    .orderBy(desc(generations.createdAt), desc(generations.id))
    .limit(limit);
}

/**
 * Newest first, `limit` rows, filtered: the account's per-request records, read from its
 * spend object in the gateway (the ACCOUNT_SPEND binding), then D1's legacy rows.
 */
export async function queryActivity(env: Env, db: Db, ws: { id: string; accountId: string }, f: ActivityFilters, limit: number, before?: string): Promise<ActivityRecord[]> {
  const cursor = parseCursor(before) ?? undefined;
  const [records, legacy, keys] = await Promise.all([
    spendRecordsOf(env, ws.accountId).generations({
      workspaceId: ws.id,
      model: f.model,
      apiKeyId: f.key,
      status: f.status as GenerationRecord["status"] | undefined,
      from: f.from ? Date.parse(`${f.from}T00:00:00Z`) : undefined,
      to: f.to ? Date.parse(`${f.to}T00:00:00Z`) + DAY_MS : undefined,
      before: cursor,
      limit,
    }),
    legacyActivity(db, ws.id, f, limit, before),
    db.select({ id: apiKeys.id, name: apiKeys.name }).from(apiKeys).where(eq(apiKeys.workspaceId, ws.id)),
  ]);
  const names = new Map(keys.map((k) => [k.id, k.name]));
  const fromObject = records.map((g): ActivityRecord => ({
    id: g.id,
    createdAt: g.createdAt,
    model: g.model,
    provider: g.provider,
    keyId: g.apiKeyId,
    keyName: names.get(g.apiKeyId) ?? null,
    promptTokens: g.promptTokens,
    completionTokens: g.completionTokens,
    costNanos: g.costNanos + g.byokFeeNanos,
    latencyMs: g.latencyMs,
    ttftMs: g.ttftMs,
    status: g.status,
    errorCode: g.errorCode,
    streamed: g.streamed,
    byok: g.byok,
    finishReason: g.finishReason,
  }));
  return [...fromObject, ...legacy].sort((a, b) => b.createdAt - a.createdAt || (a.id < b.id ? 1 : -1)).slice(0, limit);
}

/** The account's spend object in the gateway, as far as the dashboard reads it. */
function spendRecordsOf(env: Env, accountId: string): { generations(q: RecordQuery): Promise<GenerationRecord[]> } {
  return env.ACCOUNT_SPEND.get(env.ACCOUNT_SPEND.idFromName(accountId)) as unknown as { generations(q: RecordQuery): Promise<GenerationRecord[]> };
}

/** What the filter menus offer: the models this workspace has used and its keys. */
export async function filterOptions(db: Db, workspaceId: string) {
  const [models, keys] = await db.batch([
    db
      .select({ model: sql<string>`model` })
      .from(
        sql`(SELECT ${generations.model} AS model FROM ${generations} WHERE ${generations.workspaceId} = ${workspaceId}
             UNION SELECT ${ledgerEntries.model} FROM ${ledgerEntries} WHERE ${ledgerEntries.workspaceId} = ${workspaceId} AND ${ledgerEntries.model} IS NOT NULL)`,
      )
      .orderBy(asc(sql`model`)),
    db.select({ id: apiKeys.id, name: apiKeys.name }).from(apiKeys).where(eq(apiKeys.workspaceId, workspaceId)).orderBy(asc(apiKeys.name)),
  ]);
  return { models: models.map((m) => m.model), keys };
}
