import { BYOK_FREE_REQUESTS_PER_MONTH, byokFeeNanos, toStoredNanos, utcMonth } from "@switchyard/fees";
import { applyEntryToBalance } from "../ledger/entries.ts";

export interface ByokRequest {
  accountId: string;
  workspaceId: string;
  apiKeyId: string;
  generationId: string;
  /** When the request started: picks the UTC month whose free counter it counts in. */
  startedAt: number;
  /** What the request would have cost on hosted credits (catalog price). */
  hostedCostNanos: bigint;
}

export const byokFeeKey = (generationId: string) => `byok_fee:${generationId}`;

/**
 * The batch statements that settle one successful BYOK request: count it in the
 * account's month, and if the account had already made 1,000,000 BYOK requests
 * that month, debit 5 % of the hosted cost (ledger key `byok_fee:<generation id>`).
 *
 * `firstSettlement` comes first and must write a row exactly when this generation
 * is settled for the first time (the gateway's generation insert with ON CONFLICT
 * DO NOTHING): everything after it is chained on `changes()`, so settling the same
 * generation twice, even concurrently, counts and charges once. The counter and
 * the fee are decided inside one D1 batch (a transaction), so two requests racing
 * past the 1,000,000th cannot both be free.
 */
export function byokSettlement(db: D1Database, firstSettlement: D1PreparedStatement, request: ByokRequest): D1PreparedStatement[] {
  const month = utcMonth(request.startedAt);
  const fee = toStoredNanos(byokFeeNanos(request.hostedCostNanos));
  const key = byokFeeKey(request.generationId);
  const countRequest = db
    .prepare(
      `INSERT INTO byok_monthly_usage (account_id, month, requests)
       SELECT ?1, ?2, 1 WHERE changes() > 0
       ON CONFLICT (account_id, month) DO UPDATE SET requests = requests + 1`,
    )
    .bind(request.accountId, month);
  if (fee === 0) return [firstSettlement, countRequest];
  // `requests` now includes this request, so "1,000,000 before it" is requests > 1,000,000.
  const chargeFee = db
    .prepare(
      `INSERT INTO ledger_entries (account_id, workspace_id, api_key_id, kind, amount_nanos, idempotency_key, generation_id, description)
       SELECT account_id, ?3, ?4, 'byok_fee', ?5, ?6, ?7, 'BYOK fee: 5 % of the hosted price'
       FROM byok_monthly_usage
       WHERE account_id = ?1 AND month = ?2 AND requests > ?8 AND changes() > 0
       ON CONFLICT DO NOTHING`,
    )
    .bind(request.accountId, month, request.workspaceId, request.apiKeyId, -fee, key, request.generationId, BYOK_FREE_REQUESTS_PER_MONTH);
  return [firstSettlement, countRequest, chargeFee, applyEntryToBalance(db, key)];
}
