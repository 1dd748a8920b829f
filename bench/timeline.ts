/**
 * What the gateway's thread was doing during the slowest requests of a
 * one-connection run: V8's sampling profiler on every isolate workerd runs,
 * each request timed on the same monotonic clock as the samples; prints,
 * per function, the time sampled inside the slowest 1 % of requests against
 * the time inside the same number of typical ones.
 *
 *   tsx --experimental-websocket bench/timeline.ts [--workload json|stream|paced] [--seconds 15] [--top 25] [--connections N] [--d1-same]
 */
import { parseArgs } from "node:util";
import { loadRun } from "./load/autocannon.ts";
import { type RequestSpan, sequentialRun } from "./load/sequential.ts";
import { type CpuProfile, frameLabel, profileIsolates, sampleMicros } from "./lib/cdp.ts";
import { freePort } from "./lib/procs.ts";
import { withGateway, type Workload } from "./lib/targets.ts";

const { values } = parseArgs({
  options: {
    workload: { type: "string", default: "json" },
    seconds: { type: "string", default: "15" },
    top: { type: "string", default: "25" },
    interval: { type: "string", default: "100" },
    /** More than 1: autocannon load instead, and only the GC and busy episodes are reported. */
    connections: { type: "string", default: "1" },
    /** Local D1 in the gateway's workerd (Miniflare's default): its busy episodes are then reported too. */
    "d1-same": { type: "boolean", default: false },
  },
});
const workload = values.workload as Workload;

const inspectorPort = await freePort();
await withGateway(values["d1-same"] ? "direct-d1-same" : "direct", inspectorPort, async (sy) => {
  const spec = sy.target.request(workload);
  await sequentialRun(spec, 3); // warm-up
  const profiler = await profileIsolates(inspectorPort, Number(values.interval));
  const spans: RequestSpan[] = [];
  const connections = Number(values.connections);
  if (connections > 1) await loadRun(spec, connections, Number(values.seconds));
  else await sequentialRun(spec, Number(values.seconds), 1_000_000, spans);
  report(spans, await profiler.stop(), Number(values.top));
});

interface Sample {
  atUs: number;
  us: number;
  name: string;
}

function samplesOf(profile: CpuProfile, id: string, intervalUs: number): Sample[] {
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const out: Sample[] = [];
  let at = profile.startTime;
  const samples = profile.samples ?? [];
  for (let i = 0; i < samples.length; i++) {
    at += profile.timeDeltas?.[i] ?? 0;
    out.push({ atUs: at, us: sampleMicros(profile, i, intervalUs), name: `${id.slice(0, 18)} ${frameLabel(byId.get(samples[i]!)!.callFrame)}` });
  }
  return out;
}

/** The value at quantile `q` of an ascending list. */
function quantile(sorted: readonly number[], q: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? 0;
}

function report(spans: RequestSpan[], profiles: { id: string; profile: CpuProfile }[], top: number) {
  const all = profiles.flatMap(({ id, profile }) => samplesOf(profile, id, Number(values.interval))).sort((a, b) => a.atUs - b.atUs);
  printEpisodes(all);
  if (spans.length > 0) printSlowest(spans, all, top);
}

function printSlowest(spans: RequestSpan[], all: Sample[], top: number) {
  const sorted = [...spans].sort((a, b) => a.ms - b.ms);
  const ms = sorted.map((s) => s.ms);
  const p = (q: number) => quantile(ms, q);
  console.log(`${spans.length} requests; p50 ${p(0.5).toFixed(2)} p95 ${p(0.95).toFixed(2)} p99 ${p(0.99).toFixed(2)} max ${p(1).toFixed(2)} ms`);
  const slow = sorted.slice(Math.floor(0.99 * sorted.length));
  const mid = sorted.slice(Math.floor(0.5 * sorted.length) - Math.floor(slow.length / 2)).slice(0, slow.length);
  const within = (group: RequestSpan[]) => {
    const by = new Map<string, number>();
    for (const s of group) {
      const end = s.startUs + s.ms * 1000;
      // binary search the first sample at or after the start
      let lo = 0;
      let hi = all.length;
      while (lo < hi) {
        const m = (lo + hi) >> 1;
        if (all[m]!.atUs < s.startUs) lo = m + 1;
        else hi = m;
      }
      for (let i = lo; i < all.length && all[i]!.atUs < end; i++) by.set(all[i]!.name, (by.get(all[i]!.name) ?? 0) + all[i]!.us);
    }
    return by;
  };
  const slowBy = within(slow);
  const midBy = within(mid);
  console.log(`\nslowest ${slow.length} (≥ ${slow[0]!.ms.toFixed(2)} ms) against ${mid.length} around the median: sampled µs per request, busy frames only`);
  const rows = [...new Set([...slowBy.keys(), ...midBy.keys()])]
    .filter((k) => !k.includes("(idle)"))
    .map((k) => ({ k, slow: (slowBy.get(k) ?? 0) / slow.length, mid: (midBy.get(k) ?? 0) / mid.length }))
    .sort((a, b) => b.slow - b.mid - (a.slow - a.mid))
    .slice(0, top);
  for (const r of rows) console.log(`${r.slow.toFixed(0).padStart(7)} ${r.mid.toFixed(0).padStart(7)}  ${r.k}`);
  // how the slow ones cluster in time
  const starts = slow.map((s) => s.startUs).sort((a, b) => a - b);
  const gaps = starts.slice(1).map((t, i) => (t - starts[i]!) / 1000);
  console.log(`\ngaps between slow requests (ms): ${gaps.map((g) => g.toFixed(0)).join(" ")}`);
}

/** Garbage collection and native work come in episodes: how long, how often. */
function printEpisodes(all: Sample[]) {
  const episodes = (pick: (s: Sample) => boolean) => {
    const lengths: number[] = [];
    let current = 0;
    let lastAt = 0;
    for (const s of all) {
      if (!pick(s)) continue;
      if (current > 0 && s.atUs - lastAt > 3 * Number(values.interval)) {
        lengths.push(current);
        current = 0;
      }
      current += s.us;
      lastAt = s.atUs;
    }
    if (current > 0) lengths.push(current);
    lengths.sort((a, b) => a - b);
    const q = (x: number) => (quantile(lengths, x) / 1000).toFixed(2);
    const seconds = (all.at(-1)!.atUs - all[0]!.atUs) / 1e6;
    return `${(lengths.length / seconds).toFixed(1)}/s, ms p50 ${q(0.5)} p90 ${q(0.9)} p99 ${q(0.99)} max ${q(1)}, total ${(lengths.reduce((a, b) => a + b, 0) / 1000 / seconds).toFixed(1)} ms/s`;
  };
  console.log(`\ngateway GC episodes: ${episodes((s) => s.name.startsWith("core:user: (garbage collector)"))}`);
  if (values["d1-same"]) console.log(`local D1 busy episodes: ${episodes((s) => s.name.startsWith("d1:") && !s.name.includes("(idle)"))}`);
  console.log(`gateway (program) episodes: ${episodes((s) => s.name.startsWith("core:user: (program)"))}`);
}
