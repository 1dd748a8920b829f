import { describe, expect, it } from "vitest";
import { byokFeeFor, byokFeeNanos, BYOK_FREE_REQUESTS_PER_MONTH, divideRoundHalfUp, toStoredNanos, usageCostCeilingNanos, usageCostNanos, utcMonth } from "../src/index.ts";

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

describe("prompt-cache pricing: cached and cache-write tokens are parts of promptTokens", () => {
  const gpt4o = { prompt: 2_500, completion: 10_000, cacheRead: 1_250 }; // OpenAI: cached at 50 %
  const gpt41 = { prompt: 2_000, completion: 8_000, cacheRead: 500 }; // OpenAI: cached at 25 %
  const sonnet = { prompt: 3_000, completion: 15_000, cacheRead: 300, cacheWrite: 3_750 }; // Anthropic: 10 % / 125 %
  const flash = { prompt: 300, completion: 2_500, cacheRead: 75 }; // Gemini 2.5 implicit cache: 25 %
  const deepseek = { prompt: 270, completion: 1_100, cacheRead: 70 }; // DeepSeek cache hit
  it.each([
    ["gpt-4o, no cache", gpt4o, { promptTokens: 1_000, completionTokens: 100 }, 1_000n * 2_500n + 100n * 10_000n],
    ["gpt-4o, 800 of 1000 cached", gpt4o, { promptTokens: 1_000, completionTokens: 100, cachedTokens: 800 }, 200n * 2_500n + 800n * 1_250n + 100n * 10_000n],
    ["gpt-4.1, all cached", gpt41, { promptTokens: 4_096, completionTokens: 0, cachedTokens: 4_096 }, 4_096n * 500n],
    ["sonnet, read + write + fresh", sonnet, { promptTokens: 14 + 31 + 1_000, completionTokens: 11, cachedTokens: 31, cacheWriteTokens: 1_000 }, 14n * 3_000n + 31n * 300n + 1_000n * 3_750n + 11n * 15_000n],
    ["sonnet, a write costs more than the plain prompt", sonnet, { promptTokens: 1_000, completionTokens: 0, cacheWriteTokens: 1_000 }, 3_750_000n],
    ["gemini-2.5-flash, 1M cached", flash, { promptTokens: 1_000_000, completionTokens: 0, cachedTokens: 1_000_000 }, 75_000_000n],
    ["deepseek-chat cache hit", deepseek, { promptTokens: 100, completionTokens: 10, cachedTokens: 64 }, 36n * 270n + 64n * 70n + 10n * 1_100n],
    ["no cache prices: cached tokens pay the prompt price", { prompt: 1_000, completion: 2_000 }, { promptTokens: 10, completionTokens: 5, cachedTokens: 6, cacheWriteTokens: 2 }, 20_000n],
    ["only a read price: writes pay the prompt price", { prompt: 1_000, completion: 2_000, cacheRead: 250 }, { promptTokens: 10, completionTokens: 0, cachedTokens: 4, cacheWriteTokens: 2 }, 4n * 1_000n + 4n * 250n + 2n * 1_000n],
    ["cached beyond the prompt is clamped to the prompt", { prompt: 1_000, completion: 2_000, cacheRead: 250 }, { promptTokens: 10, completionTokens: 0, cachedTokens: 50 }, 2_500n],
    ["writes beyond what is left are clamped", sonnet, { promptTokens: 10, completionTokens: 0, cachedTokens: 6, cacheWriteTokens: 50 }, 6n * 300n + 4n * 3_750n],
    ["request and image prices still apply", { prompt: 1_000, completion: 2_000, cacheRead: 100, request: 7, image: 11 }, { promptTokens: 10, completionTokens: 1, cachedTokens: 10, images: 2 }, 1_000n + 2_000n + 7n + 22n],
  ])("%s", (_name, prices, usage, expected) => {
    expect(usageCostNanos(prices, usage)).toBe(expected);
  });

  it.each([
    ["plain prompt price is the dearest", { prompt: 2_500, completion: 10_000, cacheRead: 1_250 }, 1_000n * 2_500n + 10n * 10_000n],
    ["a cache write is dearer than the prompt", { prompt: 3_000, completion: 15_000, cacheRead: 300, cacheWrite: 3_750 }, 1_000n * 3_750n + 10n * 15_000n],
  ])("the reserve ceiling bounds every split of the prompt: %s", (_name, prices, ceiling) => {
    const usage = { promptTokens: 1_000, completionTokens: 10 };
    expect(usageCostCeilingNanos(prices, usage)).toBe(ceiling);
    for (const [cachedTokens, cacheWriteTokens] of [[0, 0], [1_000, 0], [0, 1_000], [300, 700], [500, 0]]) {
      expect(usageCostNanos(prices, { ...usage, cachedTokens, cacheWriteTokens })).toBeLessThanOrEqual(ceiling);
    }
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
