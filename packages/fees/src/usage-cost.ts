/**
 * Hosted usage cost at the provider's catalog price, 0 % markup. Prices are
 * integer nano-dollars per unit, so the cost is an exact integer: no rounding.
 */
export interface UnitPrices {
  prompt: number;
  completion: number;
  /** Per prompt token served from the provider's prompt cache; absent: the prompt price. */
  cacheRead?: number;
  /** Per prompt token written to the provider's prompt cache; absent: the prompt price. */
  cacheWrite?: number;
  request?: number;
  image?: number;
}

/**
 * Token counts in one uniform meaning, whatever the provider's wire format:
 * `promptTokens` is the WHOLE prompt, cached and cache-write tokens included
 * (OpenAI's prompt_tokens and Gemini's promptTokenCount already are; the
 * Anthropic adapter adds cache_read/cache_creation_input_tokens to input_tokens).
 * `cachedTokens` and `cacheWriteTokens` are the parts of it the provider prices
 * differently. An upstream that reports more cached + write tokens than prompt
 * tokens is clamped (cached first, then writes), so no count goes negative.
 */
export interface BillableUsage {
  promptTokens: number;
  completionTokens: number;
  cachedTokens?: number;
  cacheWriteTokens?: number;
  images?: number;
}

/**
 * (prompt − cached − cacheWrite) × prompt price + cached × (cacheRead ?? prompt)
 * + cacheWrite × (cacheWrite price ?? prompt) + completion × completion price
 * + request price + images × image price.
 */
export function usageCostNanos(prices: UnitPrices, usage: BillableUsage): bigint {
  const prompt = BigInt(usage.promptTokens);
  const cached = min(BigInt(usage.cachedTokens ?? 0), prompt);
  const written = min(BigInt(usage.cacheWriteTokens ?? 0), prompt - cached);
  return (
    (prompt - cached - written) * BigInt(prices.prompt) +
    cached * BigInt(prices.cacheRead ?? prices.prompt) +
    written * BigInt(prices.cacheWrite ?? prices.prompt) +
    BigInt(usage.completionTokens) * BigInt(prices.completion) +
    BigInt(prices.request ?? 0) +
    BigInt(usage.images ?? 0) * BigInt(prices.image ?? 0)
  );
}

/**
 * The most this usage can cost whatever part of the prompt turns out cached or
 * written to cache: every prompt token at the dearest prompt-side price (a cache
 * write costs MORE than a plain prompt token at Anthropic). For spend reserves,
 * which must never undershoot.
 */
export function usageCostCeilingNanos(prices: UnitPrices, usage: Omit<BillableUsage, "cachedTokens" | "cacheWriteTokens">): bigint {
  const dearest = Math.max(prices.prompt, prices.cacheRead ?? 0, prices.cacheWrite ?? 0);
  return usageCostNanos({ ...prices, prompt: dearest }, usage);
}

const min = (a: bigint, b: bigint): bigint => (a < b ? a : b);
