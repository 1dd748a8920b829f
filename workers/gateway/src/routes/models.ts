import { allModels, findModel, type OpenRouterEndpointStats, toOpenRouterEndpoints, toOpenRouterModel } from "@switchyard/catalog";
import { clip, notFound } from "@switchyard/schemas";
import { Hono } from "hono";
import type { AppEnv } from "../env.ts";
import { endpointHealthKey } from "@switchyard/router";
import { flushStats, statsObject } from "../health/stats-recorder.ts";
import type { EndpointStatsSummary } from "../health/stats-types.ts";

/** The fields OpenRouter shows, nothing else of the summary. */
function shown(s: EndpointStatsSummary | undefined): OpenRouterEndpointStats | undefined {
  if (!s) return undefined;
  const { uptime_last_5m, uptime_last_30m, uptime_last_1d, latency_last_30m, throughput_last_30m } = s;
  return { uptime_last_5m, uptime_last_30m, uptime_last_1d, latency_last_30m, throughput_last_30m };
}

/** The catalog in OpenRouter's shapes. Public: no key needed, as on OpenRouter. */
export const models = new Hono<AppEnv>()
  .get("/", (c) => c.json({ data: allModels().map(toOpenRouterModel) }))
  .get("/:author/:slug/endpoints", async (c) => {
    const id = `${c.req.param("author")}/${c.req.param("slug")}`;
    const model = findModel(id);
    if (!model) throw notFound(`Model ${clip(id)} does not exist`, { model: clip(id) });
    // Measured stats are advisory: without the stats object the list still answers, with nulls.
    const stats = await flushStats(c.env)
      .then(() => statsObject(c.env).snapshot())
      .catch(() => ({}) as Record<string, never>);
    return c.json(toOpenRouterEndpoints(model, (e) => shown(Object.hasOwn(stats, endpointHealthKey(e)) ? stats[endpointHealthKey(e)] : undefined)));
  });
