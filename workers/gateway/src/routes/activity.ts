import { nanosToUsdNumber, providerFor } from "@switchyard/catalog";
import { badRequest } from "@switchyard/schemas";
import { Hono } from "hono";
import { activityRows } from "../accounts/activity-rows.ts";
import { MANAGEMENT, requireKey } from "../accounts/auth.ts";
import { windowStart } from "../accounts/windows.ts";
import type { AppEnv } from "../env.ts";
import { now } from "../lib/clock.ts";
import { settledFirst } from "../middleware/settled-first.ts";

const DAY_MS = 86_400_000;
const DAYS = 30;

/**
 * GET /api/v1/activity: the workspace's successful requests of the last 30 UTC
 * days (today included, so far), one row per day × model × provider × key.
 * Management key required, as on OpenRouter. Filters: `date=YYYY-MM-DD`,
 * `api_key_hash=<hash>`. Read from D1's usage roll-ups (and legacy generation rows),
 * scoped to the caller's workspace.
 */
export const activity = new Hono<AppEnv>().get("/", requireKey(MANAGEMENT), settledFirst, async (c) => {
  const today = windowStart("daily", now());
  let from = today - (DAYS - 1) * DAY_MS;
  let to = today + DAY_MS;
  const date = c.req.query("date");
  if (date !== undefined) {
    const day = /^\d{4}-\d{2}-\d{2}$/.test(date) ? Date.parse(`${date}T00:00:00Z`) : Number.NaN;
    if (Number.isNaN(day) || day < from || day >= to) throw badRequest(`date must be a UTC day (YYYY-MM-DD) within the last ${DAYS} days`);
    [from, to] = [day, day + DAY_MS];
  }
  const keyHash = c.req.query("api_key_hash");

  const rows = await activityRows(c.env.DB, { workspaceId: c.var.auth.workspaceId, from, to, keyHash });

  return c.json({
    data: rows.map((r) => ({
      date: r.date,
      model: r.model,
      model_permaslug: r.model,
      endpoint_id: r.provider ? `${r.provider}/${r.model}` : null,
      provider_name: r.provider ? (providerFor(r.provider)?.name ?? r.provider) : null,
      api_key_hash: r.keyHash, // null once the key has been deleted
      api_key_name: r.keyName,
      usage: nanosToUsdNumber(r.usage),
      byok_usage_inference: nanosToUsdNumber(r.byokUsage),
      requests: r.requests,
      prompt_tokens: r.promptTokens,
      completion_tokens: r.completionTokens,
    })),
  });
});
