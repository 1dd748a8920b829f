import { parseArgs } from "node:util";

export const ALL_TARGETS = ["direct", "switchyard", "peer", "floor", "floor-js", "switchyard-d1-same", "switchyard-miniflare-entry", "switchyard-wrangler-dev"] as const;
export type TargetId = (typeof ALL_TARGETS)[number];

export interface BenchOptions {
  /** Seconds per measured run. */
  duration: number;
  connections: number;
  /** Each round runs every scenario once against every target (A/B/C, A/B/C, …). */
  rounds: number;
  warmup: number;
  targets: TargetId[];
  /** Scenario ids to run (default: all). */
  scenarios: string[] | undefined;
  out: string | undefined;
  /** A change to measure in the same run: the gateway built with this patch applied is one more target, `switchyard-b`. */
  patch: string | undefined;
}

const HELP = `Usage: pnpm bench [--quick] [--duration S] [--connections N] [--rounds R] [--warmup S] [--targets a,b] [--scenarios a,b] [--out file.json]

  --quick            smoke run: 2 s per run, 1 round, 1 s warm-up
  --duration S       seconds per measured run (default 15)
  --connections N    connections of the concurrent runs (default 50)
  --rounds R         times every run is repeated, alternating targets (default 2)
  --warmup S         seconds of load per target and workload before measuring (default 5)
  --targets LIST     among ${ALL_TARGETS.join(", ")} (default: all)
  --scenarios LIST   among seq-json, seq-stream, seq-paced, load-json, load-stream (default: all)
  --out FILE         where to write the JSON (default bench/results/<time>.json)
  --patch FILE       also run the gateway with this patch applied (git apply; the tree is left
                     as it was) as target switchyard-b, alternating with the rest: an A/B of a
                     change on every scenario in one run`;

export function parseOptions(argv: string[]): BenchOptions {
  const { values } = parseArgs({
    args: argv,
    options: {
      quick: { type: "boolean", default: false },
      duration: { type: "string" },
      connections: { type: "string" },
      rounds: { type: "string" },
      warmup: { type: "string" },
      targets: { type: "string" },
      scenarios: { type: "string" },
      out: { type: "string" },
      patch: { type: "string" },
      help: { type: "boolean", short: "h", default: false },
    },
  });
  if (values.help) {
    console.log(HELP);
    process.exit(0);
  }
  const num = (v: string | undefined, fallback: number, name: string) => {
    if (v === undefined) return fallback;
    const n = Number(v);
    if (!Number.isFinite(n) || n <= 0) throw new Error(`--${name} must be a positive number, got ${v}`);
    return n;
  };
  const targets = (values.targets?.split(",").map((t) => t.trim()) ?? [...ALL_TARGETS]) as TargetId[];
  for (const t of targets) if (!ALL_TARGETS.includes(t)) throw new Error(`unknown target ${t}; known: ${ALL_TARGETS.join(", ")}`);
  if (!targets.includes("direct")) targets.unshift("direct"); // overhead is measured against it
  return {
    duration: num(values.duration, values.quick ? 2 : 15, "duration"),
    connections: Math.round(num(values.connections, 50, "connections")),
    rounds: Math.round(num(values.rounds, values.quick ? 1 : 2, "rounds")),
    warmup: num(values.warmup, values.quick ? 1 : 5, "warmup"),
    targets,
    scenarios: values.scenarios?.split(",").map((s) => s.trim()),
    out: values.out,
    patch: values.patch,
  };
}
