/**
 * A key's credit limit, one rule for every place that sets one (the provisioning
 * API, the dashboard's keys page) and one way to read a stored one.
 */

/** The largest limit a key can be given, in USD. */
export const MAX_KEY_LIMIT_USD = 1_000_000;
/** The same in nano-dollars: 10^15, well inside a safe integer (2^53 ≈ 9 × 10^15). */
export const MAX_KEY_LIMIT_NANOS = BigInt(MAX_KEY_LIMIT_USD) * 1_000_000_000n;

/** Why `nanos` cannot be a key's limit (a sentence a person can act on), or null if it can. */
export function keyLimitProblem(nanos: bigint): string | null {
  if (nanos < 0n) return "A credit limit cannot be negative.";
  if (nanos > MAX_KEY_LIMIT_NANOS) return `A credit limit is at most $${MAX_KEY_LIMIT_USD.toLocaleString("en-US")}.`;
  return null;
}

/**
 * A limit as a row holds it, as exact integer nanos, whatever it is: rows written
 * before this rule (up to $999,999,999.99 from the dashboard, past a safe integer)
 * are shown as they are, so reading them never throws.
 */
export function storedKeyLimitNanos(stored: number | null): bigint | null {
  if (stored === null) return null;
  return Number.isFinite(stored) ? BigInt(Math.trunc(stored)) : MAX_KEY_LIMIT_NANOS;
}
