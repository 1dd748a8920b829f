import { createExecutionContext, env, waitOnExecutionContext } from "cloudflare:test";
import { beforeAll, describe, expect, it } from "vitest";
import worker from "../src/index.ts";
import { balanceOf, call, firstRecord } from "./setup/call.ts";
import { seedTenant, type SeededTenant } from "./setup/seed.ts";

/** `POST /api/v1/messages`: Anthropic's Messages API in front of the chat pipeline. */
let tenant: SeededTenant;
beforeAll(async () => {
  tenant = await seedTenant("messages");
});

const post = (json: unknown, headers: Record<string, string> = { "x-api-key": tenant.key, "anthropic-version": "2023-06-01" }) =>
  call("/api/v1/messages", { method: "POST", json, headers });
const ask = (model: string, content: unknown, extra: Record<string, unknown> = {}) => ({ model, max_tokens: 4096, messages: [{ role: "user", content }], ...extra });
const tools = [{ name: "read_file", description: "Read a file", input_schema: { type: "object", properties: { path: { type: "string" } }, required: ["path"] } }];
const thinking = { type: "enabled", budget_tokens: 2048 };

/** An Anthropic SSE body as [event, data] pairs; every event names its own type. */
function events(text: string): Array<[string, any]> {
  return text
    .split("\n\n")
    .filter(Boolean)
    .map((block) => {
      const [eventLine, dataLine] = block.split("\n");
      const name = eventLine!.replace(/^event: /, "");
      const data = JSON.parse(dataLine!.replace(/^data: /, ""));
      expect(data.type).toBe(name);
      return [name, data];
    });
}

const generation = (id: string | null) =>
  firstRecord<any>(tenant.accountId, "SELECT status, provider, cost_nanos, prompt_tokens, completion_tokens FROM generations WHERE id = ?", id);

describe.each([
  ["an Anthropic-format model", "mock/claude-echo", "mock-anthropic"],
  ["an OpenAI-format model", "mock/echo", "mock"],
  ["a Gemini-format model", "mock/gemini-echo", "mock-gemini"],
])("POST /messages on %s", (_name, model, provider) => {
  it("answers a Message in Anthropic's shape, usage in Anthropic's fields, billed like chat", async () => {
    const res = await post(ask(model, "hello there", { system: "be brief", provider: { sort: "price" } }));
    expect(res.status).toBe(200);
    expect(res.headers.get("x-switchyard-provider")).toBe(provider);
    const body = (await res.json()) as any;
    expect(body).toMatchObject({ type: "message", role: "assistant", model, content: [{ type: "text", text: "Echo: hello there" }], stop_reason: "end_turn", stop_sequence: null });
    expect(body.usage).toMatchObject({ cache_read_input_tokens: 0, cache_creation_input_tokens: 0 });
    expect(body.usage.input_tokens).toBeGreaterThan(0);
    expect(body.usage.output_tokens).toBe(3);
    const gen = await generation(body.id);
    expect(gen).toMatchObject({ status: "success", provider, prompt_tokens: body.usage.input_tokens, completion_tokens: 3 });
    expect(gen.cost_nanos).toBeGreaterThan(0);
  });

  it("streams Anthropic's events in order, a tool call as input_json_delta", async () => {
    const res = await post(ask(model, "read a.txt", { tools, stream: true, provider: { sort: "price" } }));
    expect(res.headers.get("content-type")).toContain("text/event-stream");
    const list = events(await res.text());
    const names = list.map(([n]) => n);
    expect(names.slice(0, 3)).toEqual(["message_start", "ping", "content_block_start"]);
    expect(names.slice(-3)).toEqual(["content_block_stop", "message_delta", "message_stop"]);
    const start = list.find(([n]) => n === "content_block_start")![1];
    expect(start.content_block).toMatchObject({ type: "tool_use", name: "read_file" });
    const json = list.filter(([n, d]) => n === "content_block_delta" && d.delta.type === "input_json_delta").map(([, d]) => d.delta.partial_json).join("");
    expect(JSON.parse(json)).toEqual({ path: "mock" });
    const delta = list.at(-2)![1];
    expect(delta.delta.stop_reason).toBe("tool_use");
    expect(delta.usage.output_tokens).toBeGreaterThan(0);
    expect(delta.usage.input_tokens).toBeGreaterThan(0);
  });
});

