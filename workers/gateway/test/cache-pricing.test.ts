import { byokFeeNanos } from "@switchyard/fees";
import { env } from "cloudflare:test";
import { beforeAll, describe, expect, it } from "vitest";
import { giveByokKey } from "./setup/byok.ts";
import { balanceOf, call, ledgerSum, sseData, firstRecord } from "./setup/call.ts";
import { seedTenant, type SeededTenant } from "./setup/seed.ts";

// Prompt tokens the provider served from its prompt cache (and Anthropic's cache writes)
// are billed at the endpoint's cache prices, 0 % markup. The mock reports them on
// `[mock:cached=N]` / `[mock:cache_write=N]`. Catalog prices, nano-dollars per token:
//   mock (OpenAI format):  prompt 1000, cached 250, completion 2000
//   mock-anthropic:        prompt 1000, cache read 100, cache write 1250, completion 2000
//   mock-gemini:           prompt 1000, cached 250, completion 2000
const PRICES = {
  "mock/echo": { prompt: 1000, read: 250, write: 1000, completion: 2000 },
  "mock/claude-echo": { prompt: 1000, read: 100, write: 1250, completion: 2000 },
  "mock/gemini-echo": { prompt: 1000, read: 250, write: 1000, completion: 2000 },
} as const;
type Priced = keyof typeof PRICES;

/** (prompt − cached − written) × prompt + cached × read + written × write + completion × completion. */
function expectedNanos(model: Priced, usage: { prompt_tokens: number; completion_tokens: number }, cached: number, written = 0): number {
  const p = PRICES[model];
  return (usage.prompt_tokens - cached - written) * p.prompt + cached * p.read + written * p.write + usage.completion_tokens * p.completion;
}

let tenant: SeededTenant;
beforeAll(async () => {
  tenant = await seedTenant("cache_pricing");
});

// sort by price pins mock/echo to its US endpoint, whose prices are above.
const post = (model: string, content: string, extra: Record<string, unknown> = {}) =>
  call("/api/v1/chat/completions", { method: "POST", key: tenant.key, json: { model, messages: [{ role: "user", content }], provider: { sort: "price" }, ...extra } });

const usageDebit = async (generationId: string) =>
  -(await firstRecord<{ charge: number }>(tenant.accountId, "SELECT cost_nanos + byok_fee_nanos AS charge FROM generations WHERE id = ?", generationId))!.charge;

// Same length with and without caching, so both prompts count the same tokens.
const PROMPT = "a long system prompt worth caching, then a question";
const CACHED = 8;

