import { ReadOnlyNotice } from "../components/alerts.tsx";
import { CsrfField } from "../components/csrf.tsx";
import { PostButton } from "../components/post-button.tsx";
import { Shell, workspacePath } from "../components/shell.tsx";
import { num, TableSection } from "../components/table-section.tsx";
import { formatTime, formatUsd, nanosToInput, timeAgo } from "../format.ts";
import { canManage, type PageContext } from "../types.ts";

export type LimitReset = "none" | "daily" | "weekly" | "monthly";
export type KeyKind = "inference" | "management";

export interface KeyRow {
  id: string;
  name: string;
  /** Inference keys call the API; management keys call the provisioning API (/api/v1/keys). */
  kind: KeyKind;
  prefix: string;
  limitNanos: number | null;
  limitReset: LimitReset;
  disabled: boolean;
  lastUsedAt: number | null;
  createdAt: number;
  spend30dNanos: number;
}

export interface KeysData {
  keys: KeyRow[];
  /** The key just created: its only appearance. */
  created: { name: string; key: string; kind: KeyKind } | null;
  gatewayUrl: string;
  /** Values to refill the create form with after an error. */
  form?: { name?: string; limit?: string; reset?: string; kind?: string };
}

const RESETS: Array<[LimitReset, string]> = [
  ["none", "Never (lifetime limit)"],
  ["daily", "Daily"],
  ["weekly", "Weekly"],
  ["monthly", "Monthly"],
];

const LimitFields = ({ limit, reset, disabled }: { limit: string; reset: string; disabled: boolean }) => (
  <>
    <label>
      Credit limit (USD)
      <input type="text" name="limit" inputmode="decimal" value={limit} placeholder="No limit" disabled={disabled} />
    </label>
    <label>
      Limit resets
      <select name="reset" disabled={disabled}>
        {RESETS.map(([value, label]) => (
          <option value={value} selected={value === reset}>
            {label}
          </option>
        ))}
      </select>
    </label>
  </>
);

const NewKey = ({ created, gatewayUrl }: { created: NonNullable<KeysData["created"]>; gatewayUrl: string }) => (
  <section class="card" id="new-key">
    <h2>Key “{created.name}” created</h2>
    <p>Copy it now: it is shown only this once. Only its hash is stored.</p>
    <div class="secret">
      <code id="new-key-value">{created.key}</code>
      <button type="button" class="secondary" data-copy="new-key-value">
        Copy
      </button>
    </div>
    <p class="muted small">Try it:</p>
    <pre class="mono small" style="white-space:pre-wrap">
      {created.kind === "management"
        ? `curl ${gatewayUrl}/api/v1/keys \\\n  -H "Authorization: Bearer ${created.key}"`
        : `curl ${gatewayUrl}/api/v1/chat/completions \\\n  -H "Authorization: Bearer ${created.key}" \\\n  -H "Content-Type: application/json" \\\n  -d '{"model":"mock/echo","messages":[{"role":"user","content":"Hello"}]}'`}
    </pre>
  </section>
);

const KeyActions = ({ ctx, k }: { ctx: PageContext; k: KeyRow }) => {
  const base = workspacePath(ctx.workspace.id, `/keys/${k.id}`);
  return (
    <details class="edit">
      <summary>Edit</summary>
      <form method="post" action={base} class="stack">
        <CsrfField token={ctx.csrfToken} />
        <label>
          Name
          <input type="text" name="name" value={k.name} required maxlength={100} />
        </label>
        <LimitFields limit={nanosToInput(k.limitNanos)} reset={k.limitReset} disabled={false} />
        <button type="submit">Save</button>
      </form>
      <div class="row" style="margin-top:.6rem">
        <PostButton action={`${base}/${k.disabled ? "enable" : "disable"}`} csrfToken={ctx.csrfToken} label={k.disabled ? "Enable" : "Disable"} variant="secondary" />
        <PostButton action={`${base}/delete`} csrfToken={ctx.csrfToken} label="Delete" variant="danger" />
      </div>
    </details>
  );
};

export const KeysPage = ({ ctx, data }: { ctx: PageContext; data: KeysData }) => {
  const manage = canManage(ctx.role);
  return (
    <Shell ctx={ctx} title="API keys">
      <h1>API keys</h1>
      {!manage ? <ReadOnlyNotice /> : null}
      {data.created ? <NewKey created={data.created} gatewayUrl={data.gatewayUrl} /> : null}
      <section class="card">
        <h2>Create a key</h2>
        <form method="post" action={workspacePath(ctx.workspace.id, "/keys")} class="row" id="create-key">
          <CsrfField token={ctx.csrfToken} />
          <label>
            Name
            <input type="text" name="name" required maxlength={100} placeholder="Production" value={data.form?.name ?? ""} disabled={!manage} />
          </label>
          <LimitFields limit={data.form?.limit ?? ""} reset={data.form?.reset ?? "none"} disabled={!manage} />
          <label>
            Kind
            <select name="kind" disabled={!manage}>
              <option value="inference">API calls (inference)</option>
              <option value="management" selected={data.form?.kind === "management"}>
                Managing keys (provisioning API)
              </option>
            </select>
          </label>
          <button type="submit" disabled={!manage}>
            Create key
          </button>
        </form>
      </section>
      <TableSection
        title="Keys"
        id="keys"
        columns={["Name", "Key", "Status", num("Limit"), num("Spend (30 d)"), "Last used", "Created", ...(manage ? [""] : [])]}
        empty={data.keys.length ? null : "No keys yet."}
      >
        {data.keys.map((k) => (
          <tr data-key-id={k.id}>
            <td>
              {k.name} {k.kind === "management" ? <span class="badge dim">management</span> : null}
            </td>
            <td>
              <code>{k.prefix}…</code>
            </td>
            <td>{k.disabled ? <span class="badge bad">Disabled</span> : <span class="badge ok">Active</span>}</td>
            <td class="num">
              {k.limitNanos === null ? "—" : formatUsd(k.limitNanos)}
              {k.limitNanos !== null && k.limitReset !== "none" ? <span class="muted small"> / {k.limitReset}</span> : null}
            </td>
            <td class="num">{formatUsd(k.spend30dNanos)}</td>
            <td title={formatTime(k.lastUsedAt)}>{timeAgo(k.lastUsedAt)}</td>
            <td>{formatTime(k.createdAt)}</td>
            {manage ? (
              <td>
                <KeyActions ctx={ctx} k={k} />
              </td>
            ) : null}
          </tr>
        ))}
      </TableSection>
    </Shell>
  );
};
