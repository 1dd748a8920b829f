import { env } from "cloudflare:test";
import { beforeAll, describe, expect, it } from "vitest";
import { balanceOf, call, ledgerSum, sseData, firstRecord } from "./setup/call.ts";
import { seedTenant, type SeededTenant } from "./setup/seed.ts";

// mock/echo is priced at 1000 nano-dollars per prompt token and 2000 per completion token.
const PROMPT_PRICE = 1000;
const COMPLETION_PRICE = 2000;

let tenant: SeededTenant;
beforeAll(async () => {
  tenant = await seedTenant("chat");
});

// sort by price pins mock/echo to its cheaper "mock" endpoint (the default spreads load
// by weighted random), so the prices above apply; routing has its own tests.
const ask = (content: string, extra: Record<string, unknown> = {}) => ({
  model: "mock/echo",
  messages: [{ role: "user", content }],
  provider: { sort: "price" },
  ...extra,
});

describe("POST /api/v1/chat/completions, non-streaming", () => {
  it("answers an OpenAI chat.completion with usage, cost and the serving provider", async () => {
    const before = await balanceOf(tenant.accountId);
    const res = await call("/api/v1/chat/completions", { method: "POST", key: tenant.key, json: ask("hello there") });
    expect(res.status).toBe(200);
    const body = (await res.json()) as any;
    expect(body.object).toBe("chat.completion");
    expect(body.id).toMatch(/^gen-[0-9a-f]{32}$/);
    expect(body.model).toBe("mock/echo");
    expect(body.choices[0].message).toMatchObject({ role: "assistant", content: "Echo: hello there" });
    expect(body.choices[0].finish_reason).toBe("stop");
    expect(res.headers.get("x-generation-id")).toBe(body.id);
    expect(res.headers.get("x-switchyard-provider")).toBe("mock");

    const { prompt_tokens, completion_tokens, total_tokens, cost } = body.usage;
    expect(prompt_tokens).toBeGreaterThan(0);
    expect(completion_tokens).toBeGreaterThan(0);
    expect(total_tokens).toBe(prompt_tokens + completion_tokens);
    const expectedNanos = prompt_tokens * PROMPT_PRICE + completion_tokens * COMPLETION_PRICE;
    expect(cost).toBe(expectedNanos / 1e9);

    // settled: generation recorded, account debited by exactly the cost, ledger reconciles
    const gen = await firstRecord<any>(tenant.accountId, "SELECT * FROM generations WHERE id = ?", body.id);
    expect(gen).toMatchObject({ status: "success", provider: "mock", cost_nanos: expectedNanos, model: "mock/echo", streamed: 0 });
    expect(await balanceOf(tenant.accountId)).toBe(before - expectedNanos);
    expect(await ledgerSum(tenant.accountId)).toBe(await balanceOf(tenant.accountId));
  });

  it("round-trips a tool call", async () => {
    const tools = [{ type: "function", function: { name: "get_weather", parameters: { type: "object", properties: { city: { type: "string" } }, required: ["city"] } } }];
    const first = (await (await call("/api/v1/chat/completions", { method: "POST", key: tenant.key, json: ask("weather in Paris?", { tools }) })).json()) as any;
    expect(first.choices[0].finish_reason).toBe("tool_calls");
    const toolCall = first.choices[0].message.tool_calls[0];
    expect(toolCall.function.name).toBe("get_weather");
    expect(JSON.parse(toolCall.function.arguments)).toHaveProperty("city");

    const second = (await (
      await call("/api/v1/chat/completions", {
        method: "POST",
        key: tenant.key,
        json: {
          model: "mock/echo",
          tools,
          messages: [
            { role: "user", content: "weather in Paris?" },
            first.choices[0].message,
            { role: "tool", tool_call_id: toolCall.id, content: "18C and sunny" },
          ],
        },
      })
    ).json()) as any;
    expect(second.choices[0].message.content).toContain("18C and sunny");
  });

  it("answers JSON in JSON mode", async () => {
    const body = (await (await call("/api/v1/chat/completions", { method: "POST", key: tenant.key, json: ask("give json", { response_format: { type: "json_object" } }) })).json()) as any;
    expect(() => JSON.parse(body.choices[0].message.content)).not.toThrow();
  });
});

