import { describe, expect, it } from "vitest";
import { LOREM_TEXT, handleMockUpstream } from "../src/index.ts";
import type { MockScriptStep } from "../src/index.ts";
import { BASE, call, chatBody, chunksOf, contentChunks, contentOf, json, post, readAll, sseData, type Json } from "./helpers.ts";

const weatherTool = {
  type: "function",
  function: {
    name: "get_weather",
    parameters: {
      type: "object",
      properties: {
        city: { type: "string" },
        days: { type: "integer" },
        unit: { type: "string", enum: ["celsius", "fahrenheit"] },
        alerts: { type: "boolean" },
      },
      required: ["city", "country"],
    },
  },
};
const timeTool = { type: "function", function: { name: "get_time", parameters: { type: "object", properties: { tz: { type: "string" } } } } };

describe("plain completions", () => {
  it("echoes the last user message in OpenAI's completion shape", async () => {
    const res = await call({
      model: "gpt-test",
      messages: [
        { role: "system", content: "be nice" },
        { role: "user", content: "first" },
        { role: "assistant", content: "ok" },
        { role: "user", content: "hello world" },
      ],
    });
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toBe("application/json");
    const body = await json(res);
    expect(body).toMatchObject({
      object: "chat.completion",
      created: 1700000000,
      model: "gpt-test",
      system_fingerprint: "fp_mock",
      choices: [
        { index: 0, message: { role: "assistant", content: "Echo: hello world", refusal: null }, logprobs: null, finish_reason: "stop" },
      ],
    });
    expect(body.id).toMatch(/^chatcmpl-mock-[0-9a-f]{8}$/);
    expect(body.choices[0].message.tool_calls).toBeUndefined();
    // chars: 7 + 5 + 2 + 11 = 25 → ceil(25/4) = 7, plus 3 × 4 messages; completion: 3 words.
    expect(body.usage).toMatchObject({ prompt_tokens: 19, completion_tokens: 3, total_tokens: 22 });
  });

  it("joins text content parts and ignores non-text parts", async () => {
    const body = await json(
      await call({
        model: "m",
        messages: [
          {
            role: "user",
            content: [
              { type: "text", text: "look" },
              { type: "image_url", image_url: { url: "data:," } },
              { type: "text", text: "here" },
            ],
          },
        ],
      }),
    );
    expect(body.choices[0].message.content).toBe("Echo: look here");
  });

  it("answers lorem ipsum (~100 words) when asked for lorem", async () => {
    const body = await json(await call(chatBody("give me Lorem please")));
    expect(body.choices[0].message.content).toBe(LOREM_TEXT);
    const words = LOREM_TEXT.split(/\s+/).length;
    expect(words).toBeGreaterThanOrEqual(90);
    expect(words).toBeLessThanOrEqual(110);
    expect(body.usage.completion_tokens).toBe(words);
  });

  it("is deterministic: identical requests give identical bytes", async () => {
    const a = await (await call(chatBody("same"))).text();
    const b = await (await call(chatBody("same"))).text();
    const c = await (await call(chatBody("different"))).text();
    expect(a).toBe(b);
    expect(JSON.parse(c).id).not.toBe(JSON.parse(a).id);
  });

  it("truncates at max_tokens (words) with finish_reason length", async () => {
    const body = await json(await call(chatBody("one two three four five", { max_tokens: 3 })));
    expect(body.choices[0]).toMatchObject({ message: { content: "Echo: one two" }, finish_reason: "length" });
    expect(body.usage.completion_tokens).toBe(3);
    const body2 = await json(await call(chatBody("one two three", { max_completion_tokens: 2 })));
    expect(body2.choices[0].message.content).toBe("Echo: one");
    const body3 = await json(await call(chatBody("one two", { max_tokens: 50 })));
    expect(body3.choices[0].finish_reason).toBe("stop");
  });

  it("cuts at the earliest stop sequence", async () => {
    const body = await json(await call(chatBody("alpha beta gamma", { stop: ["gamma", " beta"] })));
    expect(body.choices[0]).toMatchObject({ message: { content: "Echo: alpha" }, finish_reason: "stop" });
    const body2 = await json(await call(chatBody("alpha beta", { stop: "beta" })));
    expect(body2.choices[0].message.content).toBe("Echo: alpha ");
  });

  it("lists models", async () => {
    const res = await handleMockUpstream(new Request(`${BASE}/models`));
    const body = await json(res);
    expect(body.object).toBe("list");
    expect(body.data[0]).toMatchObject({ id: "mock-model", object: "model" });
  });

  it("routes any path ending in /chat/completions", async () => {
    for (const path of ["/chat/completions", "/v1/chat/completions", "/openai/deployments/x/chat/completions/"]) {
      const res = await handleMockUpstream(
        new Request(`http://h${path}`, { method: "POST", body: JSON.stringify(chatBody("hi")) }),
      );
      expect(res.status, path).toBe(200);
    }
  });
});

