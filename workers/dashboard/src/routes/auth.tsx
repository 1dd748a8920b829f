import { SignInPage, SignUpPage } from "@switchyard/dashboards";
import { Hono } from "hono";
import { deleteCookie } from "hono/cookie";
import { z } from "zod";
import { formToken, PRE_SESSION_COOKIE } from "../auth/csrf.ts";
import { rememberDevice, trustedDevice } from "../auth/device-cookie.ts";
import { DUMMY_PASSWORD_HASH, hashPassword, verifyPassword } from "../auth/password.ts";
import { endSession, startSession } from "../auth/session.ts";
import { countSignInAttempt } from "../auth/sign-in-limit.ts";
import { dbOf } from "../db/client.ts";
import { createUserWithWorkspace, findUserByEmail } from "../db/workspaces.ts";
import type { AppEnv } from "../env.ts";
import { field } from "../lib/page-context.ts";

const email = z.email({ error: "Enter a valid email address." }).max(254);
const newPassword = z.string().min(10, { error: "Use at least 10 characters for your password." }).max(200, { error: "That password is too long." });

/** Only same-site paths: `next` must never send a user to another site after sign-in. */
const safeNext = (next: string) => (/^\/(?!\/)[\w\-./?=&%]*$/.test(next) ? next : "/");

export const auth = new Hono<AppEnv>()
  .get("/signup", (c) => (c.get("user") ? c.redirect("/") : c.html(<SignUpPage csrfToken={formToken(c)} />)))
  .post("/signup", async (c) => {
    const body = await c.req.parseBody();
    const input = { email: field(body, "email").toLowerCase(), password: typeof body.password === "string" ? body.password : "" };
    const parsed = z.object({ email, password: newPassword }).safeParse(input);
    const again = (error: string, status: 400 | 409) => c.html(<SignUpPage csrfToken={formToken(c)} email={input.email} error={error} />, status);
    if (!parsed.success) return again(parsed.error.issues[0]!.message, 400);

    const db = dbOf(c.env.DB);
    if (await findUserByEmail(db, parsed.data.email)) return again("An account with this email already exists. Sign in instead.", 409);
    const { userId, workspaceId } = await createUserWithWorkspace(db, parsed.data.email, await hashPassword(parsed.data.password));
    await startSession(c, db, userId);
    await rememberDevice(c, parsed.data.email);
    deleteCookie(c, PRE_SESSION_COOKIE, { path: "/", secure: true });
    return c.redirect(`/w/${workspaceId}?notice=signed-up`, 303);
  })
  .get("/signin", (c) => {
    if (c.get("user")) return c.redirect("/");
    return c.html(<SignInPage csrfToken={formToken(c)} next={c.req.query("next")} />);
  })
  .post("/signin", async (c) => {
    const body = await c.req.parseBody();
    const address = field(body, "email").toLowerCase();
    const password = typeof body.password === "string" ? body.password : "";
    const next = safeNext(field(body, "next") || "/");
    const db = dbOf(c.env.DB);
    // counted before the password is checked: concurrent guesses cannot get past the limit
    // (a browser that signed in as this email before is counted on its own, see device-cookie.ts)
    const attempt = await countSignInAttempt(db, address, c.req.header("cf-connecting-ip") ?? null, await trustedDevice(c, address));
    if (attempt.retryAfterSeconds !== null) {
      const minutes = Math.ceil(attempt.retryAfterSeconds / 60);
      const error = `Too many sign-in attempts. Try again in ${minutes} minute${minutes === 1 ? "" : "s"}.`;
      c.header("retry-after", String(attempt.retryAfterSeconds));
      return c.html(<SignInPage csrfToken={formToken(c)} email={address} next={next} error={error} />, 429);
    }
    const user = await findUserByEmail(db, address);
    // Hash even for an unknown email, so the answer takes as long either way.
    const ok = await verifyPassword(password, user?.passwordHash ?? DUMMY_PASSWORD_HASH);
    if (!user || !ok) {
      return c.html(<SignInPage csrfToken={formToken(c)} email={address} next={next} error="Email or password is incorrect." />, 401);
    }
    await attempt.succeeded();
    await startSession(c, db, user.id);
    await rememberDevice(c, address);
    deleteCookie(c, PRE_SESSION_COOKIE, { path: "/", secure: true });
    return c.redirect(next, 303);
  })
  .post("/signout", async (c) => {
    const user = c.get("user");
    if (user) await endSession(c, dbOf(c.env.DB), user.sessionId);
    return c.redirect("/signin", 303);
  });
