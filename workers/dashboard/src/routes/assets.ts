import { copyScript, stylesheet } from "@switchyard/dashboards";
import { Hono } from "hono";

/** The stylesheet and the copy-button script, from memory; cached for an hour. */
const cache = "public, max-age=3600";

export const assets = new Hono()
  .get("/app.css", (c) => c.body(stylesheet, 200, { "content-type": "text/css; charset=utf-8", "cache-control": cache }))
  .get("/app.js", (c) => c.body(copyScript, 200, { "content-type": "text/javascript; charset=utf-8", "cache-control": cache }));
