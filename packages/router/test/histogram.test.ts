import { describe, expect, it } from "vitest";
import { addToHistogram, type Histogram, mergeHistogram, percentiles } from "../src/histogram.ts";

describe("log-scale histograms", () => {
  it("percentiles are within 5 % of the true values", () => {
    const h: Histogram = {};
    for (let v = 1; v <= 1000; v++) addToHistogram(h, v);
    const p = percentiles(h)!;
    for (const [got, want] of [[p.p50, 500], [p.p75, 750], [p.p90, 900], [p.p99, 990]] as const) {
      expect(Math.abs(got - want) / want).toBeLessThan(0.05);
    }
  });

  it("merging per-isolate histograms gives exactly the histogram of all the values", () => {
    const all: Histogram = {};
    const a: Histogram = {};
    const b: Histogram = {};
    for (let v = 1; v <= 500; v += 3) {
      addToHistogram(all, v * 1.7);
      addToHistogram(v % 2 ? a : b, v * 1.7);
    }
    expect(mergeHistogram(mergeHistogram({}, a), b)).toEqual(all);
    expect(percentiles(mergeHistogram({ ...b }, a))).toEqual(percentiles(all));
  });

  it("an empty histogram has no percentiles; junk bucket numbers from a batch are ignored", () => {
    expect(percentiles({})).toBeNull();
    expect(mergeHistogram({}, { [-1]: 3, 1e9: 2, 5: 1 } as Histogram)).toEqual({ 5: 1 });
  });
});
