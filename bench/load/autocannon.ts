import autocannon from "autocannon";
import { Samples } from "../lib/stats.ts";
import type { RequestSpec } from "../lib/targets.ts";

export interface LoadResult {
  /** 2xx responses. */
  requests: number;
  seconds: number;
  non2xx: number;
  errors: number;
  timeouts: number;
  /** Whole-response latency (for a stream: to its last byte), every 2xx response, in ms. */
  latency: Samples;
}

/**
 * Closed-loop load with autocannon: `connections` keep-alive connections, each
 * sending its next request as soon as the previous answer has ended. Every
 * response time is kept (autocannon's own histogram rounds to whole ms).
 */
export async function loadRun(spec: RequestSpec, connections: number, seconds: number): Promise<LoadResult> {
  const latency = new Samples();
  let finish!: (r: { err: unknown; result: autocannon.Result }) => void;
  const finished = new Promise<{ err: unknown; result: autocannon.Result }>((ok) => (finish = ok));
  const instance = autocannon(
    { url: spec.url, method: "POST", headers: spec.headers, body: spec.body, connections, duration: seconds, pipelining: 1, timeout: 30 },
    (err, result) => finish({ err, result }),
  );
  // autocannon's tracker emits (client, status, bytes, ms); its typings leave out the client.
  (instance as unknown as NodeJS.EventEmitter).on("response", (_client: unknown, status: number, _bytes: number, ms: number) => {
    if (status >= 200 && status < 300) latency.add(ms);
  });
  const { err, result } = await finished;
  if (err) throw err;
  return {
    requests: latency.count,
    seconds: result.duration,
    non2xx: result.non2xx,
    errors: result.errors,
    timeouts: result.timeouts,
    latency,
  };
}
