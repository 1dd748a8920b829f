import { allModels, findModel, toOpenRouterEndpoints, toOpenRouterModel } from "@switchyard/catalog";
import { clip, notFound } from "@switchyard/schemas";
import { Hono } from "hono";
import type { AppEnv } from "../env.ts";

/** The catalog in OpenRouter's shapes. Public: no key needed, as on OpenRouter. */
export const models = new Hono<AppEnv>()
  .get("/", (c) => c.json({ data: allModels().map(toOpenRouterModel) }))
  .get("/:author/:slug/endpoints", (c) => {
    const id = `${c.req.param("author")}/${c.req.param("slug")}`;
    const model = findModel(id);
    if (!model) throw notFound(`Model ${clip(id)} does not exist`, { model: clip(id) });
    return c.json(toOpenRouterEndpoints(model));
  });
