/**
 * Hosted usage cost at the provider's catalog price, 0 % markup. Prices are
 * integer nano-dollars per unit, so the cost is an exact integer: no rounding.
 */
export interface UnitPrices {
  prompt: number;
  completion: number;
  request?: number;
  image?: number;
}

export interface BillableUsage {
  promptTokens: number;
  completionTokens: number;
  images?: number;
}

export function usageCostNanos(prices: UnitPrices, usage: BillableUsage): bigint {
  return (
    BigInt(usage.promptTokens) * BigInt(prices.prompt) +
    BigInt(usage.completionTokens) * BigInt(prices.completion) +
    BigInt(prices.request ?? 0) +
    BigInt(usage.images ?? 0) * BigInt(prices.image ?? 0)
  );
}
