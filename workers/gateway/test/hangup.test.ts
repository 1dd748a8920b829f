import { reconcileAccount } from "@switchyard/db";
import { chatCompletionRequestSchema, chatRequestFromCompletion, completionRequestSchema, parseOrThrow } from "@switchyard/schemas";
import { createExecutionContext, env, waitOnExecutionContext } from "cloudflare:test";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import worker from "../src/index.ts";
import { countedPromptTokens, tokensOfBytes, utf8Bytes } from "../src/inference/relayed-tokens.ts";
import { balanceOf, call, firstRecord, sseData } from "./setup/call.ts";
import { clearHealth, healthDetails } from "./setup/health.ts";
import { seedTenant, type SeededTenant } from "./setup/seed.ts";
import { type ScriptedUpstreams, scriptedUpstreams } from "./setup/upstreams.ts";

/**
 * Issue 19: a client that hangs up pays for what was generated up to then, as the
 * provider bills it; one that leaves before any content (waiting for the first byte,
 * while the gateway fails over, while a non-streamed answer is awaited) pays nothing.
 * Every wire format, streamed chat and legacy completions, leaving early and near the end.
 */
const PROMPT_PRICE = 1000; // every US mock endpoint: $1 / $2 per M tokens
const COMPLETION_PRICE = 2000;
const WORDS = "the quick brown fox jumps over the lazy dog while a cautious owl counts every falling leaf in the quiet autumn forest near the river";
const PROMPT = `${WORDS} [mock:chunk_delay=20]`;
/** The echo's whole answer: "Echo: " and the prompt without its directive. */
const ANSWER = `Echo: ${WORDS}`;

let tenant: SeededTenant;
let upstreams: ScriptedUpstreams;

beforeEach(async () => {
  await clearHealth();
  tenant = await seedTenant(`hangup-${crypto.randomUUID().slice(0, 8)}`);
  upstreams = scriptedUpstreams({ mock: [], "mock-eu": [], "mock-anthropic": [], "mock-gemini": [] });
});
afterEach(async () => {
  upstreams.restore();
  expect((await reconcileAccount(env.DB, tenant.accountId)).ok).toBe(true);
});

type Path = "chat" | "legacy";
const URL_OF: Record<Path, string> = { chat: "/api/v1/chat/completions", legacy: "/api/v1/completions" };
const bodyOf = (path: Path, model: string, content: string, extra: Record<string, unknown> = {}) =>
  path === "chat" ? { model, messages: [{ role: "user", content }], provider: { sort: "price" }, ...extra } : { model, prompt: content, provider: { sort: "price" }, ...extra };
/** The chat request the gateway works from (legacy completions are served as a one-message chat). */
const chatRequestOf = (path: Path, body: unknown) =>
  parseOrThrow(chatCompletionRequestSchema, path === "chat" ? body : chatRequestFromCompletion(parseOrThrow(completionRequestSchema, body)));
const textOf = (path: Path, chunk: any): string => (path === "chat" ? (chunk.choices?.[0]?.delta?.content ?? "") : (chunk.choices?.[0]?.text ?? ""));

/** Streams a request in-process and hangs up once `enough` says so of the text received; returns the generation id and that text. */
/**
 * `how`: "cancel" — the response body is cancelled (the gateway's next write fails);
 * "signal" — the request's signal aborts first, as a real disconnect does under wrangler dev
 * (`enable_request_signal`): the upstream read is aborted before any write fails.
 */
async function hangUp(path: Path, body: unknown, enough: (text: string) => boolean, how: "cancel" | "signal" = "cancel"): Promise<{ id: string; received: string }> {
  const ctx = createExecutionContext();
  const disconnect = new AbortController();
  const request = new Request(`http://gateway.test${URL_OF[path]}`, {
    method: "POST",
    headers: { authorization: `Bearer ${tenant.key}`, "content-type": "application/json" },
    body: JSON.stringify(body),
    signal: disconnect.signal,
  });
  const res = await worker.fetch(request, { ...env, ...upstreams.env }, ctx);
  expect(res.status).toBe(200);
  const reader = res.body!.getReader();
  const decoder = new TextDecoder();
  let received = "";
  let buffered = "";
  while (!enough(received)) {
    const { done, value } = await reader.read();
    if (done) throw new Error(`the stream ended before the test hung up (received "${received}")`);
    buffered += decoder.decode(value, { stream: true });
    const cut = buffered.lastIndexOf("\n\n");
    for (const data of sseData(buffered.slice(0, cut + 2))) if (data !== "[DONE]") received += textOf(path, JSON.parse(data));
    buffered = buffered.slice(cut + 2);
  }
  if (how === "signal") {
    disconnect.abort(); // the client goes away: its request's signal first
    await new Promise((ok) => setTimeout(ok, 50));
  }
  await reader.cancel(); // the client goes away
  await waitOnExecutionContext(ctx);
  return { id: res.headers.get("x-generation-id")!, received };
}

