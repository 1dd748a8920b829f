import type { Endpoint } from "@switchyard/catalog";
import { endpointHealthKey } from "./health.ts";

/**
 * What the gateway has measured of each endpoint, by endpointHealthKey: the
 * planner sorts by these and falls back to the catalog's typed values only
 * where nothing was measured yet.
 */
export interface MeasuredEndpoint {
  /** Median time to first token over the last 30 minutes, ms. */
  latencyMs?: number;
  /** Median completion tokens per second over the last 30 minutes. */
  throughput?: number;
}

export type MeasuredStats = Readonly<Record<string, MeasuredEndpoint>>;

/** The isolate's live view of the endpoints, beyond health: measured figures, rate-limit headroom, load. */
export interface EndpointSignals {
  measured?: MeasuredStats;
  /** Endpoint keys close to their provider's rate limit (tried after the others). */
  nearLimit?: ReadonlySet<string>;
  /** Requests in flight from this isolate, per endpoint key (for `sort: "least-busy"`). */
  inFlight?: ReadonlyMap<string, number>;
}

function measuredOf(signals: EndpointSignals | undefined, e: Endpoint): MeasuredEndpoint | undefined {
  const m = signals?.measured;
  const key = endpointHealthKey(e);
  return m && Object.hasOwn(m, key) ? m[key] : undefined;
}

/** Measured median latency, else the catalog's typical one; undefined when neither is known. */
export function latencyOf(e: Endpoint, signals?: EndpointSignals): number | undefined {
  return measuredOf(signals, e)?.latencyMs ?? e.latencyMs;
}

/** Measured median throughput, else the catalog's typical one. */
export function throughputOf(e: Endpoint, signals?: EndpointSignals): number | undefined {
  return measuredOf(signals, e)?.throughput ?? e.throughput;
}

export function inFlightOf(e: Endpoint, signals?: EndpointSignals): number {
  return signals?.inFlight?.get(endpointHealthKey(e)) ?? 0;
}

export function isNearLimit(e: Endpoint, signals?: EndpointSignals): boolean {
  return signals?.nearLimit?.has(endpointHealthKey(e)) ?? false;
}
