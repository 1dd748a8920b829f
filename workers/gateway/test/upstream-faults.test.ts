import { reconcileAccount } from "@switchyard/db";
import { MAX_SSE_EVENT_CHARS } from "@switchyard/providers";
import { createExecutionContext, env, waitOnExecutionContext } from "cloudflare:test";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import worker from "../src/index.ts";
import { balanceOf, call, sseData, firstRecord } from "./setup/call.ts";
import { clearHealth, healthDetails } from "./setup/health.ts";
import { seedTenant, type SeededTenant } from "./setup/seed.ts";
import { type ScriptedUpstreams, scriptedUpstreams } from "./setup/upstreams.ts";

/**
 * Upstream faults the failover suite (failover.test.ts) does not already cover:
 * 429 with Retry-After everywhere, 502/504, a non-streamed body cut or stalled
 * after its headers, a malformed event mid-stream, a stream that stalls mid-way,
 * a slow drip, a client that leaves mid-stream. Each ends in failover or a
 * clean error, updates the health object, and charges nothing for the failure.
 */
const PRICES = { mock: [1000, 2000], "mock-eu": [1500, 3000] } as const;

let tenant: SeededTenant;
let upstreams: ScriptedUpstreams;
let before: number;

beforeEach(async () => {
  await clearHealth();
  tenant = await seedTenant(`faults-${crypto.randomUUID().slice(0, 8)}`);
  before = await balanceOf(tenant.accountId);
});
afterEach(async () => {
  upstreams?.restore();
  expect((await reconcileAccount(env.DB, tenant.accountId)).ok).toBe(true);
});

const ask = (content: string, extra: Record<string, unknown> = {}) => ({
  model: "mock/echo",
  messages: [{ role: "user", content }],
  provider: { sort: "price" }, // mock first, then mock-eu
  ...extra,
});

const chat = (body: unknown) => call("/api/v1/chat/completions", { method: "POST", key: tenant.key, json: body, env: upstreams.env });

async function generation(id: string) {
  return firstRecord(tenant.accountId, "SELECT status, error_code, provider, cost_nanos FROM generations WHERE id = ?", id);
}

async function expectChargedOnly(provider: keyof typeof PRICES, usage: { prompt_tokens: number; completion_tokens: number }) {
  const [prompt, completion] = PRICES[provider];
  expect(await balanceOf(tenant.accountId)).toBe(before - (usage.prompt_tokens * prompt + usage.completion_tokens * completion));
}

/** An SSE answer: a role chunk, some content, then whatever `tail` says. */
function sse(parts: string[]): Response {
  const chunk = (delta: object, finish: string | null = null) =>
    `data: ${JSON.stringify({ id: "chatcmpl-raw", object: "chat.completion.chunk", created: 1, model: "echo", choices: [{ index: 0, delta, finish_reason: finish }] })}\n\n`;
  const body = [chunk({ role: "assistant", content: "" }), chunk({ content: "Partial" }), ...parts.map((p) => (p === "content" ? chunk({ content: " more" }) : p))].join("");
  return new Response(body, { headers: { "content-type": "text/event-stream" } });
}

describe("errors before the first byte", () => {
  it("429 with Retry-After from every endpoint: a 429 that carries the wait in metadata and header, nothing charged, both endpoints marked", async () => {
    upstreams = scriptedUpstreams({ mock: ["status=429,retry_after=7"], "mock-eu": ["status=429,retry_after=9"] });
    const res = await chat(ask("rate limited"));
    expect(res.status).toBe(429);
    const body = (await res.json()) as any;
    expect(body.error.code).toBe(429);
    expect(body.error.metadata.retry_after_seconds).toBe(9); // the last endpoint's wait
    expect(res.headers.get("retry-after")).toBe("9");
    expect(body.error.metadata.attempts.map((a: any) => [a.provider, a.status])).toEqual([["mock", 429], ["mock-eu", 429]]);
    expect(await balanceOf(tenant.accountId)).toBe(before);
    expect((await healthDetails()).map((h) => [h.endpoint, h.lastStatus])).toEqual(expect.arrayContaining([["mock/echo", 429], ["mock-eu/echo", 429]]));
  });

  it.each([
    ["502", "status=502", 502],
    ["504", "status=504", 504],
  ])("a %s fails over; only the answer is charged; the failed endpoint is marked", async (_name, step, status) => {
    upstreams = scriptedUpstreams({ mock: [step], "mock-eu": [] });
    const res = await chat(ask("gateway trouble"));
    expect(res.status).toBe(200);
    expect(res.headers.get("x-switchyard-attempts")).toBe(`mock mock/echo ${status}, mock-eu mock/echo 200`);
    await expectChargedOnly("mock-eu", ((await res.json()) as any).usage);
    expect(await healthDetails()).toMatchObject([{ endpoint: "mock/echo", lastStatus: status, recentFailures: 1 }]);
  });
});

