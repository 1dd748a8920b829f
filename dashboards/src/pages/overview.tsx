import { type DailySeries, StackedBarChart } from "../charts/stacked-bars.tsx";
import { Shell, workspacePath } from "../components/shell.tsx";
import { num, TableSection } from "../components/table-section.tsx";
import { formatCount, formatUsd, formatUsdExact } from "../format.ts";
import type { PageContext } from "../types.ts";

export interface TopKey {
  id: string;
  name: string;
  prefix: string;
  requests: number;
  spendNanos: number;
}

export interface OverviewData {
  balanceNanos: number;
  spend30dNanos: number;
  requests30d: number;
  monthSpendNanos: number;
  monthlyBudgetNanos: number | null;
  chart: { days: string[]; series: DailySeries[] };
  topKeys: TopKey[];
}

const Stat = ({ label, value, hint, id, exact }: { label: string; value: string; hint?: string; id?: string; exact?: string }) => (
  <div class="card stat">
    <div class="label">{label}</div>
    <div class="value" id={id} title={exact}>
      {value}
    </div>
    {hint ? <div class="muted small">{hint}</div> : null}
  </div>
);

export const OverviewPage = ({ ctx, data }: { ctx: PageContext; data: OverviewData }) => {
  const budget = data.monthlyBudgetNanos;
  return (
    <Shell ctx={ctx} title="Overview">
      <div class="page-head">
        <h1>Overview</h1>
        <a class="button" href={workspacePath(ctx.workspace.id, "/credits")}>
          Add credits
        </a>
      </div>
      <div class="grid">
        <Stat id="balance" label="Credit balance" value={formatUsd(data.balanceNanos)} exact={formatUsdExact(data.balanceNanos)} hint="Shared by the account's workspaces" />
        <Stat label="Spend, last 30 days" value={formatUsd(data.spend30dNanos)} hint={`${formatCount(data.requests30d)} ${data.requests30d === 1 ? "request" : "requests"}`} />
        <Stat
          label="Spend this month"
          value={formatUsd(data.monthSpendNanos)}
          hint={budget === null ? "No monthly budget set" : `of ${formatUsd(budget)} budget`}
        />
      </div>
      <section class="card">
        <h2>Spend by day and model</h2>
        {data.chart.series.length === 0 ? (
          <p class="empty">No spend in the last 30 days. Create an API key and send a request to see it here.</p>
        ) : (
          <StackedBarChart days={data.chart.days} series={data.chart.series} label="Spend per day over the last 30 days, stacked by model" />
        )}
      </section>
      <TableSection
        title="Top keys, last 30 days"
        id="top-keys"
        columns={["Key", num("Requests"), num("Spend")]}
        empty={data.topKeys.length ? null : "No requests yet."}
      >
        {data.topKeys.map((k) => (
          <tr>
            <td>
              {k.name} <code class="muted">{k.prefix}…</code>
            </td>
            <td class="num">{formatCount(k.requests)}</td>
            <td class="num">{formatUsd(k.spendNanos)}</td>
          </tr>
        ))}
      </TableSection>
    </Shell>
  );
};
