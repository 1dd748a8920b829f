import type { generations, ledgerEntries } from "@switchyard/db";
import type { LimitReset } from "../windows.ts";

/** Worker → AccountSpend: hold `amountNanos` for one request before calling the upstream. */
export interface ReserveRequest {
  accountId: string;
  /** The generation id: one reservation per request. */
  reservationId: string;
  amountNanos: number;
  keyId: string;
  keyLimitNanos: number | null;
  keyLimitReset: LimitReset;
  workspaceId: string;
  workspaceBudgetNanos: number | null;
  /** The caller's clock (unix ms): windows and cache ages are computed from it. */
  now: number;
  /** Which lease could cover it (account, key and their limits): see lease-book.ts. */
  scope?: string;
}

/** Worker → AccountSpend: a lease wanted for a scope, sized from a request of that scope in the same call. */
export interface LeaseAsk {
  id: string;
  scope: string;
  amountNanos: number;
}

export type ReserveResult =
  | { ok: true; /** The request is covered by this lease, granted in the same call. */ leaseId?: string }
  | { ok: false; status: 402 | 403; message: string; metadata: Record<string, unknown> };

export type LedgerRow = typeof ledgerEntries.$inferInsert;
export type GenerationRow = typeof generations.$inferInsert;

/**
 * One finished request, as the worker hands it to AccountSpend: its generation
 * record and its charges (debits are negative). The object stores them as one
 * record in its SQLite (request-records.ts), releases the request's reservation
 * in the same step, and rolls records up into D1 (rollup-sql.ts).
 */
export interface Settlement {
  reservationId: string;
  accountId: string;
  generation: GenerationRow;
  entries: LedgerRow[];
  /**
   * A successful BYOK request: counted in the account's month, and charged the
   * BYOK fee past the free million. Decided by the object as it records the request
   * (it depends on the month's counter), by billing's rules (settle-byok.ts).
   */
  byok: { startedAt: number; hostedCostNanos: number } | null;
  keyId: string;
  usedAt: number;
}

/** What a settlement debits (its entries are negative), never below zero. */
export function settledCostNanos(settlement: Settlement): number {
  return Math.max(0, -settlement.entries.reduce((sum, e) => sum + e.amountNanos, 0));
}
