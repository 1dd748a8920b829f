import { findModel } from "@switchyard/catalog";
import { describe, expect, it } from "vitest";
import { planRoute, seededRandom, unitPrice, weightedShuffle } from "../src/index.ts";
import { ep, req } from "./fixtures.ts";

/** How often each provider comes first over `n` seeded draws. */
function firstPicks(draw: (random: () => number) => string, n: number, seed: number): Record<string, number> {
  const random = seededRandom(seed);
  const counts: Record<string, number> = {};
  for (let i = 0; i < n; i++) {
    const first = draw(random);
    counts[first] = (counts[first] ?? 0) + 1;
  }
  return counts;
}

describe("default order: weighted random by inverse square of price", () => {
  it("three endpoints priced 1 : 2 : 4 come first with probabilities 16 : 4 : 1", () => {
    const endpoints = [ep("groq", { pricing: { prompt: 500, completion: 500 } }), ep("together", { pricing: { prompt: 1000, completion: 1000 } }), ep("fireworks", { pricing: { prompt: 2000, completion: 2000 } })];
    const n = 50_000;
    const counts = firstPicks((random) => weightedShuffle(endpoints, random)[0]!.provider, n, 42);
    expect(counts.groq! / n).toBeCloseTo(16 / 21, 2);
    expect(counts.together! / n).toBeCloseTo(4 / 21, 2);
    expect(counts.fireworks! / n).toBeCloseTo(1 / 21, 2);
  });

  it("second place follows the same rule among the rest", () => {
    const endpoints = [ep("groq", { pricing: { prompt: 500, completion: 500 } }), ep("together", { pricing: { prompt: 1000, completion: 1000 } }), ep("fireworks", { pricing: { prompt: 2000, completion: 2000 } })];
    const n = 50_000;
    const random = seededRandom(7);
    let togetherSecondGivenGroqFirst = 0;
    let groqFirst = 0;
    for (let i = 0; i < n; i++) {
      const order = weightedShuffle(endpoints, random).map((e) => e.provider);
      if (order[0] === "groq") {
        groqFirst++;
        if (order[1] === "together") togetherSecondGivenGroqFirst++;
      }
    }
    expect(togetherSecondGivenGroqFirst / groqFirst).toBeCloseTo(4 / 5, 2);
  });

  it("mock/echo through the planner: mock (cheaper) first about 69 % of the time", () => {
    const echo = findModel("mock/echo")!;
    const [us, eu] = echo.endpoints.map(unitPrice) as [number, number];
    const expected = 1 / us ** 2 / (1 / us ** 2 + 1 / eu ** 2);
    const n = 20_000;
    const counts = firstPicks(
      (random) => planRoute({ request: req({ model: "mock/echo" }), workspace: { zdr: false, euOnly: false }, now: 0, random })[0]!.endpoint.provider,
      n,
      2024,
    );
    expect(expected).toBeCloseTo(0.6923, 3);
    expect(counts.mock! / n).toBeCloseTo(expected, 2);
    expect(counts.mock! + counts["mock-eu"]!).toBe(n);
  });

  it("the same seed replays the same plan; another seed eventually differs", () => {
    const once = (seed: number) =>
      Array.from({ length: 20 }, ((random) => () => planRoute({ request: req({ model: "mock/echo" }), workspace: { zdr: false, euOnly: false }, now: 0, random })[0]!.endpoint.provider)(seededRandom(seed))).join();
    expect(once(5)).toBe(once(5));
    expect(once(5)).not.toBe(once(6));
  });

  it("free endpoints (price 0) share evenly under :free", () => {
    const endpoints = [ep("groq", { pricing: { prompt: 0, completion: 0 } }), ep("together", { pricing: { prompt: 0, completion: 0 } })];
    const n = 20_000;
    const counts = firstPicks((random) => weightedShuffle(endpoints, random)[0]!.provider, n, 3);
    expect(counts.groq! / n).toBeCloseTo(0.5, 1);
  });
});
