import type { Histogram, Percentiles } from "@switchyard/router";

/** One endpoint's attempts in one UTC minute, as an isolate aggregated them (or the object stores them). */
export interface MinuteStats {
  /** endpointHealthKey: "provider/upstream-model". */
  endpoint: string;
  /** Unix minute (ms / 60 000, floored). */
  minute: number;
  ok: number;
  failed: number;
  /** Time to first token, ms. */
  ttft: Histogram;
  /** Whole request, ms. */
  total: Histogram;
  /** Completion tokens per second. */
  throughput: Histogram;
}

/** What the endpoints list shows and the planner sorts by, per endpoint (null: nothing measured). */
export interface EndpointStatsSummary {
  /** Percent of attempts answered, 0–100. */
  uptime_last_5m: number | null;
  uptime_last_30m: number | null;
  uptime_last_1d: number | null;
  /** Time to first token, ms. */
  latency_last_30m: Percentiles | null;
  /** Completion tokens per second. */
  throughput_last_30m: Percentiles | null;
  /** Answered attempts over the last 30 minutes: how much the percentiles rest on (not shown in the endpoints list). */
  answered_last_30m: number;
}

export type StatsSnapshot = Record<string, EndpointStatsSummary>;

export const MINUTE_MS = 60_000;
