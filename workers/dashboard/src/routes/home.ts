import { Hono } from "hono";
import { dbOf } from "../db/client.ts";
import { memberships } from "../db/workspaces.ts";
import type { AppEnv } from "../env.ts";
import { errorPage } from "../middleware/error-pages.tsx";
import { requireUser } from "../middleware/session.ts";

/** "/" opens the user's first workspace. */
export const home = new Hono<AppEnv>().get("/", requireUser, async (c) => {
  const [first] = await memberships(dbOf(c.env.DB), c.get("user")!.id);
  if (!first) return errorPage(c, 404, "No workspace", "You are not a member of any workspace. Ask an owner to add you, or sign up again with another email.");
  return c.redirect(`/w/${first.id}`);
});
