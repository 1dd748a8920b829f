/**
 * STAND-IN for @switchyard/fees' purchase fee (owned by the billing branch); swap
 * the import in routes/credits.tsx for the package once it is on main.
 *
 * Credit purchase fee: max(5.5 % × A, $0.80), rounded to the cent half-up, added
 * on top of A. Integer cents in bigint: $10 → $0.80, $20 → $1.10, $100 → $5.50.
 */
const NANOS_PER_CENT = 10_000_000n;
const MIN_FEE_CENTS = 80n;

export function purchaseFeeNanos(amountNanos: number): number {
  const amount = BigInt(amountNanos);
  if (amount % NANOS_PER_CENT !== 0n) throw new RangeError("Credit purchases are whole cents");
  const cents = amount / NANOS_PER_CENT;
  // 5.5 % = 55/1000; adding 500 before dividing rounds half-up.
  const percentFee = (cents * 55n + 500n) / 1000n;
  const fee = percentFee > MIN_FEE_CENTS ? percentFee : MIN_FEE_CENTS;
  return Number(fee * NANOS_PER_CENT);
}
