import type { ProcessMemory } from "./procs.ts";
import type { Scenario } from "./scenarios.ts";
import { type LatencySummary, round1, round3 } from "./stats.ts";

export interface RunSummary {
  requests: number;
  seconds: number;
  rps: number;
  failures: number;
  /** CPU time of the server's serving processes (user + system) per answered request. */
  serverCpuUsPerRequest: number;
  /** Whole response (stream: last byte). */
  latency: LatencySummary;
  /** Sequential runs only: first body byte (stream: first event). */
  firstByte?: LatencySummary;
}

export interface BenchReport {
  startedAt: string;
  machine: { cpus: number; cpuModel: string; memoryGiB: number; node: string; platform: string; loadAverageBefore: number[]; loadAverageAfter: number[] };
  options: Record<string, unknown>;
  versions: Record<string, string>;
  targets: { id: string; label: string }[];
  scenarios: (Scenario & { title: string; results: Record<string, RunSummary> })[];
  /** peakRssMiB: the serving processes (workerd; the peer's Node); harness: launchers and dev tooling around them. */
  memory: Record<string, { peakRssMiB: number; harnessPeakRssMiB: number; processes: ProcessMemory[] }>;
  goals: Goal[];
}

export interface Goal {
  goal: string;
  measured: string;
  met: boolean | null;
  /** The same measure for the floor target (a bare workerd proxy), when it ran: the least this setup allows. */
  floor?: string;
  /** …and for floor-js (the answer through a JavaScript read/write loop): the least a gateway that rewrites a stream costs. */
  floorJs?: string;
}

const ms = (n: number | undefined) => (n === undefined || Number.isNaN(n) ? "–" : n < 10 ? n.toFixed(2) : n.toFixed(1));
const signed = (n: number | undefined) => (n === undefined || Number.isNaN(n) ? "–" : `${n >= 0 ? "+" : ""}${ms(n)}`);

/** The whole report as Markdown tables (printed, and written next to the JSON). */
export function toMarkdown(report: BenchReport): string {
  const lines: string[] = [];
  const m = report.machine;
  lines.push(`Run ${report.startedAt} on ${m.cpus} × ${m.cpuModel}, ${m.memoryGiB} GiB, Node ${m.node}; load generator on the same machine.`);
  lines.push(`Load average (1/5/15 min) before: ${m.loadAverageBefore.join(" / ")}, after: ${m.loadAverageAfter.join(" / ")}.`);
  lines.push(`Options: ${JSON.stringify(report.options)}`);
  lines.push(`Versions: ${Object.entries(report.versions).map(([k, v]) => `${k} ${v}`).join(", ")}`);
  const label = (id: string) => report.targets.find((t) => t.id === id)?.label ?? id;

  for (const s of report.scenarios) {
    const direct = s.results.direct;
    const peer = s.results.peer;
    lines.push("", `### ${s.title}`, "");
    if (s.kind === "load" || s.workload === "json") {
      lines.push("| target | req/s | p50 ms | p95 ms | p99 ms | overhead p50 | overhead p99 | req/s vs peer | server CPU µs/req |");
      lines.push("|---|---:|---:|---:|---:|---:|---:|---:|---:|");
      for (const [id, r] of Object.entries(s.results)) {
        const over = id === "direct" || !direct ? undefined : { p50: r.latency.p50 - direct.latency.p50, p99: r.latency.p99 - direct.latency.p99 };
        const vsPeer = peer && id !== "direct" && id !== "peer" ? `${(r.rps / peer.rps).toFixed(2)}×` : "";
        lines.push(
          `| ${label(id)} | ${Math.round(r.rps)} | ${ms(r.latency.p50)} | ${ms(r.latency.p95)} | ${ms(r.latency.p99)} | ${signed(over?.p50)} | ${signed(over?.p99)} | ${vsPeer} | ${r.serverCpuUsPerRequest} |`,
        );
      }
    } else {
      lines.push("| target | req/s | first token p50 | p99 | last token p50 | p99 | Δ first p50 | Δ first p99 | Δ last p50 | Δ last p99 |");
      lines.push("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|");
      for (const [id, r] of Object.entries(s.results)) {
        const f = r.firstByte!;
        const df = id === "direct" || !direct?.firstByte ? undefined : { p50: f.p50 - direct.firstByte.p50, p99: f.p99 - direct.firstByte.p99 };
        const dl = id === "direct" || !direct ? undefined : { p50: r.latency.p50 - direct.latency.p50, p99: r.latency.p99 - direct.latency.p99 };
        lines.push(
          `| ${label(id)} | ${Math.round(r.rps)} | ${ms(f.p50)} | ${ms(f.p99)} | ${ms(r.latency.p50)} | ${ms(r.latency.p99)} | ${signed(df?.p50)} | ${signed(df?.p99)} | ${signed(dl?.p50)} | ${signed(dl?.p99)} |`,
        );
      }
    }
    const failed = Object.entries(s.results).filter(([, r]) => r.failures > 0);
    if (failed.length) lines.push("", `Failed requests: ${failed.map(([id, r]) => `${label(id)} ${r.failures}`).join(", ")}`);
  }

  lines.push("", "### Peak memory (resident set)", "", "| server | serving process(es) MiB | harness MiB | processes (peak MiB) |", "|---|---:|---:|---|");
  for (const [id, mem] of Object.entries(report.memory)) {
    const list = mem.processes.map((p) => `${p.command} ${round1(p.peakRssMiB)}`).join(", ");
    lines.push(`| ${label(id)} | ${round1(mem.peakRssMiB)} | ${round1(mem.harnessPeakRssMiB)} | ${list} |`);
  }

  const columns = (
    [
      ["floor", "floor (bare workerd proxy)"],
      ["floorJs", "floor-js (JS stream loop)"],
    ] as const
  ).filter(([key]) => report.goals.some((g) => g[key] !== undefined));
  lines.push("", "### Targets", "", `| goal | measured | met |${columns.map(([, title]) => ` ${title} |`).join("")}`, `|---|---|---|${"---|".repeat(columns.length)}`);
  for (const g of report.goals) {
    lines.push(`| ${g.goal} | ${g.measured} | ${g.met === null ? "n/a" : g.met ? "yes" : "**no**"} |${columns.map(([key]) => ` ${g[key] ?? "–"} |`).join("")}`);
  }
  return lines.join("\n");
}

