/**
 * Gateway overhead benchmark (not part of the test suite): the same mock
 * upstream called directly, through switchyard (the built worker in workerd,
 * local D1) and through a peer gateway, alternating targets run by run.
 *
 *   pnpm bench            full run (minutes)
 *   pnpm bench --quick    smoke run (~2 s per run)
 */
import { mkdirSync, readFileSync, realpathSync, writeFileSync } from "node:fs";
import { cpus, loadavg, totalmem } from "node:os";
import { dirname, join } from "node:path";
import { loadRun } from "./load/autocannon.ts";
import { sequentialRun } from "./load/sequential.ts";
import { parseOptions } from "./lib/args.ts";
import { checkAnswer } from "./lib/check.ts";
import { BENCH_DIR, ROOT } from "./lib/paths.ts";
import { cpuSecondsOf, memoryOf, type ProcessMemory } from "./lib/procs.ts";
import { type BenchReport, judge, type RunSummary, toMarkdown } from "./lib/report.ts";
import { SCENARIOS, type Scenario } from "./lib/scenarios.ts";
import { Samples } from "./lib/stats.ts";
import type { ServeMode } from "./lib/gateway.ts";
import { directTarget, SERVE_ID, startFloor, startMock, startPeer, startSwitchyard, type Target, type Workload } from "./lib/targets.ts";

const options = parseOptions(process.argv.slice(2));
const startedAt = new Date().toISOString();
const loadAverageBefore = loadavg().map((n) => Math.round(n * 100) / 100);
const log = (...a: unknown[]) => console.error(`[bench ${new Date().toISOString().slice(11, 19)}]`, ...a);
const cleanups: (() => Promise<void>)[] = [];

async function main() {
  log(`options ${JSON.stringify(options)}`);
  const mock = await startMock();
  cleanups.push(() => mock.server.stop());
  const targets: Target[] = [directTarget(mock.baseUrl, mock.server)];
  for (const id of options.targets) {
    const mode = (Object.keys(SERVE_ID) as ServeMode[]).find((m) => SERVE_ID[m] === id);
    if (mode) {
      log(`starting ${id}`);
      const sy = await startSwitchyard(mode, mock.baseUrl);
      cleanups.push(() => sy.stop());
      targets.push(sy.target);
    } else if (id === "peer" || id === "floor" || id === "floor-js") {
      log(`starting ${id}`);
      const other = await (id === "peer" ? startPeer(mock.baseUrl) : startFloor(mock.baseUrl, id === "floor-js" ? "js" : "native"));
      cleanups.push(() => other.server.stop());
      targets.push(other);
    }
  }
  if (options.patch) {
    log(`starting switchyard-b (with ${options.patch})`);
    const b = await startSwitchyard("direct", mock.baseUrl, undefined, { patch: options.patch });
    cleanups.push(() => b.stop());
    targets.push(b.target);
  }

  const workloads: Workload[] = ["json", "stream", "paced"];
  for (const t of targets) for (const w of workloads) await checkAnswer(t.request(w), w);
  log("every target answers correctly");

  for (const t of targets) {
    for (const w of ["json", "stream"] as const) {
      log(`warm-up ${t.id} ${w}`);
      await loadRun(t.request(w), options.connections, options.warmup);
    }
  }

  const scenarioList = SCENARIOS.filter((s) => !options.scenarios || options.scenarios.includes(s.id));
  // CPU of each server's serving processes, read around every run: a figure machine load barely moves.
  const servingPids = new Map(targets.map((t) => [t.id, t.server?.child.pid ? memoryOf(t.server.child.pid).filter((p) => isServing(t.id, p)).map((p) => p.pid) : []]));
  const acc = new Map<string, { requests: number; seconds: number; failures: number; cpuSeconds: number; latency: Samples; firstByte?: Samples }>();
  for (let round = 0; round < options.rounds; round++) {
    for (const scenario of scenarioList) {
      // Rotate the order every round, so that no target always runs right after the same one.
      const order = targets.map((_, i) => targets[(i + round) % targets.length]!);
      for (const t of order) {
        log(`round ${round + 1}/${options.rounds} ${scenario.id} ${t.id}`);
        const key = `${scenario.id}/${t.id}`;
        const a = acc.get(key) ?? { requests: 0, seconds: 0, failures: 0, cpuSeconds: 0, latency: new Samples() };
        const cpuBefore = cpuSecondsOf(servingPids.get(t.id)!);
        if (scenario.kind === "sequential") {
          const r = await sequentialRun(t.request(scenario.workload), options.duration);
          a.firstByte ??= new Samples();
          a.firstByte.merge(r.firstByte);
          a.latency.merge(r.total);
          Object.assign(a, { requests: a.requests + r.requests, seconds: a.seconds + r.seconds, failures: a.failures + r.failures });
        } else {
          const r = await loadRun(t.request(scenario.workload), options.connections, options.duration);
          a.latency.merge(r.latency);
          Object.assign(a, { requests: a.requests + r.requests, seconds: a.seconds + r.seconds, failures: a.failures + r.non2xx + r.errors });
        }
        a.cpuSeconds += cpuSecondsOf(servingPids.get(t.id)!) - cpuBefore;
        acc.set(key, a);
      }
    }
  }

  const scenarios = scenarioList.map((s: Scenario) => {
    const results: Record<string, RunSummary> = {};
    for (const t of targets) {
      const a = acc.get(`${s.id}/${t.id}`);
      if (!a) continue;
      results[t.id] = {
        requests: a.requests,
        seconds: Math.round(a.seconds * 100) / 100,
        rps: a.requests / a.seconds,
        failures: a.failures,
        serverCpuUsPerRequest: Math.round((a.cpuSeconds / a.requests) * 1e6),
        latency: a.latency.summary(),
        ...(a.firstByte ? { firstByte: a.firstByte.summary() } : {}),
      };
    }
    return { ...s, title: s.title.replace("{C}", String(options.connections)), results };
  });

  const memory: BenchReport["memory"] = {};
  for (const t of targets) {
    if (!t.server?.child.pid) continue;
    const processes = memoryOf(t.server.child.pid);
    const serving = processes.filter((p) => isServing(t.id, p));
    memory[t.id] = {
      peakRssMiB: serving.reduce((s, p) => s + p.peakRssMiB, 0),
      harnessPeakRssMiB: processes.filter((p) => !serving.includes(p)).reduce((s, p) => s + p.peakRssMiB, 0),
      processes,
    };
  }

  const report: BenchReport = {
    startedAt,
    machine: { cpus: cpus().length, cpuModel: cpus()[0]?.model ?? "?", memoryGiB: Math.round(totalmem() / 2 ** 30), node: process.version, platform: process.platform, loadAverageBefore, loadAverageAfter: loadavg().map((n) => Math.round(n * 100) / 100) },
    options: { ...options },
    versions: versions(),
    targets: targets.map((t) => ({ id: t.id, label: t.label })),
    scenarios,
    memory,
    goals: [],
  };
  report.goals = judge(report, options.connections);

  const out = options.out ?? join(BENCH_DIR, "results", `${startedAt.replace(/[:.]/g, "-")}.json`);
  mkdirSync(dirname(out), { recursive: true });
  writeFileSync(out, `${JSON.stringify(report, null, 2)}\n`);
  const markdown = toMarkdown(report);
  writeFileSync(out.replace(/\.json$/, ".md"), `${markdown}\n`);
  console.log(markdown);
  log(`wrote ${out}`);
}

