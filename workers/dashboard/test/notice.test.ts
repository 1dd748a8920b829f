import { describe, expect, it } from "vitest";
import { signUp } from "./setup/browser.ts";

/** `?notice=` names a message by code; a code that is not one shows no banner at all. */
describe("?notice= after a redirect", () => {
  it("a known code shows its message", async () => {
    const { browser, workspaceId } = await signUp("notice-known");
    const page = await browser.get(`/w/${workspaceId}/keys?notice=key-updated`);
    expect(page.html).toMatch(/role="status">\s*Key saved\.\s*</);
  });

  it.each(["constructor", "__proto__", "toString", "hasOwnProperty", "valueOf", "no-such-notice"])("?notice=%s shows no banner (Object's own properties are not messages)", async (code) => {
    const { browser, workspaceId } = await signUp("notice-proto");
    for (const path of [`/w/${workspaceId}`, `/w/${workspaceId}/keys`, `/w/${workspaceId}/settings`]) {
      const page = await browser.get(`${path}?notice=${code}`);
      expect(page.status).toBe(200);
      expect(page.html, path).not.toContain('role="status"');
    }
  });
});