describe("non-streamed answers that break after their headers", () => {
  it("a body cut half-way fails over: the client gets one whole answer, charged once", async () => {
    upstreams = scriptedUpstreams({ mock: ["cut=0"], "mock-eu": [] });
    const res = await chat(ask("cut my body"));
    expect(res.status).toBe(200);
    const body = (await res.json()) as any;
    expect(body.choices[0].message.content).toBe("Echo: cut my body");
    expect(res.headers.get("x-switchyard-attempts")).toBe("mock mock/echo 502, mock-eu mock/echo 200");
    await expectChargedOnly("mock-eu", body.usage);
    expect(await healthDetails()).toMatchObject([{ endpoint: "mock/echo", lastStatus: 502 }]);
  });

  it("a body that stalls half-way times out and fails over; the stalled read is abandoned", async () => {
    upstreams = scriptedUpstreams({ mock: ["stall=0"], "mock-eu": [] }, { FIRST_BYTE_TIMEOUT_MS: "200" });
    const started = Date.now();
    const res = await chat(ask("stall my body"));
    expect(res.status).toBe(200);
    expect(Date.now() - started).toBeLessThan(5_000);
    expect(res.headers.get("x-switchyard-attempts")).toBe("mock mock/echo 408, mock-eu mock/echo 200");
    expect(upstreams.aborted).toContain("mock");
    await expectChargedOnly("mock-eu", ((await res.json()) as any).usage);
    expect(await healthDetails()).toMatchObject([{ endpoint: "mock/echo", lastStatus: 408 }]);
  });
});

