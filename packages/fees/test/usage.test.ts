import { describe, expect, it } from "vitest";
import { byokFeeFor, byokFeeNanos, BYOK_FREE_REQUESTS_PER_MONTH, divideRoundHalfUp, toStoredNanos, usageCostNanos, utcMonth } from "../src/index.ts";

describe("hosted usage cost: catalog price, 0 % markup, exact integers", () => {
  it.each([
    // prices (nanos per unit), usage, expected nanos
    [{ prompt: 1_000, completion: 2_000 }, { promptTokens: 10, completionTokens: 5 }, 20_000n],
    [{ prompt: 3_000, completion: 15_000 }, { promptTokens: 1_000_000, completionTokens: 1_000_000 }, 18_000_000_000n],
    [{ prompt: 1_000, completion: 2_000, request: 5_000_000 }, { promptTokens: 1, completionTokens: 1 }, 5_003_000n],
    [{ prompt: 1_000, completion: 2_000, image: 765_000 }, { promptTokens: 0, completionTokens: 0, images: 3 }, 2_295_000n],
    [{ prompt: 1_000, completion: 2_000, request: 7, image: 11 }, { promptTokens: 2, completionTokens: 3, images: 2 }, 8_029n],
    [{ prompt: 0, completion: 0 }, { promptTokens: 123, completionTokens: 456 }, 0n],
  ])("%o × %o = %s", (prices, usage, expected) => {
    expect(usageCostNanos(prices, usage)).toBe(expected);
  });

  it("stays exact beyond 2^53", () => {
    expect(usageCostNanos({ prompt: 2 ** 40, completion: 0 }, { promptTokens: 2 ** 20, completionTokens: 0 })).toBe(2n ** 60n);
  });
});

describe("BYOK fee: 5 % of the hosted cost, half-up to the nano-dollar", () => {
  it.each([
    [20_000n, 1_000n],
    [18_000_000_000n, 900_000_000n],
    [10n, 1n], // 0.5 → 1
    [9n, 0n], // 0.45 → 0
    [30n, 2n], // 1.5 → 2
    [29n, 1n], // 1.45 → 1
    [1n, 0n],
    [0n, 0n],
  ])("hosted %s nanos → fee %s nanos", (hosted, fee) => {
    expect(byokFeeNanos(hosted)).toBe(fee);
  });

  it.each([
    [0, 0n],
    [1, 0n],
    [999_999, 0n], // the 1,000,000th request of the month is still free
    [1_000_000, 1_000n], // the 1,000,001st pays
    [5_000_000, 1_000n],
  ])("with %i requests before it this month, a $0.00002 request pays %s nanos", (before, fee) => {
    expect(byokFeeFor(20_000n, before)).toBe(fee);
  });

  it("frees exactly one million requests a month", () => {
    expect(BYOK_FREE_REQUESTS_PER_MONTH).toBe(1_000_000);
  });
});

describe("utcMonth: the calendar month of the free counter, in UTC", () => {
  it.each([
    ["2026-01-31T23:59:59.999Z", "2026-01"],
    ["2026-02-01T00:00:00.000Z", "2026-02"],
    ["2025-12-31T23:59:59.999Z", "2025-12"],
    ["2026-01-01T00:00:00.000Z", "2026-01"],
    ["2026-03-01T00:30:00.000+01:00", "2026-02"], // 23:30 UTC on Feb 28
  ])("%s → %s", (iso, month) => {
    expect(utcMonth(new Date(iso))).toBe(month);
    expect(utcMonth(Date.parse(iso))).toBe(month);
  });
});

describe("integer helpers", () => {
  it("rounds half-up", () => {
    expect([5n, 14n, 15n, 16n, 25n].map((n) => divideRoundHalfUp(n, 10n))).toEqual([1n, 1n, 2n, 2n, 3n]);
    expect(() => divideRoundHalfUp(-5n, 10n)).toThrow(RangeError);
  });

  it("refuses to store an amount a double cannot hold", () => {
    expect(toStoredNanos(9_007_199_254_740_991n)).toBe(Number.MAX_SAFE_INTEGER);
    expect(() => toStoredNanos(9_007_199_254_740_992n)).toThrow(RangeError);
  });
});
