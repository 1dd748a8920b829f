import type { PageContext, Section } from "@switchyard/dashboards";
import type { Context } from "hono";
import type { AppEnv } from "../env.ts";

/**
 * Success messages after a redirect, by code: the URL never carries free text into the page.
 * A Map, not an object literal: `?notice=constructor` (or `__proto__`, `toString`) must find
 * nothing, not one of Object's own properties.
 */
const NOTICES = new Map<string, string>(Object.entries({
  "signed-up": "Welcome to switchyard! Add credits, then create an API key.",
  "key-updated": "Key saved.",
  "key-disabled": "Key disabled. Requests with it are refused within 10 seconds.",
  "key-enabled": "Key enabled.",
  "key-deleted": "Key deleted.",
  "settings-saved": "Settings saved. They apply to API requests within 10 seconds.",
  "member-added": "Member added.",
  "member-updated": "Role changed.",
  "member-removed": "Member removed.",
  "byok-saved": "Provider key saved.",
  "byok-updated": "Provider key updated.",
  "byok-deleted": "Provider key deleted.",
  "workspace-created": "Workspace created.",
  "payment-cancelled": "Payment cancelled: nothing was charged.",
  "payment-received": "Payment received. Your credits are added as soon as Stripe confirms it — reload in a moment.",
  "payment-credited": "Payment received: your credits have been added.",
}));

export function pageContext(c: Context<AppEnv>, section: Section, error?: string): PageContext {
  const user = c.get("user")!;
  const ws = c.get("workspace");
  const notice = NOTICES.get(c.req.query("notice") ?? "");
  return {
    user: { email: user.email },
    csrfToken: user.csrfToken,
    workspace: { id: ws.id, name: ws.name },
    role: ws.role,
    workspaces: c.get("workspaces").map((w) => ({ id: w.id, name: w.name, role: w.role })),
    section,
    ...(error ? { error } : notice ? { notice } : {}),
  };
}

/** Where to go after a successful change: the same page, with a notice. */
export const backTo = (c: Context<AppEnv>, path: string, notice: string) =>
  c.redirect(`/w/${c.get("workspace").id}${path}?notice=${notice}`, 303);

/** A form's text field (absent or a file both read as ""). */
export function field(body: Record<string, unknown>, name: string): string {
  const value = Object.hasOwn(body, name) ? body[name] : undefined;
  return typeof value === "string" ? value.trim() : "";
}
