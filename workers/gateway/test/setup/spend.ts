import { env } from "cloudflare:test";
import type { ReserveRequest } from "../../src/accounts/spend/types.ts";
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
