import { ReadOnlyNotice } from "../components/alerts.tsx";
import { CsrfField } from "../components/csrf.tsx";
import { PostButton } from "../components/post-button.tsx";
import { Shell, workspacePath } from "../components/shell.tsx";
import { canManage, type PageContext, type Role } from "../types.ts";

export interface ProviderOption {
  slug: string;
  name: string;
}

export interface SettingsForm {
  name: string;
  zdr: boolean;
  euOnly: boolean;
  /** USD as typed, "" for no budget. */
  monthlyBudget: string;
  sort: string;
  /** Comma-separated provider slugs, tried first in this order. */
  order: string;
  ignore: string[];
  allowFallbacks: boolean;
  denyDataCollection: boolean;
}

export interface MemberRow {
  userId: string;
  email: string;
  role: Role;
  you: boolean;
}

export interface SettingsData {
  form: SettingsForm;
  providers: ProviderOption[];
  members: MemberRow[];
}

const ROLES: Role[] = ["owner", "admin", "member"];

const GeneralForm = ({ ctx, data }: { ctx: PageContext; data: SettingsData }) => {
  const f = data.form;
  const locked = !canManage(ctx.role);
  return (
    <form method="post" action={workspacePath(ctx.workspace.id, "/settings")} id="settings-form">
      <CsrfField token={ctx.csrfToken} />
      <fieldset disabled={locked} style="border:0;padding:0;margin:0">
        <section class="card">
          <h2>Workspace</h2>
          <div class="row">
            <label>
              Name
              <input type="text" name="name" value={f.name} required maxlength={60} />
            </label>
            <label>
              Monthly budget (USD)
              <input type="text" name="monthly_budget" inputmode="decimal" value={f.monthlyBudget} placeholder="No budget" />
            </label>
          </div>
        </section>
        <section class="card">
          <h2>Data and routing</h2>
          <div class="stack" style="display:grid;gap:.6rem">
            <label class="check">
              <input type="checkbox" name="zdr" value="on" checked={f.zdr} />
              <span>
                <strong>Zero data retention</strong> — only use endpoints that retain no prompts.
              </span>
            </label>
            <label class="check">
              <input type="checkbox" name="eu_only" value="on" checked={f.euOnly} />
              <span>
                <strong>EU-only routing</strong> — only use endpoints that process data in the EU. Requests for models without an EU endpoint are refused.
              </span>
            </label>
          </div>
        </section>
        <section class="card">
          <h2>Default provider preferences</h2>
          <p class="muted small">Applied to every request from this workspace; a request's own <code>provider</code> object is combined with these.</p>
          <div class="row">
            <label>
              Sort endpoints by
              <select name="sort">
                {[["", "Default (price, then health)"], ["price", "Price"], ["throughput", "Throughput"], ["latency", "Latency"]].map(([v, t]) => (
                  <option value={v} selected={f.sort === v}>
                    {t}
                  </option>
                ))}
              </select>
            </label>
            <label>
              Try these providers first
              <input type="text" name="order" value={f.order} placeholder="e.g. openai, together" />
              <span class="hint">Provider slugs, comma separated.</span>
            </label>
          </div>
          <p style="margin:.8rem 0 .3rem" class="small">Never use:</p>
          <div class="row">
            {data.providers.map((p) => (
              <label class="check" style="flex:0 0 auto">
                <input type="checkbox" name="ignore" value={p.slug} checked={f.ignore.includes(p.slug)} /> {p.name}
              </label>
            ))}
          </div>
          <div style="display:grid;gap:.4rem;margin-top:.8rem">
            <label class="check">
              <input type="checkbox" name="allow_fallbacks" value="on" checked={f.allowFallbacks} /> Fall back to other providers when the preferred ones fail
            </label>
            <label class="check">
              <input type="checkbox" name="deny_data_collection" value="on" checked={f.denyDataCollection} /> Never use providers that may train on prompts
            </label>
          </div>
        </section>
        <button type="submit">Save settings</button>
        <span class="muted small"> Changes reach the API within 10 seconds.</span>
      </fieldset>
    </form>
  );
};

const Members = ({ ctx, data }: { ctx: PageContext; data: SettingsData }) => {
  const manage = canManage(ctx.role);
  const base = workspacePath(ctx.workspace.id, "/members");
  return (
    <section class="card" style="margin-top:1rem">
      <h2>Members</h2>
      <div class="table-wrap">
        <table id="members">
          <thead>
            <tr>
              <th>Email</th>
              <th>Role</th>
              {manage ? <th></th> : null}
            </tr>
          </thead>
          <tbody>
            {data.members.map((m) => (
              <tr>
                <td>
                  {m.email} {m.you ? <span class="muted small">(you)</span> : null}
                </td>
                <td>
                  {manage ? (
                    <form method="post" action={`${base}/${m.userId}`} class="row nowrap">
                      <CsrfField token={ctx.csrfToken} />
                      <select name="role" aria-label={`Role of ${m.email}`}>
                        {ROLES.map((r) => (
                          <option value={r} selected={r === m.role}>
                            {r}
                          </option>
                        ))}
                      </select>
                      <button type="submit" class="secondary">
                        Change
                      </button>
                    </form>
                  ) : (
                    <span class="badge">{m.role}</span>
                  )}
                </td>
                {manage ? (
                  <td>
                    <PostButton action={`${base}/${m.userId}/remove`} csrfToken={ctx.csrfToken} label="Remove" variant="danger" />
                  </td>
                ) : null}
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      {manage ? (
        <form method="post" action={base} class="row" id="invite" style="margin-top:1rem">
          <CsrfField token={ctx.csrfToken} />
          <label>
            Add a member by email
            <input type="email" name="email" required placeholder="colleague@example.com" />
            <span class="hint">They need a switchyard account already.</span>
          </label>
          <label style="flex:0 1 140px">
            Role
            <select name="role">
              {ROLES.map((r) => (
                <option value={r} selected={r === "member"}>
                  {r}
                </option>
              ))}
            </select>
          </label>
          <button type="submit">Add member</button>
        </form>
      ) : null}
    </section>
  );
};

export const SettingsPage = ({ ctx, data }: { ctx: PageContext; data: SettingsData }) => (
  <Shell ctx={ctx} title="Settings">
    <h1>Workspace settings</h1>
    {!canManage(ctx.role) ? <ReadOnlyNotice /> : null}
    <GeneralForm ctx={ctx} data={data} />
    <Members ctx={ctx} data={data} />
  </Shell>
);
