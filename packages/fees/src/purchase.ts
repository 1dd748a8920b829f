import { divideRoundHalfUp, formatCents } from "./money.ts";

/**
 * Credit purchases. The buyer pays A + fee and receives A in credits:
 * fee = max(5.5 % × A, $0.80), rounded to the cent half-up. All in integer cents.
 */
export const PURCHASE_FEE_PER_MILLE = 55n; // 5.5 %
export const PURCHASE_MIN_FEE_CENTS = 80n;

export interface PurchaseBounds {
  minCents: number;
  maxCents: number;
}

export const DEFAULT_PURCHASE_BOUNDS: PurchaseBounds = { minCents: 500, maxCents: 1_000_000 };

export interface PurchaseQuote {
  /** Credits the buyer receives. */
  creditsCents: number;
  feeCents: number;
  /** What the buyer pays: credits + fee. */
  totalCents: number;
}

export function purchaseFeeCents(creditsCents: bigint | number): bigint {
  const a = BigInt(creditsCents);
  const percentage = divideRoundHalfUp(a * PURCHASE_FEE_PER_MILLE, 1000n);
  return percentage > PURCHASE_MIN_FEE_CENTS ? percentage : PURCHASE_MIN_FEE_CENTS;
}

/** Why an amount cannot be bought, or null when it can. */
export function purchaseAmountProblem(creditsCents: unknown, bounds: PurchaseBounds = DEFAULT_PURCHASE_BOUNDS): string | null {
  if (typeof creditsCents !== "number" || !Number.isSafeInteger(creditsCents)) return "amount_cents must be a whole number of cents";
  if (creditsCents < bounds.minCents || creditsCents > bounds.maxCents) {
    return `amount_cents must be between ${bounds.minCents} and ${bounds.maxCents} (USD ${formatCents(bounds.minCents)} to ${formatCents(bounds.maxCents)})`;
  }
  return null;
}

export function purchaseQuote(creditsCents: number): PurchaseQuote {
  const fee = purchaseFeeCents(creditsCents);
  return { creditsCents, feeCents: Number(fee), totalCents: creditsCents + Number(fee) };
}

/** Bounds from configuration strings (wrangler vars), falling back to the defaults. */
export function purchaseBoundsFrom(min: string | undefined, max: string | undefined): PurchaseBounds {
  const parse = (v: string | undefined, fallback: number) => (v && /^\d+$/.test(v) ? Number(v) : fallback);
  return { minCents: parse(min, DEFAULT_PURCHASE_BOUNDS.minCents), maxCents: parse(max, DEFAULT_PURCHASE_BOUNDS.maxCents) };
}
