import { describe, expect, it } from "vitest";
import { sha256Hex } from "../src/lib/encoding.ts";
import { row, signUp, visibleText } from "./setup/browser.ts";

const KEY = /sk-sy-v1-[0-9a-f]{64}/;

describe("API keys", () => {
  it("shows a new key once, stores only its SHA-256, with name and limit", async () => {
    const { browser, workspaceId } = await signUp("keys");
    const created = await browser.post(`/w/${workspaceId}/keys`, { name: "Production", limit: "25.50", reset: "monthly" });
    expect(created.status).toBe(200);
    const key = KEY.exec(created.html)![0];
    expect(key).toMatch(/^sk-sy-[A-Za-z0-9_-]{8,128}$/); // what the gateway accepts
    const stored = await row<Record<string, unknown>>("SELECT * FROM api_keys WHERE workspace_id = ?", workspaceId);
    expect(stored).toMatchObject({ hash: await sha256Hex(key), name: "Production", limit_nanos: 25_500_000_000, limit_reset: "monthly", kind: "inference" });
    expect(JSON.stringify(stored)).not.toContain(key);

    const again = await browser.get(`/w/${workspaceId}/keys`);
    expect(again.html).not.toMatch(KEY);
    expect(visibleText(again.html)).toContain(`${key.slice(0, 12)}…`);
    expect(stored!.prefix).toBe(key.slice(0, 12)); // as the provisioning API makes them
    expect(visibleText(again.html)).toContain("$25.50 / monthly");
  });

  it("creates management keys for the provisioning API", async () => {
    const { browser, workspaceId } = await signUp("keys-mgmt");
    const created = await browser.post(`/w/${workspaceId}/keys`, { name: "Provisioner", reset: "none", kind: "management" });
    const key = KEY.exec(created.html)![0];
    expect(visibleText(created.html)).toContain("/api/v1/keys");
    expect(await row("SELECT kind FROM api_keys WHERE hash = ?", await sha256Hex(key))).toEqual({ kind: "management" });
    expect(visibleText((await browser.get(`/w/${workspaceId}/keys`)).html)).toContain("Provisioner management");
    expect((await browser.post(`/w/${workspaceId}/keys`, { name: "X", reset: "none", kind: "root" })).status).toBe(400);
  });

  it("explains a bad limit in place and creates nothing", async () => {
    const { browser, workspaceId } = await signUp("keys-bad");
    const res = await browser.post(`/w/${workspaceId}/keys`, { name: "X", limit: "lots", reset: "none" });
    expect(res.status).toBe(400);
    expect(visibleText(res.html)).toContain("Enter the credit limit in dollars");
    expect(await row("SELECT 1 FROM api_keys WHERE workspace_id = ?", workspaceId)).toBeNull();
  });

  it("renames, disables, enables and deletes", async () => {
    const { browser, workspaceId } = await signUp("keys-edit");
    await browser.post(`/w/${workspaceId}/keys`, { name: "Old", reset: "none" });
    const id = (await row<{ id: string }>("SELECT id FROM api_keys WHERE workspace_id = ?", workspaceId))!.id;
    await browser.get(`/w/${workspaceId}/keys`);
    expect((await browser.post(`/w/${workspaceId}/keys/${id}`, { name: "New", limit: "", reset: "none" })).status).toBe(303);
    expect(await row("SELECT name, limit_nanos FROM api_keys WHERE id = ?", id)).toEqual({ name: "New", limit_nanos: null });
    await browser.post(`/w/${workspaceId}/keys/${id}/disable`, {});
    expect(await row("SELECT disabled FROM api_keys WHERE id = ?", id)).toEqual({ disabled: 1 });
    await browser.post(`/w/${workspaceId}/keys/${id}/enable`, {});
    expect(await row("SELECT disabled FROM api_keys WHERE id = ?", id)).toEqual({ disabled: 0 });
    await browser.post(`/w/${workspaceId}/keys/${id}/delete`, {});
    expect(await row("SELECT 1 FROM api_keys WHERE id = ?", id)).toBeNull();
  });
});