/** The whole streamed answer's usage, for the same request. */
async function fullUsage(path: Path, body: unknown): Promise<{ prompt_tokens: number; completion_tokens: number; cost: number }> {
  const res = await call(URL_OF[path], { method: "POST", key: tenant.key, json: { ...(body as object), stream: true }, env: upstreams.env });
  const events = sseData(await res.text());
  expect(events.at(-1)).toBe("[DONE]");
  return JSON.parse(events.at(-2)!).usage;
}

async function generationOf(id: string) {
  const res = await call(`/api/v1/generation?id=${id}`, { key: tenant.key });
  expect(res.status).toBe(200);
  return ((await res.json()) as any).data;
}

async function keyUsageNanos(): Promise<number> {
  const res = await call("/api/v1/key", { key: tenant.key });
  return Math.round(((await res.json()) as any).data.usage * 1e9);
}

const words = (text: string) => (text.match(/\S+/g) ?? []).length;

/**
 * The usage a hung-up stream is billed, per wire format: the OpenAI-format mock reports usage
 * only at the end (the gateway counts prompt and relayed text: UTF-8 bytes / 4, rounded up);
 * Anthropic reports the prompt and 1 output token in message_start (then the relayed text is
 * counted on top); Gemini reports cumulative usage on every chunk (the mock counts words), and
 * its report of the chunk it sent after the client left counts too: the gateway notices the
 * client has gone when it writes that chunk, and the provider generated and billed it.
 * The gateway's count is not the mock's (words), so only a provider-reported charge is
 * compared with the whole answer's.
 */
const FORMATS = [
  {
    name: "OpenAI format",
    model: "mock/echo",
    slug: "mock",
    reported: false,
    expected: (path: Path, body: unknown, _full: { prompt_tokens: number }, received: string) => ({
      prompt: countedPromptTokens(chatRequestOf(path, body)),
      completion: tokensOfBytes(utf8Bytes(received)),
    }),
  },
  {
    name: "Anthropic",
    model: "mock/claude-echo",
    slug: "mock-anthropic",
    reported: false,
    expected: (_path: Path, _body: unknown, full: { prompt_tokens: number }, received: string) => ({ prompt: full.prompt_tokens, completion: 1 + tokensOfBytes(utf8Bytes(received)) }),
  },
  {
    name: "Gemini",
    model: "mock/gemini-echo",
    slug: "mock-gemini",
    reported: true,
    expected: (_path: Path, _body: unknown, full: { prompt_tokens: number }, received: string) => ({ prompt: full.prompt_tokens, completion: words(received) + 1 }),
  },
] as const;

const POINTS = [
  ["after the first words", (text: string) => words(text) >= 2],
  ["near the end", (text: string) => words(text) >= words(ANSWER) - 2],
] as const;

describe.each(FORMATS)("$name: a client that hangs up mid-stream pays for what was generated", ({ model, slug, reported, expected }) => {
  describe.each(["chat", "legacy"] as const)("%s", (path) => {
    it.each(POINTS)("hanging up %s: cancelled (499), charged the generated part at the endpoint's price, shown by /generation and the key's usage", async (_point, enough) => {
      const body = bodyOf(path, model, PROMPT, { stream: true });
      const full = await fullUsage(path, body);
      const fullNanos = Math.round(full.cost * 1e9);
      const before = await balanceOf(tenant.accountId);
      const usageBefore = await keyUsageNanos();
      upstreams.cancelled.length = 0;

      const { id, received } = await hangUp(path, body, enough);
      expect(ANSWER.startsWith(received)).toBe(true);
      expect(received.length).toBeLessThan(ANSWER.length); // the test really hung up before the end
      expect(upstreams.cancelled).toEqual([slug]); // the upstream is cancelled at once

      const { prompt, completion } = expected(path, body, full, received);
      const nanos = prompt * PROMPT_PRICE + completion * COMPLETION_PRICE;
      const gen = await generationOf(id);
      expect(gen).toMatchObject({ status: "cancelled", cancelled: true, tokens_prompt: prompt, tokens_completion: completion, total_cost: nanos / 1e9 });
      expect(nanos).toBeGreaterThan(0);
      if (reported) expect(nanos).toBeLessThan(fullNanos);
      expect(await balanceOf(tenant.accountId)).toBe(before - nanos);
      expect(await keyUsageNanos()).toBe(usageBefore + nanos);
      expect(await healthDetails()).toEqual([]); // a client leaving says nothing about the provider
    });
  });
});

