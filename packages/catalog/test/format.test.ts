import { describe, expect, it } from "vitest";
import { formatUsd, formatUsdPerToken, nanosToUsdNumber, parseUsdToNanos } from "../src/format.ts";

describe("formatUsdPerToken", () => {
  it.each([
    [0, "0"],
    [1n, "0.000000001"],
    [2500, "0.0000025"],
    [15_000, "0.000015"],
    [150, "0.00000015"],
    [1_000_000_000n, "1"],
    [1_500_000_000, "1.5"],
    [123_456_789_012_345_678n, "123456789.012345678"],
  ])("%s nanos → %s", (nanos, usd) => {
    expect(formatUsdPerToken(nanos)).toBe(usd);
  });

  it("formats negatives (refunds) and rejects non-integers", () => {
    expect(formatUsd(-2500n)).toBe("-0.0000025");
    expect(() => formatUsd(0.5)).toThrow(RangeError);
    expect(() => formatUsd(Number.MAX_SAFE_INTEGER + 1)).toThrow(RangeError);
    expect(() => formatUsd(Number.NaN)).toThrow(RangeError);
  });
});

describe("parseUsdToNanos", () => {
  it.each([
    ["0", 0n],
    ["0.000002", 2000n],
    ["0.000015", 15_000n],
    ["0.0000025", 2500n],
    ["0.000000001", 1n],
    ["1.5", 1_500_000_000n],
    ["1.", 1_000_000_000n],
    [".5", 500_000_000n],
    ["0.000001000000", 1000n], // zeros past nano precision are fine
    ["2.5e-6", 2500n],
    ["1E3", 1_000_000_000_000n],
    ["123456789.012345678", 123_456_789_012_345_678n],
  ])("%s → %s", (usd, nanos) => {
    expect(parseUsdToNanos(usd)).toBe(nanos);
  });

  it.each(["", ".", "-1", "-0.5", "+1", "abc", "1.2.3", " 1", "1 ", "0x10", "1e", "NaN", "Infinity", "1e99999"])(
    "rejects %j",
    (bad) => {
      expect(() => parseUsdToNanos(bad)).toThrow();
    },
  );

  it("rejects sub-nano strings instead of rounding them", () => {
    expect(() => parseUsdToNanos("0.0000000001")).toThrow(RangeError);
    expect(() => parseUsdToNanos("0.0000000015")).toThrow(RangeError);
  });

  it("reads numbers through their shortest decimal form, rounding to the nano", () => {
    expect(parseUsdToNanos(0.000015)).toBe(15_000n);
    expect(parseUsdToNanos(2.5e-6)).toBe(2500n);
    expect(parseUsdToNanos(1e-7)).toBe(100n);
    expect(parseUsdToNanos(0.1 + 0.2)).toBe(300_000_000n);
    expect(parseUsdToNanos(1.5e-9)).toBe(2n);
    expect(parseUsdToNanos(1e-12)).toBe(0n);
    expect(() => parseUsdToNanos(-1)).toThrow(RangeError);
    expect(() => parseUsdToNanos(Number.NaN)).toThrow(RangeError);
    expect(() => parseUsdToNanos(Number.POSITIVE_INFINITY)).toThrow(RangeError);
  });

  it("round-trips every nano count exactly", () => {
    for (const n of [0n, 1n, 9n, 10n, 999n, 2500n, 15_000n, 999_999_999n, 1_000_000_001n, 10n ** 20n + 7n]) {
      expect(parseUsdToNanos(formatUsd(n))).toBe(n);
    }
  });
});

describe("nanosToUsdNumber", () => {
  it("gives the nearest double of the exact decimal, no accumulated drift", () => {
    expect(nanosToUsdNumber(0n)).toBe(0);
    expect(nanosToUsdNumber(2500n)).toBe(0.0000025);
    // 0.1 + 0.2 in floats is 0.30000000000000004; via nanos it is exactly 0.3.
    expect(nanosToUsdNumber(100_000_000n + 200_000_000n)).toBe(0.3);
    expect(nanosToUsdNumber(1_234_567_891n)).toBe(1.234567891);
  });
});
