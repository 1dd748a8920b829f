import { GatewayError } from "@switchyard/schemas";
import type { Env } from "../../env.ts";
import { now } from "../../lib/clock.ts";
import { Coalescer } from "../../lib/coalesce.ts";
import type { AuthContext } from "../auth.ts";
import type { ReserveRequest, ReserveResult, Settlement } from "./types.ts";

/**
 * This isolate's round trips to each account's spend object, one at a time: reserves
 * (and settlements) made meanwhile go together in the next one. A reserve whose wait
 * runs out is answered 503; if its batch was already on its way, its hold lapses after
 * RESERVATION_TTL_MS.
 */
const reserves = new Coalescer<ReserveRequest, ReserveResult>(64, 20_000);
const settlements = new Coalescer<Settlement, null>(200, 20_000);

/** The account's spend Durable Object: one per account, wherever its requests come from. */
export function spendFor(env: Env, accountId: string) {
  let id = objectIds.get(accountId);
  if (!id) {
    if (objectIds.size >= 10_000) objectIds.clear();
    id = env.ACCOUNT_SPEND.idFromName(accountId);
    objectIds.set(accountId, id);
  }
  return env.ACCOUNT_SPEND.get(id);
}

/** idFromName hashes the name every call: ids are kept per isolate (a stub may not be, it belongs to its request). */
const objectIds = new Map<string, DurableObjectId>();

/**
 * Holds the most this request can cost against the account's credits, the key's
 * limit and the workspace's budget, or throws 402/403. One Durable Object round
 * trip, no D1 round trip in the common case.
 */
export async function reserveSpend(env: Env, auth: AuthContext, reservationId: string, amountNanos: bigint, at = now()): Promise<void> {
  const request: ReserveRequest = {
    accountId: auth.accountId,
    reservationId,
    amountNanos: toSafeNumber(amountNanos),
    keyId: auth.keyId,
    keyLimitNanos: auth.limitNanos,
    keyLimitReset: auth.limitReset,
    workspaceId: auth.workspaceId,
    workspaceBudgetNanos: auth.monthlyBudgetNanos,
    now: at,
  };
  let result: ReserveResult;
  try {
    // (cast: the RPC stub's mapped type loses the union's refusal branch)
    result = await reserves.run(auth.accountId, request, async (batch) => (await spendFor(env, auth.accountId).reserveMany(batch)) as ReserveResult[]);
  } catch (error) {
    // Without a reserve nothing goes upstream: a retryable 503, never a 500 and never unguarded spend.
    console.error("spend reserve failed", error instanceof Error ? error.message : "");
    throw new GatewayError(503, "Could not check this account's credits just now; retry shortly.");
  }
  if (!result.ok) throw new GatewayError(result.status, result.message, result.metadata);
}

const SETTLE_ATTEMPTS = 3;

/**
 * Hands a finished request to the spend object; resolves once the object has
 * written it to D1 (or kept it in its own storage for a retry). Retried on a
 * failed round trip: settling is idempotent.
 */
export async function settleSpend(env: Env, settlement: Settlement): Promise<void> {
  for (let attempt = 1; ; attempt++) {
    try {
      await settlements.run(settlement.accountId, settlement, async (batch) => {
        await spendFor(env, settlement.accountId).settleMany(batch);
        return batch.map(() => null);
      });
      return;
    } catch (error) {
      if (attempt === SETTLE_ATTEMPTS) {
        console.error("settlement not delivered", settlement.reservationId, error instanceof Error ? error.message : "");
        throw error;
      }
      await new Promise((ok) => setTimeout(ok, 100 * attempt));
    }
  }
}

function toSafeNumber(nanos: bigint): number {
  // 2^53 nano-dollars is $9M: no single request's bound comes near; refuse rather than round.
  if (nanos > BigInt(Number.MAX_SAFE_INTEGER)) throw new GatewayError(402, "This request could cost more than any account can hold; lower max_tokens.");
  return Number(nanos);
}
