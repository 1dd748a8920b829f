import { createExecutionContext, env, waitOnExecutionContext } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { countingBody } from "../../gateway/test/setup/answers.ts";
import worker from "../src/index.ts";
import { MAX_FORM_BYTES } from "../src/middleware/body-limit.ts";
import { ORIGIN, TestBrowser, uniqueEmail, visibleText } from "./setup/browser.ts";

/**
 * Every dashboard route caps its request body before anything reads it, before
 * sign-in too: a 413 page without reading past the cap. The stream below counts
 * what the worker pulls from it (a 150 MB sign-in form once grew workerd by 1 GB).
 */
const { chunk: CHUNK } = countingBody(0);
const ROUTES = ["/signin", "/signup", "/signout", "/w/ws_nowhere/keys", "/no-such-page"];

async function post(path: string, body: BodyInit, headers: Record<string, string> = {}) {
  const ctx = createExecutionContext();
  const init = { method: "POST", body, duplex: "half", headers: { "content-type": "application/x-www-form-urlencoded", origin: ORIGIN, ...headers } };
  const res = await worker.fetch(new Request(`${ORIGIN}${path}`, init as RequestInit), env, ctx);
  const html = await res.text();
  await waitOnExecutionContext(ctx);
  return { status: res.status, html };
}

describe("the dashboard's body cap", () => {
  it.each(ROUTES)("POST %s: a 64 MiB stream with no Content-Length is a 413 page once past the cap, not read further", async (path) => {
    const body = countingBody(64 * 1024 * 1024);
    const res = await post(path, body.stream);
    expect(res.status).toBe(413);
    expect(visibleText(res.html)).toContain("more than 64 KiB");
    expect(body.pulled()).toBeGreaterThan(MAX_FORM_BYTES);
    expect(body.pulled()).toBeLessThanOrEqual(MAX_FORM_BYTES + 2 * CHUNK);
  });

  it.each(ROUTES)("POST %s: a declared Content-Length over the cap is refused before a byte is read", async (path) => {
    const body = countingBody(150 * 1024 * 1024);
    const res = await post(path, body.stream, { "content-length": String(150 * 1024 * 1024) });
    expect(res.status).toBe(413);
    expect(body.pulled()).toBeLessThanOrEqual(CHUNK);
  });

  it("a sign-in form just under the cap is read and judged on its content", async () => {
    const browser = new TestBrowser();
    await browser.get("/signin");
    const res = await browser.post("/signin", { email: uniqueEmail("cap"), password: "p".repeat(MAX_FORM_BYTES - 300) });
    expect(res.status).toBe(401);
    expect(visibleText(res.html)).toContain("Email or password is incorrect.");
  });
});