describe("errors", () => {
  it("404 for unknown routes in OpenAI's error shape", async () => {
    const res = await handleMockUpstream(new Request(`${BASE}/audio/speech`, { method: "POST", body: "{}" }));
    expect(res.status).toBe(404);
    expect(await json(res)).toEqual({
      error: { message: "Invalid URL (POST /v1/audio/speech)", type: "invalid_request_error", param: null, code: null },
    });
  });

  it("400 for missing model, missing or empty messages, bad JSON", async () => {
    const noModel = await call({ messages: [{ role: "user", content: "x" }] });
    expect(noModel.status).toBe(400);
    expect((await json(noModel)).error).toMatchObject({ type: "invalid_request_error", param: "model" });
    const noMessages = await call({ model: "m" });
    expect(noMessages.status).toBe(400);
    expect((await json(noMessages)).error).toMatchObject({ param: "messages", code: "missing_required_parameter" });
    expect((await call({ model: "m", messages: [] })).status).toBe(400);
    const bad = await call("{not json");
    expect(bad.status).toBe(400);
    expect((await json(bad)).error.type).toBe("invalid_request_error");
  });

  it("401 invalid_api_key for Bearer bad-key", async () => {
    const res = await call(chatBody("hi"), { authorization: "Bearer bad-key" });
    expect(res.status).toBe(401);
    expect((await json(res)).error).toMatchObject({ type: "invalid_request_error", param: null, code: "invalid_api_key" });
    expect((await call(chatBody("hi"), { authorization: "Bearer fine" })).status).toBe(200);
  });

  it("400 for an unknown or malformed directive", async () => {
    expect((await call(chatBody("hi [mock:explode]"))).status).toBe(400);
    expect((await call(chatBody("hi [mock:status=abc]"))).status).toBe(400);
  });
});

