import type { Child } from "hono/jsx";
import { canManage, type PageContext, type Section } from "../types.ts";
import { Alerts } from "./alerts.tsx";
import { CsrfField } from "./csrf.tsx";
import { Document } from "./document.tsx";
import { PostButton } from "./post-button.tsx";

const SECTIONS: Array<[Section, string, string]> = [
  ["overview", "Overview", ""],
  ["activity", "Activity", "/activity"],
  ["keys", "API keys", "/keys"],
  ["credits", "Credits", "/credits"],
  ["byok", "BYOK", "/byok"],
  ["settings", "Settings", "/settings"],
];

export const workspacePath = (workspaceId: string, rest = "") => `/w/${workspaceId}${rest}`;

/** The workspace switcher: a menu of the user's workspaces and a form to add one. */
const Switcher = ({ ctx }: { ctx: PageContext }) => (
  <details class="switcher">
    <summary title="Switch workspace">{ctx.workspace.name}</summary>
    <div class="menu">
      <div class="who">Signed in as {ctx.user.email}</div>
      {ctx.workspaces.map((w) => (
        <a href={workspacePath(w.id)} aria-current={w.id === ctx.workspace.id ? "true" : undefined}>
          {w.name} <span class="muted small">{w.role}</span>
        </a>
      ))}
      {ctx.role === "owner" ? (
        <form method="post" action={workspacePath(ctx.workspace.id, "/workspaces")}>
          <CsrfField token={ctx.csrfToken} />
          <input type="text" name="name" placeholder="New workspace" required maxlength={60} aria-label="New workspace name" />
          <button type="submit">Add</button>
        </form>
      ) : null}
    </div>
  </details>
);

/** Every signed-in page: top bar, navigation, alerts, content. */
export const Shell = ({ ctx, title, children }: { ctx: PageContext; title: string; children: Child }) => (
  <Document title={title}>
    <header class="topbar">
      <div class="topbar-inner">
        <a class="brand" href="/">
          switch<span>yard</span>
        </a>
        <Switcher ctx={ctx} />
        <nav class="nav" aria-label="Sections">
          {SECTIONS.map(([section, label, path]) => (
            <a href={workspacePath(ctx.workspace.id, path)} aria-current={ctx.section === section ? "page" : undefined}>
              {label}
            </a>
          ))}
        </nav>
        <div class="user">
          <span>{ctx.user.email}</span>
          <PostButton action="/signout" csrfToken={ctx.csrfToken} label="Sign out" variant="link" />
        </div>
      </div>
    </header>
    <main>
      <Alerts error={ctx.error} notice={ctx.notice} />
      {children}
    </main>
  </Document>
);

export { canManage };
