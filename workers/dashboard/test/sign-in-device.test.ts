import { env } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { DEVICE_COOKIE } from "../src/auth/device-cookie.ts";
import { MAX_ATTEMPTS_PER_DEVICE, MAX_ATTEMPTS_PER_EMAIL } from "../src/auth/sign-in-limit.ts";
import { PASSWORD, signUp, TestBrowser, visibleText } from "./setup/browser.ts";

/**
 * Five wrong passwords for someone else's email must not lock its owner out of
 * a browser they signed in from before: that browser holds a device cookie and
 * is limited on its own (OWASP's device cookies). Browsers without one keep the
 * email's limit.
 */
async function signIn(b: TestBrowser, email: string, password: string) {
  await b.get("/signin");
  const page = await b.post("/signin", { email, password });
  return { status: page.status, html: page.html, signedIn: b.cookies.has("sy_session") };
}

/** A browser that signed in as `email` once, then signed out: it keeps its device cookie. */
async function trustedBrowser(email: string): Promise<TestBrowser> {
  const b = new TestBrowser();
  expect((await signIn(b, email, PASSWORD)).status).toBe(303);
  await b.get((await b.get("/")).location!); // a signed-in page, for its CSRF token
  await b.post("/signout", {});
  expect(b.cookies.has("sy_session")).toBe(false);
  expect(b.cookies.has(DEVICE_COOKIE)).toBe(true);
  return b;
}

/** A stranger locks the email: as many wrong passwords as the email's limit, each from a fresh browser. */
async function strangerLocksOut(email: string) {
  for (let i = 0; i < MAX_ATTEMPTS_PER_EMAIL; i++) expect((await signIn(new TestBrowser(), email, `guess ${i}`)).status).toBe(401);
  expect((await signIn(new TestBrowser(), email, PASSWORD)).status).toBe(429);
}

describe("sign-in device cookies", () => {
  it("a stranger's wrong passwords lock the email out of new browsers, not out of the owner's browser", async () => {
    const { email } = await signUp("device-owner");
    const owner = await trustedBrowser(email);
    await strangerLocksOut(email);
    const back = await signIn(owner, email, PASSWORD);
    expect(back.status).toBe(303);
    expect(back.signedIn).toBe(true);
  });

  it("the browser that signed up is trusted too", async () => {
    const { browser, email } = await signUp("device-signup");
    await browser.post("/signout", {});
    expect(browser.cookies.has("sy_session")).toBe(false);
    await strangerLocksOut(email);
    expect((await signIn(browser, email, PASSWORD)).status).toBe(303);
  });

  it(`a trusted browser has its own limit: after ${MAX_ATTEMPTS_PER_DEVICE} wrong passwords it waits, other trusted browsers do not`, async () => {
    const { email } = await signUp("device-limit");
    const guessing = await trustedBrowser(email);
    const other = await trustedBrowser(email);
    for (let i = 0; i < MAX_ATTEMPTS_PER_DEVICE; i++) expect((await signIn(guessing, email, `guess ${i}`)).status).toBe(401);
    const locked = await signIn(guessing, email, PASSWORD);
    expect(locked.status).toBe(429);
    expect(visibleText(locked.html)).toContain("Too many sign-in attempts.");
    expect((await signIn(other, email, PASSWORD)).status).toBe(303);
    // and its guesses were not the email's: a new browser still signs in
    expect((await signIn(new TestBrowser(), email, PASSWORD)).status).toBe(303);
  });

  it("a device cookie counts only for the email it was issued for, and a forged one for none", async () => {
    const a = await signUp("device-a");
    const b = await signUp("device-b");
    const browserOfA = await trustedBrowser(a.email);
    await strangerLocksOut(b.email);
    expect((await signIn(browserOfA, b.email, PASSWORD)).status).toBe(429);

    const forged = new TestBrowser();
    const [nonce, issued] = browserOfA.cookies.get(DEVICE_COOKIE)!.split(".");
    for (const value of [`${nonce}.${issued}.AAAA`, `${nonce}.${Date.now()}.${browserOfA.cookies.get(DEVICE_COOKIE)!.split(".")[2]}`, "junk", "a.b.c.d"]) {
      forged.cookies.set(DEVICE_COOKIE, value);
      expect((await signIn(forged, b.email, PASSWORD)).status, value).toBe(429);
    }
  });

  it("the cookie is HttpOnly, Secure, sent only to /signin, names no email, and needs the server's secret", async () => {
    const { email } = await signUp("device-cookie");
    const b = new TestBrowser();
    await b.get("/signin");
    await b.post("/signin", { email, password: PASSWORD });
    const line = b.setCookies.find((c) => c.startsWith(`${DEVICE_COOKIE}=`))!;
    expect(line).toMatch(/HttpOnly/);
    expect(line).toMatch(/Secure/);
    expect(line).toMatch(/SameSite=Lax/);
    expect(line).toMatch(/Path=\/signin/);
    expect(line.toLowerCase()).not.toContain(email.split("@")[0]!.toLowerCase());
    expect(line).not.toContain(env.BYOK_MASTER_KEY);
  });
});
