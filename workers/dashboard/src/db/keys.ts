import type { KeyKind, KeyRow, LimitReset } from "@switchyard/dashboards";
import { apiKeys, generations } from "@switchyard/db";
import { storedKeyLimitNanos } from "@switchyard/keys";
import { and, desc, eq, gte, max, sum } from "drizzle-orm";
import { randomId } from "../lib/encoding.ts";
import type { Db } from "./client.ts";

const THIRTY_DAYS_MS = 30 * 24 * 3600 * 1000;

/** The workspace's keys with their spend over 30 days and when each was last used. */
export async function listKeys(db: Db, workspaceId: string, now = Date.now()): Promise<KeyRow[]> {
  const [keys, usage] = await db.batch([
    db.select().from(apiKeys).where(eq(apiKeys.workspaceId, workspaceId)).orderBy(desc(apiKeys.createdAt)),
    db
      .select({ keyId: generations.apiKeyId, spend: sum(generations.costNanos), lastAt: max(generations.createdAt) })
      .from(generations)
      .where(and(eq(generations.workspaceId, workspaceId), gte(generations.createdAt, now - THIRTY_DAYS_MS)))
      .groupBy(generations.apiKeyId),
  ]);
  const byKey = new Map(usage.map((u) => [u.keyId, u]));
  return keys.map((k) => {
    const u = byKey.get(k.id);
    // last_used_at is the gateway's record; until it writes one, the newest generation tells.
    const lastUsedAt = Math.max(k.lastUsedAt ?? 0, u?.lastAt ?? 0) || null;
    return {
      id: k.id,
      name: k.name,
      kind: k.kind,
      prefix: k.prefix,
      limitNanos: shownLimit(k.limitNanos),
      limitReset: k.limitReset,
      disabled: k.disabled,
      lastUsedAt,
      createdAt: k.createdAt,
      spend30dNanos: Number(u?.spend ?? 0),
    };
  });
}

/** A stored limit as an integer the page can format, whatever the row holds (an older limit past today's bound too). */
function shownLimit(stored: number | null): number | null {
  const nanos = storedKeyLimitNanos(stored);
  return nanos === null ? null : Number(nanos);
}

export interface KeyFields {
  name: string;
  limitNanos: number | null;
  limitReset: LimitReset;
}

export async function insertKey(db: Db, workspaceId: string, kind: KeyKind, hash: string, prefix: string, fields: KeyFields): Promise<string> {
  const id = randomId("key_");
  await db.insert(apiKeys).values({ id, hash, prefix, workspaceId, kind, ...fields });
  return id;
}

/** Every change is scoped by workspace too: an id from another workspace changes nothing. */
const inWorkspace = (workspaceId: string, keyId: string) => and(eq(apiKeys.id, keyId), eq(apiKeys.workspaceId, workspaceId));

export async function updateKey(db: Db, workspaceId: string, keyId: string, fields: KeyFields): Promise<boolean> {
  const rows = await db.update(apiKeys).set({ ...fields, updatedAt: Date.now() }).where(inWorkspace(workspaceId, keyId)).returning({ id: apiKeys.id });
  return rows.length > 0;
}

export async function setKeyDisabled(db: Db, workspaceId: string, keyId: string, disabled: boolean): Promise<boolean> {
  const rows = await db.update(apiKeys).set({ disabled, updatedAt: Date.now() }).where(inWorkspace(workspaceId, keyId)).returning({ id: apiKeys.id });
  return rows.length > 0;
}

/** Generations keep the deleted key's id; the activity page shows them as "deleted key". */
export async function deleteKey(db: Db, workspaceId: string, keyId: string): Promise<boolean> {
  const rows = await db.delete(apiKeys).where(inWorkspace(workspaceId, keyId)).returning({ id: apiKeys.id });
  return rows.length > 0;
}
