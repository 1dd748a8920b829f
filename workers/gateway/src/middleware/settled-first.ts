import type { MiddlewareHandler } from "hono";
import { settlementsWritten } from "../accounts/spend/client.ts";
import type { AppEnv } from "../env.ts";

/**
 * For routes that read spend (a key's usage, credits, activity, a generation's stats): first
 * waits for this isolate's settlements of the caller's account that are still on their way, so
 * an answer is readable as soon as it has arrived. After requireKey.
 */
export const settledFirst: MiddlewareHandler<AppEnv> = async (c, next) => {
  await settlementsWritten(c.var.auth.accountId);
  await next();
};
