import { env, runInDurableObject } from "cloudflare:test";
import type { ReserveRequest, Settlement } from "../../src/accounts/spend/types.ts";
import type { SeededTenant } from "./seed.ts";

/** The tenant's account spend Durable Object. */
export const spendObjectOf = (t: SeededTenant) => env.ACCOUNT_SPEND.get(env.ACCOUNT_SPEND.idFromName(t.accountId));

/** A reserve for the tenant's key with no key limit or workspace budget, unless `fields` says otherwise. */
export const reserveOf = (t: SeededTenant, reservationId: string, amountNanos: number, fields: Partial<ReserveRequest> = {}): ReserveRequest => ({
  accountId: t.accountId,
  reservationId,
  amountNanos,
  keyId: t.keyId,
  keyLimitNanos: null,
  keyLimitReset: "none",
  workspaceId: t.workspaceId,
  workspaceBudgetNanos: null,
  now: Date.now(),
  ...fields,
});

/** Makes the tenant's spend object use this D1 from now on (until it restarts): a D1 that counts, fails or times out. */
export async function useD1(t: SeededTenant, db: D1Database): Promise<void> {
  const stub = spendObjectOf(t) as unknown as DurableObjectStub;
  await runInDurableObject(stub, (instance: unknown) => {
    const object = instance as { env: Record<string, unknown> };
    object.env = { ...object.env, DB: db };
  });
}

/** A successful request of the tenant's key that cost `debit`, settled now. */
export const settlementOf = (t: SeededTenant, id: string, debit: number): Settlement => ({
  reservationId: id,
  accountId: t.accountId,
  keyId: t.keyId,
  usedAt: Date.now(),
  byok: null,
  generation: { id, accountId: t.accountId, workspaceId: t.workspaceId, apiKeyId: t.keyId, model: "mock/echo", status: "success", costNanos: debit, createdAt: Date.now() },
  entries: [
    { accountId: t.accountId, workspaceId: t.workspaceId, apiKeyId: t.keyId, kind: "usage", amountNanos: -debit, idempotencyKey: `usage:${id}`, generationId: id, createdAt: Date.now() },
  ],
});
