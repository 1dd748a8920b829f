/**
 * The gateway's clock for everything time-based in accounts: key expiry, the key
 * cache TTL, limit windows, ledger timestamps. Tests move it (reset windows, TTLs)
 * instead of sleeping; production never touches it.
 */
let offsetMs = 0;

export function now(): number {
  return Date.now() + offsetMs;
}

/** Tests only: makes now() return `at` (and run on from there). */
export function setNowForTests(at: number): void {
  offsetMs = at - Date.now();
}

export function advanceClockForTests(ms: number): void {
  offsetMs += ms;
}

export function resetClockForTests(): void {
  offsetMs = 0;
}
