import { describe, expect, it } from "vitest";
import { centsToNanos, DEFAULT_PURCHASE_BOUNDS, purchaseAmountProblem, purchaseBoundsFrom, purchaseFeeCents, purchaseQuote } from "../src/index.ts";

describe("credit purchase fee: max(5.5 % × A, $0.80), half-up to the cent, added on top", () => {
  it.each([
    // credits A (cents), fee (cents), buyer pays (cents)
    [1_000, 80, 1_080], // $10 → $10.80 (the minimum applies: 5.5 % is $0.55)
    [10_000, 550, 10_550], // $100 → $105.50
    [2_000, 110, 2_110], // $20 → $21.10
    [500, 80, 580], // $5, the smallest purchase
    [1_454, 80, 1_534], // 5.5 % = 79.97 → 80: still the minimum
    [1_455, 80, 1_535], // 80.025 → 80 (below the half)
    [1_460, 80, 1_540], // 80.3 → 80
    [1_464, 81, 1_545], // 80.52 → 81
    [1_463, 80, 1_543], // 80.465 → 80
    [1_010, 80, 1_090], // 55.55 → min 80
    [2_010, 111, 2_121], // 110.55 → 111: a half-cent and more rounds up
    [1_910, 105, 2_015], // 105.05 → 105
    [10_010, 551, 10_561], // 550.55 → 551
    [1_000_000, 55_000, 1_055_000], // $10,000, the largest purchase
  ])("A = %i cents → fee %i, pays %i", (credits, fee, total) => {
    expect(purchaseFeeCents(credits)).toBe(BigInt(fee));
    expect(purchaseQuote(credits)).toEqual({ creditsCents: credits, feeCents: fee, totalCents: total });
  });

  it("rounds exactly half a cent up", () => {
    // amounts where 5.5 % × A ends in exactly half a cent
    expect(purchaseFeeCents(1_900)).toBe(105n); // 104.5 → 105
    expect(purchaseFeeCents(1_700)).toBe(94n); // 93.5 → 94
    expect(purchaseFeeCents(1_500)).toBe(83n); // 82.5 → 83
  });

  it("converts credits to nano-dollars exactly", () => {
    expect(centsToNanos(1_000)).toBe(10_000_000_000n);
    expect(centsToNanos(1)).toBe(10_000_000n);
  });
});

describe("purchase bounds (default $5 to $10,000, configurable)", () => {
  it.each([
    [499, false],
    [500, true],
    [1_000_000, true],
    [1_000_001, false],
    [0, false],
    [-500, false],
  ])("%i cents allowed: %s", (cents, ok) => {
    expect(purchaseAmountProblem(cents) === null).toBe(ok);
  });

  it.each([[10.5], ["1000"], [null], [undefined], [Number.NaN], [2 ** 60]])("refuses a non-integer amount %s", (value) => {
    expect(purchaseAmountProblem(value)).toMatch(/whole number of cents/);
  });

  it("says the bounds in the message", () => {
    expect(purchaseAmountProblem(100)).toBe("amount_cents must be between 500 and 1000000 (USD $5.00 to $10000.00)");
  });

  it("reads bounds from configuration, falling back to the defaults", () => {
    expect(purchaseBoundsFrom("1000", "50000")).toEqual({ minCents: 1_000, maxCents: 50_000 });
    expect(purchaseBoundsFrom(undefined, "oops")).toEqual(DEFAULT_PURCHASE_BOUNDS);
    expect(purchaseAmountProblem(900, purchaseBoundsFrom("1000", "50000"))).not.toBeNull();
  });
});