describe("POST /messages: thinking, signatures and prompt caching (Anthropic-format model)", () => {
  it("streams a thinking block (thinking_delta, then signature_delta) before the text", async () => {
    const res = await post(ask("mock/claude-echo", "think about this", { thinking, stream: true }));
    const list = events(await res.text());
    const deltas = list.filter(([n]) => n === "content_block_delta").map(([, d]) => [d.index, d.delta.type]);
    expect(deltas[0]).toEqual([0, "thinking_delta"]);
    const sig = deltas.findIndex(([, t]) => t === "signature_delta");
    expect(sig).toBeGreaterThan(0);
    expect(deltas.slice(sig + 1).every(([i, t]) => i === 1 && t === "text_delta")).toBe(true);
    expect(list.filter(([n]) => n === "content_block_start").map(([, d]) => d.content_block.type)).toEqual(["thinking", "text"]);
  });

  it("a tool loop with thinking stays valid: the signed block sent back is accepted, an edited one gets Anthropic's 400", async () => {
    const first = (await (await post(ask("mock/claude-echo", "read a.txt", { thinking, tools }))).json()) as any;
    expect(first.content.map((b: any) => b.type)).toEqual(["thinking", "tool_use"]);
    expect(first.content[0].signature).toMatch(/^sig_mock_/);
    const next = (assistant: unknown[]) =>
      post({
        model: "mock/claude-echo",
        max_tokens: 4096,
        thinking,
        tools,
        messages: [
          { role: "user", content: "read a.txt" },
          { role: "assistant", content: assistant },
          { role: "user", content: [{ type: "tool_result", tool_use_id: first.content[1].id, content: "file body" }] },
        ],
      });
    const ok = await next(first.content);
    expect(ok.status).toBe(200);
    expect(((await ok.json()) as any).content.at(-1)).toEqual({ type: "text", text: "Tool result: file body" });
    const bad = await next([{ ...first.content[0], thinking: "made up" }, first.content[1]]);
    expect(bad.status).toBe(400);
    const error = (await bad.json()) as any;
    expect(error).toMatchObject({ type: "error", error: { type: "invalid_request_error" } });
    expect(error.error.message).toContain("signature");
  });

  it("cache_control on the system prompt: the second request reads the cache, usage and cost at the catalog's cache prices", async () => {
    const system = [{ type: "text", text: "You are a coding agent. Many rules follow. ".repeat(20), cache_control: { type: "ephemeral" } }];
    const one = (await (await post(ask("mock/claude-echo", "first", { system }))).json()) as any;
    expect(one.usage.cache_creation_input_tokens).toBeGreaterThan(0);
    const before = await balanceOf(tenant.accountId);
    const two = (await (await post(ask("mock/claude-echo", "second", { system }))).json()) as any;
    const u = two.usage;
    expect(u.cache_read_input_tokens).toBe(one.usage.cache_creation_input_tokens);
    expect(u.cache_creation_input_tokens).toBe(0);
    // mock/claude-echo: prompt 1000, cache read 100, completion 2000 nano-dollars per token
    const nanos = u.input_tokens * 1000 + u.cache_read_input_tokens * 100 + u.output_tokens * 2000;
    expect((await generation(two.id)).cost_nanos).toBe(nanos);
    expect(await balanceOf(tenant.accountId)).toBe(before - nanos);
  });
});