describe.each(FORMATS)("$name: a disconnect seen first on the request's signal is the client leaving, not a provider failure", ({ model }) => {
  it("cancelled (499), charged what was generated, the provider's health untouched", async () => {
    const body = bodyOf("chat", model, PROMPT, { stream: true });
    const before = await balanceOf(tenant.accountId);
    upstreams.cancelled.length = 0;
    const { id, received } = await hangUp("chat", body, (text) => words(text) >= words(ANSWER) - 2, "signal");
    expect(received.length).toBeLessThan(ANSWER.length);
    const gen = await generationOf(id);
    expect(gen).toMatchObject({ status: "cancelled", cancelled: true });
    expect(gen.total_cost).toBeGreaterThan(0);
    expect(await balanceOf(tenant.accountId)).toBe(before - Math.round(gen.total_cost * 1e9));
    expect(await healthDetails()).toEqual([]);
  });
});

/** Starts a request the client will abandon; resolves once the given number of upstream calls have arrived. */
async function leaveWhileWaiting(json: unknown, upstreamCalls: number): Promise<void> {
  const controller = new AbortController();
  const pending = call("/api/v1/chat/completions", { method: "POST", key: tenant.key, json, env: upstreams.env, signal: controller.signal });
  // the client leaves once the upstream has the request (a fixed wait can lose that race on a loaded machine)
  for (let waited = 0; upstreams.log.length < upstreamCalls && waited < 10_000; waited += 5) await new Promise((ok) => setTimeout(ok, 5));
  expect(upstreams.log.length).toBe(upstreamCalls);
  controller.abort();
  await pending.catch(() => {});
}

async function latestGeneration() {
  // settlement of an abandoned request runs in its own waitUntil: wait for its row
  for (let waited = 0; waited < 10_000; waited += 20) {
    const row = await firstRecord<any>(tenant.accountId, "SELECT status, error_code, cost_nanos, prompt_tokens, completion_tokens, attempts FROM generations ORDER BY created_at DESC LIMIT 1");
    if (row) return row;
    await new Promise((ok) => setTimeout(ok, 20));
  }
  throw new Error("no generation recorded");
}

describe("a client that leaves before any content pays nothing", () => {
  it("while a stream's first byte is awaited", async () => {
    upstreams.script("mock", ["hang"]);
    const before = await balanceOf(tenant.accountId);
    await leaveWhileWaiting(bodyOf("chat", "mock/echo", "never mind", { stream: true }), 1);
    expect(await latestGeneration()).toMatchObject({ status: "cancelled", error_code: 499, cost_nanos: 0 });
    expect(await balanceOf(tenant.accountId)).toBe(before);
  });

  it("while the gateway is failing over (the first endpoint failed, the second has not answered)", async () => {
    upstreams.script("mock", ["status=500"]);
    upstreams.script("mock-eu", ["hang"]);
    const before = await balanceOf(tenant.accountId);
    await leaveWhileWaiting(bodyOf("chat", "mock/echo", "never mind", { stream: true }), 2);
    expect(upstreams.log).toEqual(["mock", "mock-eu"]);
    const row = await latestGeneration();
    expect(row).toMatchObject({ status: "cancelled", error_code: 499, cost_nanos: 0 });
    expect(await balanceOf(tenant.accountId)).toBe(before);
  });

  it("while a non-streamed answer is awaited", async () => {
    upstreams.script("mock", ["hang"]);
    const before = await balanceOf(tenant.accountId);
    await leaveWhileWaiting(bodyOf("chat", "mock/echo", "never mind"), 1);
    expect(await latestGeneration()).toMatchObject({ status: "cancelled", error_code: 499, cost_nanos: 0 });
    expect(await balanceOf(tenant.accountId)).toBe(before);
  });
});

