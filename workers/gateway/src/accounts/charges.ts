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
 * What a finished generation charges up front: its usage at the catalog price,
 * and nothing at all unless it succeeded. A BYOK answer charges no usage; its fee
 * (`byok_fee:<generation id>`) depends on the account's monthly counter, so it is
 * decided inside the settlement's D1 batch (Settlement.byok, settle-byok.ts).
 */
export function chargesFor(outcome: GenerationOutcome, _auth: AuthContext): Charge[] {
  if (outcome.status !== "success" || outcome.byok || outcome.costNanos === 0n) return [];
  return [{ kind: "usage", amountNanos: outcome.costNanos, idempotencyKey: `usage:${outcome.id}` }];
}
