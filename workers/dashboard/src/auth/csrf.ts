import type { Context, MiddlewareHandler } from "hono";
import { getCookie, setCookie } from "hono/cookie";
import { csrf } from "hono/csrf";
import type { AppEnv } from "../env.ts";
import { constantTimeEqual, randomToken } from "../lib/encoding.ts";
import { errorPage } from "../middleware/error-pages.tsx";

/**
 * Two CSRF defences on every POST:
 * 1. hono's csrf middleware: the browser's Origin / Sec-Fetch-Site must say same origin;
 * 2. a token in a hidden `_csrf` field equal to the session's token — or, before
 *    sign-in, to a random token in the `sy_csrf` cookie (double submit), so that
 *    the sign-in and sign-up forms are covered too.
 */
export const PRE_SESSION_COOKIE = "sy_csrf";

export const sameOrigin = csrf();

/** The token forms must carry: the session's, or a pre-session one set now. */
export function formToken(c: Context<AppEnv>): string {
  const user = c.get("user");
  if (user) return user.csrfToken;
  let token = getCookie(c, PRE_SESSION_COOKIE);
  if (!token) {
    token = randomToken();
    setCookie(c, PRE_SESSION_COOKIE, token, { httpOnly: true, secure: true, sameSite: "Lax", path: "/", maxAge: 2 * 3600 });
  }
  return token;
}

export const requireCsrfToken: MiddlewareHandler<AppEnv> = async (c, next) => {
  if (c.req.method !== "POST") return next();
  const body = await c.req.parseBody();
  const sent = typeof body._csrf === "string" ? body._csrf : "";
  const expected = c.get("user")?.csrfToken ?? getCookie(c, PRE_SESSION_COOKIE) ?? "";
  if (!sent || !expected || !constantTimeEqual(sent, expected)) {
    return errorPage(c, 403, "Form expired", "This form was out of date or did not come from this site. Go back, reload the page and try again.");
  }
  await next();
};
