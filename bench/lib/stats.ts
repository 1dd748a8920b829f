/** Latency samples in milliseconds, kept whole so percentiles are exact (no bucket rounding). */
export class Samples {
  private values: Float64Array;
  private n = 0;

  constructor(capacity = 1 << 16) {
    this.values = new Float64Array(capacity);
  }

  add(ms: number): void {
    if (this.n === this.values.length) {
      const grown = new Float64Array(this.values.length * 2);
      grown.set(this.values);
      this.values = grown;
    }
    this.values[this.n++] = ms;
  }

  get count(): number {
    return this.n;
  }

  merge(other: Samples): void {
    for (let i = 0; i < other.n; i++) this.add(other.values[i]!);
  }

  summary(): LatencySummary {
    const sorted = this.values.slice(0, this.n).sort();
    const at = (q: number) => (this.n ? sorted[Math.min(this.n - 1, Math.ceil(q * this.n) - 1)]! : NaN);
    let sum = 0;
    for (let i = 0; i < this.n; i++) sum += sorted[i]!;
    return { count: this.n, mean: round3(sum / this.n), p50: round3(at(0.5)), p95: round3(at(0.95)), p99: round3(at(0.99)), max: round3(sorted[this.n - 1] ?? NaN) };
  }
}

export interface LatencySummary {
  count: number;
  mean: number;
  p50: number;
  p95: number;
  p99: number;
  max: number;
}

export const round3 = (n: number) => Math.round(n * 1000) / 1000;
export const round1 = (n: number) => Math.round(n * 10) / 10;
