import { env } from "cloudflare:test";
import { beforeAll, describe, expect, it } from "vitest";
import { giveByokKey } from "./setup/byok.ts";
import { balanceOf, call, sseData, firstRecord } from "./setup/call.ts";
import { seedTenant, type SeededTenant } from "./setup/seed.ts";

// The in-process mock answers in Anthropic's and Gemini's own wire formats; every
// request here crosses an adapter both ways. Prices: 1000 / 2000 nano-dollars per token.
const PROMPT_PRICE = 1000;
const COMPLETION_PRICE = 2000;

let tenant: SeededTenant;
beforeAll(async () => {
  tenant = await seedTenant("native");
});

const post = (json: unknown) => call("/api/v1/chat/completions", { method: "POST", key: tenant.key, json });
const ask = (model: string, content: unknown, extra: Record<string, unknown> = {}) => ({ model, messages: [{ role: "user", content }], ...extra });
const tools = [
  { type: "function", function: { name: "get_weather", parameters: { type: "object", properties: { city: { type: "string" } }, required: ["city"] } } },
];

const FORMATS = [
  ["Anthropic", "mock/claude-echo", "mock-anthropic"],
  ["Gemini", "mock/gemini-echo", "mock-gemini"],
] as const;

describe.each(FORMATS)("%s adapter through the gateway", (_name, model, providerSlug) => {
  it("answers the same text and token counts as the OpenAI-format mock, billed at the catalog price", async () => {
    const before = await balanceOf(tenant.accountId);
    const messages = [
      { role: "system", content: "be brief" },
      { role: "user", content: "hello there" },
    ];
    const res = await post({ model, messages });
    expect(res.status).toBe(200);
    expect(res.headers.get("x-switchyard-provider")).toBe(providerSlug);
    const body = (await res.json()) as any;
    expect(body).toMatchObject({ object: "chat.completion", model, choices: [{ message: { role: "assistant", content: "Echo: hello there" }, finish_reason: "stop" }] });
    const reference = (await (await post({ model: "mock/echo", messages })).json()) as any;
    const { prompt_tokens, completion_tokens, cost } = body.usage;
    expect([prompt_tokens, completion_tokens]).toEqual([reference.usage.prompt_tokens, reference.usage.completion_tokens]);
    const nanos = prompt_tokens * PROMPT_PRICE + completion_tokens * COMPLETION_PRICE;
    expect(cost).toBe(nanos / 1e9);
    const gen = await firstRecord<any>(tenant.accountId, "SELECT status, provider, cost_nanos FROM generations WHERE id = ?", body.id);
    expect(gen).toEqual({ status: "success", provider: providerSlug, cost_nanos: nanos });
    expect(await balanceOf(tenant.accountId)).toBe(before - nanos - Math.round(reference.usage.cost * 1e9));
  });

  it("streams OpenAI chunks in order, with usage and cost at the end, and bills once", async () => {
    const before = await balanceOf(tenant.accountId);
    const res = await post(ask(model, "stream me please", { stream: true }));
    expect(res.headers.get("content-type")).toContain("text/event-stream");
    const events = sseData(await res.text());
    expect(events.at(-1)).toBe("[DONE]");
    const chunks = events.slice(0, -1).map((e) => JSON.parse(e));
    expect(chunks[0].choices[0].delta.role).toBe("assistant");
    expect(chunks.map((c) => c.choices[0]?.delta?.content ?? "").join("")).toBe("Echo: stream me please");
    expect(chunks.filter((c) => c.choices[0]?.finish_reason).map((c) => c.choices[0].finish_reason)).toEqual(["stop"]);
    const usage = chunks.at(-1).usage;
    const nanos = usage.prompt_tokens * PROMPT_PRICE + usage.completion_tokens * COMPLETION_PRICE;
    expect(usage.completion_tokens).toBe(4);
    expect(usage.cost).toBe(nanos / 1e9);
    expect(await balanceOf(tenant.accountId)).toBe(before - nanos);
  });

  it("round-trips a tool call: tool_calls out, the tool result back in", async () => {
    const first = (await (await post(ask(model, "weather in Paris?", { tools }))).json()) as any;
    expect(first.choices[0].finish_reason).toBe("tool_calls");
    const call0 = first.choices[0].message.tool_calls[0];
    expect(call0).toMatchObject({ type: "function", function: { name: "get_weather" } });
    expect(JSON.parse(call0.function.arguments)).toEqual({ city: "mock" });
    const second = (await (
      await post({
        model,
        tools,
        messages: [{ role: "user", content: "weather in Paris?" }, first.choices[0].message, { role: "tool", tool_call_id: call0.id, content: "18C and sunny" }],
      })
    ).json()) as any;
    expect(second.choices[0]).toMatchObject({ message: { content: "Tool result: 18C and sunny" }, finish_reason: "stop" });
  });

  it("streams a tool call as OpenAI tool_call deltas whose arguments add up", async () => {
    const events = sseData(await (await post(ask(model, "weather?", { tools, stream: true }))).text());
    const chunks = events.slice(0, -1).map((e) => JSON.parse(e));
    const deltas = chunks.flatMap((c) => c.choices[0]?.delta?.tool_calls ?? []);
    expect(deltas[0]).toMatchObject({ index: 0, type: "function", function: { name: "get_weather" } });
    expect(JSON.parse(deltas.map((d: any) => d.function?.arguments ?? "").join(""))).toEqual({ city: "mock" });
    expect(chunks.some((c) => c.choices[0]?.finish_reason === "tool_calls")).toBe(true);
  });

  it("takes image input (base64 and URL) alongside text", async () => {
    const content = [
      { type: "text", text: "what is this?" },
      { type: "image_url", image_url: { url: "data:image/png;base64,iVBORw0KGgo=" } },
      { type: "image_url", image_url: { url: "https://example.com/cat.png" } },
    ];
    const res = await post(ask(model, content));
    expect(res.status).toBe(200);
    expect(((await res.json()) as any).choices[0].message.content).toBe("Echo: what is this?");
  });

  it("maps max_tokens and stop: a cut answer finishes with length", async () => {
    const body = (await (await post(ask(model, "one two three four", { max_tokens: 2 }))).json()) as any;
    expect(body.choices[0]).toMatchObject({ message: { content: "Echo: one" }, finish_reason: "length" });
    const stopped = (await (await post(ask(model, "alpha beta gamma", { stop: [" gamma"] }))).json()) as any;
    expect(stopped.choices[0]).toMatchObject({ message: { content: "Echo: alpha beta" }, finish_reason: "stop" });
  });

  it("a safety block finishes with content_filter", async () => {
    const body = (await (await post(ask(model, "something bad [mock:blocked]"))).json()) as any;
    expect(body.choices[0].finish_reason).toBe("content_filter");
    expect(body.choices[0].message.content || null).toBeNull();
  });

  it("a stream cut before the provider's end event is an error, and free", async () => {
    const before = await balanceOf(tenant.accountId);
    const events = sseData(await (await post(ask(model, "a long answer [mock:cut=2]", { stream: true }))).text());
    const last = JSON.parse(events.at(-2)!);
    expect(last.error.code).toBe(502);
    expect(last.choices[0].finish_reason).toBe("error");
    expect(await balanceOf(tenant.accountId)).toBe(before);
  });

  it("an in-stream provider error ends the stream with an error event, and is free", async () => {
    const before = await balanceOf(tenant.accountId);
    const events = sseData(await (await post(ask(model, "a b c [mock:error_event=1]", { stream: true }))).text());
    const last = JSON.parse(events.at(-2)!);
    expect(last.error.message).toMatch(/^Upstream error: /);
    expect(await balanceOf(tenant.accountId)).toBe(before);
  });
});

