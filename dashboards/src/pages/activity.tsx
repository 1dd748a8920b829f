import { Shell, workspacePath } from "../components/shell.tsx";
import { num, TableSection } from "../components/table-section.tsx";
import { formatCount, formatTime, formatUsdExact } from "../format.ts";
import type { PageContext } from "../types.ts";

export interface ActivityRow {
  id: string;
  createdAt: number;
  model: string;
  provider: string | null;
  keyName: string | null;
  promptTokens: number;
  completionTokens: number;
  costNanos: number;
  latencyMs: number | null;
  status: "success" | "error" | "cancelled";
  errorCode: number | null;
  streamed: boolean;
  byok: boolean;
}

export interface ActivityFilters {
  model?: string;
  key?: string;
  status?: string;
  from?: string;
  to?: string;
}

export interface ActivityData {
  rows: ActivityRow[];
  filters: ActivityFilters;
  models: string[];
  keys: Array<{ id: string; name: string }>;
  /** Query string of the next (older) page, if any. */
  olderQuery: string | null;
  /** Query string of the current filters, for the CSV link. */
  filterQuery: string;
}

const Status = ({ row }: { row: ActivityRow }) =>
  row.status === "success" ? (
    <span class="badge ok">OK</span>
  ) : (
    <span class="badge bad">{row.status === "cancelled" ? "Cancelled" : `Error${row.errorCode ? ` ${row.errorCode}` : ""}`}</span>
  );

const Select = ({ name, label, value, options }: { name: string; label: string; value?: string; options: Array<[string, string]> }) => (
  <label>
    {label}
    <select name={name}>
      <option value="">All</option>
      {options.map(([v, text]) => (
        <option value={v} selected={v === value}>
          {text}
        </option>
      ))}
    </select>
  </label>
);

export const ActivityPage = ({ ctx, data }: { ctx: PageContext; data: ActivityData }) => {
  const f = data.filters;
  const base = workspacePath(ctx.workspace.id, "/activity");
  return (
    <Shell ctx={ctx} title="Activity">
      <div class="page-head">
        <h1>Activity</h1>
        <a class="button secondary" href={`${base}.csv${data.filterQuery ? `?${data.filterQuery}` : ""}`} id="csv-export">
          Export CSV
        </a>
      </div>
      <form method="get" action={base} class="card row" id="filters">
        <Select name="model" label="Model" value={f.model} options={data.models.map((m) => [m, m])} />
        <Select name="key" label="Key" value={f.key} options={data.keys.map((k) => [k.id, k.name])} />
        <Select name="status" label="Status" value={f.status} options={[["success", "Success"], ["error", "Error"], ["cancelled", "Cancelled"]]} />
        <label>
          From
          <input type="date" name="from" value={f.from ?? ""} />
        </label>
        <label>
          To
          <input type="date" name="to" value={f.to ?? ""} />
        </label>
        <button type="submit">Filter</button>
        <a href={base} class="small">
          Clear
        </a>
      </form>
      <TableSection
        id="activity"
        columns={["Time", "Model", "Provider", "Key", num("Tokens in"), num("Tokens out"), num("Cost"), num("Latency"), "Status"]}
        empty={data.rows.length ? null : "No requests match."}
        footer={
          data.olderQuery ? (
            <p>
              <a href={`${base}?${data.olderQuery}`}>Older →</a>
            </p>
          ) : null
        }
      >
        {data.rows.map((r) => (
          <tr data-generation-id={r.id}>
            <td title={r.id}>{formatTime(r.createdAt, true)}</td>
            <td>
              {r.model}
              {r.streamed ? <span class="muted small"> · stream</span> : null}
            </td>
            <td>
              {r.provider ?? "—"}
              {r.byok ? <span class="badge dim">BYOK</span> : null}
            </td>
            <td>{r.keyName ?? <span class="muted">deleted key</span>}</td>
            <td class="num">{formatCount(r.promptTokens)}</td>
            <td class="num">{formatCount(r.completionTokens)}</td>
            <td class="num">{formatUsdExact(r.costNanos)}</td>
            <td class="num">{r.latencyMs === null ? "—" : `${formatCount(r.latencyMs)} ms`}</td>
            <td>
              <Status row={r} />
            </td>
          </tr>
        ))}
      </TableSection>
    </Shell>
  );
};
