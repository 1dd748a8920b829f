import { NANOS_PER_USD } from "./types.ts";

/**
 * Money conversions between integer nano-dollars and decimal USD strings. Everything
 * goes through bigint and string math so no float rounding can creep into prices/costs.
 */

const NANO_DIGITS = 9;
/** Bounds the `10n ** exp` work a hostile exponent (`"1e999999999"`) could ask for. */
const MAX_EXPONENT = 1000;

function toBigNanos(nanos: number | bigint): bigint {
  if (typeof nanos === "bigint") return nanos;
  if (!Number.isSafeInteger(nanos)) throw new RangeError(`nano-dollars must be a safe integer, got ${nanos}`);
  return BigInt(nanos);
}

/** Exact decimal USD with trailing zeros trimmed: 2500 → "0.0000025", 0 → "0", -1 → "-0.000000001". */
export function formatUsd(nanos: number | bigint): string {
  const n = toBigNanos(nanos);
  const abs = n < 0n ? -n : n;
  const whole = (abs / NANOS_PER_USD).toString();
  const frac = (abs % NANOS_PER_USD).toString().padStart(NANO_DIGITS, "0").replace(/0+$/, "");
  return (n < 0n ? "-" : "") + whole + (frac ? `.${frac}` : "");
}

/** A per-token price (integer nanos) as OpenRouter's decimal USD string, e.g. "0.000015". */
export function formatUsdPerToken(nanos: number | bigint): string {
  return formatUsd(nanos);
}

/**
 * USD as a JSON number (e.g. `usage.cost`). Goes via the exact decimal string, so the
 * only error is the unavoidable nearest-double of that decimal, never accumulated drift.
 */
export function nanosToUsdNumber(nanos: bigint | number): number {
  return Number(formatUsd(nanos));
}

const DECIMAL = /^(\d*)(?:\.(\d*))?(?:[eE]([+-]?\d+))?$/;

/**
 * Decimal USD → integer nanos. Strings are exact ("0.000002" → 2000n, "1.5" →
 * 1_500_000_000n) and throw if finer than a nano-dollar; numbers are read via their
 * shortest decimal form and rounded half-up to the nearest nano (floats are approximate
 * anyway). Throws on negatives, NaN/Infinity and anything that is not a plain decimal.
 */
export function parseUsdToNanos(value: string | number): bigint {
  let text: string;
  if (typeof value === "number") {
    if (!Number.isFinite(value) || value < 0) throw new RangeError(`invalid USD amount: ${value}`);
    text = String(value); // shortest round-trip form, may use exponent notation
  } else if (typeof value === "string") {
    text = value;
  } else {
    throw new TypeError("USD amount must be a string or number");
  }

  const m = DECIMAL.exec(text);
  const intPart = m?.[1] ?? "";
  const fracPart = m?.[2] ?? "";
  if (!m || intPart + fracPart === "") throw new SyntaxError(`invalid USD amount: ${JSON.stringify(value)}`);
  const exp = m[3] === undefined ? 0 : Number(m[3]);
  if (Math.abs(exp) > MAX_EXPONENT) throw new RangeError(`USD amount out of range: ${JSON.stringify(value)}`);

  // value = digits × 10^-(scale), and nanos = value × 10^9.
  const digits = BigInt(intPart + fracPart);
  const shift = NANO_DIGITS - (fracPart.length - exp);
  if (shift >= 0) return digits * 10n ** BigInt(shift);

  const divisor = 10n ** BigInt(-shift);
  const quotient = digits / divisor;
  const remainder = digits % divisor;
  if (remainder === 0n) return quotient;
  if (typeof value === "string") {
    throw new RangeError(`USD amount finer than one nano-dollar: ${JSON.stringify(value)}`);
  }
  return remainder * 2n >= divisor ? quotient + 1n : quotient;
}