describe("tools", () => {
  it("calls the first tool with arguments filled from its schema", async () => {
    const body = await json(await call(chatBody("weather in Paris?", { tools: [weatherTool, timeTool] })));
    const choice = body.choices[0];
    expect(choice.finish_reason).toBe("tool_calls");
    expect(choice.message.content).toBeNull();
    expect(choice.message.tool_calls).toHaveLength(1);
    const tc = choice.message.tool_calls[0];
    expect(tc).toMatchObject({ id: "call_mock_0", type: "function", function: { name: "get_weather" } });
    expect(JSON.parse(tc.function.arguments)).toEqual({ city: "mock", days: 42, unit: "celsius", alerts: true, country: "mock" });
    expect(body.usage.completion_tokens).toBe(Math.ceil(tc.function.arguments.length / 4));
  });

  it("honours a forced tool_choice and tool_choice none", async () => {
    const forced = await json(
      await call(chatBody("time?", { tools: [weatherTool, timeTool], tool_choice: { type: "function", function: { name: "get_time" } } })),
    );
    expect(forced.choices[0].message.tool_calls[0].function).toEqual({ name: "get_time", arguments: '{"tz":"mock"}' });
    const none = await json(await call(chatBody("time?", { tools: [weatherTool], tool_choice: "none" })));
    expect(none.choices[0]).toMatchObject({ message: { content: "Echo: time?" }, finish_reason: "stop" });
  });

  it("acknowledges a tool result", async () => {
    const body = await json(
      await call({
        model: "m",
        tools: [weatherTool],
        messages: [
          { role: "user", content: "weather?" },
          { role: "assistant", content: null, tool_calls: [{ id: "call_mock_0", type: "function", function: { name: "get_weather", arguments: "{}" } }] },
          { role: "tool", tool_call_id: "call_mock_0", content: "sunny, 21C" },
        ],
      }),
    );
    expect(body.choices[0]).toMatchObject({ message: { content: "Tool result: sunny, 21C" }, finish_reason: "stop" });
  });

  it("numbers call ids by the tool calls already in the conversation", async () => {
    const prior = { id: "call_mock_0", type: "function", function: { name: "get_weather", arguments: "{}" } };
    const body = await json(
      await call({
        model: "m",
        tools: [weatherTool],
        messages: [
          { role: "user", content: "a" },
          { role: "assistant", content: null, tool_calls: [prior] },
          { role: "tool", tool_call_id: "call_mock_0", content: "x" },
          { role: "user", content: "again" },
        ],
      }),
    );
    expect(body.choices[0].message.tool_calls[0].id).toBe("call_mock_1");
  });

  it("streams a tool call OpenAI-style and the fragments add up", async () => {
    const plain = await json(await call(chatBody("w", { tools: [weatherTool] })));
    const res = await call(chatBody("w", { tools: [weatherTool], stream: true }));
    const chunks = chunksOf(await res.text());
    const first = chunks[0].choices[0].delta;
    expect(first).toEqual({
      role: "assistant",
      content: null,
      tool_calls: [{ index: 0, id: "call_mock_0", type: "function", function: { name: "get_weather", arguments: "" } }],
    });
    const args = chunks
      .slice(1)
      .map((c: Json) => c.choices[0]?.delta?.tool_calls?.[0]?.function?.arguments ?? "")
      .join("");
    expect(args).toBe(plain.choices[0].message.tool_calls[0].function.arguments);
    expect(chunks.length).toBeGreaterThan(3);
    expect(chunks.at(-1).choices[0]).toMatchObject({ delta: {}, finish_reason: "tool_calls" });
  });
});

describe("json mode", () => {
  it("json_object returns {echo}", async () => {
    const body = await json(await call(chatBody("hi there", { response_format: { type: "json_object" } })));
    const content = body.choices[0].message.content;
    expect(JSON.parse(content)).toEqual({ echo: "hi there" });
    expect(body.usage.completion_tokens).toBe(Math.ceil(content.length / 4));
  });

  it("json_schema returns an object satisfying the schema", async () => {
    const schema = {
      type: "object",
      properties: {
        name: { type: "string" },
        age: { type: "number" },
        ok: { type: "boolean" },
        kind: { enum: ["a", "b"] },
        tags: { type: "array", items: { type: "string" } },
        nested: { type: "object", properties: { n: { type: "integer" } } },
      },
      required: ["name"],
    };
    const body = await json(
      await call(chatBody("x", { response_format: { type: "json_schema", json_schema: { name: "s", schema, strict: true } } })),
    );
    expect(JSON.parse(body.choices[0].message.content)).toEqual({
      name: "mock",
      age: 42,
      ok: true,
      kind: "a",
      tags: ["mock"],
      nested: { n: 42 },
    });
  });
});

