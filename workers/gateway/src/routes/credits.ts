import { nanosToUsdNumber } from "@switchyard/catalog";
import { accountBalances, ledgerEntries } from "@switchyard/db";
import { and, eq, inArray, sql } from "drizzle-orm";
import { drizzle } from "drizzle-orm/d1";
import { Hono } from "hono";
import { ANY_KEY, requireKey } from "../accounts/auth.ts";
import type { AppEnv } from "../env.ts";
import { settledFirst } from "../middleware/settled-first.ts";

/** Ledger kinds that add to (or, for refunds and disputes, take back) an account's credits; the rest is usage. */
const CREDIT_KINDS = ["purchase", "refund", "dispute", "adjustment"] as const;

/**
 * GET /api/v1/credits: the caller's account. total_credits sums the credit
 * entries (few rows, through the (account_id, kind) index); total_usage is
 * total_credits − balance, which equals the sum of the usage entries because
 * the balance equals the ledger (what reconcileAccount checks).
 */
export const credits = new Hono<AppEnv>().get("/", requireKey(ANY_KEY), settledFirst, async (c) => {
  const accountId = c.var.auth.accountId;
  const d = drizzle(c.env.DB);
  const [creditRows, balanceRows] = await d.batch([
    d
      .select({ credits: sql<number>`COALESCE(SUM(${ledgerEntries.amountNanos}), 0)` })
      .from(ledgerEntries)
      .where(and(eq(ledgerEntries.accountId, accountId), inArray(ledgerEntries.kind, [...CREDIT_KINDS]))),
    d.select({ balance: accountBalances.balanceNanos }).from(accountBalances).where(eq(accountBalances.accountId, accountId)),
  ]);
  const totalCredits = creditRows[0]?.credits ?? 0;
  const balance = balanceRows[0]?.balance ?? 0;
  return c.json({ data: { total_credits: nanosToUsdNumber(totalCredits), total_usage: nanosToUsdNumber(totalCredits - balance) } });
});
