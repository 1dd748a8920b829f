/**
 * CPU profile of the gateway under load: the built worker in workerd
 * (direct socket), the bench mock upstream, autocannon; V8's sampling profiler
 * on every isolate of the gateway's workerd (local D1 too with --d1-same). Prints where the
 * time goes; writes .cpuprofile files for DevTools.
 *
 *   tsx --experimental-websocket bench/profile.ts [--workload json|stream] [--seconds 10] [--connections 50] [--d1-same]
 *
 * --heap samples allocations instead of CPU: bytes JavaScript allocates per request, by function.
 */
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { parseArgs } from "node:util";
import { loadRun } from "./load/autocannon.ts";
import { type CpuProfile, frameLabel, type HeapProfileNode, profileIsolates, sampleHeapOfIsolates, sampleMicros } from "./lib/cdp.ts";
import { ROOT } from "./lib/paths.ts";
import { cpuSecondsOf, freePort, memoryOf } from "./lib/procs.ts";
import { type RequestSpec, withGateway, type Workload } from "./lib/targets.ts";

const { values } = parseArgs({
  options: {
    workload: { type: "string", default: "json" },
    seconds: { type: "string", default: "10" },
    connections: { type: "string", default: "50" },
    top: { type: "string", default: "30" },
    /** Measure req/s and workerd CPU per request only, without the profiler's slowdown. */
    "cpu-only": { type: "boolean", default: false },
    /** Local D1 in the gateway's workerd (Miniflare's default) instead of a process of its own. */
    "d1-same": { type: "boolean", default: false },
    /** Sample allocations (bytes per request by function) instead of CPU time. */
    heap: { type: "boolean", default: false },
    /** With --heap: only what outlived a scavenge (promoted to the old generation). */
    survivors: { type: "boolean", default: false },
  },
});
const workload = values.workload as Workload;
const SAMPLING_US = 100;
const outDir = join(ROOT, ".wrangler/bench-profiles");
mkdirSync(outDir, { recursive: true });

// No inspector for --cpu-only: an open inspector port is not free.
const inspectorPort = values["cpu-only"] ? undefined : await freePort();
await withGateway(values["d1-same"] ? "direct-d1-same" : "direct", inspectorPort, async (sy) => {
  const spec = sy.target.request(workload);
  await loadRun(spec, Number(values.connections), 3); // warm-up: JIT, key cache, connection pools
  if (values["cpu-only"]) {
    const workerd = memoryOf(sy.target.server!.child.pid!).filter((p) => p.command === "workerd").map((p) => p.pid);
    const before = workerd.map((pid) => cpuSecondsOf([pid]));
    const load = await loadRun(spec, Number(values.connections), Number(values.seconds));
    const used = workerd.map((pid, i) => cpuSecondsOf([pid]) - before[i]!);
    const cpu = used.reduce((a, b) => a + b, 0);
    const perProcess = workerd.map((pid, i) => `${pid}: ${Math.round((used[i]! / load.requests) * 1e6)} µs`).join(", ");
    const s = load.latency.summary();
    console.log(
      `${workload}, ${values.connections} connections: ${Math.round(load.requests / load.seconds)} req/s, p50 ${s.p50} ms, p95 ${s.p95} ms, p99 ${s.p99} ms, ` +
        `workerd CPU ${Math.round((cpu / load.requests) * 1e6)} µs per request (${(cpu / load.seconds).toFixed(2)} cores${workerd.length > 1 ? `; per process ${perProcess}` : ""})`,
    );
  } else if (values.heap) {
    await sampleHeapUnderLoad(spec);
  } else {
    await profileUnderLoad(spec);
  }
});

async function profileUnderLoad(spec: RequestSpec) {
  const profiler = await profileIsolates(inspectorPort!, SAMPLING_US);
  const load = await loadRun(spec, Number(values.connections), Number(values.seconds));
  const rps = load.requests / load.seconds;
  console.log(`${workload}, ${values.connections} connections: ${Math.round(rps)} req/s, p50 ${load.latency.summary().p50} ms (profiler on)`);

  for (const { id, profile } of await profiler.stop()) {
    const file = join(outDir, `${id.replace(/[^a-z0-9]+/gi, "_")}-${workload}.cpuprofile`);
    writeFileSync(file, JSON.stringify(profile));
    summarise(id, profile, load.requests, Number(values.top));
    console.log(`  → ${file}`);
  }
}