describe("POST /messages: auth, errors and tolerance", () => {
  it("takes the key as Authorization: Bearer too, and answers 401 in Anthropic's shape without one", async () => {
    expect((await post(ask("mock/echo", "hi"), { authorization: `Bearer ${tenant.key}` })).status).toBe(200);
    const res = await post(ask("mock/echo", "hi"), {});
    expect(res.status).toBe(401);
    expect(await res.json()).toMatchObject({ type: "error", error: { type: "authentication_error" } });
  });

  it.each([
    ["max_tokens missing", { model: "mock/echo", messages: [{ role: "user", content: "hi" }] }, "max_tokens"],
    ["messages not a list", { model: "mock/echo", max_tokens: 10, messages: "hi" }, "messages"],
    ["a text block without text", { model: "mock/echo", max_tokens: 10, messages: [{ role: "user", content: [{ type: "text", text: 5 }] }] }, "messages.0.content.0.text"],
    ["temperature a string", ask("mock/echo", "hi", { temperature: "hot" }), "temperature"],
    ["a tool_result without its id", ask("mock/echo", [{ type: "tool_result", content: "x" }]), "tool_use_id"],
  ])("%s → 400 in Anthropic's shape naming the field", async (_name, body, field) => {
    const res = await post(body);
    expect(res.status).toBe(400);
    const error = (await res.json()) as any;
    expect(error.type).toBe("error");
    expect(error.error.type).toBe("invalid_request_error");
    expect(error.error.message).toContain(field);
  });

  it("a body that is not JSON → 400 in Anthropic's shape", async () => {
    const res = await call("/api/v1/messages", { method: "POST", body: "{nope", headers: { "x-api-key": tenant.key } });
    expect(res.status).toBe(400);
    expect(await res.json()).toMatchObject({ type: "error", error: { type: "invalid_request_error" } });
  });

  it("unknown fields, block types, thinking types, server tools and beta headers never fail a request; what was dropped is named", async () => {
    const res = await post(
      {
        ...ask("mock/echo", [{ type: "text", text: "hi" }, { type: "search_result", source: "x" }]),
        tools: [...tools, { type: "web_search_20250305", name: "web_search", max_uses: 5 }],
        thinking: { type: "adaptive" },
        context_management: { edits: [] },
        output_config: { effort: "high" },
        tool_choice: { type: "auto" },
      },
      { "x-api-key": tenant.key, "anthropic-version": "2023-06-01", "anthropic-beta": "interleaved-thinking-2025-05-14,context-1m-2025-08-07" },
    );
    expect(res.status).toBe(200);
    expect(res.headers.get("x-switchyard-dropped")).toBe("block:search_result, tool:web_search, field:context_management, field:output_config");
  });

  it("every endpoint failing before the first content → the chat route's status, in Anthropic's shape (streamed too)", async () => {
    for (const stream of [false, true]) {
      const res = await post(ask("mock/claude-echo", "fail [mock:status=500]", { stream }));
      expect(res.status).toBe(502);
      expect(await res.json()).toMatchObject({ type: "error", error: { type: "api_error" } });
    }
    const limited = await post(ask("mock/claude-echo", "slow down [mock:status=429,retry_after=7]"));
    expect(limited.status).toBe(429);
    expect(limited.headers.get("retry-after")).toBe("7");
    expect(await limited.json()).toMatchObject({ type: "error", error: { type: "rate_limit_error" } });
  });

  it("a stream cut after its first content ends with Anthropic's error event and is not charged", async () => {
    const res = await post(ask("mock/claude-echo", "cut me [mock:cut=2]", { stream: true }));
    const list = events(await res.text());
    expect(list.at(-1)![0]).toBe("error");
    expect(list.map(([n]) => n)).not.toContain("message_stop");
    expect((await generation(res.headers.get("x-generation-id"))).cost_nanos).toBe(0);
  });

  it("a client that leaves mid-stream cancels the inner stream: the generation is cancelled and billed as the chat route bills a cancelled stream", async () => {
    const before = await balanceOf(tenant.accountId);
    const ctx = createExecutionContext();
    const res = await worker.fetch(
      new Request("http://gateway.test/api/v1/messages", {
        method: "POST",
        headers: { "x-api-key": tenant.key, "content-type": "application/json" },
        body: JSON.stringify(ask("mock/claude-echo", "a long answer nobody waits for [mock:chunks=20,chunk_delay=50]", { stream: true })),
      }),
      env,
      ctx,
    );
    const reader = res.body!.getReader();
    await reader.read();
    await reader.cancel();
    await waitOnExecutionContext(ctx);
    const gen = await generation(res.headers.get("x-generation-id"));
    expect(gen.status).toBe("cancelled");
    // the chat route's rule for a left stream applies (on this branch: nothing; with hang-up billing: the part generated)
    expect(await balanceOf(tenant.accountId)).toBe(before - gen.cost_nanos);
  });

  it("a system turn inside messages (as Claude Code sends it) is a system message, not a 400", async () => {
    const res = await post({
      model: "mock/claude-echo",
      max_tokens: 100,
      messages: [
        { role: "user", content: "hi" },
        { role: "system", content: [{ type: "text", text: "be brief" }] },
        { role: "user", content: "again" },
      ],
    });
    expect(res.status).toBe(200);
    expect(((await res.json()) as any).content).toEqual([{ type: "text", text: "Echo: hi again" }]); // the system turn is lifted into `system`; the user turns around it merge
  });

  it("count_tokens answers {input_tokens} without calling a provider", async () => {
    const res = await call("/api/v1/messages/count_tokens", { method: "POST", json: { model: "mock/echo", messages: [{ role: "user", content: "x".repeat(400) }] }, headers: { "x-api-key": tenant.key } });
    expect(res.status).toBe(200);
    const body = (await res.json()) as any;
    expect(Object.keys(body)).toEqual(["input_tokens"]);
    expect(body.input_tokens).toBeGreaterThanOrEqual(100);
  });
});
