import type { MiddlewareHandler } from "hono";
import { readSession } from "../auth/session.ts";
import { dbOf } from "../db/client.ts";
import type { AppEnv } from "../env.ts";

export const loadSession: MiddlewareHandler<AppEnv> = async (c, next) => {
  c.set("user", await readSession(c, dbOf(c.env.DB)));
  await next();
};

/** Signed-out visitors go to the sign-in page and come back afterwards. */
export const requireUser: MiddlewareHandler<AppEnv> = async (c, next) => {
  if (!c.get("user")) {
    const url = new URL(c.req.url);
    const next = c.req.method === "GET" ? `?next=${encodeURIComponent(url.pathname + url.search)}` : "";
    return c.redirect(`/signin${next}`, 303);
  }
  await next();
};
