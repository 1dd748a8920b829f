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
 * hosted attempt is dropped. Those endpoints move to the front of their
 * model's endpoints (the workspace's key is why it has one; OpenRouter does
 * the same), in the planner's order otherwise. Without BYOK keys the plan is unchanged.
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
  return keyedFirst(attempts, (a) => rows.some((r) => r.provider === a.endpoint.provider));
}

/** Within each model's run of attempts, those `keyed` first; the order is otherwise kept. */
function keyedFirst(attempts: Attempt[], keyed: (a: Attempt) => boolean): Attempt[] {
  const out: Attempt[] = [];
  for (let start = 0; start < attempts.length; ) {
    let end = start;
    while (end < attempts.length && attempts[end]!.model.id === attempts[start]!.model.id) end++;
    const run = attempts.slice(start, end);
    out.push(...run.filter(keyed), ...run.filter((a) => !keyed(a)));
    start = end;
  }
  return out;
}
