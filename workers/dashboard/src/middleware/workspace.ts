import { canManage } from "@switchyard/dashboards";
import type { MiddlewareHandler } from "hono";
import { dbOf } from "../db/client.ts";
import { memberships } from "../db/workspaces.ts";
import type { AppEnv } from "../env.ts";
import { forbiddenPage, notFoundPage } from "./error-pages.tsx";

/**
 * For /w/:workspaceId/*: the user must be a member. One query loads all their
 * memberships (the switcher needs them anyway). A workspace they do not belong to
 * is "not found", the same answer as one that does not exist.
 */
export const loadWorkspace: MiddlewareHandler<AppEnv> = async (c, next) => {
  const all = await memberships(dbOf(c.env.DB), c.get("user")!.id);
  const current = all.find((w) => w.id === c.req.param("workspaceId"));
  if (!current) return notFoundPage(c);
  c.set("workspaces", all);
  c.set("workspace", current);
  await next();
};

/** Members are read-only: every change in a workspace needs an owner or admin. */
export const managersChange: MiddlewareHandler<AppEnv> = async (c, next) => {
  if (c.req.method !== "GET" && c.req.method !== "HEAD" && !canManage(c.get("workspace").role)) return forbiddenPage(c);
  await next();
};