describe("streaming", () => {
  it("streams the same text as the plain answer, with OpenAI framing", async () => {
    const plain = await json(await call(chatBody("stream me please")));
    const res = await call(chatBody("stream me please", { stream: true, stream_options: { include_usage: true } }));
    expect(res.headers.get("content-type")).toBe("text/event-stream");
    const text = await res.text();
    const data = sseData(text);
    expect(data.at(-1)).toBe("[DONE]");
    const chunks = chunksOf(text);
    expect(chunks[0].choices[0]).toEqual({ index: 0, delta: { role: "assistant", content: "" }, logprobs: null, finish_reason: null });
    expect(chunks[0]).toMatchObject({ object: "chat.completion.chunk", model: "mock-model", created: 1700000000, usage: null });
    expect(new Set(chunks.map((c: Json) => c.id)).size).toBe(1);
    expect(contentOf(chunks)).toBe(plain.choices[0].message.content);
    // one word (with its leading space) per chunk
    expect(contentChunks(chunks).map((c: Json) => c.choices[0].delta.content)).toEqual(["Echo:", " stream", " me", " please"]);
    const finish = chunks.at(-2);
    expect(finish.choices[0]).toEqual({ index: 0, delta: {}, logprobs: null, finish_reason: "stop" });
    const usage = chunks.at(-1);
    expect(usage.choices).toEqual([]);
    expect(usage.usage).toEqual(plain.usage);
  });

  it("omits the usage chunk without include_usage", async () => {
    const chunks = chunksOf(await (await call(chatBody("hi", { stream: true }))).text());
    expect(chunks.at(-1).choices[0].finish_reason).toBe("stop");
    expect(chunks.every((c: Json) => !("usage" in c))).toBe(true);
  });

  it("streams a length-truncated answer with finish_reason length", async () => {
    const chunks = chunksOf(await (await call(chatBody("a b c d", { stream: true, max_tokens: 2 }))).text());
    expect(contentOf(chunks)).toBe("Echo: a");
    expect(chunks.at(-1).choices[0].finish_reason).toBe("length");
  });
});

