import { allModels, findModel, toOpenRouterEndpoints, toOpenRouterModel } from "@switchyard/catalog";
import { clip, notFound } from "@switchyard/schemas";
import { Hono } from "hono";
import type { AppEnv } from "../env.ts";
import { endpointHealthKey } from "@switchyard/router";
import { flushStats, statsObject } from "../health/stats-recorder.ts";

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
    return c.json(toOpenRouterEndpoints(model, (e) => (Object.hasOwn(stats, endpointHealthKey(e)) ? stats[endpointHealthKey(e)] : undefined)));
  });