describe("prompt-cache pricing through the gateway", () => {
  it("bills cached prompt tokens at the cache price: usage.cost, the generation and the ledger debit agree exactly", async () => {
    const before = await balanceOf(tenant.accountId);
    const res = await post("mock/echo", `${PROMPT} [mock:cached=${CACHED}]`);
    expect(res.status).toBe(200);
    const body = (await res.json()) as any;
    expect(body.usage.prompt_tokens).toBeGreaterThan(CACHED);
    expect(body.usage.prompt_tokens_details.cached_tokens).toBe(CACHED);
    const nanos = expectedNanos("mock/echo", body.usage, CACHED);
    expect(body.usage.cost).toBe(nanos / 1e9);

    const gen = await firstRecord<any>(tenant.accountId, "SELECT cost_nanos, provider FROM generations WHERE id = ?", body.id);
    expect(gen).toEqual({ cost_nanos: nanos, provider: "mock" });
    expect(await usageDebit(body.id)).toBe(-nanos);
    expect(await balanceOf(tenant.accountId)).toBe(before - nanos);
    expect(await ledgerSum(tenant.accountId)).toBe(await balanceOf(tenant.accountId));
  });

  it("the same request without cached tokens costs exactly cached × (prompt − cache price) more", async () => {
    const cached = (await (await post("mock/echo", `${PROMPT} [mock:cached=${CACHED}]`)).json()) as any;
    const uncached = (await (await post("mock/echo", `${PROMPT} [mock:cached=0]`)).json()) as any;
    expect(uncached.usage.prompt_tokens).toBe(cached.usage.prompt_tokens);
    expect(uncached.usage.prompt_tokens_details.cached_tokens).toBe(0);
    const saved = (await usageDebit(cached.id)) - (await usageDebit(uncached.id));
    expect(saved).toBe(CACHED * (1000 - 250));
  });

  it("a streamed answer is billed the same way", async () => {
    const before = await balanceOf(tenant.accountId);
    const events = sseData(await (await post("mock/echo", `${PROMPT} [mock:cached=${CACHED}]`, { stream: true })).text());
    const last = JSON.parse(events.at(-2)!);
    expect(last.usage.prompt_tokens_details.cached_tokens).toBe(CACHED);
    const nanos = expectedNanos("mock/echo", last.usage, CACHED);
    expect(last.usage.cost).toBe(nanos / 1e9);
    expect(await usageDebit(last.id)).toBe(-nanos);
    expect(await balanceOf(tenant.accountId)).toBe(before - nanos);
  });

  it("Anthropic format: cache reads at 10 %, cache writes at 125 %, the rest at the prompt price", async () => {
    const before = await balanceOf(tenant.accountId);
    const res = await post("mock/claude-echo", `${PROMPT} [mock:cached=3,cache_write=5]`);
    expect(res.status).toBe(200);
    const body = (await res.json()) as any;
    expect(body.usage.prompt_tokens_details).toEqual({ cached_tokens: 3, cache_write_tokens: 5 });
    const reference = (await (await post("mock/echo", `${PROMPT} [mock:cached=3,cache_write=5]`)).json()) as any;
    expect(body.usage.prompt_tokens).toBe(reference.usage.prompt_tokens); // the whole prompt, reads and writes included
    const nanos = expectedNanos("mock/claude-echo", body.usage, 3, 5);
    expect(body.usage.cost).toBe(nanos / 1e9);
    expect(await usageDebit(body.id)).toBe(-nanos);
    expect(await balanceOf(tenant.accountId)).toBe(before - nanos + (await usageDebit(reference.id))); // the debit is negative
  });

  it("Gemini format: cachedContentTokenCount at the cache price", async () => {
    const res = await post("mock/gemini-echo", `${PROMPT} [mock:cached=${CACHED}]`, { stream: true });
    const last = JSON.parse(sseData(await res.text()).at(-2)!);
    expect(last.usage.prompt_tokens_details.cached_tokens).toBe(CACHED);
    const nanos = expectedNanos("mock/gemini-echo", last.usage, CACHED);
    expect(last.usage.cost).toBe(nanos / 1e9);
    expect(await usageDebit(last.id)).toBe(-nanos);
  });

  it("BYOK: the 5 % fee is on the cache-priced hosted cost", async () => {
    const byok = await seedTenant("cache_pricing_byok");
    await giveByokKey(byok, "mock", "sk-own-mock-key-cache");
    await env.DB.prepare("INSERT INTO byok_monthly_usage (account_id, month, requests) VALUES (?, ?, ?)").bind(byok.accountId, new Date().toISOString().slice(0, 7), 1_000_000).run();
    const before = await balanceOf(byok.accountId);
    const res = await call("/api/v1/chat/completions", {
      method: "POST",
      key: byok.key,
      json: { model: "mock/echo-us-only", messages: [{ role: "user", content: `${PROMPT} [mock:cached=${CACHED}]` }] },
    });
    const body = (await res.json()) as any;
    expect(body.usage).toMatchObject({ is_byok: true, cost: 0 });
    const fee = byokFeeNanos(BigInt(expectedNanos("mock/echo", body.usage, CACHED)));
    expect(fee).toBeGreaterThan(0n);
    expect(fee).toBeLessThan(byokFeeNanos(BigInt(expectedNanos("mock/echo", body.usage, 0))));
    expect(await balanceOf(byok.accountId)).toBe(before - Number(fee));
  });
});