async function sampleHeapUnderLoad(spec: RequestSpec) {
  const sampler = await sampleHeapOfIsolates(inspectorPort!, 256, values.survivors);
  const load = await loadRun(spec, Number(values.connections), Number(values.seconds));
  console.log(`${workload}, ${values.connections} connections: ${Math.round(load.requests / load.seconds)} req/s (heap sampler on)`);
  for (const { id, head } of await sampler.stop()) summariseHeap(id, head, load.requests, Number(values.top));
}

/** Bytes allocated per request: self by function, and inclusive (every distinct frame on the stack once). */
function summariseHeap(id: string, head: HeapProfileNode, requests: number, top: number) {
  const selfBy = new Map<string, number>();
  const totalBy = new Map<string, number>();
  let all = 0;
  const walk = (node: HeapProfileNode, stack: string[]) => {
    const k = frameLabel(node.callFrame);
    const here = stack.includes(k) ? stack : [...stack, k];
    if (node.selfSize > 0) {
      all += node.selfSize;
      selfBy.set(k, (selfBy.get(k) ?? 0) + node.selfSize);
      for (const f of here) totalBy.set(f, (totalBy.get(f) ?? 0) + node.selfSize);
    }
    for (const child of node.children) walk(child, here);
  };
  walk(head, []);
  const perReq = (bytes: number) => `${(bytes / requests).toFixed(0).padStart(7)} B`;
  console.log(`\n== ${id}: ${(all / requests / 1024).toFixed(1)} KiB allocated per request`);
  for (const [title, m] of [["self", selfBy], ["inclusive", totalBy]] as const) {
    console.log(`  ${title} (bytes per request)`);
    for (const [k, bytes] of [...m].sort((a, b) => b[1] - a[1]).slice(0, top)) console.log(`  ${perReq(bytes)}  ${k}`);
  }
}

/** Self and inclusive time per function, per request, over the profiled window. */
function summarise(id: string, profile: CpuProfile, requests: number, top: number) {
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const parent = new Map<number, number>();
  for (const n of profile.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
  const self = new Map<number, number>(); // node id → µs
  const samples = profile.samples ?? [];
  for (let i = 0; i < samples.length; i++) self.set(samples[i]!, (self.get(samples[i]!) ?? 0) + sampleMicros(profile, i, SAMPLING_US));

  const key = (nodeId: number) => frameLabel(byId.get(nodeId)!.callFrame);
  const idle = new Set(["(idle)", "(program)", "(garbage collector)"]);
  const selfBy = new Map<string, number>();
  const totalBy = new Map<string, number>();
  let busy = 0;
  let all = 0;
  for (const [nodeId, us] of self) {
    all += us;
    const name = byId.get(nodeId)!.callFrame.functionName;
    selfBy.set(key(nodeId), (selfBy.get(key(nodeId)) ?? 0) + us);
    if (name !== "(idle)") busy += us;
    // inclusive: charge every distinct frame on the stack once
    const seen = new Set<string>();
    for (let n: number | undefined = nodeId; n !== undefined; n = parent.get(n)) {
      const k = key(n);
      if (seen.has(k)) continue;
      seen.add(k);
      totalBy.set(k, (totalBy.get(k) ?? 0) + us);
    }
  }
  const perReq = (us: number) => (us / requests).toFixed(1);
  console.log(`\n== ${id}: busy ${(busy / 1e6).toFixed(2)} s of ${(all / 1e6).toFixed(2)} s sampled = ${perReq(busy)} µs per request`);
  const table = (title: string, m: Map<string, number>) => {
    console.log(`  ${title} (µs per request)`);
    for (const [k, us] of [...m].filter(([k]) => !idle.has(k.split(" ")[0]!) || title.startsWith("self")).sort((a, b) => b[1] - a[1]).slice(0, top)) {
      console.log(`  ${perReq(us).padStart(8)}  ${k}`);
    }
  };
  table("self", selfBy);
  table("inclusive", totalBy);
}
