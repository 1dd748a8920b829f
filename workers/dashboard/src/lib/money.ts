/**
 * Parses a USD amount typed into a form ("25", "25.5", "$1,000.00") into integer
 * cents (or nano-dollars) by string arithmetic: no float ever touches the amount.
 * Returns null for anything that is not a plain non-negative amount in cents.
 */
export function parseUsdToCents(input: string): number | null {
  const text = input.trim().replace(/^\$/, "").replaceAll(",", "");
  const match = /^(\d{1,9})(?:\.(\d{1,2}))?$/.exec(text);
  if (!match) return null;
  return Number(BigInt(match[1]!) * 100n + BigInt((match[2] ?? "").padEnd(2, "0")));
}

const NANOS_PER_CENT = 10_000_000;

export function parseUsdToNanos(input: string): number | null {
  const cents = parseUsdToCents(input);
  return cents === null ? null : cents * NANOS_PER_CENT;
}
