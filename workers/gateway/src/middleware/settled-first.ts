import type { MiddlewareHandler } from "hono";
import { rolledUp, settlementsWritten } from "../accounts/spend/client.ts";
import type { AppEnv } from "../env.ts";

/**
 * For routes that read spend from D1 (a key's usage, credits, activity): first waits for this
 * isolate's settlements of the caller's account that are still on their way, then has the
 * account's spend object write its roll-ups of everything settled so far (the open minute too),
 * so an answer's usage is readable in D1 as soon as the answer has arrived. After requireKey.
 */
export const settledFirst: MiddlewareHandler<AppEnv> = async (c, next) => {
  await settlementsWritten(c.var.auth.accountId);
  await rolledUp(c.env, c.var.auth.accountId);
  await next();
};

/** For reads from the account's spend object itself (a generation): only this isolate's settlements on their way. */
export const settlementsArrived: MiddlewareHandler<AppEnv> = async (c, next) => {
  await settlementsWritten(c.var.auth.accountId);
  await next();
};