describe("streams that break after their first content", () => {
  it("a malformed event mid-stream ends the stream with an error event; nothing charged; the endpoint is marked", async () => {
    upstreams = scriptedUpstreams({ mock: [{ raw: () => sse(["content", 'data: {"id":"chatcmpl-raw","choices":[{"delta":{"content":\n\n', "content", "data: [DONE]\n\n"]) }], "mock-eu": [] });
    const res = await chat(ask("garbled later", { stream: true }));
    expect(res.status).toBe(200);
    const events = sseData(await res.text());
    expect(events.at(-1)).toBe("[DONE]");
    const last = JSON.parse(events.at(-2)!);
    expect(last.error.code).toBe(502);
    expect(last.choices[0].finish_reason).toBe("error");
    expect(upstreams.log).toEqual(["mock"]); // no failover once content was sent
    expect(await generation(last.id)).toMatchObject({ status: "error", error_code: 502, cost_nanos: 0 });
    expect(await balanceOf(tenant.accountId)).toBe(before);
    expect(await healthDetails()).toMatchObject([{ endpoint: "mock/echo", lastStatus: 502 }]);
  });

  it(`a line that never ends is refused at ${MAX_SSE_EVENT_CHARS / 2 ** 20} Mi characters, not buffered: error event, the upstream read cancelled, nothing charged`, async () => {
    const piece = new TextEncoder().encode("x".repeat(2 ** 20));
    let pulled = 0;
    let cancelled = false;
    upstreams = scriptedUpstreams({
      mock: [
        {
          raw: async () => {
            const head = new TextEncoder().encode((await sse(["content"]).text()) + "data: ");
            const body = new ReadableStream<Uint8Array>({
              start: (c) => c.enqueue(head),
              pull: (c) => {
                pulled += piece.byteLength;
                c.enqueue(piece); // an endless line
              },
              cancel: () => {
                cancelled = true;
              },
            });
            return new Response(body, { headers: { "content-type": "text/event-stream" } });
          },
        },
      ],
      "mock-eu": [],
    });
    const res = await chat(ask("endless", { stream: true }));
    const events = sseData(await res.text());
    const last = JSON.parse(events.at(-2)!);
    expect(last.error).toMatchObject({ code: 502 });
    expect(last.error.message).toContain("stream event over");
    expect(cancelled).toBe(true);
    expect(pulled).toBeLessThanOrEqual(MAX_SSE_EVENT_CHARS + 4 * piece.byteLength); // read up to the limit, then no further
    expect(await generation(last.id)).toMatchObject({ status: "error", error_code: 502, cost_nanos: 0 });
    expect(await balanceOf(tenant.accountId)).toBe(before);
  });

  it("a line that never ends before any answer fails over; the answer comes whole from the next endpoint, charged once", async () => {
    const piece = new TextEncoder().encode("y".repeat(2 ** 20));
    upstreams = scriptedUpstreams({
      mock: [{ raw: () => new Response(new ReadableStream<Uint8Array>({ pull: (c) => c.enqueue(piece) }), { headers: { "content-type": "text/event-stream" } }) }],
      "mock-eu": [],
    });
    const res = await chat(ask("endless first", { stream: true }));
    expect(res.headers.get("x-switchyard-attempts")).toBe("mock mock/echo 502, mock-eu mock/echo 200");
    const events = sseData(await res.text()).filter((e) => e !== "[DONE]").map((e) => JSON.parse(e));
    expect(events.map((e) => e.choices[0]?.delta?.content ?? "").join("")).toBe("Echo: endless first");
    await expectChargedOnly("mock-eu", events.at(-1).usage);
  });

  it("a stream that stalls mid-way is ended after STREAM_IDLE_TIMEOUT_MS with an error event; the upstream read is cancelled; nothing charged", async () => {
    upstreams = scriptedUpstreams({ mock: ["stall=2"], "mock-eu": [] }, { STREAM_IDLE_TIMEOUT_MS: "300" });
    const started = Date.now();
    const res = await chat(ask("a stream that will go silent half way", { stream: true }));
    const events = sseData(await res.text());
    const elapsed = Date.now() - started;
    expect(elapsed).toBeGreaterThanOrEqual(300);
    expect(elapsed).toBeLessThan(5_000);
    expect(events.at(-1)).toBe("[DONE]");
    const content = events.slice(0, -2).map((e) => JSON.parse(e).choices[0]?.delta?.content ?? "").join("");
    expect(content.length).toBeGreaterThan(0); // what arrived before the stall was passed on
    const last = JSON.parse(events.at(-2)!);
    expect(last.error).toMatchObject({ code: 408, message: expect.stringContaining("sent nothing for 300 ms") });
    expect(last.choices[0].finish_reason).toBe("error");
    expect(upstreams.cancelled).toEqual(["mock"]);
    expect(await generation(last.id)).toMatchObject({ status: "error", error_code: 408, cost_nanos: 0 });
    expect(await balanceOf(tenant.accountId)).toBe(before);
    expect(await healthDetails()).toMatchObject([{ endpoint: "mock/echo", lastStatus: 408 }]);
  });

  it("a slow drip (a chunk every 80 ms) is passed through whole and charged once, exactly", async () => {
    upstreams = scriptedUpstreams({ mock: ["chunk_delay=80,chunks=8"], "mock-eu": [] }, { STREAM_IDLE_TIMEOUT_MS: "1000" });
    const started = Date.now();
    const res = await chat(ask("drip drip drip", { stream: true }));
    const events = sseData(await res.text());
    expect(Date.now() - started).toBeGreaterThanOrEqual(7 * 80);
    expect(events.at(-1)).toBe("[DONE]");
    const chunks = events.slice(0, -1).map((e) => JSON.parse(e));
    expect(chunks.some((c) => c.error)).toBe(false);
    expect(chunks.map((c) => c.choices[0]?.delta?.content ?? "").join("")).toBe("Echo: drip drip drip");
    await expectChargedOnly("mock", chunks.at(-1).usage);
    expect(await healthDetails()).toEqual([]);
  });

  it("a drip slower than the idle timeout is a stall: error event, nothing charged", async () => {
    upstreams = scriptedUpstreams({ mock: ["chunk_delay=600,chunks=4"], "mock-eu": [] }, { STREAM_IDLE_TIMEOUT_MS: "200" });
    const events = sseData(await (await chat(ask("too slow", { stream: true }))).text());
    expect(JSON.parse(events.at(-2)!).error.code).toBe(408);
    expect(await balanceOf(tenant.accountId)).toBe(before);
  });
});

describe("a client that leaves mid-stream", () => {
  it("cancels the upstream read; the generation is recorded as cancelled, charged what was generated, not blamed on the provider", async () => {
    upstreams = scriptedUpstreams({ mock: ["chunk_delay=100,chunks=20"], "mock-eu": [] });
    const ctx = createExecutionContext();
    const request = new Request("http://gateway.test/api/v1/chat/completions", {
      method: "POST",
      headers: { authorization: `Bearer ${tenant.key}`, "content-type": "application/json" },
      body: JSON.stringify(ask("a long answer the client will not wait for", { stream: true })),
    });
    const res = await worker.fetch(request, { ...env, ...upstreams.env }, ctx);
    const id = res.headers.get("x-generation-id")!;
    const reader = res.body!.getReader();
    const first = await reader.read();
    expect(new TextDecoder().decode(first.value)).toContain("chat.completion.chunk");
    await reader.cancel(); // the client goes away
    await waitOnExecutionContext(ctx);
    expect(upstreams.cancelled).toEqual(["mock"]);
    const gen = (await generation(id)) as { status: string; error_code: number; cost_nanos: number };
    expect(gen).toMatchObject({ status: "cancelled", error_code: 499 });
    expect(gen.cost_nanos).toBeGreaterThan(0); // a client that leaves pays for what was generated (hangup.test.ts)
    expect(await balanceOf(tenant.accountId)).toBe(before - gen.cost_nanos);
    expect(await healthDetails()).toEqual([]);
  });
});