/**
 * The processes that serve requests: workerd for switchyard (Miniflare's Node
 * host, wrangler and esbuild are dev harness, absent in production); the Node
 * server itself for the peer and the mock (not tsx's launcher or esbuild).
 */
function isServing(targetId: string, p: ProcessMemory): boolean {
  if (targetId.startsWith("switchyard") || targetId.startsWith("floor")) return p.command === "workerd";
  return p.command !== "esbuild" && !p.args.includes("tsx/dist/cli.mjs");
}

function versions(): Record<string, string> {
  const version = (path: string) => {
    try {
      return (JSON.parse(readFileSync(path, "utf8")) as { version: string }).version;
    } catch {
      return "?";
    }
  };
  return {
    workerd: version(join(realpathSync(join(BENCH_DIR, "node_modules/miniflare")), "../workerd/package.json")),
    miniflare: version(join(BENCH_DIR, "node_modules/miniflare/package.json")),
    wrangler: version(join(ROOT, "node_modules/wrangler/package.json")),
    "@portkey-ai/gateway": version(join(BENCH_DIR, "node_modules/@portkey-ai/gateway/package.json")),
    autocannon: version(join(BENCH_DIR, "node_modules/autocannon/package.json")),
  };
}

async function stopAll() {
  for (const stop of cleanups.reverse()) await stop().catch(() => {});
}

for (const signal of ["SIGINT", "SIGTERM"] as const) {
  process.once(signal, () => {
    void stopAll().finally(() => process.exit(130));
  });
}

try {
  await main();
} catch (err) {
  log(err instanceof Error ? (err.stack ?? err.message) : err);
  process.exitCode = 1;
} finally {
  await stopAll();
}
