import { providers } from "@switchyard/catalog";
import { nanosToInput, type Role, SettingsPage, type SettingsForm } from "@switchyard/dashboards";
import { type Context, Hono } from "hono";
import { dbOf } from "../db/client.ts";
import { addMember, listMembers, removeMember, setRole } from "../db/members.ts";
import { findUserByEmail, updateWorkspaceSettings, workspaceSettings } from "../db/workspaces.ts";
import type { AppEnv } from "../env.ts";
import { parseUsdToNanos } from "../lib/money.ts";
import { backTo, field, pageContext } from "../lib/page-context.ts";
import { preferencesFromForm, preferencesToForm } from "../lib/provider-preferences.ts";

const ROLES = new Set<Role>(["owner", "admin", "member"]);
const PROVIDER_OPTIONS = Object.values(providers).map((p) => ({ slug: p.slug, name: p.name }));
const PROVIDER_SLUGS: ReadonlySet<string> = new Set(Object.keys(providers));

async function render(c: Context<AppEnv>, error?: string, form?: SettingsForm) {
  const db = dbOf(c.env.DB);
  const ws = c.get("workspace");
  const [settings, members] = await Promise.all([workspaceSettings(db, ws.id), listMembers(db, ws.id)]);
  const me = c.get("user")!.id;
  const current: SettingsForm = {
    name: settings.name,
    zdr: settings.zdr,
    euOnly: settings.euOnly,
    monthlyBudget: nanosToInput(settings.monthlyBudgetNanos),
    ...preferencesToForm(settings.providerPreferences),
  };
  return c.html(
    <SettingsPage
      ctx={pageContext(c, "settings", error)}
      data={{ form: form ?? current, providers: PROVIDER_OPTIONS, members: members.map((m) => ({ ...m, you: m.userId === me })) }}
    />,
    error ? 400 : 200,
  );
}

async function readSettingsForm(c: Context<AppEnv>): Promise<SettingsForm> {
  const body = await c.req.parseBody({ all: true });
  const ignore = body.ignore;
  return {
    name: field(body, "name"),
    zdr: body.zdr === "on",
    euOnly: body.eu_only === "on",
    monthlyBudget: field(body, "monthly_budget"),
    sort: field(body, "sort"),
    order: field(body, "order"),
    ignore: (Array.isArray(ignore) ? ignore : ignore ? [ignore] : []).filter((v): v is string => typeof v === "string"),
    allowFallbacks: body.allow_fallbacks === "on",
    denyDataCollection: body.deny_data_collection === "on",
  };
}

/** Owners alone make or unmake owners, and a workspace always keeps one. */
function roleChangeProblem(actor: Role, from: Role | null, to: Role | null, owners: number): string | null {
  if ((to === "owner" || from === "owner") && actor !== "owner") return "Only an owner can make someone an owner or change an owner's role.";
  if (from === "owner" && to !== "owner" && owners <= 1) return "A workspace needs at least one owner. Make someone else owner first.";
  return null;
}

/** The member a role change (to null: removal) is about, or why it may not happen. */
async function memberChange(c: Context<AppEnv>, to: Role | null): Promise<{ userId: string } | { refused: string }> {
  const ws = c.get("workspace");
  const all = await listMembers(dbOf(c.env.DB), ws.id);
  const target = all.find((m) => m.userId === c.req.param("userId"));
  if (!target) return { refused: "That person is not a member of this workspace." };
  const problem = roleChangeProblem(ws.role, target.role, to, all.filter((m) => m.role === "owner").length);
  return problem ? { refused: problem } : { userId: target.userId };
}

export const settings = new Hono<AppEnv>()
  .get("/settings", (c) => render(c))
  .post("/settings", async (c) => {
    const form = await readSettingsForm(c);
    if (!form.name || form.name.length > 60) return render(c, "Give the workspace a name of at most 60 characters.", form);
    const budget = form.monthlyBudget ? parseUsdToNanos(form.monthlyBudget) : null;
    if (form.monthlyBudget && budget === null) return render(c, "Enter the monthly budget in dollars, like 100 — or leave it empty.", form);
    const db = dbOf(c.env.DB);
    const stored = await workspaceSettings(db, c.get("workspace").id);
    const prefs = preferencesFromForm(form, PROVIDER_SLUGS, stored.providerPreferences);
    if (prefs !== null && typeof prefs === "object") return render(c, prefs.error, form);
    await updateWorkspaceSettings(db, c.get("workspace").id, {
      name: form.name,
      zdr: form.zdr,
      euOnly: form.euOnly,
      monthlyBudgetNanos: budget,
      providerPreferences: prefs,
    });
    return backTo(c, "/settings", "settings-saved");
  })
  .post("/members", async (c) => {
    const body = await c.req.parseBody();
    const email = field(body, "email").toLowerCase();
    const role = field(body, "role") as Role;
    if (!ROLES.has(role)) return render(c, "Choose a role.");
    const problem = roleChangeProblem(c.get("workspace").role, null, role, Infinity);
    if (problem) return render(c, problem);
    const db = dbOf(c.env.DB);
    const user = email ? await findUserByEmail(db, email) : undefined;
    if (!user) return render(c, `No switchyard account uses ${email || "that email"}. Ask them to sign up first, then add them.`);
    if (!(await addMember(db, c.get("workspace").id, user.id, role))) return render(c, `${email} is already a member of this workspace.`);
    return backTo(c, "/settings", "member-added");
  })
  .post("/members/:userId", async (c) => {
    const role = field(await c.req.parseBody(), "role") as Role;
    if (!ROLES.has(role)) return render(c, "Choose a role.");
    const change = await memberChange(c, role);
    if ("refused" in change) return render(c, change.refused);
    await setRole(dbOf(c.env.DB), c.get("workspace").id, change.userId, role);
    return backTo(c, "/settings", "member-updated");
  })
  .post("/members/:userId/remove", async (c) => {
    const change = await memberChange(c, null);
    if ("refused" in change) return render(c, change.refused);
    await removeMember(dbOf(c.env.DB), c.get("workspace").id, change.userId);
    if (change.userId === c.get("user")!.id) return c.redirect("/", 303);
    return backTo(c, "/settings", "member-removed");
  });
