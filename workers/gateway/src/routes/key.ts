import { nanosToUsdNumber } from "@switchyard/catalog";
import { apiKeys, ledgerEntries } from "@switchyard/db";
import { and, eq, sql } from "drizzle-orm";
import { drizzle } from "drizzle-orm/d1";
import { Hono } from "hono";
import { ANY_KEY, requireKey } from "../accounts/auth.ts";
import { keyUsageFields, NO_USAGE, spentBy } from "../accounts/key-usage.ts";
import { keyLabel, limitFields } from "../accounts/key-view.ts";
import type { AppEnv } from "../env.ts";
import { now } from "../lib/clock.ts";
import { settledFirst } from "../middleware/settled-first.ts";

const usd = nanosToUsdNumber;

/** GET /api/v1/key: the calling key, its spend and what is left of its limit (OpenRouter's shape). */
export const currentKey = new Hono<AppEnv>().get("/", requireKey(ANY_KEY), settledFirst, async (c) => {
  const auth = c.var.auth;
  const at = now();
  const d = drizzle(c.env.DB);
  const [keys, purchases] = await d.batch([
    d
      .select({ limitNanos: apiKeys.limitNanos, limitReset: apiKeys.limitReset, expiresAt: apiKeys.expiresAt, ...keyUsageFields(at) })
      .from(apiKeys)
      .leftJoin(ledgerEntries, spentBy)
      .where(eq(apiKeys.id, auth.keyId))
      .groupBy(apiKeys.id),
    d
      .select({ one: sql`1` })
      .from(ledgerEntries)
      .where(and(eq(ledgerEntries.accountId, auth.accountId), eq(ledgerEntries.kind, "purchase")))
      .limit(1),
  ]);
  const key = keys[0] ?? { ...auth, ...NO_USAGE }; // deleted since it was cached: show what the cache allowed
  return c.json({
    data: {
      label: keyLabel(auth.prefix),
      name: auth.name,
      usage: usd(key.total),
      usage_daily: usd(key.daily),
      usage_weekly: usd(key.weekly),
      usage_monthly: usd(key.monthly),
      ...limitFields(key, key),
      // free tier = an account that has never bought credits
      is_free_tier: purchases.length === 0,
      is_management_key: auth.kind === "management",
      is_provisioning_key: auth.kind === "management",
      rate_limit: { requests: -1, interval: "10s", note: "switchyard does not rate limit keys; spend is bounded by credits, key limits and budgets" },
      expires_at: key.expiresAt === null ? null : new Date(key.expiresAt).toISOString(),
    },
  });
});
