import { ReadOnlyNotice } from "../components/alerts.tsx";
import { CsrfField } from "../components/csrf.tsx";
import { PostButton } from "../components/post-button.tsx";
import { Shell, workspacePath } from "../components/shell.tsx";
import { TableSection } from "../components/table-section.tsx";
import { formatTime } from "../format.ts";
import { canManage, type PageContext } from "../types.ts";
import type { ProviderOption } from "./settings.tsx";

export interface ByokRow {
  id: string;
  provider: string;
  providerName: string;
  /** "••••abcd": the only part of the key ever shown. */
  masked: string;
  alwaysUse: boolean;
  createdAt: number;
}

export interface ByokData {
  keys: ByokRow[];
  providers: ProviderOption[];
  /** Null when BYOK works; otherwise why not. */
  unavailable: string | null;
}

export const ByokPage = ({ ctx, data }: { ctx: PageContext; data: ByokData }) => {
  const manage = canManage(ctx.role) && data.unavailable === null;
  const base = workspacePath(ctx.workspace.id, "/byok");
  return (
    <Shell ctx={ctx} title="BYOK">
      <h1>Bring your own provider keys</h1>
      {!canManage(ctx.role) ? <ReadOnlyNotice /> : null}
      {data.unavailable ? <div class="alert info">{data.unavailable}</div> : null}
      <p class="muted">
        Requests routed to a provider you have a key for use your key and your provider account. switchyard charges 5 % of what the request would
        have cost on credits — the first 1,000,000 BYOK requests each month are free. Keys are stored encrypted; only their last four
        characters are ever shown.
      </p>
      <section class="card">
        <h2>Add a provider key</h2>
        <form method="post" action={base} class="row" id="add-byok" autocomplete="off">
          <CsrfField token={ctx.csrfToken} />
          <label style="flex:0 1 200px">
            Provider
            <select name="provider" disabled={!manage}>
              {data.providers.map((p) => (
                <option value={p.slug}>{p.name}</option>
              ))}
            </select>
          </label>
          <label>
            API key
            <input type="password" name="key" required minlength={8} maxlength={512} disabled={!manage} autocomplete="off" />
          </label>
          <label class="check" style="flex:0 0 auto">
            <input type="checkbox" name="always_use" value="on" disabled={!manage} /> Always use this key
          </label>
          <button type="submit" disabled={!manage}>
            Save key
          </button>
        </form>
        <p class="hint">
          “Always use” sends every request for this provider with your key, and never falls back to switchyard's key. Adding a key for a provider that
          already has one replaces it.
        </p>
      </section>
      <TableSection
        title="Your keys"
        id="byok-keys"
        columns={["Provider", "Key", "Always use", "Added", ...(manage ? [""] : [])]}
        empty={data.keys.length ? null : "No provider keys yet."}
      >
        {data.keys.map((k) => (
          <tr>
            <td>{k.providerName}</td>
            <td>
              <code>{k.masked}</code>
            </td>
            <td>{k.alwaysUse ? <span class="badge ok">Always</span> : <span class="badge dim">Fallback to hosted</span>}</td>
            <td>{formatTime(k.createdAt)}</td>
            {manage ? (
              <td>
                <div class="row nowrap">
                  <PostButton
                    action={`${base}/${k.id}`}
                    csrfToken={ctx.csrfToken}
                    label={k.alwaysUse ? "Allow fallback" : "Always use"}
                    variant="secondary"
                    fields={{ always_use: k.alwaysUse ? "" : "on" }}
                  />
                  <PostButton action={`${base}/${k.id}/delete`} csrfToken={ctx.csrfToken} label="Delete" variant="danger" />
                </div>
              </td>
            ) : null}
          </tr>
        ))}
      </TableSection>
    </Shell>
  );
};
