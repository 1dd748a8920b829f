import { OverviewPage } from "@switchyard/dashboards";
import { Hono } from "hono";
import { dbOf } from "../db/client.ts";
import { rolledUpFirst } from "../db/rolled-up-first.ts";
import { usageSummary } from "../db/usage.ts";
import { balanceNanos, workspaceSettings } from "../db/workspaces.ts";
import type { AppEnv } from "../env.ts";
import { pageContext } from "../lib/page-context.ts";

export const overview = new Hono<AppEnv>().get("/", async (c) => {
  const db = dbOf(c.env.DB);
  const ws = c.get("workspace");
  await rolledUpFirst(c.env, ws.accountId);
  const [usage, balance, settings] = await Promise.all([usageSummary(db, ws.id), balanceNanos(db, ws.accountId), workspaceSettings(db, ws.id)]);
  return c.html(
    <OverviewPage
      ctx={pageContext(c, "overview")}
      data={{
        balanceNanos: balance,
        spend30dNanos: usage.spendNanos,
        requests30d: usage.requests,
        monthSpendNanos: usage.monthSpendNanos,
        monthlyBudgetNanos: settings.monthlyBudgetNanos,
        chart: { days: usage.days, series: usage.series },
        topKeys: usage.topKeys,
      }}
    />,
  );
});
