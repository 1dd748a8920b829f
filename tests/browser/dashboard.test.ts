import { formatUsdExact } from "@switchyard/dashboards";
import { startMockUpstream } from "@switchyard/mock-upstream/node";
import OpenAI from "openai";
import type { Browser, BrowserContext, Page } from "playwright-core";
import Stripe from "stripe";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type RunningGateway, type RunningWorker, startGateway, startWorkerBesideGateway } from "../e2e/gateway-process.ts";
import { startFakeStripe } from "../fake-stripe/node-server.ts";
import { launchChromium, screenshot } from "./chromium.ts";

/**
 * The dashboard in real Chromium, against the real gateway, dashboard and billing
 * workers under `wrangler dev` on one local D1, the mock provider and a fake Stripe
 * API — the flows a customer goes through, one after another.
 */
const STRIPE_SECRET_KEY = "sk_test_browser";
const WEBHOOK_SECRET = "whsec_browser_test";
const BYOK_MASTER_KEY = Buffer.from(crypto.getRandomValues(new Uint8Array(32))).toString("base64");
const PASSWORD = "correct horse battery staple";

let upstream: Awaited<ReturnType<typeof startMockUpstream>>;
let stripe: Awaited<ReturnType<typeof startFakeStripe>>;
let gateway: RunningGateway;
let dashboard: RunningWorker;
let billing: RunningWorker;
let browser: Browser;

// The owner's browser and what the flows learn along the way.
let owner: { context: BrowserContext; page: Page; email: string; workspaceUrl: string };
let apiKey: string;

beforeAll(async () => {
  [upstream, stripe, browser] = await Promise.all([startMockUpstream(), startFakeStripe(), launchChromium()]);
  gateway = await startGateway({ PROVIDER_BASE_URLS: JSON.stringify({ mock: upstream.url, "mock-eu": upstream.url }), BYOK_MASTER_KEY });
  // One after the other: two workerd processes initialising the same state directory at once is asking for trouble.
  dashboard = await startWorkerBesideGateway("dashboard", gateway.stateDir, { STRIPE_SECRET_KEY, STRIPE_API_BASE: stripe.url, BYOK_MASTER_KEY, GATEWAY_URL: gateway.url });
  billing = await startWorkerBesideGateway("billing", gateway.stateDir, { STRIPE_SECRET_KEY, STRIPE_WEBHOOK_SECRET: WEBHOOK_SECRET, STRIPE_API_BASE: stripe.url });
});

afterAll(async () => {
  await browser?.close();
  await Promise.all([dashboard?.stop(), billing?.stop()]);
  await gateway?.stop();
  await Promise.all([upstream?.close(), stripe?.close()]);
});

async function signUp(email: string): Promise<{ context: BrowserContext; page: Page; workspaceUrl: string }> {
  const context = await browser.newContext({ viewport: { width: 1280, height: 860 } });
  const page = await context.newPage();
  await page.goto(`${dashboard.url}/signup`);
  await page.getByLabel("Email").fill(email);
  await page.getByLabel("Password").fill(PASSWORD);
  await page.getByRole("button", { name: "Create account" }).click();
  await page.waitForURL(/\/w\/ws_/);
  return { context, page, workspaceUrl: page.url().replace(/\?.*$/, "") };
}

const balanceText = async (page: Page) => (await page.locator("#balance").textContent())!.trim();

