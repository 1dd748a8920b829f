import { Agent, request } from "node:http";
import { Samples } from "../lib/stats.ts";
import type { RequestSpec } from "../lib/targets.ts";

export interface SequentialResult {
  requests: number;
  seconds: number;
  failures: number;
  /** Request sent → first body byte; for a stream, → the first event carrying content (the first token). */
  firstByte: Samples;
  /** Request sent → last body byte. */
  total: Samples;
}

/**
 * One keep-alive connection, one request at a time, each timed with
 * process.hrtime (sub-millisecond), for `seconds` (at most `maxRequests`).
 */
export async function sequentialRun(spec: RequestSpec, seconds: number, maxRequests = 1_000_000, timeline?: RequestSpan[]): Promise<SequentialResult> {
  const agent = new Agent({ keepAlive: true, maxSockets: 1 });
  const url = new URL(spec.url);
  const body = Buffer.from(spec.body);
  const headers = { ...spec.headers, "content-length": String(body.byteLength) };
  const firstByte = new Samples();
  const total = new Samples();
  let failures = 0;
  const started = process.hrtime.bigint();
  const deadline = started + BigInt(Math.round(seconds * 1e9));
  let n = 0;
  try {
    while (n < maxRequests && process.hrtime.bigint() < deadline) {
      n++;
      const timing = await once(agent, spec, url, headers, body);
      if (timing) {
        timeline?.push({ startUs: timing.startUs, ms: timing.totalMs });
        firstByte.add(timing.firstByteMs);
        total.add(timing.totalMs);
      } else {
        failures++;
      }
    }
  } finally {
    agent.destroy();
  }
  return { requests: total.count, seconds: Number(process.hrtime.bigint() - started) / 1e9, failures, firstByte, total };
}

const FIRST_TOKEN = /"delta":\{[^}]*"content":"[^"]/;

/** One request's start on the monotonic clock (the one V8's profiler stamps samples with) and its duration. */
export interface RequestSpan {
  startUs: number;
  ms: number;
}

function once(agent: Agent, spec: RequestSpec, url: URL, headers: Record<string, string>, body: Buffer): Promise<{ startUs: number; firstByteMs: number; totalMs: number } | null> {
  return new Promise((resolve) => {
    const t0 = process.hrtime.bigint();
    let first: bigint | undefined;
    const req = request({ agent, host: url.hostname, port: url.port, path: url.pathname, method: spec.method ?? "POST", headers }, (res) => {
      const ok = res.statusCode !== undefined && res.statusCode >= 200 && res.statusCode < 300;
      // A stream's first event is often a bare role chunk: the first token is the first non-empty content delta.
      const streamed = String(res.headers["content-type"]).startsWith("text/event-stream");
      let seen = "";
      res.on("data", (data: Buffer) => {
        if (first !== undefined) return;
        if (!streamed) {
          first = process.hrtime.bigint();
          return;
        }
        seen += data.toString("utf8");
        if (FIRST_TOKEN.test(seen)) first = process.hrtime.bigint();
      });
      res.on("end", () => {
        const end = process.hrtime.bigint();
        if (!ok || first === undefined) return resolve(null);
        resolve({ startUs: Number(t0 / 1000n), firstByteMs: Number(first - t0) / 1e6, totalMs: Number(end - t0) / 1e6 });
      });
      res.on("error", () => resolve(null));
    });
    req.on("error", () => resolve(null));
    req.end(spec.method === "GET" ? undefined : body);
  });
}