describe("provider errors become the gateway's errors", () => {
  it.each([
    ["Anthropic 529 overloaded_error", "mock/claude-echo", "[mock:status=529]", 503, "overloaded_error"],
    ["Anthropic 500 api_error", "mock/claude-echo", "[mock:status=500]", 502, "api_error"],
    ["Anthropic 401 (our key)", "mock/claude-echo", "[mock:status=401]", 502, "authentication_error"],
    ["Gemini 503 UNAVAILABLE", "mock/gemini-echo", "[mock:status=503]", 503, "UNAVAILABLE"],
    ["Gemini 500 INTERNAL", "mock/gemini-echo", "[mock:status=500]", 502, "INTERNAL"],
  ])("%s", async (_name, model, directive, status, code) => {
    const before = await balanceOf(tenant.accountId);
    const res = await post(ask(model, `hi ${directive}`));
    expect(res.status).toBe(status);
    const body = (await res.json()) as any;
    expect(body.error).toMatchObject({ code: status, metadata: { provider_code: code } });
    expect(await balanceOf(tenant.accountId)).toBe(before);
  });

  it("429s keep their retry hint: Anthropic's retry-after header, Gemini's RetryInfo", async () => {
    for (const model of ["mock/claude-echo", "mock/gemini-echo"]) {
      const res = await post(ask(model, "hi [mock:status=429,retry_after=3]"));
      expect(res.status).toBe(429);
      expect(((await res.json()) as any).error.metadata.retry_after_seconds).toBe(3);
    }
  });

  it("a provider's 400 is passed on as the caller's 400, with the provider's message", async () => {
    const res = await post(ask("mock/claude-echo", "hi [mock:status=400]"));
    expect(res.status).toBe(400);
    expect(((await res.json()) as any).error.message).toBe("There was an issue with the format or content of your request.");
  });

  it("input a format cannot carry is a clear 400 that names it", async () => {
    const res = await post(ask("mock/claude-echo", [{ type: "input_audio", input_audio: { data: "UklGRg==", format: "wav" } }]));
    expect(res.status).toBe(400);
    expect(((await res.json()) as any).error.message).toMatch(/do not accept audio/);
  });
});

