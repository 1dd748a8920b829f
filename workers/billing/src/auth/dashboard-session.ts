import { members, sessions, workspaces } from "@switchyard/db";
import { forbidden, unauthorized } from "@switchyard/schemas";
import { and, eq, gt } from "drizzle-orm";
import { drizzle } from "drizzle-orm/d1";
import type { Context } from "hono";
import { getCookie } from "hono/cookie";
import { sha256 } from "hono/utils/crypto";

export const DEFAULT_SESSION_COOKIE = "sy_session";
export const CSRF_HEADER = "x-csrf-token";

/**
 * The dashboard's signed-in user: the session cookie's SHA-256 is a `sessions`
 * row that has not expired, and a state-changing call must echo that session's
 * CSRF token in the x-csrf-token header.
 */
export async function dashboardUser(c: Context, cookieName = DEFAULT_SESSION_COOKIE): Promise<string> {
  const cookie = getCookie(c, cookieName);
  if (!cookie) throw unauthorized("Sign in to the dashboard first");
  const id = await sha256(cookie);
  const [session] = await drizzle(c.env.DB as D1Database)
    .select({ userId: sessions.userId, csrfToken: sessions.csrfToken })
    .from(sessions)
    .where(and(eq(sessions.id, id!), gt(sessions.expiresAt, Date.now())))
    .limit(1);
  if (!session) throw unauthorized("Your dashboard session has expired: sign in again");
  if (!sameText(c.req.header(CSRF_HEADER) ?? "", session.csrfToken)) throw forbidden("Missing or wrong CSRF token");
  return session.userId;
}

/** The account a user may buy credits for through this workspace: owners and admins only. */
export async function purchasingAccount(db: D1Database, userId: string, workspaceId: string): Promise<string> {
  const [row] = await drizzle(db)
    .select({ accountId: workspaces.accountId, role: members.role })
    .from(members)
    .innerJoin(workspaces, eq(workspaces.id, members.workspaceId))
    .where(and(eq(members.userId, userId), eq(members.workspaceId, workspaceId)))
    .limit(1);
  if (!row || row.role === "member") throw forbidden("Only a workspace owner or admin can buy credits");
  return row.accountId;
}

/** Compares in time independent of where the strings differ. */
function sameText(a: string, b: string): boolean {
  const x = new TextEncoder().encode(a);
  const y = new TextEncoder().encode(b);
  let diff = x.length ^ y.length;
  for (let i = 0; i < Math.max(x.length, y.length); i++) diff |= (x[i] ?? 0) ^ (y[i] ?? 0);
  return diff === 0;
}
