import { env } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import type { Attempt } from "../src/byok/targets.ts";
import { firstAnsweringEndpoint } from "../src/inference/failover.ts";
import { MAX_BYTES_PER_TOKEN } from "../src/inference/prompt-size.ts";
import { findModel } from "@switchyard/catalog";
import { chatCompletionRequestSchema } from "@switchyard/schemas";
import { costBoundNanos } from "../src/accounts/spend/cost-bound.ts";
import { embeddingsCostBoundNanos } from "../src/accounts/spend/embeddings-cost-bound.ts";
import { call, json } from "./setup/call.ts";
import { seedTenant, type SeededTenant } from "./setup/seed.ts";

/**
 * Issue 19: one request could overdraw an account and pass a key's limit. The reserve
 * counted a prompt only up to the model's context, nothing refused a longer one, and the
 * upstream (the mock, like any provider that does) billed every token it was sent.
 * Whatever the upstream reports, a request that could cost more than what is left is refused
 * before any provider is called, and a prompt that certainly exceeds the context is a 400.
 */

const DOLLAR = 1_000_000_000;
/** 3.9 MB of text: ~975,000 tokens as the mock counts them, under the 4 MiB body limit. */
const HUGE = "word ".repeat(780_000);

/** What a user sees of their money: the key's usage and what the account has left. */
async function money(t: SeededTenant): Promise<{ keyUsage: number; limitRemaining: number | null; credits: number }> {
  const key = (await json(await call("/api/v1/key", { key: t.key }))).data;
  const credits = (await json(await call("/api/v1/credits", { key: t.key }))).data;
  return { keyUsage: key.usage, limitRemaining: key.limit_remaining, credits: credits.total_credits - credits.total_usage };
}

async function expectRefused(res: Response, statuses: number[]): Promise<any> {
  const body = await json(res);
  expect(statuses, JSON.stringify(body).slice(0, 300)).toContain(res.status);
  expect(body.error.code).toBe(res.status);
  return body;
}

const chat = (t: SeededTenant, content: string, extra: Record<string, unknown> = {}) =>
  call("/api/v1/chat/completions", { method: "POST", key: t.key, json: { model: "mock/echo", messages: [{ role: "user", content }], max_tokens: 1, ...extra } });
const complete = (t: SeededTenant, prompt: unknown, extra: Record<string, unknown> = {}) =>
  call("/api/v1/completions", { method: "POST", key: t.key, json: { model: "mock/echo", prompt, max_tokens: 1, ...extra } });
const embed = (t: SeededTenant, input: unknown) => call("/api/v1/embeddings", { method: "POST", key: t.key, json: { model: "mock/embed", input } });

describe("a prompt longer than the context cannot overdraw a key's limit or the account", () => {
  it("chat: a key limited to $0.20 sending a 3.9 MB prompt with max_tokens 1 is refused; its usage never moves", async () => {
    const t = await seedTenant("overdraw-chat", 10 * DOLLAR, { limitNanos: 0.2 * DOLLAR });
    for (let i = 0; i < 3; i++) await expectRefused(await chat(t, HUGE), [400, 402, 403]);
    const after = await money(t);
    expect(after.keyUsage).toBe(0);
    expect(after.limitRemaining).toBe(0.2);
    expect(after.credits).toBe(10);
    // the key still works for what its limit covers
    expect((await chat(t, "hello")).status).toBe(200);
  });

  it("chat: an account with $0.50 left cannot be taken below zero by such prompts (402)", async () => {
    const t = await seedTenant("overdraw-account", 0.5 * DOLLAR);
    for (let i = 0; i < 3; i++) await expectRefused(await chat(t, HUGE, { stream: i === 1 }), [400, 402]);
    expect((await money(t)).credits).toBe(0.5);
  });

  it("legacy completions: a 3.9 MB text prompt is refused the same way; a token-list prompt is a 400", async () => {
    const t = await seedTenant("overdraw-legacy", 10 * DOLLAR, { limitNanos: 0.2 * DOLLAR });
    await expectRefused(await complete(t, HUGE), [400, 402, 403]);
    await expectRefused(await complete(t, [HUGE]), [400, 402, 403]);
    await expectRefused(await complete(t, new Array(500_000).fill(1)), [400]);
    await expectRefused(await complete(t, [new Array(500_000).fill(1)]), [400]);
    expect(await money(t)).toMatchObject({ keyUsage: 0, credits: 10 });
  });

  it("a prompt whose text certainly exceeds the context (more than 256 bytes a token) is a 400 context_length_exceeded", async () => {
    const t = await seedTenant("overdraw-ctx", 10 * DOLLAR);
    const bytes = 131_072 * MAX_BYTES_PER_TOKEN + 1_000;
    const res = await call("/api/v1/chat/completions", {
      method: "POST",
      key: t.key,
      json: { model: "mock/echo", messages: [{ role: "user", content: "a".repeat(bytes) }], max_tokens: 1 },
      env: { MAX_BODY_BYTES: String(bytes + 10_000) },
    });
    const body = await expectRefused(res, [400]);
    expect(body.error.type).toBe("context_length_exceeded");
    expect(body.error.metadata).toMatchObject({ code: "context_length_exceeded", context_length: 131_072 });
    expect(body.error.message).toMatch(/context length of mock\/echo \(131072 tokens\)/);
    expect((await money(t)).credits).toBe(10);
  });
});

