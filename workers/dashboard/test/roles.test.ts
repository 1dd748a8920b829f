import { describe, expect, it } from "vitest";
import { row, signUp, visibleText } from "./setup/browser.ts";

const settingsForm = (over: Record<string, string> = {}) => ({ name: "Team", monthly_budget: "", sort: "", order: "", allow_fallbacks: "on", ...over });

/** An owner's workspace with a second user added as `role`. */
async function teamWith(role: "member" | "admin") {
  const owner = await signUp("owner");
  const other = await signUp(role);
  const added = await owner.browser.post(`/w/${owner.workspaceId}/members`, { email: other.email, role });
  expect(added.status).toBe(303);
  await other.browser.get(`/w/${owner.workspaceId}/settings`);
  return { owner, other, ws: owner.workspaceId };
}

const euOnly = async (ws: string) => (await row<{ eu_only: number }>("SELECT eu_only FROM workspaces WHERE id = ?", ws))!.eu_only;

describe("roles", () => {
  it("a member sees the settings read-only and cannot change them", async () => {
    const { other, ws } = await teamWith("member");
    const page = await other.browser.get(`/w/${ws}/settings`);
    expect(page.status).toBe(200);
    expect(visibleText(page.html)).toContain("only owners and admins can change it");
    expect(page.html).toMatch(/<fieldset disabled/);

    const res = await other.browser.post(`/w/${ws}/settings`, settingsForm({ eu_only: "on" }));
    expect(res.status).toBe(403);
    expect(res.headers.get("content-type")).toMatch(/text\/html/);
    expect(visibleText(res.html)).toContain("Only owners and admins can do this");
    expect(await euOnly(ws)).toBe(0);
  });

  it("a member cannot create keys, buy credits or add provider keys", async () => {
    const { other, ws } = await teamWith("member");
    expect((await other.browser.post(`/w/${ws}/keys`, { name: "sneaky", reset: "none" })).status).toBe(403);
    expect((await other.browser.post(`/w/${ws}/credits/checkout`, { amount: "10" })).status).toBe(403);
    expect((await other.browser.post(`/w/${ws}/byok`, { provider: "openai", key: "sk-proj-abcdefgh1234" })).status).toBe(403);
    expect(await row("SELECT 1 FROM api_keys WHERE workspace_id = ?", ws)).toBeNull();
    expect(await row("SELECT 1 FROM purchases WHERE workspace_id = ?", ws)).toBeNull();
  });

  it("an admin changes settings but cannot make owners", async () => {
    const { other, ws } = await teamWith("admin");
    expect((await other.browser.post(`/w/${ws}/settings`, settingsForm({ eu_only: "on" }))).status).toBe(303);
    expect(await euOnly(ws)).toBe(1);
    const promote = await other.browser.post(`/w/${ws}/members/${(await row<{ id: string }>("SELECT user_id AS id FROM members WHERE workspace_id = ? AND role = 'admin'", ws))!.id}`, { role: "owner" });
    expect(promote.status).toBe(400);
    expect(visibleText(promote.html)).toContain("Only an owner can make someone an owner");
  });

  it("the last owner cannot leave the workspace ownerless", async () => {
    const { owner, ws } = await teamWith("member");
    const me = (await row<{ id: string }>("SELECT id FROM users WHERE email = ?", owner.email))!.id;
    const res = await owner.browser.post(`/w/${ws}/members/${me}`, { role: "member" });
    expect(res.status).toBe(400);
    expect(visibleText(res.html)).toContain("needs at least one owner");
    expect(await row("SELECT role FROM members WHERE workspace_id = ? AND user_id = ?", ws, me)).toEqual({ role: "owner" });
  });

  it("adding someone without an account says so in place", async () => {
    const owner = await signUp("owner-invite");
    const res = await owner.browser.post(`/w/${owner.workspaceId}/members`, { email: "ghost@example.com", role: "member" });
    expect(res.status).toBe(400);
    expect(visibleText(res.html)).toContain("No switchyard account uses ghost@example.com");
  });
});

describe("workspace isolation", () => {
  it("a second user cannot see or change the first user's workspace", async () => {
    const first = await signUp("first");
    const second = await signUp("second");
    for (const path of ["", "/activity", "/activity.csv", "/keys", "/credits", "/settings", "/byok"]) {
      const res = await second.browser.get(`/w/${first.workspaceId}${path}`);
      expect(res.status, path).toBe(404);
      expect(res.html).not.toContain(first.email);
    }
    const res = await second.browser.post(`/w/${first.workspaceId}/settings`, settingsForm({ eu_only: "on" }));
    expect(res.status).toBe(404);
    expect(await euOnly(first.workspaceId)).toBe(0);
    // and the switcher lists only their own workspace
    const own = await second.browser.get(`/w/${second.workspaceId}`);
    expect(own.html).not.toContain(first.workspaceId);
  });

  it("a key id from another workspace cannot be changed through one's own workspace", async () => {
    const first = await signUp("key-owner");
    const second = await signUp("key-thief");
    await first.browser.post(`/w/${first.workspaceId}/keys`, { name: "Prod", reset: "none" });
    const keyId = (await row<{ id: string }>("SELECT id FROM api_keys WHERE workspace_id = ?", first.workspaceId))!.id;
    expect((await second.browser.post(`/w/${second.workspaceId}/keys/${keyId}/disable`, {})).status).toBe(404);
    expect((await second.browser.post(`/w/${second.workspaceId}/keys/${keyId}/delete`, {})).status).toBe(404);
    expect(await row("SELECT disabled FROM api_keys WHERE id = ?", keyId)).toEqual({ disabled: 0 });
  });

  it("a new workspace shares the account's credits and appears in the switcher", async () => {
    const { browser, workspaceId } = await signUp("multi");
    const res = await browser.post(`/w/${workspaceId}/workspaces`, { name: "Staging" });
    const newId = /\/w\/([^?]+)/.exec(res.location!)![1]!;
    const accounts = await Promise.all(
      [workspaceId, newId].map(async (id) => (await row<{ a: string }>("SELECT account_id AS a FROM workspaces WHERE id = ?", id))!.a),
    );
    expect(accounts[0]).toBe(accounts[1]);
    const page = await browser.get(`/w/${newId}`);
    expect(page.html).toContain(`/w/${workspaceId}`);
    expect(visibleText(page.html)).toContain("Staging");
  });
});
