import { type Histogram, mergeHistogram, percentiles } from "@switchyard/router";
import { DurableObject } from "cloudflare:workers";
import type { Env } from "../env.ts";
import { type EndpointStatsSummary, MINUTE_MS, type MinuteStats, type StatsSnapshot } from "./stats-types.ts";

const DAY_MINUTES = 24 * 60;
/** Recomputing the summary reads up to a day of rows: at most once a second, whatever the read rate. */
const SUMMARY_TTL_MS = 1_000;

/**
 * Every endpoint's measured stats, one row per endpoint and UTC minute, kept a
 * day (docs/endpoint-stats.md). Isolates aggregate attempts in memory and send
 * one batch every few seconds (health/stats-recorder.ts); nothing writes here
 * per request. One object, named "global".
 */
export class EndpointStats extends DurableObject<Env> {
  /** The object's clock; tests replace it (runInDurableObject). */
  now: () => number = () => Date.now();
  private summary: { at: number; value: StatsSnapshot } | null = null;
  private prunedMinute = 0;

  constructor(ctx: DurableObjectState, env: Env) {
    super(ctx, env);
    ctx.storage.sql.exec(
      `CREATE TABLE IF NOT EXISTS minutes (
        endpoint TEXT NOT NULL,
        minute INTEGER NOT NULL,
        ok INTEGER NOT NULL,
        failed INTEGER NOT NULL,
        ttft TEXT NOT NULL,
        total TEXT NOT NULL,
        throughput TEXT NOT NULL,
        PRIMARY KEY (endpoint, minute)
      )`,
    );
  }

  /** Adds an isolate's batch (counts add, histograms merge exactly). */
  record(batch: MinuteStats[]): void {
    const nowMinute = Math.floor(this.now() / MINUTE_MS);
    const sql = this.ctx.storage.sql;
    for (const m of batch) {
      // Older than a day, or from a clock far ahead: nothing reads it.
      if (m.minute <= nowMinute - DAY_MINUTES || m.minute > nowMinute + 1 || typeof m.endpoint !== "string") continue;
      const old = sql
        .exec<{ ok: number; failed: number; ttft: string; total: string; throughput: string }>(
          "SELECT ok, failed, ttft, total, throughput FROM minutes WHERE endpoint = ? AND minute = ?",
          m.endpoint,
          m.minute,
        )
        .toArray()[0];
      const merged = (field: "ttft" | "total" | "throughput") => JSON.stringify(mergeHistogram(old ? (JSON.parse(old[field]) as Histogram) : {}, m[field]));
      sql.exec(
        "INSERT OR REPLACE INTO minutes (endpoint, minute, ok, failed, ttft, total, throughput) VALUES (?, ?, ?, ?, ?, ?, ?)",
        m.endpoint,
        m.minute,
        (old?.ok ?? 0) + m.ok,
        (old?.failed ?? 0) + m.failed,
        merged("ttft"),
        merged("total"),
        merged("throughput"),
      );
    }
    if (nowMinute !== this.prunedMinute) {
      this.prunedMinute = nowMinute;
      sql.exec("DELETE FROM minutes WHERE minute <= ?", nowMinute - DAY_MINUTES);
    }
    this.summary = null;
  }

  /** Per endpoint: uptime over 5 min / 30 min / 1 day, latency and throughput percentiles over 30 min. */
  snapshot(): StatsSnapshot {
    const now = this.now();
    if (this.summary && now - this.summary.at < SUMMARY_TTL_MS) return this.summary.value;
    const nowMinute = Math.floor(now / MINUTE_MS);
    const out: StatsSnapshot = {};
    const uptime = (ok: number, failed: number) => (ok + failed > 0 ? Math.round((ok / (ok + failed)) * 10_000) / 100 : null);
    const counts = this.ctx.storage.sql.exec<{ endpoint: string; ok5: number; f5: number; ok30: number; f30: number; ok1d: number; f1d: number }>(
      `SELECT endpoint,
         SUM(CASE WHEN minute > ?1 THEN ok ELSE 0 END) AS ok5, SUM(CASE WHEN minute > ?1 THEN failed ELSE 0 END) AS f5,
         SUM(CASE WHEN minute > ?2 THEN ok ELSE 0 END) AS ok30, SUM(CASE WHEN minute > ?2 THEN failed ELSE 0 END) AS f30,
         SUM(ok) AS ok1d, SUM(failed) AS f1d
       FROM minutes WHERE minute > ?3 GROUP BY endpoint`,
      nowMinute - 5,
      nowMinute - 30,
      nowMinute - DAY_MINUTES,
    );
    for (const r of counts) {
      out[r.endpoint] = {
        uptime_last_5m: uptime(r.ok5, r.f5),
        uptime_last_30m: uptime(r.ok30, r.f30),
        uptime_last_1d: uptime(r.ok1d, r.f1d),
        latency_last_30m: null,
        throughput_last_30m: null,
        answered_last_30m: r.ok30,
      };
    }
    const recent = new Map<string, { ttft: Histogram; throughput: Histogram }>();
    for (const r of this.ctx.storage.sql.exec<{ endpoint: string; ttft: string; throughput: string }>(
      "SELECT endpoint, ttft, throughput FROM minutes WHERE minute > ?",
      nowMinute - 30,
    )) {
      const h = recent.get(r.endpoint) ?? { ttft: {}, throughput: {} };
      mergeHistogram(h.ttft, JSON.parse(r.ttft) as Histogram);
      mergeHistogram(h.throughput, JSON.parse(r.throughput) as Histogram);
      recent.set(r.endpoint, h);
    }
    for (const [endpoint, h] of recent) {
      const summary: EndpointStatsSummary | undefined = out[endpoint];
      if (!summary) continue;
      summary.latency_last_30m = percentiles(h.ttft);
      summary.throughput_last_30m = percentiles(h.throughput);
    }
    this.summary = { at: now, value: out };
    return out;
  }
}