describe("embeddings", () => {
  it("a 500,000-token list on mock/embed (context 8,192) is a 400 context_length_exceeded, nothing charged", async () => {
    const t = await seedTenant("overdraw-embed-tokens", 10 * DOLLAR, { limitNanos: 0.001 * DOLLAR });
    for (const input of [new Array(500_000).fill(7), [[1, 2, 3], new Array(8_193).fill(7)]]) {
      const body = await expectRefused(await embed(t, input), [400]);
      expect(body.error.type).toBe("context_length_exceeded");
      expect(body.error.metadata).toMatchObject({ context_length: 8192 });
    }
    expect(await money(t)).toMatchObject({ keyUsage: 0, limitRemaining: 0.001, credits: 10 });
    // a list that fits is served
    expect((await embed(t, new Array(8_192).fill(7))).status).toBe(200);
  });

  it("text is bounded by its bytes, not the context: a 1.5 MB text past a $0.001 limit is refused, a 3 MB one is a 400", async () => {
    const t = await seedTenant("overdraw-embed-text", 10 * DOLLAR, { limitNanos: 0.001 * DOLLAR });
    await expectRefused(await embed(t, "word ".repeat(300_000)), [403]);
    const body = await expectRefused(await embed(t, ["short", "word ".repeat(600_000)]), [400]);
    expect(body.error.message).toMatch(/^input\[1\] is at least/);
    expect(await money(t)).toMatchObject({ keyUsage: 0, credits: 10 });
  });
});

describe("the reserve bounds the prompt by its bytes, per endpoint that can take it", () => {
  const model = findModel("mock/echo")!;
  const [us, eu] = model.endpoints;
  const request = (content: string) => chatCompletionRequestSchema.parse({ model: "mock/echo", messages: [{ role: "user", content }], max_tokens: 1 });

  it("the context does not cap the bound", () => {
    const r = request(HUGE);
    const bytes = new TextEncoder().encode(JSON.stringify(r.messages)).byteLength;
    expect(costBoundNanos([{ model, endpoint: us! }], r)).toBe(BigInt(bytes * 1000 + 2000));
  });

  it("an endpoint whose context the prompt certainly exceeds is left out of the bound, and not tried", async () => {
    // a small-context copy of the dearer endpoint: the prompt cannot fit it
    const small: Attempt = { model, endpoint: { ...eu!, contextLength: 10 } };
    const r = request("x".repeat(11 * MAX_BYTES_PER_TOKEN));
    expect(costBoundNanos([small, { model, endpoint: us! }], r)).toBe(costBoundNanos([{ model, endpoint: us! }], r));
    expect(() => costBoundNanos([small], r)).toThrow(/context length/);
    const committed = await firstAnsweringEndpoint(env, [small, { model, endpoint: us! }], r, { stream: false, signal: new AbortController().signal, firstByteTimeoutMs: 30_000 });
    expect(committed.attempts.map((a) => a.provider)).toEqual(["mock"]);
  });

  it("embeddings: the sum of every input's bytes or length, uncapped", () => {
    const embedModel = findModel("mock/embed")!;
    const plan = [{ model: embedModel, endpoint: embedModel.endpoints[0]! }];
    expect(embeddingsCostBoundNanos(plan, { model: "mock/embed", input: [new Array(8_000).fill(1), "x".repeat(100_000)] as unknown as string[] })).toBe(BigInt((8_000 + 100_000) * 100));
  });
});
