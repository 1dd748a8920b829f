/**
 * What the gateway's thread was doing during the slowest requests of a
 * one-connection run: V8's sampling profiler on every isolate workerd runs,
 * each request timed on the same monotonic clock as the samples; prints,
 * per function, the time sampled inside the slowest 1 % of requests against
 * the time inside the same number of typical ones.
 *
 *   tsx --experimental-websocket bench/timeline.ts [--workload json|stream|paced] [--seconds 15] [--top 25]
 */
import { parseArgs } from "node:util";
import { loadRun } from "./load/autocannon.ts";
import { type RequestSpan, sequentialRun } from "./load/sequential.ts";
import { CdpSession, type CpuProfile } from "./lib/cdp.ts";
import { freePort } from "./lib/procs.ts";
import { startMock, startSwitchyard, type Workload } from "./lib/targets.ts";

const { values } = parseArgs({
  options: {
    workload: { type: "string", default: "json" },
    seconds: { type: "string", default: "15" },
    top: { type: "string", default: "25" },
    interval: { type: "string", default: "100" },
    /** More than 1: autocannon load instead, and only the GC and busy episodes are reported. */
    connections: { type: "string", default: "1" },
  },
});
const workload = values.workload as Workload;

const mock = await startMock();
const inspectorPort = await freePort();
const sy = await startSwitchyard("direct", mock.baseUrl, inspectorPort);
try {
  const spec = sy.target.request(workload);
  await sequentialRun(spec, 3); // warm-up
  const listed = (await (await fetch(`http://127.0.0.1:${inspectorPort}/json`)).json()) as { id: string; webSocketDebuggerUrl: string }[];
  const sessions = await Promise.all(listed.map(async (w) => ({ id: w.id, cdp: await CdpSession.connect(w.webSocketDebuggerUrl) })));
  for (const { cdp } of sessions) {
    await cdp.send("Profiler.enable");
    await cdp.send("Profiler.setSamplingInterval", { interval: Number(values.interval) });
    await cdp.send("Profiler.start");
  }
  const spans: RequestSpan[] = [];
  const connections = Number(values.connections);
  if (connections > 1) await loadRun(spec, connections, Number(values.seconds));
  else await sequentialRun(spec, Number(values.seconds), 1_000_000, spans);
  const profiles = [];
  for (const { id, cdp } of sessions) {
    const { profile } = await cdp.send<{ profile: CpuProfile }>("Profiler.stop");
    cdp.close();
    profiles.push({ id, profile });
  }
  report(spans, profiles, Number(values.top));
} finally {
  await sy.stop();
  await mock.server.stop();
}

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
  const deltas = profile.timeDeltas ?? [];
  for (let i = 0; i < samples.length; i++) {
    at += deltas[i] ?? 0;
    const f = byId.get(samples[i]!)!.callFrame;
    const file = f.url ? f.url.split("/").pop() : "";
    // an isolate the thread is not in is not sampled: the gap after its last sample is not its time
    out.push({ atUs: at, us: Math.min(deltas[i + 1] ?? 0, 2 * intervalUs), name: `${id.slice(0, 18)} ${f.functionName || "(anonymous)"} ${file ? `${file}:${f.lineNumber + 1}` : ""}`.trim() });
  }
  return out;
}

function report(spans: RequestSpan[], profiles: { id: string; profile: CpuProfile }[], top: number) {
  const all = profiles.flatMap(({ id, profile }) => samplesOf(profile, id, Number(values.interval))).sort((a, b) => a.atUs - b.atUs);
  printEpisodes(all);
  if (spans.length > 0) printSlowest(spans, all, top);
}

function printSlowest(spans: RequestSpan[], all: Sample[], top: number) {
  const sorted = [...spans].sort((a, b) => a.ms - b.ms);
  const p = (q: number) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))]!.ms;
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
  // garbage collection and local D1 come in episodes: how long, how often
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
    const q = (x: number) => ((lengths[Math.min(lengths.length - 1, Math.floor(x * lengths.length))] ?? 0) / 1000).toFixed(2);
    const seconds = (all.at(-1)!.atUs - all[0]!.atUs) / 1e6;
    return `${(lengths.length / seconds).toFixed(1)}/s, ms p50 ${q(0.5)} p90 ${q(0.9)} p99 ${q(0.99)} max ${q(1)}, total ${(lengths.reduce((a, b) => a + b, 0) / 1000 / seconds).toFixed(1)} ms/s`;
  };
  console.log(`\ngateway GC episodes: ${episodes((s) => s.name.startsWith("core:user: (garbage collector)"))}`);
  console.log(`local D1 busy episodes: ${episodes((s) => s.name.startsWith("d1:") && !s.name.includes("(idle)"))}`);
  console.log(`gateway (program) episodes: ${episodes((s) => s.name.startsWith("core:user: (program)"))}`);
}
