import { describe, expect, it } from "vitest";
import { row, signUp, TestBrowser, visibleText } from "./setup/browser.ts";

const rename = (name: string) => ({ name, monthly_budget: "", sort: "", order: "", allow_fallbacks: "on" });
const ORIGINAL = (email: string) => `${email.split("@")[0]}'s workspace`;
const workspaceName = async (id: string) => (await row<{ name: string }>("SELECT name FROM workspaces WHERE id = ?", id))!.name;

describe("CSRF protection on every POST", () => {
  it("accepts a same-origin form with the session's token", async () => {
    const { browser, workspaceId } = await signUp("csrf-ok");
    const res = await browser.post(`/w/${workspaceId}/settings`, rename("Renamed"));
    expect(res.status).toBe(303);
    expect(await workspaceName(workspaceId)).toBe("Renamed");
  });

  it("refuses a form without the token", async () => {
    const { browser, workspaceId, email } = await signUp("csrf-none");
    const res = await browser.post(`/w/${workspaceId}/settings`, rename("Hijacked"), { csrf: null });
    expect(res.status).toBe(403);
    expect(res.headers.get("content-type")).toMatch(/text\/html/);
    expect(visibleText(res.html)).toContain("reload the page");
    expect(await workspaceName(workspaceId)).toBe(ORIGINAL(email));
  });

  it("refuses another session's token", async () => {
    const victim = await signUp("csrf-victim");
    const attacker = await signUp("csrf-attacker");
    const res = await victim.browser.post(`/w/${victim.workspaceId}/settings`, rename("Hijacked"), { csrf: attacker.browser.csrfToken() });
    expect(res.status).toBe(403);
    expect(await workspaceName(victim.workspaceId)).toBe(ORIGINAL(victim.email));
  });

  it("refuses a cross-site form even when it carries a valid token", async () => {
    const { browser, workspaceId, email } = await signUp("csrf-origin");
    const res = await browser.post(`/w/${workspaceId}/settings`, rename("Hijacked"), { origin: "https://evil.example" });
    expect(res.status).toBe(403);
    expect(res.headers.get("content-type")).toMatch(/text\/html/);
    expect(await workspaceName(workspaceId)).toBe(ORIGINAL(email));
  });

  it("protects the sign-in form too (login CSRF), with a pre-session token", async () => {
    const { email } = await signUp("csrf-login");
    const b = new TestBrowser();
    await b.get("/signin");
    const forged = await b.post("/signin", { email, password: "correct horse battery staple" }, { csrf: "forged" });
    expect(forged.status).toBe(403);
    expect(b.cookies.has("sy_session")).toBe(false);
    const real = await b.post("/signin", { email, password: "correct horse battery staple" });
    expect(real.status).toBe(303);
  });

  it("signing out needs the token as well", async () => {
    const { browser, workspaceId } = await signUp("csrf-signout");
    expect((await browser.post("/signout", {}, { csrf: null })).status).toBe(403);
    expect((await browser.get(`/w/${workspaceId}`)).status).toBe(200);
  });
});
