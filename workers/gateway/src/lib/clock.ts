/**
 * The gateway's clock for everything time-based in accounts: key expiry, the key
 * cache TTL, limit windows, balance snapshot ages, ledger timestamps. Tests stop
 * it at a chosen time (reset windows, TTLs) instead of sleeping; production never
 * touches it.
 */
let frozenAt: number | null = null;

export function now(): number {
  return frozenAt ?? Date.now();
}

/** Tests only: now() returns `at` until moved again or reset. */
export function setNowForTests(at: number): void {
  frozenAt = at;
}

export function resetClockForTests(): void {
  frozenAt = null;
}