describe("a non-streamed answer the gateway has read whole", () => {
  it("is charged in full when the client leaves without reading the response (the provider billed all of it)", async () => {
    const before = await balanceOf(tenant.accountId);
    const ctx = createExecutionContext();
    const request = new Request("http://gateway.test/api/v1/chat/completions", {
      method: "POST",
      headers: { authorization: `Bearer ${tenant.key}`, "content-type": "application/json" },
      body: JSON.stringify(bodyOf("chat", "mock/echo", WORDS)),
    });
    const res = await worker.fetch(request, { ...env, ...upstreams.env }, ctx);
    await res.body!.cancel(); // the client goes away with the answer unread
    await waitOnExecutionContext(ctx);
    const gen = await generationOf(res.headers.get("x-generation-id")!);
    expect(gen).toMatchObject({ status: "success", tokens_completion: words(ANSWER) });
    const nanos = gen.tokens_prompt * PROMPT_PRICE + gen.tokens_completion * COMPLETION_PRICE;
    expect(gen.total_cost).toBe(nanos / 1e9);
    expect(await balanceOf(tenant.accountId)).toBe(before - nanos);
  });
});

describe("an upstream failure stays an upstream failure", () => {
  it("a client that leaves as the provider's in-stream error arrives pays nothing: the stream is an error, not a hang-up", async () => {
    const chunk = (fields: object) => `data: ${JSON.stringify({ id: "x", object: "chat.completion.chunk", created: 1, model: "echo", ...fields })}\n\n`;
    const failing = () => {
      const encoder = new TextEncoder();
      const body = new ReadableStream<Uint8Array>({
        start(controller) {
          controller.enqueue(encoder.encode(chunk({ choices: [{ index: 0, delta: { role: "assistant", content: "Partial" }, finish_reason: null }] })));
          // one read: more content, then the provider's error (the client is no longer reading)
          controller.enqueue(encoder.encode(chunk({ choices: [{ index: 0, delta: { content: " answer" }, finish_reason: null }] }) + chunk({ error: { message: "overloaded" } })));
          controller.close();
        },
      });
      return new Response(body, { headers: { "content-type": "text/event-stream" } });
    };
    upstreams.script("mock", [{ raw: failing }]);
    const before = await balanceOf(tenant.accountId);
    const { id, received } = await hangUp("chat", bodyOf("chat", "mock/echo", "hi", { stream: true }), (text) => text.length > 0);
    expect(received).toBe("Partial");
    const gen = await generationOf(id);
    expect(gen).toMatchObject({ status: "error", total_cost: 0 });
    expect(await balanceOf(tenant.accountId)).toBe(before);
  });
});

describe("usage reported before any content is not an answer", () => {
  it("an Anthropic stream that errors after message_start (which reports usage) still fails over, unseen by the client, and costs only the answer", async () => {
    upstreams.script("mock-anthropic", ["error_event=0"]);
    const before = await balanceOf(tenant.accountId);
    const body = { model: "mock/claude-echo", models: ["mock/echo-us-only"], messages: [{ role: "user", content: "fail first" }], stream: true };
    const res = await call("/api/v1/chat/completions", { method: "POST", key: tenant.key, json: body, env: upstreams.env });
    expect(res.status).toBe(200);
    expect(upstreams.log).toEqual(["mock-anthropic", "mock"]);
    const chunks = sseData(await res.text()).slice(0, -1).map((e) => JSON.parse(e));
    expect(chunks.some((c) => c.error)).toBe(false);
    expect(chunks.map((c) => c.choices[0]?.delta?.content ?? "").join("")).toBe("Echo: fail first");
    expect(res.headers.get("x-switchyard-attempts")).toMatch(/^mock-anthropic mock\/claude-echo \d+, mock mock\/echo-us-only 200$/);
    const { prompt_tokens, completion_tokens } = chunks.at(-1).usage;
    expect(await balanceOf(tenant.accountId)).toBe(before - (prompt_tokens * PROMPT_PRICE + completion_tokens * COMPLETION_PRICE));
  });
});
