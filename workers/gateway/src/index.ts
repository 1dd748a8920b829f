import { app } from "./app.ts";
import type { Env } from "./env.ts";
import { resealProviderKeys } from "./byok/reseal.ts";

export { ProviderHealth } from "./health/provider-health.ts";
export { EndpointStats } from "./health/endpoint-stats.ts";
export { FreeTierLimiter } from "./routing/free-tier-limiter.ts";
export { AccountSpend } from "./accounts/spend/account-spend.ts";

export default {
  fetch: app.fetch,
  /** The cron trigger (wrangler.toml): BYOK keys move onto the newest master key after a rotation. */
  scheduled(_controller, env, ctx) {
    ctx.waitUntil(resealProviderKeys(env).then(() => {}));
  },
} satisfies ExportedHandler<Env>;
