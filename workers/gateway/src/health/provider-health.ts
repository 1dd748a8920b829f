import { type HealthSnapshot, UNHEALTHY_WINDOW_MS } from "@switchyard/router";
import { DurableObject } from "cloudflare:workers";
import type { Env } from "../env.ts";

/** One failed call to an endpoint: what the gateway reports after a 5xx, 429, timeout or connection error. */
export interface FailureReport {
  /** endpointHealthKey(endpoint): "provider/upstream-model". */
  endpoint: string;
  /** The upstream's HTTP status, or the gateway's (408 timeout, 502 connection error). */
  status: number;
  /** Unix ms when the gateway saw the failure. */
  at: number;
}

/** What the object knows of one endpoint that failed recently. */
export interface EndpointHealth {
  endpoint: string;
  lastFailureAt: number;
  lastStatus: number;
  /** Failures since the endpoint was last healthy for a whole window. */
  recentFailures: number;
}

/**
 * Every endpoint's recent failures, shared by all isolates (one object, named
 * "global"). Isolates report failures without waiting and read snapshots in
 * the background (health/snapshot-cache.ts), so no request waits on it.
 * Rows older than the health window are deleted: it only ever holds the
 * endpoints that failed in the last 30 seconds.
 */
export class ProviderHealth extends DurableObject<Env> {
  /** The object's clock; tests replace it (runInDurableObject) to move time without waiting. */
  now: () => number = () => Date.now();

  constructor(ctx: DurableObjectState, env: Env) {
    super(ctx, env);
    ctx.storage.sql.exec(
      `CREATE TABLE IF NOT EXISTS failures (
        endpoint TEXT PRIMARY KEY,
        last_failure_at INTEGER NOT NULL,
        last_status INTEGER NOT NULL,
        recent_failures INTEGER NOT NULL
      )`,
    );
  }

  report(failures: FailureReport[]): void {
    const now = this.now();
    const horizon = now - UNHEALTHY_WINDOW_MS;
    for (const f of failures) {
      // A reporter's clock running ahead must not keep an endpoint down for longer than the window.
      const at = Math.min(f.at, now);
      if (at <= horizon) continue;
      this.ctx.storage.sql.exec(
        `INSERT INTO failures (endpoint, last_failure_at, last_status, recent_failures) VALUES (?1, ?2, ?3, 1)
         ON CONFLICT (endpoint) DO UPDATE SET
           recent_failures = CASE WHEN last_failure_at <= ?4 THEN 1 ELSE recent_failures + 1 END,
           last_status = CASE WHEN ?2 >= last_failure_at THEN ?3 ELSE last_status END,
           last_failure_at = MAX(last_failure_at, ?2)`,
        f.endpoint,
        at,
        f.status,
        horizon,
      );
    }
    this.ctx.storage.sql.exec("DELETE FROM failures WHERE last_failure_at <= ?", horizon);
  }

  /** Endpoint → last failure time, for the endpoints that failed within the window. */
  snapshot(): HealthSnapshot {
    const out: Record<string, number> = {};
    for (const row of this.recent()) out[row.endpoint] = row.lastFailureAt;
    return out;
  }

  /** The same, with status and count: for operators and tests. */
  details(): EndpointHealth[] {
    return this.recent();
  }

  private recent(): EndpointHealth[] {
    const horizon = this.now() - UNHEALTHY_WINDOW_MS;
    return this.ctx.storage.sql
      .exec<{ endpoint: string; last_failure_at: number; last_status: number; recent_failures: number }>(
        "SELECT endpoint, last_failure_at, last_status, recent_failures FROM failures WHERE last_failure_at > ? ORDER BY endpoint",
        horizon,
      )
      .toArray()
      .map((r) => ({ endpoint: r.endpoint, lastFailureAt: r.last_failure_at, lastStatus: r.last_status, recentFailures: r.recent_failures }));
  }
}
