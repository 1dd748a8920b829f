/**
 * Fixed log-scale histograms: every isolate and the stats object use the same
 * buckets, so histograms from many isolates and minutes merge exactly (add the
 * counts) and percentiles come out the same whichever way they were merged.
 * 8 buckets per doubling: a percentile is within about 4.5 % of the true value.
 */
const BUCKETS_PER_DOUBLING = 8;
/** Bucket 0 holds everything ≤ 1; the last one everything above 2^24 (4.6 hours in ms). */
const LAST_BUCKET = 24 * BUCKETS_PER_DOUBLING;

/** Bucket index → count; sparse, so it stays small in JSON. */
export type Histogram = Record<number, number>;

export interface Percentiles {
  p50: number;
  p75: number;
  p90: number;
  p99: number;
}

export function bucketOf(value: number): number {
  if (!(value > 1)) return 0;
  return Math.min(LAST_BUCKET, Math.ceil(Math.log2(value) * BUCKETS_PER_DOUBLING));
}

/** The value a bucket stands for: the geometric middle of its range. */
export function bucketValue(bucket: number): number {
  return bucket <= 0 ? 1 : 2 ** ((bucket - 0.5) / BUCKETS_PER_DOUBLING);
}

export function addToHistogram(h: Histogram, value: number, count = 1): void {
  if (!Number.isFinite(value) || value < 0) return;
  const b = bucketOf(value);
  h[b] = (h[b] ?? 0) + count;
}

/** Adds `from`'s counts into `into` (exact: same buckets everywhere). */
export function mergeHistogram(into: Histogram, from: Histogram): Histogram {
  for (const [b, n] of Object.entries(from)) {
    const bucket = Number(b);
    if (Number.isInteger(bucket) && bucket >= 0 && bucket <= LAST_BUCKET && n > 0) into[bucket] = (into[bucket] ?? 0) + n;
  }
  return into;
}

/** Nearest-rank percentiles, each rounded to 2 significant decimals; null for an empty histogram. */
export function percentiles(h: Histogram): Percentiles | null {
  const buckets = Object.keys(h)
    .map(Number)
    .sort((a, b) => a - b);
  const total = buckets.reduce((s, b) => s + h[b]!, 0);
  if (total === 0) return null;
  const at = (q: number) => {
    const rank = Math.max(1, Math.ceil(q * total));
    let seen = 0;
    for (const b of buckets) {
      seen += h[b]!;
      if (seen >= rank) return Math.round(bucketValue(b) * 100) / 100;
    }
    return Math.round(bucketValue(buckets.at(-1)!) * 100) / 100;
  };
  return { p50: at(0.5), p75: at(0.75), p90: at(0.9), p99: at(0.99) };
}