describe("directives", () => {
  it("cached=N reports N of the prompt tokens as cached, within prompt_tokens and capped at it", async () => {
    const text = "a prompt long enough to cache [mock:cached=5]";
    const plain = await json(await call(chatBody(text.replace("[mock:cached=5]", "[mock:cached=0]"))));
    const cached = await json(await call(chatBody(text)));
    expect(cached.usage.prompt_tokens).toBe(plain.usage.prompt_tokens); // same length: the total does not move
    expect(cached.usage.prompt_tokens_details).toEqual({ cached_tokens: 5, audio_tokens: 0 });
    const all = await json(await call(chatBody("hi [mock:cached=9999]")));
    expect(all.usage.prompt_tokens_details.cached_tokens).toBe(all.usage.prompt_tokens);
    const streamed = chunksOf(await (await call(chatBody(text, { stream: true, stream_options: { include_usage: true } }))).text());
    expect(streamed.at(-1).usage).toEqual(cached.usage);
  });

  it("strips the directive from the echoed text", async () => {
    const body = await json(await call(chatBody("hello [mock:latency=1] world")));
    expect(body.choices[0].message.content).toBe("Echo: hello world");
  });

  it("status=429 with retry_after sets the retry-after header", async () => {
    const res = await call(chatBody("hi [mock:status=429,retry_after=7]"));
    expect(res.status).toBe(429);
    expect(res.headers.get("retry-after")).toBe("7");
    expect(await json(res)).toEqual({
      error: { message: expect.any(String), type: "requests", param: null, code: "rate_limit_exceeded" },
    });
    expect((await call(chatBody("hi [mock:status=429]"))).headers.get("retry-after")).toBe("1");
  });

  it("status=500 / 503 give server_error / overloaded", async () => {
    const r500 = await call(chatBody("[mock:status=500] hi"));
    expect(r500.status).toBe(500);
    expect((await json(r500)).error).toMatchObject({ type: "server_error", param: null });
    const r503 = await call(chatBody("hi"), { "x-mock-scenario": "status=503" });
    expect(r503.status).toBe(503);
    expect((await json(r503)).error).toMatchObject({ type: "server_error", code: "overloaded" });
  });

  it("only the last user message carries directives", async () => {
    const res = await call({
      model: "m",
      messages: [
        { role: "user", content: "[mock:status=500]" },
        { role: "user", content: "fine" },
      ],
    });
    expect(res.status).toBe(200);
  });

  it("latency delays the response", async () => {
    const start = Date.now();
    await call(chatBody("hi [mock:latency=60]"));
    expect(Date.now() - start).toBeGreaterThanOrEqual(55);
  });

  it("chunks=20 gives exactly 20 content chunks", async () => {
    const chunks = chunksOf(await (await call(chatBody("abc [mock:chunks=20]", { stream: true }))).text());
    expect(contentChunks(chunks)).toHaveLength(20);
    expect(contentOf(chunks)).toBe("Echo: abc");
    const lorem = chunksOf(await (await call(chatBody("lorem [mock:chunks=5]", { stream: true }))).text());
    expect(contentChunks(lorem)).toHaveLength(5);
    expect(contentOf(lorem)).toBe(LOREM_TEXT);
  });

  it("chunk_delay spaces out stream events", async () => {
    const start = Date.now();
    await (await call(chatBody("a b [mock:chunk_delay=15]", { stream: true }))).text();
    // role, 3 content, finish, [DONE] = 6 events → 5 gaps
    expect(Date.now() - start).toBeGreaterThanOrEqual(70);
  });

  it("cut=N ends the stream after N content chunks, no finish_reason, no [DONE]", async () => {
    const res = await call(chatBody("a b c d e [mock:cut=2]", { stream: true }));
    const { text, error } = await readAll(res.body!);
    expect(error).toBeUndefined(); // in-process: the body just closes
    const data = sseData(text);
    expect(data).not.toContain("[DONE]");
    const chunks = chunksOf(text);
    expect(contentChunks(chunks)).toHaveLength(2);
    expect(chunks.every((c: Json) => c.choices[0].finish_reason === null)).toBe(true);
  });

  it("error_event=N sends an in-stream error after N chunks", async () => {
    const text = await (await call(chatBody("a b c d [mock:error_event=1]", { stream: true }))).text();
    const data = sseData(text);
    expect(data).not.toContain("[DONE]");
    expect(JSON.parse(data.at(-1)!)).toEqual({ error: { message: expect.any(String), type: "server_error", code: 500 } });
    expect(data).toHaveLength(3); // role, one content chunk, error
  });

  it("malformed gives invalid JSON (plain and stream)", async () => {
    const res = await call(chatBody("hi [mock:malformed]"));
    expect(res.status).toBe(200);
    const text = await res.text();
    expect(() => JSON.parse(text)).toThrow();
    const stream = sseData(await (await call(chatBody("hi [mock:malformed]", { stream: true }))).text());
    expect(stream.filter((d) => d !== "[DONE]" && !isJson(d))).toHaveLength(1);
  });

  it("stall=N stops sending after N chunks until the reader cancels", async () => {
    const res = await call(chatBody("a b c [mock:stall=1]", { stream: true }));
    const reader = res.body!.getReader();
    const decoder = new TextDecoder();
    const got = [decoder.decode((await reader.read()).value), decoder.decode((await reader.read()).value)];
    expect(got[1]).toContain('"content":"Echo:"');
    const next = reader.read();
    const winner = await Promise.race([next.then(() => "data"), new Promise((r) => setTimeout(() => r("silent"), 60))]);
    expect(winner).toBe("silent");
    await reader.cancel();
  });

  it("hang never answers until the request is aborted", async () => {
    const controller = new AbortController();
    const pending = handleMockUpstream(post(chatBody("hi [mock:hang]"), {}, { signal: controller.signal }));
    const early = await Promise.race([pending.then(() => "answered"), new Promise((r) => setTimeout(() => r("hung"), 50))]);
    expect(early).toBe("hung");
    controller.abort();
    await expect(pending).rejects.toMatchObject({ name: "AbortError" });
  });
});

describe("script queue", () => {
  it("consumes one step per chat request, then behaves normally", async () => {
    const script: MockScriptStep[] = [{ status: 500 }, { status: 429, retryAfter: 2 }, "ok", "status=503"];
    const statuses: number[] = [];
    let retryAfter: string | null = null;
    for (let i = 0; i < 5; i++) {
      const res = await call(chatBody("hi"), {}, { script });
      statuses.push(res.status);
      if (res.status === 429) retryAfter = res.headers.get("retry-after");
    }
    expect(statuses).toEqual([500, 429, 200, 503, 200]);
    expect(retryAfter).toBe("2");
    expect(script).toEqual([]);
  });

  it("a script step overrides message directives", async () => {
    const res = await call(chatBody("hi [mock:status=500]"), {}, { script: [{ status: 200 }] });
    expect(res.status).toBe(200);
  });
});

function isJson(text: string): boolean {
  try {
    JSON.parse(text);
    return true;
  } catch {
    return false;
  }
}
