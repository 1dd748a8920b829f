/**
 * Display formatting. Money arrives as integer nano-dollars and is formatted with
 * bigint arithmetic, so what the page shows is exactly what the ledger holds.
 */
const NANOS_PER_CENT = 10_000_000n;
const NANOS_PER_USD = 1_000_000_000n;

function groupThousands(digits: string): string {
  return digits.replace(/\B(?=(\d{3})+(?!\d))/g, ",");
}

/** Every digit down to the nano-dollar, trailing zeros trimmed (at least cents): "$0.000012", "$10.50". */
export function formatUsdExact(nanos: number | bigint): string {
  const n = BigInt(nanos);
  const sign = n < 0n ? "-" : "";
  const abs = n < 0n ? -n : n;
  const whole = abs / NANOS_PER_USD;
  let fraction = (abs % NANOS_PER_USD).toString().padStart(9, "0").replace(/0+$/, "");
  if (fraction.length < 2) fraction = fraction.padEnd(2, "0");
  return `${sign}$${groupThousands(whole.toString())}.${fraction}`;
}

/**
 * Amounts of a cent or more to the cent (rounded half away from zero);
 * smaller non-zero amounts in full, so a tiny request cost never reads "$0.00".
 */
export function formatUsd(nanos: number | bigint): string {
  const n = BigInt(nanos);
  const abs = n < 0n ? -n : n;
  if (abs !== 0n && abs < NANOS_PER_CENT) return formatUsdExact(n);
  const cents = (abs + NANOS_PER_CENT / 2n) / NANOS_PER_CENT;
  const sign = n < 0n ? "-" : "";
  return `${sign}$${groupThousands((cents / 100n).toString())}.${(cents % 100n).toString().padStart(2, "0")}`;
}

/** Nano-dollars as the plain decimal a form field holds: 10_500_000_000 → "10.50". */
export function nanosToInput(nanos: number | null | undefined): string {
  if (nanos === null || nanos === undefined) return "";
  return formatUsdExact(nanos).replace("$", "").replaceAll(",", "");
}

const pad = (n: number) => String(n).padStart(2, "0");

/** "2026-07-02 14:03 UTC": the server renders one unambiguous time zone. */
export function formatTime(ms: number | null | undefined, seconds = false): string {
  if (ms === null || ms === undefined) return "—";
  const d = new Date(ms);
  const date = `${d.getUTCFullYear()}-${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())}`;
  const time = `${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}${seconds ? `:${pad(d.getUTCSeconds())}` : ""}`;
  return `${date} ${time} UTC`;
}

export function timeAgo(ms: number | null | undefined, now = Date.now()): string {
  if (ms === null || ms === undefined) return "never";
  const s = Math.max(0, Math.round((now - ms) / 1000));
  if (s < 60) return "just now";
  const m = Math.round(s / 60);
  if (m < 60) return `${m} min ago`;
  const h = Math.round(m / 60);
  if (h < 48) return `${h} h ago`;
  return `${Math.round(h / 24)} days ago`;
}

export function formatCount(n: number): string {
  return groupThousands(String(n));
}
