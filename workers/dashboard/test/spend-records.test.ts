import { env } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { row, signUp, visibleText } from "./setup/browser.ts";

/**
 * Since issue 20 the gateway keeps per-request records in each account's spend object and
 * writes D1 only per-minute roll-ups. The dashboard reads the list from the object (through
 * its ACCOUNT_SPEND binding to the gateway) and the charts from the roll-ups.
 */
async function settleThroughTheGateway(workspaceId: string, keyId: string, n: number) {
  const accountId = (await row<{ a: string }>("SELECT account_id AS a FROM workspaces WHERE id = ?", workspaceId))!.a;
  const spend = env.ACCOUNT_SPEND.get(env.ACCOUNT_SPEND.idFromName(accountId));
  const now = Date.now();
  for (let i = 0; i < n; i++) {
    const id = `rec${i}_${workspaceId}`;
    await spend.settle({
      reservationId: id, accountId, keyId, usedAt: now - i * 1000, byok: null,
      generation: { id, accountId, workspaceId, apiKeyId: keyId, model: "mock/echo", provider: "mock", status: i === 0 ? "error" : "success", errorCode: i === 0 ? 502 : null,
        promptTokens: 6, completionTokens: 3, costNanos: i === 0 ? 0 : 7_000, latencyMs: 40, createdAt: now - i * 1000 - 40 },
      entries: i === 0 ? [] : [{ accountId, workspaceId, apiKeyId: keyId, kind: "usage", amountNanos: -7_000, idempotencyKey: `usage:${id}` }],
    });
  }
  return accountId;
}

describe("activity from the gateway's spend objects, charts from D1 roll-ups", () => {
  it("lists the account's per-request records, filtered and exported as CSV", async () => {
    const { browser, workspaceId } = await signUp("records");
    const keyId = `key_${workspaceId}`;
    await env.DB.prepare("INSERT INTO api_keys (id, hash, prefix, name, workspace_id) VALUES (?, ?, 'sk-sy-v1-recor', 'Live', ?)").bind(keyId, `hash_${workspaceId}`, workspaceId).run();
    await settleThroughTheGateway(workspaceId, keyId, 3);
    const all = await browser.get(`/w/${workspaceId}/activity`);
    expect(all.html.match(/data-generation-id=/g)).toHaveLength(3);
    expect(visibleText(all.html)).toContain("Live");
    const errors = await browser.get(`/w/${workspaceId}/activity?status=error`);
    expect(errors.html.match(/data-generation-id=/g)).toHaveLength(1);
    const csv = (await browser.get(`/w/${workspaceId}/activity.csv?status=success`)).html.trim().split("\r\n");
    expect(csv).toHaveLength(1 + 2);
    expect(csv[1]).toContain(`rec1_${workspaceId},mock/echo,mock,${keyId},Live,success,,6,3,0.000007,7000,40,`);
  });

  it("charts and totals come from the roll-ups (one entry per key, model and minute)", async () => {
    const { browser, workspaceId } = await signUp("rollups");
    const accountId = (await row<{ a: string }>("SELECT account_id AS a FROM workspaces WHERE id = ?", workspaceId))!.a;
    const keyId = `key_${workspaceId}`;
    await env.DB.prepare("INSERT INTO api_keys (id, hash, prefix, name, workspace_id) VALUES (?, ?, 'sk-sy-v1-rollu', 'Rolled', ?)").bind(keyId, `hash_${workspaceId}`, workspaceId).run();
    const minute = Math.floor(Date.now() / 60_000) * 60_000;
    for (const [model, amount, requests] of [["mock/echo", 30_000, 3], ["openai/gpt-4o", 2_000_000, 1]] as const) {
      await env.DB.prepare(
        `INSERT INTO ledger_entries (account_id, workspace_id, api_key_id, kind, amount_nanos, idempotency_key, created_at, model, request_count, prompt_tokens, completion_tokens, detail)
         VALUES (?, ?, ?, 'usage', ?, ?, ?, ?, ?, 0, 0, '{}')`,
      ).bind(accountId, workspaceId, keyId, -amount, `rollup:${workspaceId}:${model}`, minute, model, requests).run();
    }
    const page = await browser.get(`/w/${workspaceId}`);
    const bars = [...page.html.matchAll(/<rect [^>]*data-day="([\d-]+)" data-series="([^"]+)"/g)].map((m) => m[2]);
    expect(bars.sort()).toEqual(["mock/echo", "openai/gpt-4o"]);
    const text = visibleText(page.html);
    expect(text).toContain("4 requests");
    expect(text).toMatch(/Rolled sk-sy-v1-rollu… 4 \$0\.00203/);
  });

  it("a call made a moment ago is on the overview and in the balance at once, not when its minute closes", async () => {
    const { browser, workspaceId } = await signUp("fresh");
    const keyId = `key_${workspaceId}`;
    await env.DB.prepare("INSERT INTO api_keys (id, hash, prefix, name, workspace_id) VALUES (?, ?, 'sk-sy-v1-fresh', 'Fresh', ?)").bind(keyId, `hash_${workspaceId}`, workspaceId).run();
    const accountId = await settleThroughTheGateway(workspaceId, keyId, 2); // one failure, one success of 7,000 nanos, this minute
    const balanceBefore = (await row<{ b: number }>("SELECT balance_nanos AS b FROM account_balances WHERE account_id = ?", accountId))?.b ?? 0;
    const page = await browser.get(`/w/${workspaceId}`);
    const bars = [...page.html.matchAll(/<rect [^>]*data-day="([\d-]+)" data-series="([^"]+)"/g)].map((m) => m[2]);
    expect(bars).toEqual(["mock/echo"]);
    expect(visibleText(page.html)).toMatch(/Fresh sk-sy-v1-fresh… 2 \$0\.000007/); // two requests (one failed, not charged)
    const balanceAfter = (await row<{ b: number }>("SELECT balance_nanos AS b FROM account_balances WHERE account_id = ?", accountId))!.b;
    expect(balanceAfter).toBe(balanceBefore - 7_000);
  });
});
