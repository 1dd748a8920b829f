/**
 * A/B of a change by workerd CPU per request and latency (p95, p99): runs `profile.ts --cpu-only` on the
 * working tree (A) and with a patch applied (B), interleaved A, B, A, B, … so that
 * the machine's drift hits both, and prints each run and the medians. The patch is
 * reverted after every B run, and if anything fails.
 *
 *   git diff > /tmp/change.patch && git checkout -- .     # the change as a patch, tree back to A
 *   tsx bench/compare.ts --patch /tmp/change.patch [--runs 3] [--seconds 8] [--workload json|stream] [--connections 50]
 */
import { execFileSync, spawnSync } from "node:child_process";
import { join } from "node:path";
import { parseArgs } from "node:util";
import { ROOT } from "./lib/paths.ts";

const { values } = parseArgs({
  options: {
    patch: { type: "string" },
    runs: { type: "string", default: "3" },
    seconds: { type: "string", default: "8" },
    workload: { type: "string", default: "json" },
    connections: { type: "string", default: "50" },
  },
});
if (!values.patch) {
  console.error("--patch is required (a file `git apply` accepts)");
  process.exit(2);
}
const patch = values.patch;

interface Measurement {
  cpu: number;
  p95: number;
  p99: number;
}

/** One measurement: workerd CPU µs per request and latency, from profile.ts's summary line. */
function measure(): Measurement {
  const run = spawnSync(join(ROOT, "node_modules/.bin/tsx"), ["--experimental-websocket", join(ROOT, "bench/profile.ts"), "--cpu-only", "--seconds", values.seconds!, "--workload", values.workload!, "--connections", values.connections!], {
    cwd: ROOT,
    encoding: "utf8",
  });
  const line = run.stdout.trim().split("\n").at(-1) ?? "";
  const cpu = /workerd CPU (\d+) µs per request/.exec(line);
  const latency = /p95 ([\d.]+) ms, p99 ([\d.]+) ms/.exec(line);
  if (!cpu || !latency) throw new Error(`no measurement in: ${line}\n${run.stderr.slice(-2000)}`);
  console.log(`  ${line}`);
  return { cpu: Number(cpu[1]), p95: Number(latency[1]), p99: Number(latency[2]) };
}

const git = (...args: string[]) => execFileSync("git", args, { cwd: ROOT, stdio: "inherit" });
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor((xs.length - 1) / 2)]!;

git("apply", "--check", patch);
const a: Measurement[] = [];
const b: Measurement[] = [];
for (let i = 0; i < Number(values.runs); i++) {
  console.log(`A ${i + 1}`);
  a.push(measure());
  console.log(`B ${i + 1}`);
  git("apply", patch);
  try {
    b.push(measure());
  } finally {
    git("apply", "-R", patch);
  }
}
const summary = (runs: Measurement[]) =>
  (["cpu", "p95", "p99"] as const).map((k) => `${k} ${runs.map((r) => r[k]).join(", ")} (median ${median(runs.map((r) => r[k]))})`).join("; ");
console.log(`A (working tree): ${summary(a)}`);
console.log(`B (with ${patch}): ${summary(b)}`);
