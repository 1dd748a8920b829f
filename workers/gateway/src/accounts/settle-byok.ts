import { statement } from "@switchyard/billing/ledger";
import { byokFeeKey, byokSettlement } from "@switchyard/billing/usage";
import type { GenerationOutcome } from "../inference/generation.ts";
import type { AuthContext } from "./auth.ts";

/**
 * A successful BYOK answer: the generation row, the month's BYOK counter and,
 * beyond the free million, the 5 % fee entry with its balance move, in one D1
 * batch. The rules and statements are billing's (@switchyard/billing/usage);
 * the generation insert is the once-only marker they chain on.
 */
export async function settleByokGeneration(
  db: D1Database,
  auth: AuthContext,
  outcome: GenerationOutcome,
  insertGeneration: { toSQL(): { sql: string; params: unknown[] } },
): Promise<void> {
  const settlement = byokSettlement(db, statement(db, insertGeneration), {
    accountId: auth.accountId,
    workspaceId: auth.workspaceId,
    apiKeyId: auth.keyId,
    generationId: outcome.id,
    startedAt: outcome.startedAt,
    hostedCostNanos: outcome.costNanos,
  });
  const recordFee = db
    .prepare("UPDATE generations SET byok_fee_nanos = COALESCE((SELECT -amount_nanos FROM ledger_entries WHERE idempotency_key = ?1), 0) WHERE id = ?2")
    .bind(byokFeeKey(outcome.id), outcome.id);
  await db.batch([...settlement, recordFee]);
}
