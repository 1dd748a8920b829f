/**
 * Where a one-connection request's time goes, read off the wire: tcpdump on
 * loopback records every packet between the load generator, the gateway and
 * the mock upstream, and each request is cut into legs by its first data
 * packets on each hop. The V8 profiler only sees the gateway's own thread; the
 * wire also shows time spent waiting on the other processes of this machine
 * (the mock, the load generator, local D1), which is where most of the
 * one-connection tail turned out to be (bench/results/README.md).
 *
 *   in        the client's request reaches the gateway → the gateway's upstream request has been sent whole
 *   upstream  the upstream request is whole → the mock's first answer byte
 *   out       the mock's first answer byte → the gateway's first answer byte to the client (for a
 *             stream, its first event worth sending: a paced stream's first content comes a gap later)
 *   rest      the gateway's first answer byte → its last (a stream's chunks; ~0 for JSON)
 *
 * Needs tcpdump (Debian: apt-get install tcpdump) and the right to capture on `lo` (root).
 * `--keep FILE` keeps the capture, to read single requests with `tcpdump -r FILE -tt -n`.
 *
 *   tsx bench/legs.ts [--workload json|stream|paced] [--seconds 10] [--slowest 20]
 */
import { type ChildProcess, execFileSync, spawn } from "node:child_process";
import { copyFileSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parseArgs } from "node:util";
import { sequentialRun } from "./load/sequential.ts";
import { Samples } from "./lib/stats.ts";
import { withGateway, type Workload } from "./lib/targets.ts";

const { values } = parseArgs({
  options: {
    workload: { type: "string", default: "json" },
    seconds: { type: "string", default: "10" },
    slowest: { type: "string", default: "20" },
    /** Where to keep the capture (tcpdump -r reads it), to look at single requests packet by packet. */
    keep: { type: "string" },
  },
});

const LEGS = ["in", "upstream", "out", "rest"] as const;
type Leg = (typeof LEGS)[number];

interface Packet {
  atMs: number;
  from: number;
  to: number;
}

/** One request as the wire saw it: when each hop first (and last) carried data. */
interface Exchange {
  request: number;
  upFirst?: number;
  upLast?: number;
  downFirst?: number;
  respFirst?: number;
  respLast?: number;
}

try {
  execFileSync("tcpdump", ["--version"], { stdio: "ignore" });
} catch {
  console.error("bench/legs.ts needs tcpdump: apt-get install -y tcpdump (and root, to capture on lo)");
  process.exit(2);
}

const dir = mkdtempSync(join(tmpdir(), "switchyard-legs-"));
const capture = join(dir, "lo.pcap");
await withGateway("direct", undefined, async (sy, mock) => {
  const spec = sy.target.request(values.workload as Workload);
  await sequentialRun(spec, 3); // warm-up
  const gateway = Number(new URL(spec.url).port);
  const upstream = Number(new URL(mock.baseUrl).port);
  const tcpdump = spawn("tcpdump", ["-i", "lo", "-n", "-s", "96", "-B", "65536", "-w", capture, `tcp port ${gateway} or tcp port ${upstream}`], { stdio: "ignore" });
  await new Promise((ok) => setTimeout(ok, 1000)); // tcpdump is listening
  const run = await sequentialRun(spec, Number(values.seconds));
  await stop(tcpdump);
  const exchanges = exchangesOf(packetsIn(capture), gateway, upstream);
  console.log(`${values.workload}, 1 connection: ${run.requests} requests timed by the client, ${exchanges.length} cut into legs on the wire`);
  report(exchanges, Number(values.slowest));
  if (values.keep) {
    copyFileSync(capture, values.keep);
    console.log(`capture kept in ${values.keep} (gateway port ${gateway}, upstream port ${upstream})`);
  }
}).finally(() => rmSync(dir, { recursive: true, force: true }));

async function stop(child: ChildProcess): Promise<void> {
  const exited = new Promise((ok) => child.once("exit", ok));
  child.kill("SIGINT"); // tcpdump writes out what it buffered
  await exited;
}

