import { ActivityPage, nanosToInput } from "@switchyard/dashboards";
import { Hono } from "hono";
import { filterOptions, filtersToQuery, parseFilters, queryActivity } from "../db/activity.ts";
import { dbOf } from "../db/client.ts";
import type { AppEnv } from "../env.ts";
import { csvRow } from "../lib/csv.ts";
import { pageContext } from "../lib/page-context.ts";

const PAGE_SIZE = 50;
const CSV_MAX_ROWS = 10_000;

const CSV_COLUMNS = [
  "time_utc", "generation_id", "model", "provider", "key_id", "key_name", "status", "error_code", "prompt_tokens",
  "completion_tokens", "cost_usd", "cost_nanos", "latency_ms", "ttft_ms", "streamed", "byok", "finish_reason",
];

export const activity = new Hono<AppEnv>()
  .get("/activity", async (c) => {
    const db = dbOf(c.env.DB);
    const ws = c.get("workspace");
    const filters = parseFilters(c.req.query());
    const [rows, options] = await Promise.all([queryActivity(c.env, db, ws, filters, PAGE_SIZE + 1, c.req.query("before")), filterOptions(db, ws.id)]);
    const shown = rows.slice(0, PAGE_SIZE);
    const last = shown.at(-1);
    const filterQuery = filtersToQuery(filters);
    const olderQuery = rows.length > PAGE_SIZE && last ? `${filterQuery ? `${filterQuery}&` : ""}before=${last.createdAt}_${last.id}` : null;
    return c.html(<ActivityPage ctx={pageContext(c, "activity")} data={{ rows: shown, filters, ...options, olderQuery, filterQuery }} />);
  })
  .get("/activity.csv", async (c) => {
    const ws = c.get("workspace");
    const rows = await queryActivity(c.env, dbOf(c.env.DB), ws, parseFilters(c.req.query()), CSV_MAX_ROWS);
    let csv = csvRow(CSV_COLUMNS);
    for (const r of rows) {
      csv += csvRow([
        new Date(r.createdAt).toISOString(), r.id, r.model, r.provider, r.keyId, r.keyName, r.status, r.errorCode, r.promptTokens,
        r.completionTokens, nanosToInput(r.costNanos), r.costNanos, r.latencyMs, r.ttftMs, r.streamed, r.byok, r.finishReason,
      ]);
    }
    const day = new Date().toISOString().slice(0, 10);
    return c.body(csv, 200, {
      "content-type": "text/csv; charset=utf-8",
      "content-disposition": `attachment; filename="switchyard-activity-${day}.csv"`,
    });
  });
