import { apiKeys, workspaces } from "@switchyard/db";
import { eq } from "drizzle-orm";
import { drizzle } from "drizzle-orm/d1";
import type { LimitReset } from "./windows.ts";

export type KeyKind = "inference" | "management";

/** What a key grants: the workspace it acts in and that workspace's routing rules. */
export interface KeyRecord {
  keyId: string;
  kind: KeyKind;
  name: string;
  /** The key's first characters, safe to show (e.g. "sk-sy-v1-3fa"). */
  prefix: string;
  disabled: boolean;
  expiresAt: number | null;
  limitNanos: number | null;
  limitReset: LimitReset;
  workspaceId: string;
  accountId: string;
  monthlyBudgetNanos: number | null;
  zdr: boolean;
  euOnly: boolean;
  providerPreferences: string | null;
  /** Rate limits of the key and of its workspace (null: none). */
  keyRpmLimit: number | null;
  keyTpmLimit: number | null;
  keyMaxParallelRequests: number | null;
  workspaceRpmLimit: number | null;
  workspaceTpmLimit: number | null;
  workspaceMaxParallelRequests: number | null;
  /** The workspace's response cache setting. */
  responseCache: boolean;
  responseCacheTtlSeconds: number | null;
  /** JSON guardrails of the workspace (null: none). */
  guardrails: string | null;
  /** Spend limit per end user per UTC month (null: none). */
  userMonthlyLimitNanos: number | null;
  /** The workspace or its account was deleted: the key no longer works. */
  deleted: boolean;
}

/** One D1 query: the key joined with its workspace. */
export async function lookupKey(db: D1Database, hash: string): Promise<KeyRecord | null> {
  const rows = await drizzle(db)
    .select({
      keyId: apiKeys.id,
      kind: apiKeys.kind,
      name: apiKeys.name,
      prefix: apiKeys.prefix,
      disabled: apiKeys.disabled,
      expiresAt: apiKeys.expiresAt,
      limitNanos: apiKeys.limitNanos,
      limitReset: apiKeys.limitReset,
      workspaceId: workspaces.id,
      accountId: workspaces.accountId,
      monthlyBudgetNanos: workspaces.monthlyBudgetNanos,
      zdr: workspaces.zdr,
      euOnly: workspaces.euOnly,
      providerPreferences: workspaces.providerPreferences,
      keyRpmLimit: apiKeys.rpmLimit,
      keyTpmLimit: apiKeys.tpmLimit,
      keyMaxParallelRequests: apiKeys.maxParallelRequests,
      workspaceRpmLimit: workspaces.rpmLimit,
      workspaceTpmLimit: workspaces.tpmLimit,
      workspaceMaxParallelRequests: workspaces.maxParallelRequests,
      responseCache: workspaces.responseCache,
      responseCacheTtlSeconds: workspaces.responseCacheTtlSeconds,
      guardrails: workspaces.guardrails,
      userMonthlyLimitNanos: workspaces.userMonthlyLimitNanos,
      workspaceDeletedAt: workspaces.deletedAt,
    })
    .from(apiKeys)
    .innerJoin(workspaces, eq(workspaces.id, apiKeys.workspaceId))
    .where(eq(apiKeys.hash, hash))
    .limit(1);
  const row = rows[0];
  if (!row) return null;
  const { workspaceDeletedAt, ...key } = row;
  return { ...key, deleted: workspaceDeletedAt !== null };
}
