import { describe, expect, it } from "vitest";
import { keyLimitProblem, MAX_KEY_LIMIT_NANOS, storedKeyLimitNanos } from "../src/index.ts";

describe("key limits", () => {
  it("take 0 to $1,000,000, a safe integer of nano-dollars", () => {
    expect(keyLimitProblem(0n)).toBeNull();
    expect(keyLimitProblem(MAX_KEY_LIMIT_NANOS)).toBeNull();
    expect(Number.isSafeInteger(Number(MAX_KEY_LIMIT_NANOS))).toBe(true);
    expect(keyLimitProblem(MAX_KEY_LIMIT_NANOS + 1n)).toBe("A credit limit is at most $1,000,000.");
    expect(keyLimitProblem(-1n)).toBe("A credit limit cannot be negative.");
  });

  it("read whatever a row holds as exact integer nanos, never throwing", () => {
    expect(storedKeyLimitNanos(null)).toBeNull();
    expect(storedKeyLimitNanos(1e16)).toBe(10_000_000_000_000_000n);
    expect(storedKeyLimitNanos(2.5)).toBe(2n);
    expect(storedKeyLimitNanos(Number.POSITIVE_INFINITY)).toBe(MAX_KEY_LIMIT_NANOS);
  });
});