/** Data packets only (no bare ACKs), from tcpdump's own reading of the capture. */
function packetsIn(file: string): Packet[] {
  const text = execFileSync("tcpdump", ["-r", file, "-tt", "-n"], { encoding: "utf8", maxBuffer: 1 << 30, stdio: ["ignore", "pipe", "ignore"] });
  const packets: Packet[] = [];
  for (const line of text.split("\n")) {
    // (a port tcpdump knows, 8080 say, adds its own decoding after the length)
    const m = /^(\d+\.\d+) IP 127\.0\.0\.1\.(\d+) > 127\.0\.0\.1\.(\d+): .*? length (\d+)(?::|$)/.exec(line);
    if (!m || m[4] === "0") continue;
    packets.push({ atMs: Number(m[1]) * 1000, from: Number(m[2]), to: Number(m[3]) });
  }
  return packets;
}

/** One connection, one request at a time: each client data packet after an answer opens the next exchange. */
function exchangesOf(packets: Packet[], gateway: number, upstream: number): Exchange[] {
  const out: Exchange[] = [];
  let current: Exchange | undefined;
  for (const p of packets) {
    if (p.to === gateway) {
      if (!current || current.respFirst !== undefined) out.push((current = { request: p.atMs }));
    } else if (!current) {
      continue;
    } else if (p.from === gateway) {
      current.respFirst ??= p.atMs;
      current.respLast = p.atMs;
    } else if (p.to === upstream && current.downFirst === undefined) {
      current.upFirst ??= p.atMs;
      current.upLast = p.atMs;
    } else if (p.from === upstream) {
      current.downFirst ??= p.atMs;
    }
  }
  // the last one may have been cut by the end of the capture
  return out.filter((e) => e.upLast !== undefined && e.downFirst !== undefined && e.respFirst !== undefined).slice(0, -1);
}

function legsOf(e: Exchange): Record<Leg | "total", number> {
  return {
    in: e.upLast! - e.request,
    upstream: e.downFirst! - e.upLast!,
    out: e.respFirst! - e.downFirst!,
    rest: e.respLast! - e.respFirst!,
    total: e.respLast! - e.request,
  };
}

function report(exchanges: Exchange[], slowest: number) {
  const all = exchanges.map(legsOf);
  const line = (label: string, s: ReturnType<Samples["summary"]>) =>
    console.log(`${label.padEnd(9)} p50 ${s.p50.toFixed(3)}  p95 ${s.p95.toFixed(3)}  p99 ${s.p99.toFixed(3)}  max ${s.max.toFixed(2)} ms`);
  for (const leg of [...LEGS, "total"] as const) {
    const samples = new Samples();
    for (const l of all) samples.add(l[leg]);
    line(leg, samples.summary());
  }
  const sorted = [...all].sort((a, b) => a.total - b.total);
  const tail = sorted.slice(Math.floor(0.99 * sorted.length));
  const median = sorted[Math.floor(sorted.length / 2)]!;
  // which leg made each of the slowest 1 % slow: the one furthest over its median
  const blame = new Map<Leg, number>();
  for (const l of tail) {
    const worst = LEGS.reduce((a, b) => (l[b] - median[b] > l[a] - median[a] ? b : a));
    blame.set(worst, (blame.get(worst) ?? 0) + 1);
  }
  console.log(`\nslowest 1 % (${tail.length}, ≥ ${tail[0]?.total.toFixed(2)} ms): the leg furthest over its median`);
  for (const [leg, n] of [...blame].sort((a, b) => b[1] - a[1])) console.log(`  ${leg.padEnd(9)} ${n}`);
  if (slowest <= 0) return;
  console.log(`\nthe ${slowest} slowest (ms):   in  upstream   out  rest  total`);
  for (const l of sorted.slice(-slowest)) console.log(`  ${LEGS.map((leg) => l[leg].toFixed(2).padStart(8)).join("")} ${l.total.toFixed(2).padStart(7)}`);
}
