import { Hono } from "hono";
import { dbOf } from "../db/client.ts";
import { createWorkspace } from "../db/workspaces.ts";
import type { AppEnv } from "../env.ts";
import { field } from "../lib/page-context.ts";
import { errorPage } from "../middleware/error-pages.tsx";

/** A new workspace on the current workspace's account (so it shares the credits); its owner may create it. */
export const workspaceCreation = new Hono<AppEnv>().post("/workspaces", async (c) => {
  const ws = c.get("workspace");
  if (ws.role !== "owner") return errorPage(c, 403, "Only owners can add workspaces", "Ask an owner of this workspace to add one.");
  const name = field(await c.req.parseBody(), "name");
  if (!name || name.length > 60) return errorPage(c, 400, "Workspace not created", "Give the workspace a name of 1 to 60 characters.");
  const id = await createWorkspace(dbOf(c.env.DB), ws.accountId, name, c.get("user")!.id);
  return c.redirect(`/w/${id}?notice=workspace-created`, 303);
});
