import { divideRoundHalfUp } from "./money.ts";

/**
 * BYOK: the customer's own key pays the upstream; switchyard charges 5 % of what
 * the same request would have cost on hosted credits, rounded half-up to the
 * nano-dollar. The first 1,000,000 successful BYOK requests of each UTC calendar
 * month per account are free of the fee.
 */
export const BYOK_FEE_PERCENT = 5n;
export const BYOK_FREE_REQUESTS_PER_MONTH = 1_000_000;

/** 5 % of the hosted cost, half-up to the nano-dollar. */
export function byokFeeNanos(hostedCostNanos: bigint): bigint {
  return divideRoundHalfUp(hostedCostNanos * BYOK_FEE_PERCENT, 100n);
}

/**
 * The fee for one successful BYOK request, given how many successful BYOK requests
 * the account already made this month (not counting this one).
 */
export function byokFeeFor(hostedCostNanos: bigint, requestsThisMonthBefore: number): bigint {
  return requestsThisMonthBefore < BYOK_FREE_REQUESTS_PER_MONTH ? 0n : byokFeeNanos(hostedCostNanos);
}

/** The calendar month (UTC) a request belongs to, "YYYY-MM": the key of the free counter. */
export function utcMonth(at: Date | number): string {
  const d = typeof at === "number" ? new Date(at) : at;
  return `${d.getUTCFullYear()}-${String(d.getUTCMonth() + 1).padStart(2, "0")}`;
}
