import { env } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { row, signUp, visibleText } from "./setup/browser.ts";

const DAY = 24 * 3600 * 1000;

/** Generations as the gateway's settlement writes them. */
async function seedGenerations(workspaceId: string) {
  await env.DB.prepare("INSERT INTO api_keys (id, hash, prefix, name, workspace_id) VALUES (?, ?, 'sk-sy-v1-abcde', 'Batch', ?)")
    .bind(`key_${workspaceId}`, `hash_${workspaceId}`, workspaceId)
    .run();
  const accountId = (await row<{ a: string }>("SELECT account_id AS a FROM workspaces WHERE id = ?", workspaceId))!.a;
  const now = Date.now();
  const rows: Array<[string, string, string, number, number]> = [
    ["g1", "mock/echo", "success", 12_000, now - 1000],
    ["g2", "mock/echo", "success", 8_000, now - 2 * DAY],
    ["g3", "openai/gpt-4o", "success", 2_500_000, now - 2 * DAY],
    ["g4", "mock/echo", "error", 0, now - 3000],
    ["g5", "mock/echo", "success", 99_000, now - 40 * DAY], // outside the 30 days
  ];
  for (const [id, model, status, cost, at] of rows) {
    await env.DB.prepare(
      `INSERT INTO generations (id, account_id, workspace_id, api_key_id, model, provider, status, error_code, prompt_tokens, completion_tokens, cost_nanos, latency_ms, created_at)
       VALUES (?, ?, ?, ?, ?, 'mock', ?, ?, 6, 3, ?, 42, ?)`,
    )
      .bind(`${id}_${workspaceId}`, accountId, workspaceId, `key_${workspaceId}`, model, status, status === "error" ? 502 : null, cost, at)
      .run();
  }
}

describe("overview and activity", () => {
  it("charts 30 days of spend stacked by model, and ranks keys", async () => {
    const { browser, workspaceId } = await signUp("usage");
    await seedGenerations(workspaceId);
    const page = await browser.get(`/w/${workspaceId}`);
    const bars = [...page.html.matchAll(/<rect [^>]*data-day="([\d-]+)" data-series="([^"]+)"/g)].map((m) => `${m[1]} ${m[2]}`);
    const today = new Date().toISOString().slice(0, 10);
    const twoDaysAgo = new Date(Date.now() - 2 * DAY).toISOString().slice(0, 10);
    expect(bars.sort()).toEqual([`${twoDaysAgo} mock/echo`, `${twoDaysAgo} openai/gpt-4o`, `${today} mock/echo`].sort());
    const text = visibleText(page.html);
    expect(text).toContain("$0.00252"); // 12,000 + 8,000 + 2,500,000 nanos; the 40-day-old one is out
    expect(text).toContain("4 requests");
    expect(text).toMatch(/Batch sk-sy-v1-abcde… 4 \$0\.00252/);
  });

  it("this month's spend comes from the ledger, BYOK fees included, as the budget counts it", async () => {
    const { browser, workspaceId } = await signUp("month");
    const accountId = (await row<{ a: string }>("SELECT account_id AS a FROM workspaces WHERE id = ?", workspaceId))!.a;
    const entry = (kind: string, amount: number, key: string) =>
      env.DB.prepare("INSERT INTO ledger_entries (account_id, workspace_id, kind, amount_nanos, idempotency_key) VALUES (?, ?, ?, ?, ?)")
        .bind(accountId, workspaceId, kind, amount, `${key}:${workspaceId}`)
        .run();
    await entry("usage", -1_000_000_000, "u1");
    await entry("byok_fee", -50_000_000, "b1");
    await entry("purchase", 20_000_000_000, "p1"); // credits are not spend
    await env.DB.prepare("UPDATE workspaces SET monthly_budget_nanos = 5000000000 WHERE id = ?").bind(workspaceId).run();
    const text = visibleText((await browser.get(`/w/${workspaceId}`)).html);
    expect(text).toContain("Spend this month $1.05 of $5.00 budget");
  });

  it("lists generations with filters and exports them as CSV", async () => {
    const { browser, workspaceId } = await signUp("activity");
    await seedGenerations(workspaceId);
    const all = await browser.get(`/w/${workspaceId}/activity`);
    expect(all.html.match(/data-generation-id=/g)).toHaveLength(5);
    const errors = await browser.get(`/w/${workspaceId}/activity?status=error`);
    expect(errors.html.match(/data-generation-id=/g)).toHaveLength(1);
    expect(visibleText(errors.html)).toContain("Error 502");
    const gpt = await browser.get(`/w/${workspaceId}/activity?model=openai%2Fgpt-4o`);
    expect(visibleText(gpt.html)).toContain("$0.0025");

    const csv = await browser.get(`/w/${workspaceId}/activity.csv?model=mock%2Fecho`);
    expect(csv.headers.get("content-type")).toMatch(/text\/csv/);
    expect(csv.headers.get("content-disposition")).toMatch(/attachment; filename="switchyard-activity-/);
    const lines = csv.html.trim().split("\r\n");
    expect(lines[0]).toBe(
      "time_utc,generation_id,model,provider,key_id,key_name,status,error_code,prompt_tokens,completion_tokens,cost_usd,cost_nanos,latency_ms,ttft_ms,streamed,byok,finish_reason",
    );
    expect(lines).toHaveLength(1 + 4);
    expect(lines.find((l) => l.includes(`g1_${workspaceId}`))).toContain(",mock/echo,mock,");
    expect(lines.find((l) => l.includes(`g1_${workspaceId}`))).toContain(",0.000012,12000,42,");
  });
});
