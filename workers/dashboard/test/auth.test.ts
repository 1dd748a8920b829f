import { env } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { PBKDF2_ITERATIONS } from "../src/auth/password.ts";
import { MAX_ATTEMPTS_PER_EMAIL, MAX_FAILURES_PER_ADDRESS, SIGN_IN_WINDOW_MS } from "../src/auth/sign-in-limit.ts";
import { sha256Hex } from "../src/lib/encoding.ts";
import { PASSWORD, row, signUp, TestBrowser, uniqueEmail, visibleText } from "./setup/browser.ts";

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

describe("sign-in limits (password guessing)", () => {
  const attempt = async (email: string, password: string, address?: string) => {
    const b = new TestBrowser();
    await b.get("/signin");
    const page = await b.post("/signin", { email, password }, address ? { headers: { "cf-connecting-ip": address } } : {});
    return { page, signedIn: b.cookies.has("sy_session") };
  };
  /** As if the window had passed: every counted attempt moved back by a whole window. */
  const windowPasses = () => env.DB.prepare("UPDATE sign_in_attempts SET window_started_at = window_started_at - ?").bind(SIGN_IN_WINDOW_MS).run();

  it(`after ${MAX_ATTEMPTS_PER_EMAIL} attempts at one email, even the right password is refused (429) until the window ends`, async () => {
    const { email } = await signUp("guessed");
    for (let i = 0; i < MAX_ATTEMPTS_PER_EMAIL; i++) expect((await attempt(email, `guess ${i} not it`)).page.status).toBe(401);
    const locked = await attempt(email, PASSWORD);
    expect(locked.page.status).toBe(429);
    expect(locked.signedIn).toBe(false);
    expect(visibleText(locked.page.html)).toContain("Too many sign-in attempts. Try again in 15 minutes.");
    const retryAfter = Number(locked.page.headers.get("retry-after"));
    expect(retryAfter).toBeGreaterThan(SIGN_IN_WINDOW_MS / 1000 - 60);
    expect(retryAfter).toBeLessThanOrEqual(SIGN_IN_WINDOW_MS / 1000);

    await windowPasses();
    const after = await attempt(email, PASSWORD);
    expect(after.page.status).toBe(303);
    expect(after.signedIn).toBe(true);
  });

  it("a successful sign-in starts the count again", async () => {
    const { email } = await signUp("forgetful");
    for (let i = 0; i < MAX_ATTEMPTS_PER_EMAIL - 1; i++) await attempt(email, "wrong password here");
    expect((await attempt(email, PASSWORD)).signedIn).toBe(true);
    for (let i = 0; i < MAX_ATTEMPTS_PER_EMAIL - 1; i++) expect((await attempt(email, "wrong password again")).page.status).toBe(401);
    expect((await attempt(email, PASSWORD)).signedIn).toBe(true);
  });

  it("an unknown email is limited exactly like a known one (the answer never tells which)", async () => {
    const known = (await signUp("known-limit")).email;
    const unknown = uniqueEmail("nobody-limit");
    for (const email of [known, unknown]) {
      const statuses = [];
      for (let i = 0; i <= MAX_ATTEMPTS_PER_EMAIL; i++) statuses.push((await attempt(email, "wrong password here")).page.status);
      expect(statuses).toEqual([...Array(MAX_ATTEMPTS_PER_EMAIL).fill(401), 429]);
    }
  });

  it("concurrent guesses cannot get past the limit", async () => {
    const { email } = await signUp("burst");
    const pages = await Promise.all(Array.from({ length: 12 }, (_, i) => attempt(email, `burst guess ${i}`)));
    expect(pages.filter((p) => p.page.status === 401)).toHaveLength(MAX_ATTEMPTS_PER_EMAIL);
    expect(pages.filter((p) => p.page.status === 429)).toHaveLength(12 - MAX_ATTEMPTS_PER_EMAIL);
  });

  it(`one address failing at ${MAX_FAILURES_PER_ADDRESS} emails is refused for any email; another address is not`, async () => {
    const { email } = await signUp("stuffed");
    const address = `198.51.100.${Math.floor(Math.random() * 250) + 1}`;
    // a successful sign-in from the address in between does not count against it
    expect((await attempt(email, PASSWORD, address)).signedIn).toBe(true);
    for (let i = 0; i < MAX_FAILURES_PER_ADDRESS; i++) expect((await attempt(uniqueEmail(`stuffing-${i}`), "leaked password", address)).page.status).toBe(401);
    const refused = await attempt(email, PASSWORD, address);
    expect(refused.page.status).toBe(429);
    expect(refused.signedIn).toBe(false);
    expect((await attempt(email, PASSWORD, "203.0.113.7")).signedIn).toBe(true);
  });

  it("keeps no email or address as typed", async () => {
    const email = uniqueEmail("stored-limit");
    await attempt(email, "wrong password here", "192.0.2.44");
    const subjects = (await env.DB.prepare("SELECT subject FROM sign_in_attempts").all<{ subject: string }>()).results.map((r) => r.subject).join(" ");
    expect(subjects).not.toContain(email);
    expect(subjects).not.toContain("192.0.2.44");
    expect(subjects).toMatch(/email:[0-9a-f]{64}/);
  });
});
