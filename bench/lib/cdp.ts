/**
 * A minimal Chrome DevTools Protocol client over the WebSocket that workerd's
 * inspector serves (Node 20 needs --experimental-websocket for the global).
 */
export class CdpSession {
  private nextId = 1;
  private pending = new Map<number, { ok: (v: unknown) => void; fail: (e: Error) => void }>();

  private constructor(private ws: WebSocket) {
    ws.addEventListener("message", (event) => {
      const msg = JSON.parse(String(event.data)) as { id?: number; result?: unknown; error?: { message: string } };
      if (msg.id === undefined) return;
      const waiter = this.pending.get(msg.id);
      this.pending.delete(msg.id);
      if (msg.error) waiter?.fail(new Error(msg.error.message));
      else waiter?.ok(msg.result);
    });
  }

  static async connect(url: string): Promise<CdpSession> {
    if (typeof WebSocket === "undefined") throw new Error("no global WebSocket: run Node 20 with --experimental-websocket");
    const ws = new WebSocket(url);
    await new Promise<void>((ok, fail) => {
      ws.addEventListener("open", () => ok(), { once: true });
      ws.addEventListener("error", () => fail(new Error(`cannot connect to ${url}`)), { once: true });
    });
    return new CdpSession(ws);
  }

  send<T = unknown>(method: string, params: Record<string, unknown> = {}): Promise<T> {
    const id = this.nextId++;
    this.ws.send(JSON.stringify({ id, method, params }));
    return new Promise<T>((ok, fail) => this.pending.set(id, { ok: ok as (v: unknown) => void, fail }));
  }

  close(): void {
    this.ws.close();
  }
}

export interface CpuProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number; columnNumber: number };
  hitCount?: number;
  children?: number[];
}

export interface CpuProfile {
  nodes: CpuProfileNode[];
  startTime: number;
  endTime: number;
  samples?: number[];
  timeDeltas?: number[];
}

/**
 * Starts something on every isolate workerd's inspector lists (the gateway, local D1 when
 * in-process, Miniflare's own); `stop` ends it on each and collects what each returns.
 */
async function onEveryIsolate<T>(
  inspectorPort: number,
  start: (cdp: CdpSession) => Promise<void>,
  end: (cdp: CdpSession) => Promise<T>,
): Promise<{ stop(): Promise<({ id: string } & T)[]> }> {
  const listed = (await (await fetch(`http://127.0.0.1:${inspectorPort}/json`)).json()) as { id: string; webSocketDebuggerUrl: string }[];
  const sessions = await Promise.all(listed.map(async (w) => ({ id: w.id, cdp: await CdpSession.connect(w.webSocketDebuggerUrl) })));
  for (const { cdp } of sessions) await start(cdp);
  return {
    async stop() {
      const results = [];
      for (const { id, cdp } of sessions) {
        const result = await end(cdp);
        cdp.close();
        results.push({ id, ...result });
      }
      return results;
    },
  };
}

/** V8's sampling profiler on every isolate. */
export function profileIsolates(inspectorPort: number, intervalUs: number): Promise<{ stop(): Promise<{ id: string; profile: CpuProfile }[]> }> {
  return onEveryIsolate(
    inspectorPort,
    async (cdp) => {
      await cdp.send("Profiler.enable");
      await cdp.send("Profiler.setSamplingInterval", { interval: intervalUs });
      await cdp.send("Profiler.start");
    },
    (cdp) => cdp.send<{ profile: CpuProfile }>("Profiler.stop"),
  );
}

export interface HeapProfileNode {
  callFrame: CpuProfileNode["callFrame"];
  selfSize: number;
  children: HeapProfileNode[];
}

/**
 * V8's sampling heap profiler on every isolate: what JavaScript allocates, by stack. Objects the
 * collector has freed are counted too (by default V8 reports only what is still alive, which for
 * a request path is almost nothing). `survivorsOnly`: leaves out what a scavenge freed, so what
 * is left is what outlived the young generation — promoted, and freed only by a full collection.
 */
export function sampleHeapOfIsolates(inspectorPort: number, intervalBytes: number, survivorsOnly = false): Promise<{ stop(): Promise<{ id: string; head: HeapProfileNode }[]> }> {
  return onEveryIsolate(
    inspectorPort,
    async (cdp) => {
      await cdp.send("HeapProfiler.enable");
      await cdp.send("HeapProfiler.startSampling", {
        samplingInterval: intervalBytes,
        includeObjectsCollectedByMajorGC: true,
        includeObjectsCollectedByMinorGC: !survivorsOnly,
      });
    },
    async (cdp) => ({ head: (await cdp.send<{ profile: { head: HeapProfileNode } }>("HeapProfiler.stopSampling")).profile.head }),
  );
}

/**
 * Microseconds sample `i` stands for: the gap to the next sample, but at most two
 * intervals — an isolate the thread is not in is not sampled, and the gap after
 * its last sample is not its time.
 */
export function sampleMicros(profile: CpuProfile, i: number, intervalUs: number): number {
  const deltas = profile.timeDeltas ?? [];
  return Math.min(deltas[i + 1] ?? deltas[i] ?? 0, 2 * intervalUs);
}

/** "function file:line", how the bench scripts name a frame. */
export function frameLabel(frame: CpuProfileNode["callFrame"]): string {
  const file = frame.url ? frame.url.split("/").pop() : "";
  return `${frame.functionName || "(anonymous)"} ${file ? `${file}:${frame.lineNumber + 1}` : ""}`.trim();
}