/** The issue's targets, judged on this run. */
export function judge(report: Pick<BenchReport, "scenarios">, connections: number): Goal[] {
  const get = (scenario: string, target: string) => report.scenarios.find((s) => s.id === scenario)?.results[target];
  const goals: Goal[] = [];
  const sy = (s: string) => get(s, "switchyard");
  const di = (s: string) => get(s, "direct");
  const pe = (s: string) => get(s, "peer");
  const fl = (s: string) => get(s, "floor");
  // the floor's figure beside a goal judged on differences from direct (not on ratios to the peer)
  const floorDelta = (floor: number | undefined, direct: number, key: "floor" | "floorJs" = "floor") =>
    floor === undefined ? {} : { [key]: `+${round3(floor - direct)} ms` };
  // …and beside a goal judged on a ratio to the peer
  const floorRatio = (ratio: number | undefined) => (ratio === undefined ? {} : { floor: `${ratio.toFixed(2)}×` });

  const sj = sy("seq-json");
  const dj = di("seq-json");
  if (sj && dj) {
    const p50 = round3(sj.latency.p50 - dj.latency.p50);
    const p99 = round3(sj.latency.p99 - dj.latency.p99);
    goals.push({ goal: "1 connection: overhead p50 ≤ 1 ms", measured: `${p50} ms`, met: p50 <= 1, ...floorDelta(fl("seq-json")?.latency.p50, dj.latency.p50) });
    goals.push({ goal: "1 connection: overhead p99 ≤ 3 ms", measured: `${p99} ms`, met: p99 <= 3, ...floorDelta(fl("seq-json")?.latency.p99, dj.latency.p99) });
  }
  for (const [scenario, what] of [["load-json", "non-streaming"], ["load-stream", "streaming"]] as const) {
    const s = sy(scenario);
    const p = pe(scenario);
    if (!s || !p) continue;
    const f = fl(scenario);
    const ratio = s.rps / p.rps;
    goals.push({ goal: `${connections} connections, ${what}: req/s ≥ 2 × peer`, measured: `${ratio.toFixed(2)}× (${Math.round(s.rps)} vs ${Math.round(p.rps)})`, met: ratio >= 2, ...floorRatio(f && f.rps / p.rps) });
    const p99 = s.latency.p99 / p.latency.p99;
    goals.push({ goal: `${connections} connections, ${what}: p99 ≤ ½ peer's`, measured: `${p99.toFixed(2)}× (${ms(s.latency.p99)} vs ${ms(p.latency.p99)} ms)`, met: p99 <= 0.5, ...floorRatio(f && f.latency.p99 / p.latency.p99) });
  }
  for (const scenario of ["seq-stream", "seq-paced"] as const) {
    const s = sy(scenario);
    const d = di(scenario);
    if (!s?.firstByte || !d?.firstByte) continue;
    const first = round3(s.firstByte.p50 - d.firstByte.p50);
    const last = round3(s.latency.p50 - d.latency.p50);
    const name = scenario === "seq-stream" ? "stream" : "paced stream";
    const f = fl(scenario);
    const fj = get(scenario, "floor-js");
    goals.push({
      goal: `${name}: first token ≤ direct + 1 ms (p50)`,
      measured: `+${first} ms`,
      met: first <= 1,
      ...floorDelta(f?.firstByte?.p50, d.firstByte.p50),
      ...floorDelta(fj?.firstByte?.p50, d.firstByte.p50, "floorJs"),
    });
    goals.push({
      goal: `${name}: last token ≤ direct + 2 ms (p50)`,
      measured: `+${last} ms`,
      met: last <= 2,
      ...floorDelta(f?.latency.p50, d.latency.p50),
      ...floorDelta(fj?.latency.p50, d.latency.p50, "floorJs"),
    });
  }
  return goals;
}
