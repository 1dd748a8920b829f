import { GatewayError } from "@switchyard/schemas";
import type { Env } from "../../env.ts";
import { now } from "../../lib/clock.ts";
import type { AuthContext } from "../auth.ts";
import type { ReserveResult, Settlement } from "./types.ts";

/** The account's spend Durable Object: one per account, wherever its requests come from. */
export function spendFor(env: Env, accountId: string) {
  return env.ACCOUNT_SPEND.get(env.ACCOUNT_SPEND.idFromName(accountId));
}

/**
 * Holds the most this request can cost against the account's credits, the key's
 * limit and the workspace's budget, or throws 402/403. One Durable Object round
 * trip, no D1 round trip in the common case.
 */
export async function reserveSpend(env: Env, auth: AuthContext, reservationId: string, amountNanos: bigint, at = now()): Promise<void> {
  // (cast: the RPC stub's mapped type loses the union's refusal branch)
  const result = (await spendFor(env, auth.accountId).reserve({
    accountId: auth.accountId,
    reservationId,
    amountNanos: toSafeNumber(amountNanos),
    keyId: auth.keyId,
    keyLimitNanos: auth.limitNanos,
    keyLimitReset: auth.limitReset,
    workspaceId: auth.workspaceId,
    workspaceBudgetNanos: auth.monthlyBudgetNanos,
    now: at,
  })) as ReserveResult;
  if (!result.ok) throw new GatewayError(result.status, result.message, result.metadata);
}

export async function releaseSpend(env: Env, auth: AuthContext, reservationId: string): Promise<void> {
  await spendFor(env, auth.accountId).release(reservationId);
}

export async function settleSpend(env: Env, settlement: Settlement): Promise<void> {
  await spendFor(env, settlement.accountId).settle(settlement);
}

function toSafeNumber(nanos: bigint): number {
  // 2^53 nano-dollars is $9M: no single request's bound comes near; refuse rather than round.
  if (nanos > BigInt(Number.MAX_SAFE_INTEGER)) throw new GatewayError(402, "This request could cost more than any account can hold; lower max_tokens.");
  return Number(nanos);
}
