import { execFile } from "node:child_process";
import { readFile } from "node:fs/promises";
import { promisify } from "node:util";

/**
 * The gateway worker's memory under `wrangler dev`, two ways:
 * - its JS heap after a full garbage collection, read through the devtools
 *   inspector wrangler opens for the worker (the worker and its Durable Objects
 *   share the isolate): what the gateway's own code keeps alive;
 * - the resident memory of the workerd process that runs it, which also holds
 *   what the dev tooling keeps (wrangler dev's workerd grows under load even
 *   when it only answers GET /health, see RELIABILITY.md).
 */
export class WorkerMemory {
  private nextId = 1;
  private readonly pending = new Map<number, (result: unknown) => void>();

  private constructor(
    private readonly ws: WebSocket,
    private readonly wranglerPid: number,
  ) {
    ws.addEventListener("message", (m) => {
      const message = JSON.parse(String(m.data)) as { id?: number; result?: unknown };
      const done = message.id === undefined ? undefined : this.pending.get(message.id);
      if (done) {
        this.pending.delete(message.id!);
        done(message.result);
      }
    });
  }

  static async connect(inspectorPort: number, wranglerPid: number): Promise<WorkerMemory> {
    if (typeof WebSocket === "undefined") throw new Error("no global WebSocket: run Node 20 with --experimental-websocket (npm run soak does)");
    const [target] = (await (await fetch(`http://127.0.0.1:${inspectorPort}/json`)).json()) as Array<{ webSocketDebuggerUrl: string }>;
    // wrangler's inspector proxy only accepts a local Origin (undici's WebSocket takes headers as an extension)
    const ws = new WebSocket(target!.webSocketDebuggerUrl, { headers: { origin: "http://localhost" } } as unknown as string[]);
    await new Promise((ok, fail) => {
      ws.addEventListener("open", ok, { once: true });
      ws.addEventListener("error", fail, { once: true });
    });
    const memory = new WorkerMemory(ws, wranglerPid);
    await memory.call("HeapProfiler.enable");
    return memory;
  }

  /** Used JS heap after a full GC, in MB (null if the isolate did not answer within 10 s). */
  async heapAfterGcMb(): Promise<number | null> {
    const collected = await this.call("HeapProfiler.collectGarbage");
    if (collected === null) return null;
    const usage = (await this.call("Runtime.getHeapUsage")) as { usedSize: number } | null;
    return usage ? Math.round((usage.usedSize / 1024 / 1024) * 10) / 10 : null;
  }

  /** Resident memory of the workerd process running the worker (the one with the inspector), in MB. */
  async workerdRssMb(): Promise<number> {
    const { stdout } = await promisify(execFile)("ps", ["-eo", "pid=,pgid=,args="]);
    for (const line of stdout.split("\n")) {
      const [pid, pgid, ...args] = line.trim().split(/\s+/);
      if (Number(pgid) !== this.wranglerPid || !args[0]?.endsWith("workerd") || !args.some((a) => a.startsWith("--inspector-addr"))) continue;
      const status = await readFile(`/proc/${pid}/status`, "utf8").catch(() => "");
      return Math.round(Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? 0) / 1024);
    }
    return 0;
  }

  close(): void {
    this.ws.close();
  }

  private call(method: string): Promise<unknown> {
    const id = this.nextId++;
    return new Promise((resolve) => {
      const timer = setTimeout(() => {
        this.pending.delete(id);
        resolve(null);
      }, 10_000);
      this.pending.set(id, (result) => {
        clearTimeout(timer);
        resolve(result);
      });
      this.ws.send(JSON.stringify({ id, method }));
    });
  }
}

export interface MemoryVerdict {
  /** JS heap after GC, MB, one sample per interval after the warm-up. */
  heapMb: number[];
  /** workerd resident memory, MB, same samples. */
  rssMb: number[];
  heapFirstThirdMb: number;
  heapLastThirdMb: number;
  rssFirstThirdMb: number;
  rssLastThirdMb: number;
  /** Last third's average heap over the first third's. */
  ratio: number;
  flat: boolean;
}

/** The stated rule: the average heap of the last third of the samples is at most `limit` × that of the first third. */
export function memoryVerdict(heapMb: number[], rssMb: number[], limit: number): MemoryVerdict {
  const third = (xs: number[], which: "first" | "last") => {
    const n = Math.max(1, Math.floor(xs.length / 3));
    const part = which === "first" ? xs.slice(0, n) : xs.slice(-n);
    return part.length ? Math.round((part.reduce((s, x) => s + x, 0) / part.length) * 10) / 10 : 0;
  };
  const heapFirstThirdMb = third(heapMb, "first");
  const heapLastThirdMb = third(heapMb, "last");
  const ratio = heapFirstThirdMb ? Math.round((heapLastThirdMb / heapFirstThirdMb) * 100) / 100 : Number.NaN;
  return {
    heapMb,
    rssMb,
    heapFirstThirdMb,
    heapLastThirdMb,
    rssFirstThirdMb: third(rssMb, "first"),
    rssLastThirdMb: third(rssMb, "last"),
    ratio,
    flat: heapMb.length >= 3 && ratio <= limit,
  };
}
