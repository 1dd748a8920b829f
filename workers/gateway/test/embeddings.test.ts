import { env } from "cloudflare:test";
import { beforeAll, describe, expect, it } from "vitest";
import { giveByokKey } from "./setup/byok.ts";
import { balanceOf, call, ledgerSum, firstRecord } from "./setup/call.ts";
import { seedTenant, type SeededTenant } from "./setup/seed.ts";

// mock/embed costs 100 nano-dollars per input token; the mock counts ceil(chars / 4) per text.
const PRICE = 100;

let tenant: SeededTenant;
beforeAll(async () => {
  tenant = await seedTenant("embed");
});

const embed = (json: unknown, key: string | null = tenant.key) => call("/api/v1/embeddings", { method: "POST", ...(key ? { key } : {}), json });

describe("POST /api/v1/embeddings", () => {
  it("returns one vector per input in OpenAI's shape, with cost, and bills input tokens", async () => {
    const before = await balanceOf(tenant.accountId);
    const res = await embed({ model: "mock/embed", input: ["hello world", "another text"] });
    expect(res.status).toBe(200);
    const body = (await res.json()) as any;
    expect(body).toMatchObject({ object: "list", model: "mock/embed", provider: "Mock" });
    expect(body.data.map((d: any) => [d.object, d.index, d.embedding.length])).toEqual([
      ["embedding", 0, 16],
      ["embedding", 1, 16],
    ]);
    expect(body.usage).toEqual({ prompt_tokens: 3 + 3, total_tokens: 6, cost: (6 * PRICE) / 1e9, is_byok: false });
    expect(res.headers.get("x-generation-id")).toBe(body.id);
    const gen = await firstRecord<any>(tenant.accountId, "SELECT status, model, prompt_tokens, completion_tokens, cost_nanos FROM generations WHERE id = ?", body.id);
    expect(gen).toEqual({ status: "success", model: "mock/embed", prompt_tokens: 6, completion_tokens: 0, cost_nanos: 6 * PRICE });
    expect(await balanceOf(tenant.accountId)).toBe(before - 6 * PRICE);
    expect(await ledgerSum(tenant.accountId)).toBe(await balanceOf(tenant.accountId));
  });

  it("passes dimensions on and base64 vectors through untouched", async () => {
    const body = (await (await embed({ model: "mock/embed", input: "hi", dimensions: 4, encoding_format: "base64" })).json()) as any;
    expect(typeof body.data[0].embedding).toBe("string");
    expect(atob(body.data[0].embedding).length).toBe(4 * 4);
  });

  it("400 for a chat model and for bad input; 404 for an unknown model; 401 without a key", async () => {
    const chat = await embed({ model: "mock/echo", input: "x" });
    expect(chat.status).toBe(400);
    expect(((await chat.json()) as any).error.message).toMatch(/does not produce embeddings/);
    expect((await embed({ model: "mock/embed", input: [] })).status).toBe(400);
    expect((await embed({ model: "mock/embed" })).status).toBe(400);
    expect((await embed({ model: "nobody/nothing", input: "x" })).status).toBe(404);
    expect((await embed({ model: "mock/embed", input: "x" }, null)).status).toBe(401);
  });

  it("a provider without a configured key is unavailable (503), and nothing is charged", async () => {
    const before = await balanceOf(tenant.accountId);
    const res = await embed({ model: "openai/text-embedding-3-small", input: "x" });
    expect(res.status).toBe(503);
    expect(await balanceOf(tenant.accountId)).toBe(before);
  });

  it("a provider's 429 comes back as 429 with its retry hint, free", async () => {
    const before = await balanceOf(tenant.accountId);
    const res = await embed({ model: "mock/embed", input: "x [mock:status=429,retry_after=5]" });
    expect(res.status).toBe(429);
    expect(((await res.json()) as any).error.metadata.retry_after_seconds).toBe(5);
    expect(await balanceOf(tenant.accountId)).toBe(before);
  });

  it("with the workspace's own key: served with it, no credits for usage, recorded as BYOK", async () => {
    const own = await seedTenant("embed_byok");
    await giveByokKey(own, "mock", "sk-own-embeddings-key");
    const before = await balanceOf(own.accountId);
    const res = await embed({ model: "mock/embed", input: "mine" }, own.key);
    const body = (await res.json()) as any;
    expect(body.usage).toMatchObject({ cost: 0, is_byok: true });
    const gen = await firstRecord<any>(own.accountId, "SELECT byok, cost_nanos FROM generations WHERE id = ?", body.id);
    expect(gen).toEqual({ byok: 1, cost_nanos: 0 });
    expect(await balanceOf(own.accountId)).toBe(before);
  });
});

describe("embeddings follow the workspace's routing rules", () => {
  it("a ZDR workspace is never sent to an endpoint that keeps prompts", async () => {
    const zdr = await seedTenant("embed_zdr", 10_000_000_000, { zdr: true });
    const res = await embed({ model: "mock/embed", input: "private" }, zdr.key);
    expect(res.status).toBe(404);
    expect(await balanceOf(zdr.accountId)).toBe(10_000_000_000);
  });
});

describe("embeddings reserve spend like chat", () => {
  it("402 without credits, before any provider is called", async () => {
    const broke = await seedTenant("embed_broke", 0);
    const res = await embed({ model: "mock/embed", input: "x" }, broke.key);
    expect(res.status).toBe(402);
  });
});
