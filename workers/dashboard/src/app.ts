import { Hono } from "hono";
import { secureHeaders } from "hono/secure-headers";
import { requireCsrfToken, sameOrigin } from "./auth/csrf.ts";
import type { AppEnv } from "./env.ts";
import { capRequestBody } from "./middleware/body-limit.ts";
import { notFoundPage, onErrorPage } from "./middleware/error-pages.tsx";
import { loadSession, requireUser } from "./middleware/session.ts";
import { loadWorkspace, managersChange } from "./middleware/workspace.ts";
import { activity } from "./routes/activity.tsx";
import { assets } from "./routes/assets.ts";
import { auth } from "./routes/auth.tsx";
import { byok } from "./routes/byok.tsx";
import { credits } from "./routes/credits.tsx";
import { home } from "./routes/home.ts";
import { keys } from "./routes/keys.tsx";
import { overview } from "./routes/overview.tsx";
import { settings } from "./routes/settings.tsx";
import { workspaceCreation } from "./routes/workspaces.ts";

/** Pages inside one workspace: members only; changes by owners and admins only. */
const workspace = new Hono<AppEnv>()
  .use(requireUser, loadWorkspace, managersChange)
  .route("/", overview)
  .route("/", activity)
  .route("/", settings)
  .route("/", workspaceCreation)
  .route("/keys", keys)
  .route("/credits", credits)
  .route("/byok", byok);

/** Everything a browser uses: sessions, and CSRF checks (origin + token) on every POST. */
const site = new Hono<AppEnv>()
  .use(async (c, next) => {
    await next();
    if (!c.res.headers.has("cache-control")) c.header("cache-control", "private, no-store");
  })
  .use(loadSession, sameOrigin, requireCsrfToken)
  .route("/", auth)
  .route("/", home)
  .route("/w/:workspaceId", workspace);

export const app = new Hono<AppEnv>()
  .use(
    secureHeaders({
      contentSecurityPolicy: {
        defaultSrc: ["'self'"],
        scriptSrc: ["'self'"],
        styleSrc: ["'self'", "'unsafe-inline'"],
        imgSrc: ["'self'", "data:"],
        frameAncestors: ["'none'"],
      },
    }),
    capRequestBody, // first: nothing reads a body (session, CSRF, forms) before the cap applies
  )
  .get("/health", (c) => c.json({ status: "ok" }))
  .route("/assets", assets)
  .route("/", site);

app.onError(onErrorPage);
app.notFound(notFoundPage);
