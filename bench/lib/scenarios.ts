import type { Workload } from "./targets.ts";

export interface Scenario {
  id: string;
  title: string;
  /** sequential: one connection timed per request with hrtime; load: autocannon with N connections. */
  kind: "sequential" | "load";
  workload: Workload;
}

export const SCENARIOS: Scenario[] = [
  { id: "seq-json", title: "1 connection, sequential, non-streaming", kind: "sequential", workload: "json" },
  { id: "seq-stream", title: "1 connection, sequential, 20-chunk stream sent at once", kind: "sequential", workload: "stream" },
  { id: "seq-paced", title: "1 connection, sequential, 20-chunk stream with 2 ms between chunks", kind: "sequential", workload: "paced" },
  { id: "load-json", title: "{C} connections, non-streaming", kind: "load", workload: "json" },
  { id: "load-stream", title: "{C} connections, 20-chunk stream", kind: "load", workload: "stream" },
];
