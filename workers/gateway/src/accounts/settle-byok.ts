import { byokFeeKey, byokSettlement } from "@switchyard/billing/usage";
import type { Settlement } from "./spend/types.ts";

/**
 * The statements that settle a successful BYOK answer, after its generation
 * insert (`firstSettlement`, the once-only marker they chain on): the month's
 * BYOK counter and, beyond the free million, the 5 % fee entry with its balance
 * move, then the fee copied onto the generation row. The rules and statements
 * are billing's (@switchyard/billing/usage); AccountSpend runs them in its write batch.
 */
export function byokStatements(db: D1Database, firstSettlement: D1PreparedStatement, s: Settlement & { byok: NonNullable<Settlement["byok"]> }): D1PreparedStatement[] {
  const generationId = s.generation.id;
  const settlement = byokSettlement(db, firstSettlement, {
    accountId: s.accountId,
    workspaceId: s.generation.workspaceId,
    apiKeyId: s.keyId,
    generationId,
    startedAt: s.byok.startedAt,
    hostedCostNanos: BigInt(s.byok.hostedCostNanos),
  });
  const recordFee = db
    .prepare("UPDATE generations SET byok_fee_nanos = COALESCE((SELECT -amount_nanos FROM ledger_entries WHERE idempotency_key = ?1), 0) WHERE id = ?2")
    .bind(byokFeeKey(generationId), generationId);
  return [...settlement, recordFee];
}

/** Reads back the fee entry of a BYOK settlement (if any), to move the in-memory balance by it. */
export function byokFeeEntry(db: D1Database, generationId: string): D1PreparedStatement {
  return db.prepare("SELECT * FROM ledger_entries WHERE idempotency_key = ?").bind(byokFeeKey(generationId));
}
