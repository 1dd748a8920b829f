/**
 * Integer money helpers. Amounts are bigint in calculations and safe-integer
 * `number`s only where they are stored (D1 INTEGER) or sent (Stripe cents).
 */

export const NANOS_PER_CENT = 10_000_000n;

export function centsToNanos(cents: bigint | number): bigint {
  return BigInt(cents) * NANOS_PER_CENT;
}

/**
 * numerator / denominator rounded half-up (half away from zero for the
 * non-negative values money rules use). Both must be non-negative.
 */
export function divideRoundHalfUp(numerator: bigint, denominator: bigint): bigint {
  if (numerator < 0n || denominator <= 0n) throw new RangeError("divideRoundHalfUp takes a non-negative numerator and a positive denominator");
  return (numerator * 2n + denominator) / (denominator * 2n);
}

/** A bigint amount as the `number` D1 stores; refuses what a double cannot hold exactly. */
export function toStoredNanos(nanos: bigint): number {
  const n = Number(nanos);
  if (!Number.isSafeInteger(n)) throw new RangeError(`amount ${nanos} is outside the safe integer range`);
  return n;
}

/** Whole cents as a dollar label: 1080 → "$10.80". */
export function formatCents(cents: number): string {
  return `$${Math.trunc(cents / 100)}.${String(cents % 100).padStart(2, "0")}`;
}