describe("the dashboard in Chromium", () => {
  it("signs up and lands on the overview of a new workspace", async () => {
    const context = await browser.newContext();
    const page = await context.newPage();
    await page.goto(`${dashboard.url}/signup`);
    await screenshot(page, "01-sign-up");
    await context.close();

    const email = `owner-${Date.now()}@example.com`;
    owner = { ...(await signUp(email)), email };
    const cookie = (await owner.context.cookies()).find((c) => c.name === "sy_session")!;
    expect(cookie).toMatchObject({ httpOnly: true, secure: true, sameSite: "Lax" });
    await expect(owner.page.getByRole("heading", { name: "Overview" }).isVisible()).resolves.toBe(true);
    expect(await balanceText(owner.page)).toBe("$0.00");
    await screenshot(owner.page, "02-overview-new");
  });

  it("buys credits: fee and total shown before paying; the balance rises by the amount, not the fee", async () => {
    const { page } = owner;
    await page.getByRole("link", { name: "Credits", exact: true }).click();
    await page.getByRole("link", { name: "$10", exact: true }).click();
    expect(await page.locator("#quote-amount").textContent()).toBe("$10.00");
    expect(await page.locator("#quote-fee").textContent()).toBe("$0.80");
    expect(await page.locator("#quote-total").textContent()).toBe("$10.80");
    await screenshot(page, "03-credits-quote");

    await page.getByRole("button", { name: "Pay $10.80 with Stripe" }).click();
    await page.waitForURL(`${stripe.url}/pay/**`);
    await screenshot(page, "04-fake-stripe-checkout");
    const session = [...stripe.sessions.values()].at(-1)!;
    expect(session.line_items.map((i) => [i.name, i.unit_amount])).toEqual([
      ["switchyard credits", 1000],
      ["Payment processing fee", 80],
    ]);
    expect(session).toMatchObject({ amount_total: 1080, currency: "usd", mode: "payment" });
    expect(session.metadata).toMatchObject({ credits_cents: "1000", fee_cents: "80", workspace_id: owner.workspaceUrl.split("/w/")[1] });

    // Stripe confirms the payment with a signed webhook to the billing worker, then sends the customer back.
    const payload = JSON.stringify(stripe.completedEvent(session.id));
    const signature = new Stripe(STRIPE_SECRET_KEY).webhooks.generateTestHeaderString({ payload, secret: WEBHOOK_SECRET });
    const hook = await fetch(`${billing.url}/billing/webhook`, { method: "POST", body: payload, headers: { "stripe-signature": signature, "content-type": "application/json" } });
    expect(await hook.json()).toEqual({ received: true, outcome: "credited" });
    await page.goto(session.success_url);
    await expect(page.getByRole("status").textContent()).resolves.toContain("your credits have been added");
    expect(await balanceText(page)).toBe("$10.00");
    await expect(page.locator("#purchases").textContent()).resolves.toMatch(/\$10\.00\s*\$0\.80\s*\$10\.80\s*Paid/);
    await screenshot(page, "05-credits-paid");

    await page.getByRole("link", { name: "Receipt" }).click();
    await expect(page.locator("main").textContent()).resolves.toMatch(/Total paid\s*\$10\.80/);
    await screenshot(page, "06-receipt");
  });

  it("creates a key, shown once with a copy button", async () => {
    const { page, context } = owner;
    await context.grantPermissions(["clipboard-read", "clipboard-write"], { origin: dashboard.url });
    await page.goto(`${owner.workspaceUrl}/keys`);
    await page.getByLabel("Name", { exact: true }).fill("Browser test key");
    await page.getByRole("button", { name: "Create key" }).click();
    apiKey = (await page.locator("#new-key-value").textContent())!;
    expect(apiKey).toMatch(/^sk-sy-v1-[0-9a-f]{64}$/);
    await page.getByRole("button", { name: "Copy" }).click();
    expect(await page.evaluate(() => navigator.clipboard.readText())).toBe(apiKey);
    await screenshot(page, "07-key-created");
    await page.goto(`${owner.workspaceUrl}/keys`);
    expect(await page.content()).not.toContain(apiKey);
  });

  it("a call with the key appears in Activity and in the chart", async () => {
    const client = new OpenAI({ baseURL: `${gateway.url}/api/v1`, apiKey, maxRetries: 0 });
    const { data: completion, response } = await client.chat.completions
      .create({ model: "mock/echo", messages: [{ role: "user", content: "hello from the browser test" }] })
      .withResponse();
    expect(completion.choices[0]!.message.content).toBe("Echo: hello from the browser test");
    // mock/echo has a US and an EU endpoint; the router picks one
    const provider = response.headers.get("x-switchyard-provider")!;
    expect(["mock", "mock-eu"]).toContain(provider);

    const { page } = owner;
    // Settlement runs after the response (waitUntil): reload until the row is there.
    await expect
      .poll(async () => {
        await page.goto(`${owner.workspaceUrl}/activity`);
        return page.locator(`tr[data-generation-id="${completion.id}"]`).count();
      }, { timeout: 10_000 })
      .toBe(1);
    const cells = await page.locator(`tr[data-generation-id="${completion.id}"] td`).allTextContents();
    expect(cells[1]).toBe("mock/echo");
    expect(cells[2]).toBe(provider);
    expect(cells[3]).toBe("Browser test key");
    expect(cells[8]).toBe("OK");
    await screenshot(page, "08-activity");

    const download = page.waitForEvent("download");
    await page.getByRole("link", { name: "Export CSV" }).click();
    const csv = await (await download).createReadStream();
    let text = "";
    for await (const chunk of csv) text += chunk;
    const row = text.split("\r\n").find((line) => line.includes(completion.id))!;
    expect(row).toContain(`${completion.id},mock/echo,${provider},`);
    const costNanos = Number(row.split(",")[11]);
    expect(costNanos).toBeGreaterThan(0);

    await page.goto(owner.workspaceUrl);
    const today = new Date().toISOString().slice(0, 10);
    await expect(page.locator(`svg rect[data-series="mock/echo"][data-day="${today}"]`).count()).resolves.toBe(1);
    await expect(page.locator("#top-keys").textContent()).resolves.toContain("Browser test key");
    // the call was charged exactly its cost (the card rounds to cents; its title is exact)
    expect(await page.locator("#balance").getAttribute("title")).toBe(formatUsdExact(10_000_000_000 - costNanos));
    await screenshot(page, "09-overview-with-usage");
    await page.setViewportSize({ width: 390, height: 844 });
    await screenshot(page, "10-overview-mobile");
    await page.setViewportSize({ width: 1280, height: 860 });
  });

  it("a management key made here works with the gateway's provisioning API", async () => {
    const { page } = owner;
    await page.goto(`${owner.workspaceUrl}/keys`);
    const form = page.locator("#create-key");
    await form.getByLabel("Name", { exact: true }).fill("Provisioner");
    await form.getByLabel("Kind").selectOption("management");
    await page.getByRole("button", { name: "Create key" }).click();
    const managementKey = (await page.locator("#new-key-value").textContent())!;
    const res = await fetch(`${gateway.url}/api/v1/keys`, { headers: { authorization: `Bearer ${managementKey}` } });
    expect(res.status).toBe(200);
    const { data } = (await res.json()) as { data: Array<{ name: string; label: string }> };
    expect(data.map((k) => k.name)).toEqual(["Browser test key"]); // inference keys only
    expect(data[0]!.label).toBe(`${apiKey.slice(0, 12)}...`);
    await page.goto(`${owner.workspaceUrl}/keys`);
    await screenshot(page, "10b-keys");
  });

  it("EU-only routing: a model with only US endpoints is refused with a clear error", async () => {
    const { page } = owner;
    await page.goto(`${owner.workspaceUrl}/settings`);
    await page.getByLabel(/EU-only routing/).check();
    await page.getByRole("button", { name: "Save settings" }).click();
    await expect(page.getByRole("status").textContent()).resolves.toContain("Settings saved");
    expect(await page.getByLabel(/EU-only routing/).isChecked()).toBe(true);
    await screenshot(page, "11-settings-eu-only");

    const client = new OpenAI({ baseURL: `${gateway.url}/api/v1`, apiKey, maxRetries: 0 });
    // The gateway caches a key's workspace rules for up to 10 s.
    let refusal: any;
    await expect
      .poll(async () => {
        refusal = await client.chat.completions.create({ model: "mock/echo-us-only", messages: [{ role: "user", content: "x" }] }).catch((e) => e);
        return refusal instanceof OpenAI.APIError;
      }, { timeout: 15_000, interval: 1000 })
      .toBe(true);
    // A 4xx in OpenRouter's shape that names the workspace rule, not a 5xx or a silent US answer.
    expect([400, 403, 404]).toContain(refusal.status);
    expect(refusal.message).toMatch(/EU-only/);
  });

  it("a member sees the workspace but cannot change its settings", async () => {
    const memberEmail = `member-${Date.now()}@example.com`;
    const member = await signUp(memberEmail);

    const { page } = owner;
    await page.goto(`${owner.workspaceUrl}/settings`);
    await page.getByLabel("Add a member by email").fill(memberEmail);
    await page.getByRole("button", { name: "Add member" }).click();
    await expect(page.locator("#members").textContent()).resolves.toContain(memberEmail);
    await screenshot(page, "12-settings-members");

    // the member switches to the owner's workspace
    await member.page.reload();
    await member.page.locator(".switcher summary").click();
    await screenshot(member.page, "13-workspace-switcher");
    const ownerPath = new URL(owner.workspaceUrl).pathname;
    await member.page.locator(`.switcher .menu a[href="${ownerPath}"]`).click();
    await member.page.waitForURL(owner.workspaceUrl);
    await member.page.getByRole("link", { name: "Settings" }).click();
    await expect(member.page.getByRole("note").textContent()).resolves.toContain("only owners and admins can change it");
    expect(await member.page.getByLabel(/EU-only routing/).isDisabled()).toBe(true);
    await screenshot(member.page, "14-settings-as-member");

    // Even a hand-made POST with the member's own valid CSRF token is refused.
    const token = await member.page.locator('input[name="_csrf"]').first().inputValue();
    const forced = await member.page.request.post(`${owner.workspaceUrl}/settings`, {
      form: { _csrf: token, name: "Taken over", monthly_budget: "", sort: "", order: "", allow_fallbacks: "on" },
      headers: { origin: dashboard.url },
      maxRedirects: 0,
    });
    expect(forced.status()).toBe(403);
    expect(await forced.text()).toContain("Only owners and admins can do this");
    await page.goto(`${owner.workspaceUrl}/settings`);
    expect(await page.getByLabel("Name", { exact: true }).inputValue()).toBe(`${owner.email.split("@")[0]}'s workspace`);
    expect(await page.getByLabel(/EU-only routing/).isChecked()).toBe(true); // unchanged by the member
    await member.context.close();
  });

  it("a second user cannot see the first user's workspace", async () => {
    const stranger = await signUp(`stranger-${Date.now()}@example.com`);
    await stranger.page.locator(".switcher summary").click();
    expect(await stranger.page.locator(".switcher .menu a").count()).toBe(1);
    const res = await stranger.page.goto(owner.workspaceUrl);
    expect(res!.status()).toBe(404);
    await expect(stranger.page.getByRole("heading", { name: "Page not found" }).isVisible()).resolves.toBe(true);
    expect(await stranger.page.content()).not.toContain(owner.email);
    await screenshot(stranger.page, "15-other-workspace-not-found");
    await stranger.context.close();
  });

  it("adds a BYOK provider key, shown only by its last four characters", async () => {
    const { page } = owner;
    await page.goto(`${owner.workspaceUrl}/byok`);
    await page.getByLabel("Provider").selectOption("openai");
    await page.getByLabel("API key").fill("sk-proj-browser-test-secret-9876");
    await page.getByLabel("Always use this key").check();
    await page.getByRole("button", { name: "Save key" }).click();
    await expect(page.locator("#byok-keys").textContent()).resolves.toMatch(/OpenAI\s*••••9876\s*Always/);
    expect(await page.content()).not.toContain("browser-test-secret");
    await screenshot(page, "16-byok");
  });

  it("signs out", async () => {
    const { page } = owner;
    await page.getByRole("button", { name: "Sign out" }).click();
    await page.waitForURL(`${dashboard.url}/signin`);
    await screenshot(page, "17-sign-in");
    await page.goto(owner.workspaceUrl);
    expect(page.url()).toContain("/signin?next=");
  });
});
