import { accountBalances, apiKeys, workspaces } from "@switchyard/db";
import { eq } from "drizzle-orm";
import { drizzle } from "drizzle-orm/d1";

/** What a key grants: the workspace it acts in and that workspace's routing rules. */
export interface KeyRecord {
  keyId: string;
  kind: "inference" | "management";
  name: string;
  disabled: boolean;
  expiresAt: number | null;
  limitNanos: number | null;
  limitReset: "none" | "daily" | "weekly" | "monthly";
  workspaceId: string;
  accountId: string;
  zdr: boolean;
  euOnly: boolean;
  providerPreferences: string | null;
}

/** One D1 query: the key joined with its workspace. */
export async function lookupKey(db: D1Database, hash: string): Promise<KeyRecord | null> {
  const rows = await drizzle(db)
    .select({
      keyId: apiKeys.id,
      kind: apiKeys.kind,
      name: apiKeys.name,
      disabled: apiKeys.disabled,
      expiresAt: apiKeys.expiresAt,
      limitNanos: apiKeys.limitNanos,
      limitReset: apiKeys.limitReset,
      workspaceId: workspaces.id,
      accountId: workspaces.accountId,
      zdr: workspaces.zdr,
      euOnly: workspaces.euOnly,
      providerPreferences: workspaces.providerPreferences,
    })
    .from(apiKeys)
    .innerJoin(workspaces, eq(workspaces.id, apiKeys.workspaceId))
    .where(eq(apiKeys.hash, hash))
    .limit(1);
  return rows[0] ?? null;
}

export async function readBalanceNanos(db: D1Database, accountId: string): Promise<number> {
  const rows = await drizzle(db)
    .select({ balance: accountBalances.balanceNanos })
    .from(accountBalances)
    .where(eq(accountBalances.accountId, accountId))
    .limit(1);
  return rows[0]?.balance ?? 0;
}
