import type { PlannedAttempt } from "@switchyard/router";
import type { Env } from "../env.ts";
import { gatewayKeyring, openCredential, workspaceCredentials } from "./credentials.ts";

/** A planned attempt, possibly with the workspace's own provider key. */
export type Attempt = PlannedAttempt & { byok?: { apiKey: string } };

/**
 * The failover order with the workspace's own keys: for an endpoint of a
 * provider the workspace has a key for, first the attempt with that key
 * (`byok`), then the same endpoint on switchyard's hosted key — unless the
 * workspace set "always use my key" for that provider, in which case the
 * hosted attempt is dropped. Without BYOK keys the plan is unchanged.
 */
export async function byokTargets(env: Env, plan: PlannedAttempt[], workspaceId: string): Promise<Attempt[]> {
  const rows = await workspaceCredentials(env.DB, workspaceId);
  if (rows.length === 0) return plan;
  const keyring = await gatewayKeyring(env);
  if (!keyring) return plan.filter((p) => !rows.some((r) => r.provider === p.endpoint.provider && r.alwaysUse));

  const opened = new Map<string, Promise<string | null>>();
  const attempts: Attempt[] = [];
  for (const planned of plan) {
    const row = rows.find((r) => r.provider === planned.endpoint.provider);
    if (row) {
      if (!opened.has(row.provider)) opened.set(row.provider, openCredential(keyring, workspaceId, row));
      const apiKey = await opened.get(row.provider)!;
      if (apiKey) attempts.push({ ...planned, byok: { apiKey } });
      if (row.alwaysUse) continue;
    }
    attempts.push(planned);
  }
  return attempts;
}
