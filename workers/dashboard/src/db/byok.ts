import type { SealedProviderKey } from "@switchyard/byok";
import { byokKeys } from "@switchyard/db";
import { and, asc, eq } from "drizzle-orm";
import { randomId } from "../lib/encoding.ts";
import type { Db } from "./client.ts";

/** Never selects the ciphertext: the page needs only the last four characters. */
export function listByokKeys(db: Db, workspaceId: string) {
  return db
    .select({ id: byokKeys.id, provider: byokKeys.provider, last4: byokKeys.last4, alwaysUse: byokKeys.alwaysUse, createdAt: byokKeys.createdAt })
    .from(byokKeys)
    .where(eq(byokKeys.workspaceId, workspaceId))
    .orderBy(asc(byokKeys.provider));
}

/** One key per provider and workspace: a new one replaces the old. */
export async function saveByokKey(db: Db, workspaceId: string, provider: string, sealed: SealedProviderKey, alwaysUse: boolean): Promise<void> {
  const values = { ...sealed, alwaysUse };
  await db
    .insert(byokKeys)
    .values({ id: randomId("byok_"), workspaceId, provider, ...values })
    .onConflictDoUpdate({ target: [byokKeys.workspaceId, byokKeys.provider], set: values });
}

const inWorkspace = (workspaceId: string, id: string) => and(eq(byokKeys.id, id), eq(byokKeys.workspaceId, workspaceId));

export async function setByokAlwaysUse(db: Db, workspaceId: string, id: string, alwaysUse: boolean): Promise<boolean> {
  return (await db.update(byokKeys).set({ alwaysUse }).where(inWorkspace(workspaceId, id)).returning({ id: byokKeys.id })).length > 0;
}

export async function deleteByokKey(db: Db, workspaceId: string, id: string): Promise<boolean> {
  return (await db.delete(byokKeys).where(inWorkspace(workspaceId, id)).returning({ id: byokKeys.id })).length > 0;
}
