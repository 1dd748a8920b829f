import { env } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { row, signUp, visibleText } from "./setup/browser.ts";

/**
 * The keys page takes the provisioning API's bound on limits ($1,000,000,
 * @switchyard/keys): a limit it accepted up to $999,999,999.99 made the API
 * answer 500 for that key. A stored limit is shown whatever it holds.
 */
describe("key limits on the keys page", () => {
  it("refuses a limit over $1,000,000 in place and creates nothing; $1,000,000 is taken", async () => {
    const { browser, workspaceId } = await signUp("limit-form");
    for (const limit of ["10000000", "1000000.01", "999999999.99"]) {
      const res = await browser.post(`/w/${workspaceId}/keys`, { name: "Too much", limit, reset: "none" });
      expect(res.status, limit).toBe(400);
      expect(visibleText(res.html)).toContain("A credit limit is at most $1,000,000.");
    }
    expect(await row("SELECT 1 FROM api_keys WHERE workspace_id = ?", workspaceId)).toBeNull();

    const ok = await browser.post(`/w/${workspaceId}/keys`, { name: "At the bound", limit: "1,000,000", reset: "none" });
    expect(ok.status).toBe(200);
    expect(await row("SELECT limit_nanos FROM api_keys WHERE workspace_id = ?", workspaceId)).toEqual({ limit_nanos: 1_000_000_000_000_000 });
  });

  it("editing a key to a limit over the bound is refused too, and the stored limit stays", async () => {
    const { browser, workspaceId } = await signUp("limit-edit");
    await browser.post(`/w/${workspaceId}/keys`, { name: "Edited", limit: "25", reset: "none" });
    const { id } = (await row<{ id: string }>("SELECT id FROM api_keys WHERE workspace_id = ?", workspaceId))!;
    const res = await browser.post(`/w/${workspaceId}/keys/${id}`, { name: "Edited", limit: "10000000", reset: "none" });
    expect(res.status).toBe(400);
    expect(await row("SELECT limit_nanos FROM api_keys WHERE id = ?", id)).toEqual({ limit_nanos: 25_000_000_000 });
  });

  it.each([
    ["$10,000,000 (stored before the bound)", 10_000_000_000_000_000, "$10,000,000.00"],
    ["a fraction of a nano-dollar (a hand-edited row)", 2_500_000_000.5, "$2.50"],
  ])("a stored limit of %s: the keys page shows it, never a 500", async (_, limitNanos, shown) => {
    const { browser, workspaceId } = await signUp("limit-stored");
    await browser.post(`/w/${workspaceId}/keys`, { name: "Stored", limit: "1", reset: "none" });
    await env.DB.prepare("UPDATE api_keys SET limit_nanos = ? WHERE workspace_id = ?").bind(limitNanos, workspaceId).run();
    const page = await browser.get(`/w/${workspaceId}/keys`);
    expect(page.status).toBe(200);
    expect(visibleText(page.html)).toContain(shown);
  });
});