describe("POST /api/v1/chat/completions, streaming", () => {
  it("streams chat.completion.chunk events ending with usage and [DONE], and bills once", async () => {
    const before = await balanceOf(tenant.accountId);
    const res = await call("/api/v1/chat/completions", { method: "POST", key: tenant.key, json: ask("stream me please", { stream: true }) });
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toContain("text/event-stream");
    const events = sseData(await res.text());
    expect(events.at(-1)).toBe("[DONE]");
    const chunks = events.slice(0, -1).map((e) => JSON.parse(e));
    expect(chunks.every((c) => c.object === "chat.completion.chunk" && c.id === chunks[0].id)).toBe(true);
    const text = chunks.map((c) => c.choices[0]?.delta?.content ?? "").join("");
    expect(text).toBe("Echo: stream me please");
    expect(chunks.some((c) => c.choices[0]?.finish_reason === "stop")).toBe(true);
    const usage = chunks.at(-1).usage;
    const expectedNanos = usage.prompt_tokens * PROMPT_PRICE + usage.completion_tokens * COMPLETION_PRICE;
    expect(usage.cost).toBe(expectedNanos / 1e9);
    expect(await balanceOf(tenant.accountId)).toBe(before - expectedNanos);
  });

  it("ends a stream cut by the provider with an error event and charges nothing", async () => {
    const before = await balanceOf(tenant.accountId);
    const res = await call("/api/v1/chat/completions", { method: "POST", key: tenant.key, json: ask("a long answer that gets cut [mock:cut=2]", { stream: true }) });
    const events = sseData(await res.text());
    const last = JSON.parse(events.at(-2)!);
    expect(last.error.code).toBe(502);
    expect(last.choices[0].finish_reason).toBe("error");
    const id = last.id;
    const gen = await firstRecord<any>(tenant.accountId, "SELECT status, cost_nanos FROM generations WHERE id = ?", id);
    expect(gen).toEqual({ status: "error", cost_nanos: 0 });
    expect(await balanceOf(tenant.accountId)).toBe(before);
  });
});

describe("POST /api/v1/chat/completions, errors in OpenRouter's shape", () => {
  const post = (body: string | undefined, key: string | null = tenant.key) =>
    call("/api/v1/chat/completions", { method: "POST", ...(key ? { key } : {}), body, headers: { "content-type": "application/json" } });

  it.each([
    ["malformed JSON", "{not json", /not valid JSON/],
    ["an empty body", "", /empty/],
    ["no messages", JSON.stringify({ model: "mock/echo", messages: [] }), /messages/],
    ["no model", JSON.stringify({ messages: [{ role: "user", content: "x" }] }), /model is required/],
    ["a wrong type", JSON.stringify({ model: "mock/echo", messages: [{ role: "user", content: "x" }], temperature: "hot" }), /temperature/],
    ["an unknown role", JSON.stringify({ model: "mock/echo", messages: [{ role: "wizard", content: "x" }] }), /messages\.0\.role/],
  ])("400 for %s", async (_name, body, message) => {
    const res = await post(body);
    expect(res.status).toBe(400);
    const json = (await res.json()) as any;
    expect(json.error.code).toBe(400);
    expect(json.error.message).toMatch(message);
  });

  it("ignores unknown fields", async () => {
    const res = await post(JSON.stringify({ ...ask("hi"), some_future_field: { x: 1 } }));
    expect(res.status).toBe(200);
  });

  it("401 without a key and with an unknown key", async () => {
    for (const key of [null, "sk-sy-v1-unknownkey000000000000"]) {
      const res = await post(JSON.stringify(ask("hi")), key);
      expect(res.status).toBe(401);
      expect(((await res.json()) as any).error.code).toBe(401);
    }
  });

  it("404 for an unknown model", async () => {
    const res = await post(JSON.stringify({ ...ask("hi"), model: "nobody/nothing" }));
    expect(res.status).toBe(404);
    expect(((await res.json()) as any).error.message).toContain("nobody/nothing");
  });

  it("402 when the account has no credits", async () => {
    const broke = await seedTenant("broke", 0);
    const res = await post(JSON.stringify(ask("hi")), broke.key);
    expect(res.status).toBe(402);
  });

  it("413 for a body over the limit, by Content-Length or by counting", async () => {
    const big = JSON.stringify(ask("x".repeat(5 * 1024 * 1024)));
    const res = await post(big);
    expect(res.status).toBe(413);
    expect(((await res.json()) as any).error.code).toBe(413);
  });

  it("passes a provider's 429 on as 429 when every endpoint is rate limited, and charges nothing", async () => {
    const before = await balanceOf(tenant.accountId);
    const res = await post(JSON.stringify(ask("hi [mock:status=429,retry_after=3]")));
    expect(res.status).toBe(429);
    const json = (await res.json()) as any;
    expect(json.error.metadata.attempts.length).toBeGreaterThanOrEqual(1);
    expect(await balanceOf(tenant.accountId)).toBe(before);
  });
});

describe("catalog endpoints", () => {
  it("lists models in OpenRouter's shape", async () => {
    const res = await call("/api/v1/models");
    const { data } = (await res.json()) as any;
    expect(data.length).toBeGreaterThanOrEqual(15);
    const echo = data.find((m: any) => m.id === "mock/echo");
    expect(echo.pricing.prompt).toBe("0.000001");
    expect(typeof echo.context_length).toBe("number");
  });

  it("lists a model's endpoints, and 404s an unknown one", async () => {
    const res = await call("/api/v1/models/mock/echo/endpoints");
    const { data } = (await res.json()) as any;
    expect(data.endpoints.map((e: any) => e.tag)).toContain("mock");
    expect((await call("/api/v1/models/nobody/nothing/endpoints")).status).toBe(404);
  });

  it("GET /health", async () => {
    expect(await (await call("/health")).json()).toEqual({ status: "ok" });
  });
});
