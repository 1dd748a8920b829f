import { env } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { keyringFromEnv, openProviderKey } from "@switchyard/byok";
import { row, signUp, visibleText } from "./setup/browser.ts";

const PROVIDER_KEY = "sk-proj-REALLYSECRET-abcdef123456wxyz";

describe("BYOK keys", () => {
  it("are stored AES-GCM encrypted and shown only as the last four characters", async () => {
    const { browser, workspaceId } = await signUp("byok");
    const res = await browser.post(`/w/${workspaceId}/byok`, { provider: "openai", key: PROVIDER_KEY, always_use: "on" });
    expect(res.status).toBe(303);
    const stored = await row<{ ciphertext: string; iv: string; key_version: number; last4: string; always_use: number }>(
      "SELECT ciphertext, iv, key_version, last4, always_use FROM byok_keys WHERE workspace_id = ?",
      workspaceId,
    );
    expect(JSON.stringify(stored)).not.toContain("REALLYSECRET");
    expect(stored).toMatchObject({ last4: "wxyz", always_use: 1, key_version: 1 });
    // the gateway opens it with the same master key
    const ring = (await keyringFromEnv({ BYOK_MASTER_KEY: env.BYOK_MASTER_KEY }))!;
    expect(await openProviderKey(ring, { workspaceId, provider: "openai" }, { ciphertext: stored!.ciphertext, iv: stored!.iv, keyVersion: 1 })).toBe(PROVIDER_KEY);
    await expect(openProviderKey(ring, { workspaceId: "ws_other", provider: "openai" }, { ...stored!, keyVersion: 1 })).rejects.toThrow();

    const page = await browser.get(`/w/${workspaceId}/byok`);
    expect(page.html).not.toContain("REALLYSECRET");
    expect(visibleText(page.html)).toContain("••••wxyz");
  });

  it("one key per provider: a second replaces the first; toggling and deleting work", async () => {
    const { browser, workspaceId } = await signUp("byok-replace");
    await browser.post(`/w/${workspaceId}/byok`, { provider: "groq", key: "gsk_first_key_1111" });
    await browser.post(`/w/${workspaceId}/byok`, { provider: "groq", key: "gsk_second_key_2222" });
    const rows = await env.DB.prepare("SELECT id, last4, always_use FROM byok_keys WHERE workspace_id = ?").bind(workspaceId).all<{ id: string; last4: string; always_use: number }>();
    expect(rows.results).toHaveLength(1);
    expect(rows.results[0]).toMatchObject({ last4: "2222", always_use: 0 });
    const id = rows.results[0]!.id;
    await browser.post(`/w/${workspaceId}/byok/${id}`, { always_use: "on" });
    expect(await row("SELECT always_use FROM byok_keys WHERE id = ?", id)).toEqual({ always_use: 1 });
    await browser.post(`/w/${workspaceId}/byok/${id}/delete`, {});
    expect(await row("SELECT 1 FROM byok_keys WHERE id = ?", id)).toBeNull();
  });

  it("refuses an unknown provider in place", async () => {
    const { browser, workspaceId } = await signUp("byok-bad");
    const res = await browser.post(`/w/${workspaceId}/byok`, { provider: "mock", key: "whatever-key-1234" });
    expect(res.status).toBe(400);
    expect(visibleText(res.html)).toContain("Choose a provider from the list");
  });
});
