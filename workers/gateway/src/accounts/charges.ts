import type { GenerationOutcome } from "../inference/generation.ts";
import type { AuthContext } from "./auth.ts";

/** One debit a finished generation makes to the account's credits. */
export interface Charge {
  kind: "usage" | "byok_fee";
  /** Positive: what the account pays. */
  amountNanos: bigint;
  /** Unique per business event: a retried settlement writes nothing twice. */
  idempotencyKey: string;
  description?: string;
}

/**
 * What a finished generation charges: its usage at the catalog price, and
 * nothing at all unless it succeeded. The seam for BYOK: a BYOK generation's
 * fee is one more charge here (`byok_fee:<generation id>`).
 */
export function chargesFor(outcome: GenerationOutcome, _auth: AuthContext): Charge[] {
  if (outcome.status !== "success" || outcome.costNanos === 0n) return [];
  return [{ kind: "usage", amountNanos: outcome.costNanos, idempotencyKey: `usage:${outcome.id}` }];
}
