import { type ChildProcess, spawn, type SpawnOptions } from "node:child_process";
import { readdirSync, readFileSync } from "node:fs";

/** A server the benchmark started, in its own process group so it can be stopped with its children. */
export interface Server {
  name: string;
  child: ChildProcess;
  output: () => string;
  stop(): Promise<void>;
}

export const quietEnv = {
  ...process.env,
  WRANGLER_SEND_METRICS: "false",
  WRANGLER_HIDE_BANNER: "true",
  NO_UPDATE_NOTIFIER: "1",
  CI_DISABLE_UPDATE_CHECK: "1",
};

// One way to find a free loopback port, shared with the e2e harness.
export { freePort } from "../../tests/e2e/gateway-process.ts";

/** Starts a process and resolves once `ready()` says so (polled), or fails with its output. */
export async function startServer(
  name: string,
  command: string,
  args: string[],
  options: SpawnOptions,
  ready: () => Promise<boolean>,
  timeoutMs = 120_000,
): Promise<Server> {
  const child = spawn(command, args, { ...options, stdio: ["ignore", "pipe", "pipe"], detached: true });
  let output = "";
  const keep = (d: Buffer) => {
    output += d;
    if (output.length > 200_000) output = output.slice(-100_000); // a chatty server must not grow the bench's memory
  };
  child.stdout!.on("data", keep);
  child.stderr!.on("data", keep);
  const server: Server = {
    name,
    child,
    output: () => output,
    async stop() {
      if (child.exitCode !== null || child.signalCode !== null) return;
      const exited = new Promise((ok) => child.once("exit", ok));
      try {
        process.kill(-child.pid!, "SIGTERM");
      } catch {
        return;
      }
      const timer = setTimeout(() => {
        try {
          process.kill(-child.pid!, "SIGKILL");
        } catch {
          // already gone
        }
      }, 5_000);
      await exited;
      clearTimeout(timer);
    },
  };
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`${name} exited early:\n${output}`);
    if (await ready().catch(() => false)) return server;
    await new Promise((ok) => setTimeout(ok, 200));
  }
  await server.stop();
  throw new Error(`${name} did not become ready:\n${output}`);
}

/** True once `url` answers at all (any status). */
export async function answers(url: string, init?: RequestInit): Promise<boolean> {
  const res = await fetch(url, { ...init, signal: AbortSignal.timeout(2_000) });
  await res.arrayBuffer();
  return res.status < 500;
}

/** Every process in the tree under `pid` (the pid included), read from /proc. */
export function processTree(pid: number): number[] {
  const out = [pid];
  for (let i = 0; i < out.length; i++) {
    const p = out[i]!;
    let tasks: string[] = [];
    try {
      tasks = readdirSync(`/proc/${p}/task`);
    } catch {
      continue;
    }
    for (const t of tasks) {
      try {
        const kids = readFileSync(`/proc/${p}/task/${t}/children`, "utf8").trim();
        if (kids) out.push(...kids.split(/\s+/).map(Number));
      } catch {
        // task ended meanwhile
      }
    }
  }
  return out;
}

export interface ProcessMemory {
  pid: number;
  command: string;
  args: string;
  /** Peak resident set size over the process's life (VmHWM), in MiB. */
  peakRssMiB: number;
  rssMiB: number;
}

/** Peak and current RSS of every process of a server (Linux /proc); empty elsewhere. */
export function memoryOf(pid: number): ProcessMemory[] {
  const out: ProcessMemory[] = [];
  for (const p of processTree(pid)) {
    try {
      const status = readFileSync(`/proc/${p}/status`, "utf8");
      const kb = (field: string) => Number(new RegExp(`^${field}:\\s+(\\d+) kB`, "m").exec(status)?.[1] ?? 0);
      const argv = readFileSync(`/proc/${p}/cmdline`, "utf8").split("\0");
      const command = argv[0]!.split("/").pop()!;
      out.push({ pid: p, command, args: argv.slice(1).join(" ").slice(0, 200), peakRssMiB: round1(kb("VmHWM") / 1024), rssMiB: round1(kb("VmRSS") / 1024) });
    } catch {
      // gone
    }
  }
  return out;
}

const round1 = (n: number) => Math.round(n * 10) / 10;

/** CPU seconds (user + system) used so far by the given processes, from /proc/<pid>/stat. */
export function cpuSecondsOf(pids: number[]): number {
  let ticks = 0;
  for (const p of pids) {
    try {
      const stat = readFileSync(`/proc/${p}/stat`, "utf8");
      const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
      ticks += Number(fields[11]) + Number(fields[12]); // utime, stime (fields 14 and 15 of stat)
    } catch {
      // gone
    }
  }
  return ticks / 100; // USER_HZ is 100 on Linux
}
