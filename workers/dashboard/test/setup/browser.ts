import { createExecutionContext, env, waitOnExecutionContext } from "cloudflare:test";
import worker from "../../src/index.ts";

export const ORIGIN = "https://dashboard.test";

export interface Page {
  status: number;
  location: string | null;
  headers: Headers;
  html: string;
}

/**
 * A minimal browser for the worker in-process: keeps cookies, sends the Origin
 * header a browser sends on form POSTs, and fills in the CSRF token from the last
 * page with forms — each of which a test can leave out to play an attacker.
 */
export class TestBrowser {
  readonly cookies = new Map<string, string>();
  setCookies: string[] = [];
  /** The CSRF token of the last page that had forms (error pages have none). */
  token: string | null = null;

  async request(path: string, init: RequestInit = {}): Promise<Page> {
    const headers = new Headers(init.headers);
    if (this.cookies.size) headers.set("cookie", [...this.cookies].map(([k, v]) => `${k}=${v}`).join("; "));
    const ctx = createExecutionContext();
    const res = await worker.fetch(new Request(`${ORIGIN}${path}`, { ...init, headers, redirect: "manual" }), env, ctx);
    const html = await res.text();
    await waitOnExecutionContext(ctx);
    this.setCookies = res.headers.getSetCookie();
    for (const line of this.setCookies) {
      const [pair] = line.split(";");
      const [name, value] = pair!.split("=") as [string, string];
      if (/max-age=0/i.test(line) || value === "") this.cookies.delete(name);
      else this.cookies.set(name, value);
    }
    const page = { status: res.status, location: res.headers.get("location"), headers: res.headers, html };
    const token = /name="_csrf" value="([^"]+)"/.exec(html)?.[1];
    if (token) this.token = token;
    return page;
  }

  get(path: string): Promise<Page> {
    return this.request(path);
  }

  csrfToken(): string {
    if (!this.token) throw new Error("no page with a CSRF token seen yet");
    return this.token;
  }

  post(path: string, fields: Record<string, string | string[]>, opts: { csrf?: string | null; origin?: string | null; headers?: Record<string, string> } = {}): Promise<Page> {
    const form = new URLSearchParams();
    const token = opts.csrf === undefined ? this.csrfToken() : opts.csrf;
    if (token !== null) form.set("_csrf", token);
    for (const [k, v] of Object.entries(fields)) for (const item of [v].flat()) form.append(k, item);
    const headers: Record<string, string> = { ...opts.headers, "content-type": "application/x-www-form-urlencoded" };
    const origin = opts.origin === undefined ? ORIGIN : opts.origin;
    if (origin !== null) headers.origin = origin;
    return this.request(path, { method: "POST", body: form.toString(), headers });
  }
}

export const PASSWORD = "correct horse battery staple";

let counter = 0;
export const uniqueEmail = (name: string) => `${name}-${Date.now()}-${counter++}@example.com`;

/** Signs a new user up through the form; returns their browser and first workspace. */
export async function signUp(name: string): Promise<{ browser: TestBrowser; email: string; workspaceId: string }> {
  const browser = new TestBrowser();
  const email = uniqueEmail(name);
  await browser.get("/signup");
  const res = await browser.post("/signup", { email, password: PASSWORD });
  const workspaceId = /\/w\/([^?/]+)/.exec(res.location ?? "")?.[1];
  if (res.status !== 303 || !workspaceId) throw new Error(`sign-up failed: ${res.status} ${res.html.slice(0, 300)}`);
  await browser.get(`/w/${workspaceId}`);
  return { browser, email, workspaceId };
}

export async function row<T>(sql: string, ...params: unknown[]): Promise<T | null> {
  return env.DB.prepare(sql).bind(...params).first<T>();
}

/** The text a person reads: tags dropped, entities of interest decoded, spaces collapsed. */
export const visibleText = (html: string) =>
  html.replace(/<[^>]+>/g, " ").replace(/&#39;|&apos;/g, "'").replace(/&quot;/g, '"').replace(/&amp;/g, "&").replace(/\s+/g, " ");
