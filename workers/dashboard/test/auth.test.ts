import { env } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { PBKDF2_ITERATIONS } from "../src/auth/password.ts";
import { sha256Hex } from "../src/lib/encoding.ts";
import { PASSWORD, row, signUp, TestBrowser, visibleText } from "./setup/browser.ts";

describe("sign up", () => {
  it("creates the user, an account with a zero balance, and a workspace they own", async () => {
    const { email, workspaceId } = await signUp("new");
    const user = await row<{ id: string; password_hash: string }>("SELECT id, password_hash FROM users WHERE email = ?", email);
    expect(user).not.toBeNull();
    const member = await row<{ role: string; account_id: string }>(
      "SELECT m.role, w.account_id FROM members m JOIN workspaces w ON w.id = m.workspace_id WHERE m.user_id = ? AND m.workspace_id = ?",
      user!.id,
      workspaceId,
    );
    expect(member!.role).toBe("owner");
    expect(await row("SELECT balance_nanos FROM account_balances WHERE account_id = ?", member!.account_id)).toEqual({ balance_nanos: 0 });
  });

  it("stores a salted PBKDF2 hash, never the password", async () => {
    const a = await signUp("hash-a");
    const b = await signUp("hash-b");
    const hashes = await Promise.all(
      [a.email, b.email].map(async (e) => (await row<{ h: string }>("SELECT password_hash AS h FROM users WHERE email = ?", e))!.h),
    );
    for (const h of hashes) {
      expect(h).not.toContain(PASSWORD);
      expect(h).toMatch(new RegExp(`^pbkdf2-sha256\\$${PBKDF2_ITERATIONS}\\$[A-Za-z0-9+/=]{24}\\$[A-Za-z0-9+/=]{44}$`));
    }
    expect(PBKDF2_ITERATIONS).toBeGreaterThanOrEqual(100_000);
    // same password, different salts → different hashes
    expect(hashes[0]).not.toBe(hashes[1]);
  });

  it("sets an HttpOnly, Secure, SameSite=Lax session cookie whose value is stored only as a SHA-256", async () => {
    const { browser, email } = await signUp("cookie");
    const cookie = browser.cookies.get("sy_session")!;
    const user = await row<{ id: string }>("SELECT id FROM users WHERE email = ?", email);
    const session = await row<{ id: string; user_id: string }>("SELECT id, user_id FROM sessions WHERE user_id = ?", user!.id);
    expect(session!.id).toBe(await sha256Hex(cookie));
    expect(await row("SELECT 1 FROM sessions WHERE id = ?", cookie)).toBeNull();

    const fresh = new TestBrowser();
    await fresh.get("/signin");
    await fresh.post("/signin", { email, password: PASSWORD });
    const line = fresh.setCookies.find((c) => c.startsWith("sy_session="))!;
    expect(line).toMatch(/HttpOnly/);
    expect(line).toMatch(/Secure/);
    expect(line).toMatch(/SameSite=Lax/);
    expect(line).toMatch(/Path=\//);
  });

  it("refuses a second account with the same email, in place", async () => {
    const { email } = await signUp("dup");
    const b = new TestBrowser();
    await b.get("/signup");
    const res = await b.post("/signup", { email, password: PASSWORD });
    expect(res.status).toBe(409);
    expect(res.headers.get("content-type")).toMatch(/text\/html/);
    expect(visibleText(res.html)).toContain("An account with this email already exists");
  });

  it("refuses a short password with a message on the form", async () => {
    const b = new TestBrowser();
    await b.get("/signup");
    const res = await b.post("/signup", { email: "short@example.com", password: "abc" });
    expect(res.status).toBe(400);
    expect(visibleText(res.html)).toContain("at least 10 characters");
    expect(await row("SELECT 1 FROM users WHERE email = 'short@example.com'")).toBeNull();
  });
});

describe("sign in and out", () => {
  it("a wrong password is refused on the form, with no session", async () => {
    const { email } = await signUp("wrong");
    const b = new TestBrowser();
    await b.get("/signin");
    const res = await b.post("/signin", { email, password: "not the password" });
    expect(res.status).toBe(401);
    expect(visibleText(res.html)).toContain("Email or password is incorrect");
    expect(b.cookies.has("sy_session")).toBe(false);
  });

  it("an unknown email gets the same answer as a wrong password", async () => {
    const b = new TestBrowser();
    await b.get("/signin");
    const res = await b.post("/signin", { email: "nobody@example.com", password: PASSWORD });
    expect(res.status).toBe(401);
    expect(visibleText(res.html)).toContain("Email or password is incorrect");
  });

  it("signs in, returns to the page asked for, and signs out for good", async () => {
    const { email, workspaceId } = await signUp("inout");
    const b = new TestBrowser();
    const asked = await b.get(`/w/${workspaceId}/keys`);
    expect(asked.status).toBe(303);
    expect(asked.location).toBe(`/signin?next=${encodeURIComponent(`/w/${workspaceId}/keys`)}`);
    await b.get(asked.location!);
    const signedIn = await b.post("/signin", { email, password: PASSWORD, next: `/w/${workspaceId}/keys` });
    expect(signedIn.location).toBe(`/w/${workspaceId}/keys`);
    expect((await b.get(`/w/${workspaceId}/keys`)).status).toBe(200);

    const stolen = b.cookies.get("sy_session")!;
    await b.post("/signout", {});
    expect(b.cookies.has("sy_session")).toBe(false);
    const replay = new TestBrowser();
    replay.cookies.set("sy_session", stolen);
    expect((await replay.get(`/w/${workspaceId}`)).status).toBe(303);
  });

  it("an expired session is refused and swept at the next sign-in", async () => {
    const { browser, email, workspaceId } = await signUp("expired");
    const userId = (await row<{ id: string }>("SELECT id FROM users WHERE email = ?", email))!.id;
    await env.DB.prepare("UPDATE sessions SET expires_at = ? WHERE user_id = ?").bind(Date.now() - 1, userId).run();
    expect((await browser.get(`/w/${workspaceId}`)).status).toBe(303);
    const again = new TestBrowser();
    await again.get("/signin");
    await again.post("/signin", { email, password: PASSWORD });
    expect(await row("SELECT COUNT(*) AS n FROM sessions WHERE user_id = ?", userId)).toEqual({ n: 1 });
  });

  it("never redirects to another site after sign-in", async () => {
    const { email } = await signUp("next");
    const b = new TestBrowser();
    await b.get("/signin");
    const res = await b.post("/signin", { email, password: PASSWORD, next: "//evil.example/steal" });
    expect(res.location).toBe("/");
  });
});
