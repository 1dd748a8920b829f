import { rotateProviderKey } from "@switchyard/byok";
import { byokKeys } from "@switchyard/db";
import { and, eq, gt, inArray, lt, sql } from "drizzle-orm";
import { drizzle } from "drizzle-orm/d1";
import type { Env } from "../env.ts";
import { gatewayKeyring } from "./credentials.ts";

/** Rows re-sealed per run: one D1 batch of updates, well inside a cron invocation's limits. */
export const RESEAL_BATCH = 200;

export interface ResealReport {
  resealed: number;
  /** Rows under a configured older key that would not open (corrupt, or copied from elsewhere): left as they are. */
  failed: number;
  /** Rows still sealed under an older master key after this run. */
  remaining: number;
}

/**
 * Moves stored BYOK keys onto the newest master key, a batch per run (the cron
 * trigger). Rotating a master key: add BYOK_MASTER_KEY_V(n+1) to the gateway and
 * the dashboard; new keys are sealed under it at once, and these runs re-seal the
 * old rows; once a run reports `remaining: 0`, the old secret can be deleted.
 *
 * A row re-saved from the dashboard meanwhile is left as it now is: the update
 * only matches the ciphertext it read. Nothing secret is logged, only counts.
 */
export async function resealProviderKeys(env: Env, limit = RESEAL_BATCH): Promise<ResealReport> {
  const keyring = await gatewayKeyring(env);
  if (!keyring) return { resealed: 0, failed: 0, remaining: 0 };
  const db = drizzle(env.DB);
  const older = lt(byokKeys.keyVersion, keyring.currentVersion);
  // Only versions this gateway can open: a row under a retired key is reported in `remaining`, never retried here.
  const openable = inArray(byokKeys.keyVersion, [...keyring.keys.keys()]);

  let failed = 0;
  let after = "";
  const updates = [];
  // By id from a cursor, so rows that will not open cannot hold back the ones after them.
  while (updates.length < limit) {
    const rows = await db
      .select()
      .from(byokKeys)
      .where(and(older, openable, gt(byokKeys.id, after)))
      .orderBy(byokKeys.id)
      .limit(limit - updates.length);
    if (rows.length === 0) break;
    after = rows.at(-1)!.id;
    for (const row of rows) {
      let resealed;
      try {
        resealed = await rotateProviderKey(keyring, { workspaceId: row.workspaceId, provider: row.provider }, row);
      } catch {
        failed++;
        continue;
      }
      if (!resealed) continue;
      updates.push(
        db
          .update(byokKeys)
          .set({ ciphertext: resealed.ciphertext, iv: resealed.iv, keyVersion: resealed.keyVersion })
          .where(and(eq(byokKeys.id, row.id), eq(byokKeys.ciphertext, row.ciphertext))),
      );
    }
  }
  const results = updates.length ? await db.batch(updates as [(typeof updates)[number], ...typeof updates]) : [];
  const resealed = results.reduce((n, r) => n + r.meta.changes, 0);
  const [count] = await db.select({ n: sql<number>`COUNT(*)` }).from(byokKeys).where(older);
  const report = { resealed, failed, remaining: count?.n ?? 0 };
  if (resealed + failed > 0) console.log("BYOK keys re-sealed under master key version", keyring.currentVersion, report);
  return report;
}
