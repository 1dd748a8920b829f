import { env } from "cloudflare:test";
import { parseWorkspacePreferences } from "@switchyard/router";
import { describe, expect, it } from "vitest";
import { row, signUp, visibleText } from "./setup/browser.ts";

const base = { name: "Team", monthly_budget: "", sort: "", order: "", allow_fallbacks: "on" };
const stored = async (ws: string) =>
  (await row<{ zdr: number; eu_only: number; monthly_budget_nanos: number | null; provider_preferences: string | null }>(
    "SELECT zdr, eu_only, monthly_budget_nanos, provider_preferences FROM workspaces WHERE id = ?",
    ws,
  ))!;

describe("workspace settings", () => {
  it("stores ZDR, EU-only and the budget where the gateway reads them", async () => {
    const { browser, workspaceId } = await signUp("settings");
    const res = await browser.post(`/w/${workspaceId}/settings`, { ...base, zdr: "on", eu_only: "on", monthly_budget: "250.50" });
    expect(res.status).toBe(303);
    expect(await stored(workspaceId)).toMatchObject({ zdr: 1, eu_only: 1, monthly_budget_nanos: 250_500_000_000 });
    const page = await browser.get(`/w/${workspaceId}/settings?notice=settings-saved`);
    expect(visibleText(page.html)).toContain("Settings saved");
    expect(page.html).toMatch(/name="eu_only" value="on" checked/);

    await browser.post(`/w/${workspaceId}/settings`, base);
    expect(await stored(workspaceId)).toMatchObject({ zdr: 0, eu_only: 0, monthly_budget_nanos: null });
  });

  it("stores provider preferences in the request's `provider` shape, which the gateway's planner accepts", async () => {
    const { browser, workspaceId } = await signUp("prefs");
    await browser.post(`/w/${workspaceId}/settings`, {
      ...base,
      sort: "throughput",
      order: "together, openai, together",
      ignore: ["groq", "deepseek"],
      allow_fallbacks: "",
      deny_data_collection: "on",
    });
    const json = (await stored(workspaceId)).provider_preferences!;
    expect(JSON.parse(json)).toEqual({ order: ["together", "openai"], ignore: ["groq", "deepseek"], allow_fallbacks: false, sort: "throughput", data_collection: "deny" });
    expect(parseWorkspacePreferences(json)).toEqual(JSON.parse(json));

    // fields the form does not edit survive a save
    await env.DB.prepare("UPDATE workspaces SET provider_preferences = ? WHERE id = ?").bind(JSON.stringify({ only: ["openai"], sort: "price" }), workspaceId).run();
    await browser.post(`/w/${workspaceId}/settings`, { ...base, sort: "latency" });
    expect(JSON.parse((await stored(workspaceId)).provider_preferences!)).toEqual({ only: ["openai"], sort: "latency" });

    await env.DB.prepare("UPDATE workspaces SET provider_preferences = NULL WHERE id = ?").bind(workspaceId).run();
    await browser.post(`/w/${workspaceId}/settings`, base);
    expect((await stored(workspaceId)).provider_preferences).toBeNull();
  });

  it("explains an unknown provider or a bad budget in place, changing nothing", async () => {
    const { browser, workspaceId } = await signUp("prefs-bad");
    const unknown = await browser.post(`/w/${workspaceId}/settings`, { ...base, order: "openai, nosuchprovider", eu_only: "on" });
    expect(unknown.status).toBe(400);
    expect(visibleText(unknown.html)).toContain("Unknown provider “nosuchprovider”");
    // the form keeps what was typed
    expect(unknown.html).toContain('value="openai, nosuchprovider"');
    const budget = await browser.post(`/w/${workspaceId}/settings`, { ...base, monthly_budget: "a lot" });
    expect(budget.status).toBe(400);
    expect(visibleText(budget.html)).toContain("Enter the monthly budget in dollars");
    expect(await stored(workspaceId)).toMatchObject({ eu_only: 0, monthly_budget_nanos: null, provider_preferences: null });
  });
});
