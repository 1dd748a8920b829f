import { sessions, users } from "@switchyard/db";
import { and, eq, gt, lt } from "drizzle-orm";
import type { Context } from "hono";
import { deleteCookie, getCookie, setCookie } from "hono/cookie";
import type { Db } from "../db/client.ts";
import type { SignedInUser } from "../env.ts";
import { randomToken, sha256Hex } from "../lib/encoding.ts";

/**
 * Sessions live in D1. The cookie holds a random token; D1 holds only its SHA-256,
 * so a leaked database row cannot be replayed as a cookie. Each session carries
 * its own CSRF token, embedded in every form.
 */
export const SESSION_COOKIE = "sy_session";
export const SESSION_TTL_MS = 14 * 24 * 3600 * 1000;

const cookieOptions = { httpOnly: true, secure: true, sameSite: "Lax", path: "/" } as const;

/** A new session (new token, new CSRF token); the user's expired sessions are swept on the way. */
export async function startSession(c: Context, db: Db, userId: string): Promise<void> {
  const token = randomToken();
  const now = Date.now();
  await db.batch([
    db.delete(sessions).where(and(eq(sessions.userId, userId), lt(sessions.expiresAt, now))),
    db.insert(sessions).values({ id: await sha256Hex(token), userId, csrfToken: randomToken(), expiresAt: now + SESSION_TTL_MS }),
  ]);
  setCookie(c, SESSION_COOKIE, token, { ...cookieOptions, maxAge: SESSION_TTL_MS / 1000 });
}

/** The signed-in user of this request, or undefined (no cookie, unknown or expired session). */
export async function readSession(c: Context, db: Db): Promise<SignedInUser | undefined> {
  const token = getCookie(c, SESSION_COOKIE);
  if (!token) return undefined;
  const id = await sha256Hex(token);
  const rows = await db
    .select({ id: users.id, email: users.email, csrfToken: sessions.csrfToken })
    .from(sessions)
    .innerJoin(users, eq(users.id, sessions.userId))
    .where(and(eq(sessions.id, id), gt(sessions.expiresAt, Date.now())))
    .limit(1);
  const row = rows[0];
  return row ? { ...row, sessionId: id } : undefined;
}

export async function endSession(c: Context, db: Db, sessionId: string): Promise<void> {
  await db.delete(sessions).where(eq(sessions.id, sessionId));
  deleteCookie(c, SESSION_COOKIE, cookieOptions);
}
