import { env } from "cloudflare:test";
import { beforeAll, describe, expect, it } from "vitest";
import { balanceOf, call, sseData, firstRecord } from "./setup/call.ts";
import { seedTenant, type SeededTenant } from "./setup/seed.ts";

let tenant: SeededTenant;
beforeAll(async () => {
  tenant = await seedTenant("legacy");
});

const complete = (json: unknown, key: string | null = tenant.key) =>
  call("/api/v1/completions", { method: "POST", ...(key ? { key } : {}), json });

describe("POST /api/v1/completions", () => {
  it.each(["mock/echo", "mock/claude-echo", "mock/gemini-echo"])("answers a text_completion through %s, billed like chat", async (model) => {
    const before = await balanceOf(tenant.accountId);
    // sort by price pins mock/echo to its "mock" endpoint, whose prices are used below
    const res = await complete({ model, prompt: "Say this is a test", max_tokens: 7, provider: { sort: "price" } });
    expect(res.status).toBe(200);
    const body = (await res.json()) as any;
    expect(body).toMatchObject({ object: "text_completion", model, choices: [{ text: "Echo: Say this is a test", index: 0, logprobs: null, finish_reason: "stop" }] });
    expect(body.id).toMatch(/^gen-/);
    expect(res.headers.get("x-generation-id")).toBe(body.id);
    const nanos = body.usage.prompt_tokens * 1000 + body.usage.completion_tokens * 2000;
    expect(body.usage.cost).toBe(nanos / 1e9);
    const gen = await firstRecord<any>(tenant.accountId, "SELECT status, cost_nanos FROM generations WHERE id = ?", body.id);
    expect(gen).toEqual({ status: "success", cost_nanos: nanos });
    expect(await balanceOf(tenant.accountId)).toBe(before - nanos);
  });

  it("accepts a one-element prompt list and truncates at max_tokens with finish_reason length", async () => {
    const body = (await (await complete({ model: "mock/echo", prompt: ["one two three four"], max_tokens: 2 })).json()) as any;
    expect(body.choices[0]).toMatchObject({ text: "Echo: one", finish_reason: "length" });
  });

  it("streams text_completion chunks, usage last, then [DONE]", async () => {
    const res = await complete({ model: "mock/claude-echo", prompt: "stream me please", stream: true });
    expect(res.headers.get("content-type")).toContain("text/event-stream");
    const events = sseData(await res.text());
    expect(events.at(-1)).toBe("[DONE]");
    const chunks = events.slice(0, -1).map((e) => JSON.parse(e));
    expect(chunks.every((c) => c.object === "text_completion")).toBe(true);
    expect(chunks.map((c) => c.choices[0]?.text ?? "").join("")).toBe("Echo: stream me please");
    expect(chunks.find((c) => c.choices[0]?.finish_reason)?.choices[0].finish_reason).toBe("stop");
    expect(chunks.at(-1).usage.cost).toBeGreaterThan(0);
  });

  it("a cut stream ends with an error chunk and is not billed", async () => {
    const before = await balanceOf(tenant.accountId);
    const events = sseData(await (await complete({ model: "mock/gemini-echo", prompt: "a b c d [mock:cut=1]", stream: true })).text());
    expect(JSON.parse(events.at(-2)!)).toMatchObject({ object: "text_completion", error: { code: 502 }, choices: [{ finish_reason: "error" }] });
    expect(await balanceOf(tenant.accountId)).toBe(before);
  });

  it.each([
    ["no prompt", { model: "mock/echo" }, /prompt/],
    ["a batch of prompts", { model: "mock/echo", prompt: ["a", "b"] }, /batches of prompts are not supported/],
    ["echo", { model: "mock/echo", prompt: "a", echo: true }, /echo is not supported/],
    ["a suffix", { model: "mock/echo", prompt: "a", suffix: "z" }, /suffix/],
    ["a bad temperature (checked as chat)", { model: "mock/echo", prompt: "a", temperature: 9 }, /temperature/],
  ])("400 for %s", async (_name, json, message) => {
    const res = await complete(json);
    expect(res.status).toBe(400);
    expect(((await res.json()) as any).error.message).toMatch(message);
  });

  it("401 without a key, 404 for an unknown model, 429 from the provider — the chat path's errors", async () => {
    expect((await complete({ model: "mock/echo", prompt: "x" }, null)).status).toBe(401);
    const missing = await complete({ model: "nobody/nothing", prompt: "x" });
    expect([missing.status, ((await missing.json()) as any).error.code]).toEqual([404, 404]);
    const limited = await complete({ model: "mock/claude-echo", prompt: "x [mock:status=429,retry_after=2]" });
    expect(limited.status).toBe(429);
    expect(((await limited.json()) as any).error.metadata.retry_after_seconds).toBe(2);
  });

  it("402 without credits: the chat path's spend reserve applies to completions too", async () => {
    const broke = await seedTenant("legacy_broke", 0);
    expect((await complete({ model: "mock/echo", prompt: "x" }, broke.key)).status).toBe(402);
  });
});
