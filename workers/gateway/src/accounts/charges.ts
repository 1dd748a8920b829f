import type { GenerationOutcome } from "../inference/generation.ts";
import type { AuthContext } from "./auth.ts";

/** One debit a finished generation makes to the account's credits. */
export interface Charge {
  kind: "usage";
  /** Positive: what the account pays. */
  amountNanos: bigint;
  /** Unique per business event: a retried settlement writes nothing twice. */
  idempotencyKey: string;
  description?: string;
}

/**
 * THE MONEY INVARIANT, enforced here, where every usage charge is computed:
 * - a request's charge never exceeds its reservation (the cost bound the spend
 *   object held before the upstream call), whatever usage the upstream reports, so
 *   what the reserve guarantees (credits, key limit and budget passed by at most the
 *   documented lease bound: README, "Accounts, keys and spend") holds for the charge too;
 * - a client that left (`cancelled`) pays for what was generated up to then: the
 *   outcome's cost is that part's (generated-usage.ts), 0 when nothing reached it;
 * - an upstream failure (`error`: errors, cuts, stalls, failed attempts) pays nothing.
 */
export function chargedNanos(outcome: Pick<GenerationOutcome, "status" | "costNanos" | "reservedNanos">): bigint {
  if (outcome.status === "error") return 0n;
  return withinReservation(outcome.costNanos, outcome.reservedNanos);
}

/** A cost as charged: never below 0, never above the reservation. */
export function withinReservation(costNanos: bigint, reservedNanos: bigint): bigint {
  if (costNanos <= 0n) return 0n;
  return costNanos < reservedNanos ? costNanos : reservedNanos;
}

/**
 * What a finished generation charges up front: its usage at the catalog price,
 * within the invariant above. A BYOK answer charges no usage; its fee
 * (`byok_fee:<generation id>`) depends on the account's monthly counter, so it is
 * decided inside the settlement's D1 batch (Settlement.byok, settle-byok.ts).
 */
export function chargesFor(outcome: GenerationOutcome, _auth: AuthContext): Charge[] {
  const amountNanos = outcome.byok ? 0n : chargedNanos(outcome);
  if (amountNanos === 0n) return [];
  return [{ kind: "usage", amountNanos, idempotencyKey: `usage:${outcome.id}` }];
}