describe("provider keys travel the way each provider wants them", () => {
  it("a workspace's own Anthropic key goes out as x-api-key: one Anthropic refuses fails over to the hosted key", async () => {
    const own = await seedTenant("native_byok");
    // The mock refuses x-api-key "bad-key" with Anthropic's 401 authentication_error.
    await giveByokKey(own, "mock-anthropic", "bad-key");
    const res = await call("/api/v1/chat/completions", { method: "POST", key: own.key, json: ask("mock/claude-echo", "hi") });
    expect(res.status).toBe(200);
    const body = (await res.json()) as any;
    expect(body.usage.is_byok).toBe(false);
    const gen = await firstRecord<any>(own.accountId, "SELECT attempts FROM generations WHERE id = ?", body.id);
    expect(JSON.parse(gen.attempts)).toEqual([
      { provider: "mock-anthropic", model: "mock/claude-echo", status: 401, message: "invalid x-api-key", byok: true },
      { provider: "mock-anthropic", model: "mock/claude-echo", status: 200 },
    ]);
  });

  it("a workspace's own Gemini key goes out as x-goog-api-key: Google's 400 API_KEY_INVALID also fails over", async () => {
    const own = await seedTenant("native_byok_gemini");
    await giveByokKey(own, "mock-gemini", "bad-key");
    const res = await call("/api/v1/chat/completions", { method: "POST", key: own.key, json: ask("mock/gemini-echo", "hi") });
    expect(res.status).toBe(200);
    const gen = await firstRecord<any>(own.accountId, "SELECT attempts FROM generations WHERE id = ?", ((await res.json()) as any).id);
    expect(JSON.parse(gen.attempts).map((a: any) => [a.status, a.byok ?? false])).toEqual([
      [400, true],
      [200, false],
    ]);
  });
});
