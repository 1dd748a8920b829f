import { BYOK_FEE_PERCENT } from "@switchyard/fees";
import type { Env } from "../env.ts";
import type { GenerationOutcome } from "../inference/generation.ts";
import { now } from "../lib/clock.ts";
import type { AuthContext } from "./auth.ts";
import { chargesFor, withinReservation } from "./charges.ts";
import { answerEnded, settleSpend } from "./spend/client.ts";
import type { Settlement } from "./spend/types.ts";

/**
 * Records a finished generation (its stats, never its text) and what it charges in
 * the account's spend object, which releases the request's reservation in the same
 * step (D1 gets the charge later, in the object's per-minute roll-up). Failed requests
 * are recorded and never charged; a left stream pays for what was generated; a BYOK
 * answer is charged the BYOK fee (past the monthly free million) instead of usage.
 * Retrying is safe: the generation id is the record's key in the object, and the BYOK
 * counter moves in the same transaction as the record.
 */
export async function settleGeneration(env: Env, auth: AuthContext, outcome: GenerationOutcome, at = now()): Promise<void> {
  // Called as the answer is handed over: the round trip waits for the next turn, so the
  // response (or a stream's last bytes) goes out first and is not held behind it.
  const settlement = settlementFor(auth, outcome, at);
  answerEnded(settlement); // its hold is its cost for a reserve sent before that turn (a client's next request)
  await new Promise((ok) => setTimeout(ok, 0));
  await settleSpend(env, settlement);
}

export function settlementFor(auth: AuthContext, outcome: GenerationOutcome, at: number): Settlement {
  const charges = chargesFor(outcome, auth);
  const usage = charges.find((c) => c.kind === "usage")?.amountNanos ?? 0n;
  const elapsed = outcome.endedAt - outcome.startedAt;
  return {
    reservationId: outcome.id,
    accountId: auth.accountId,
    keyId: auth.keyId,
    usedAt: at,
    byok: byokCharge(outcome),
    generation: {
      id: outcome.id,
      accountId: auth.accountId,
      workspaceId: auth.workspaceId,
      apiKeyId: auth.keyId,
      model: outcome.model.id,
      provider: outcome.provider?.slug ?? null,
      upstreamModel: outcome.endpoint?.upstreamModel ?? null,
      status: outcome.status,
      errorCode: outcome.errorCode ?? null,
      promptTokens: outcome.usage?.promptTokens ?? 0,
      completionTokens: outcome.usage?.completionTokens ?? 0,
      costNanos: Number(usage),
      byok: outcome.byok,
      streamed: outcome.streamed,
      finishReason: outcome.finishReason,
      latencyMs: elapsed,
      ttftMs: outcome.firstTokenAt ? outcome.firstTokenAt - outcome.startedAt : null,
      attempts: JSON.stringify(outcome.attempts),
      endUser: outcome.endUser ?? null,
      redactions: outcome.redactions ?? 0,
      cacheHit: outcome.cacheHit ?? false,
      createdAt: at - elapsed, // when the request started, on the accounts clock
    },
    entries: charges.map((c) => ({
      accountId: auth.accountId,
      workspaceId: auth.workspaceId,
      apiKeyId: auth.keyId,
      kind: c.kind,
      amountNanos: -Number(c.amountNanos),
      idempotencyKey: c.idempotencyKey,
      generationId: outcome.id,
      description: c.description ?? null,
      createdAt: at,
    })),
  };
}

/**
 * What a BYOK request is charged on: its hosted-equivalent cost, under the money
 * invariant of charges.ts. A left stream counts with what was generated (the provider
 * billed the workspace's own key for it); an upstream failure, or a request nothing
 * reached, counts nothing. The fee is 5 % of this cost, so capping the cost at 20 ×
 * the reservation (a BYOK attempt reserves its fee's bound) keeps the fee within it.
 */
export function byokCharge(outcome: GenerationOutcome): Settlement["byok"] {
  if (!outcome.byok || outcome.status === "error" || outcome.costNanos <= 0n) return null;
  const hosted = withinReservation(outcome.costNanos, outcome.reservedNanos * BYOK_FEE_DIVISOR);
  return { startedAt: outcome.startedAt, hostedCostNanos: Number(hosted) };
}

/** The BYOK fee is BYOK_FEE_PERCENT (5 %) of the hosted-equivalent cost: a cost of reservation × 20 pays a fee of exactly the reservation. */
const BYOK_FEE_DIVISOR = 100n / BYOK_FEE_PERCENT;
