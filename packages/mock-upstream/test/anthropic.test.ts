/** The mock speaking Anthropic's Messages API: same brain as the OpenAI format, Anthropic's wire shapes. */
import { describe, expect, it } from "vitest";
import { handleMockUpstream } from "../src/index.ts";
import { call as callOpenAI, chatBody, json, type Json } from "./helpers.ts";

const HEADERS = { "content-type": "application/json", "anthropic-version": "2023-06-01", "x-api-key": "sk-ant-mock" };

function messages(body: unknown, headers: Record<string, string> = {}): Promise<Response> {
  return handleMockUpstream(
    new Request("http://mock.local/v1/messages", { method: "POST", headers: { ...HEADERS, ...headers }, body: typeof body === "string" ? body : JSON.stringify(body) }),
  );
}

const ask = (text: string, extra: Record<string, unknown> = {}) => ({
  model: "claude-echo",
  max_tokens: 1024,
  messages: [{ role: "user", content: text }],
  ...extra,
});

/** Splits an Anthropic SSE body into [event name, data] pairs, checking each event names its own type. */
function events(text: string): Array<[string, Json]> {
  return text
    .split("\n\n")
    .filter(Boolean)
    .map((block) => {
      const [eventLine, dataLine, ...rest] = block.split("\n");
      expect(rest).toEqual([]);
      const name = eventLine!.replace(/^event: /, "");
      const data = JSON.parse(dataLine!.replace(/^data: /, ""));
      expect(data.type).toBe(name);
      return [name, data];
    });
}

const weather = { name: "get_weather", description: "weather", input_schema: { type: "object", properties: { city: { type: "string" } }, required: ["city"] } };

describe("Anthropic Messages API", () => {
  it("answers a Message with the same text and token counts as the OpenAI format", async () => {
    const res = await messages(ask("hello there", { system: "be brief" }));
    expect(res.status).toBe(200);
    const body = await json(res);
    expect(body).toMatchObject({
      type: "message",
      role: "assistant",
      model: "claude-echo",
      content: [{ type: "text", text: "Echo: hello there" }],
      stop_reason: "end_turn",
      stop_sequence: null,
    });
    expect(body.id).toMatch(/^msg_mock_[0-9a-f]{8}$/);
    const openai = await json(await callOpenAI(chatBody("hello there", { messages: [{ role: "system", content: "be brief" }, { role: "user", content: "hello there" }] })));
    expect(body.usage).toEqual({
      input_tokens: openai.usage.prompt_tokens,
      cache_creation_input_tokens: 0,
      cache_read_input_tokens: 0,
      output_tokens: openai.usage.completion_tokens,
    });
  });

  it("cached / cache_write split the prompt into Anthropic's input, cache read and cache creation counts", async () => {
    const text = "cache this prompt please [mock:cached=4,cache_write=6]";
    const openai = await json(await callOpenAI(chatBody(text)));
    const prompt = openai.usage.prompt_tokens;
    const body = await json(await messages(ask(text)));
    expect(body.usage).toEqual({ input_tokens: prompt - 10, cache_creation_input_tokens: 6, cache_read_input_tokens: 4, output_tokens: openai.usage.completion_tokens });
    const start = events(await (await messages(ask(text, { stream: true }))).text())[0]![1];
    expect(start.message.usage).toMatchObject({ input_tokens: prompt - 10, cache_creation_input_tokens: 6, cache_read_input_tokens: 4 });
    const capped = await json(await messages(ask("hi [mock:cached=2,cache_write=9999]")));
    expect(capped.usage).toMatchObject({ input_tokens: 0, cache_read_input_tokens: 2 });
    expect(capped.usage.cache_creation_input_tokens + 2).toBe((await json(await callOpenAI(chatBody("hi [mock:cached=2,cache_write=9999]")))).usage.prompt_tokens);
  });

  it("reads text blocks and reports a stop sequence", async () => {
    const body = await json(await messages(ask("", { messages: [{ role: "user", content: [{ type: "text", text: "alpha beta gamma" }] }], stop_sequences: [" gamma"] })));
    expect(body).toMatchObject({ content: [{ text: "Echo: alpha beta" }], stop_reason: "stop_sequence", stop_sequence: " gamma" });
    expect((await json(await messages(ask("a b c d", { max_tokens: 2 })))).stop_reason).toBe("max_tokens");
  });

  it("calls a tool with tool_use, then acknowledges the tool_result", async () => {
    const first = await json(await messages(ask("weather in Paris?", { tools: [weather] })));
    expect(first.stop_reason).toBe("tool_use");
    expect(first.content).toEqual([{ type: "tool_use", id: "toolu_mock_0", name: "get_weather", input: { city: "mock" } }]);
    const second = await json(
      await messages(
        ask("", {
          tools: [weather],
          messages: [
            { role: "user", content: "weather in Paris?" },
            { role: "assistant", content: first.content },
            { role: "user", content: [{ type: "tool_result", tool_use_id: "toolu_mock_0", content: "18C and sunny" }] },
          ],
        }),
      ),
    );
    expect(second).toMatchObject({ content: [{ type: "text", text: "Tool result: 18C and sunny" }], stop_reason: "end_turn" });
  });

  it("honours tool_choice tool and none", async () => {
    const time = { name: "get_time", input_schema: { type: "object", properties: { tz: { type: "string" } } } };
    const forced = await json(await messages(ask("x", { tools: [weather, time], tool_choice: { type: "tool", name: "get_time" } })));
    expect(forced.content[0]).toMatchObject({ name: "get_time", input: { tz: "mock" } });
    const none = await json(await messages(ask("x", { tools: [weather], tool_choice: { type: "none" } })));
    expect(none.content).toEqual([{ type: "text", text: "Echo: x" }]);
  });

  it("streams Anthropic's event sequence, with usage in message_start and message_delta", async () => {
    const res = await messages(ask("stream me please", { stream: true }));
    expect(res.headers.get("content-type")).toBe("text/event-stream");
    const list = events(await res.text());
    expect(list.map(([name]) => name)).toEqual([
      "message_start",
      "content_block_start",
      "ping",
      "content_block_delta",
      "content_block_delta",
      "content_block_delta",
      "content_block_delta",
      "content_block_stop",
      "message_delta",
      "message_stop",
    ]);
    const text = list.filter(([n]) => n === "content_block_delta").map(([, d]) => d.delta.text).join("");
    expect(text).toBe("Echo: stream me please");
    expect(list[0]![1].message.usage.input_tokens).toBeGreaterThan(0);
    expect(list.at(-2)![1]).toMatchObject({ delta: { stop_reason: "end_turn", stop_sequence: null }, usage: { output_tokens: 4 } });
  });

  it("streams a tool call as tool_use + input_json_delta fragments", async () => {
    const list = events(await (await messages(ask("w", { tools: [weather], stream: true }))).text());
    expect(list[1]![1].content_block).toEqual({ type: "tool_use", id: "toolu_mock_0", name: "get_weather", input: {} });
    const json = list.filter(([n]) => n === "content_block_delta").map(([, d]) => d.delta.partial_json).join("");
    expect(JSON.parse(json)).toEqual({ city: "mock" });
    expect(list.at(-2)![1].delta.stop_reason).toBe("tool_use");
  });

  it("stream faults: error_event sends an overloaded_error event, cut stops before message_stop", async () => {
    const errored = events(await (await messages(ask("a b c [mock:error_event=1]", { stream: true }))).text());
    expect(errored.at(-1)).toEqual(["error", { type: "error", error: { type: "overloaded_error", message: "Overloaded" } }]);
    const cut = events(await (await messages(ask("a b c [mock:cut=2]", { stream: true }))).text());
    expect(cut.map(([n]) => n)).not.toContain("message_stop");
  });

  it("blocked → stop_reason refusal with no content", async () => {
    const body = await json(await messages(ask("bad things [mock:blocked]")));
    expect(body).toMatchObject({ content: [], stop_reason: "refusal", usage: { output_tokens: 0 } });
  });

  it("errors in Anthropic's shape: forced statuses, 529 overloaded, 429 with retry-after", async () => {
    const overloaded = await messages(ask("hi [mock:status=529]"));
    expect(overloaded.status).toBe(529);
    expect(await json(overloaded)).toMatchObject({ type: "error", error: { type: "overloaded_error", message: "Overloaded" }, request_id: expect.any(String) });
    const limited = await messages(ask("hi [mock:status=429,retry_after=4]"));
    expect([limited.status, limited.headers.get("retry-after")]).toEqual([429, "4"]);
    expect((await json(limited)).error.type).toBe("rate_limit_error");
    expect((await json(await messages(ask("hi [mock:status=500]")))).error.type).toBe("api_error");
  });

  it("checks x-api-key, anthropic-version, model, max_tokens and messages like the real API", async () => {
    const badKey = await messages(ask("hi"), { "x-api-key": "bad-key" });
    expect([badKey.status, (await json(badKey)).error]).toEqual([401, { type: "authentication_error", message: "invalid x-api-key" }]);
    const noVersion = await handleMockUpstream(new Request("http://mock.local/v1/messages", { method: "POST", body: JSON.stringify(ask("hi")) }));
    expect((await json(noVersion)).error.message).toBe("anthropic-version: header is required");
    const { max_tokens: _, ...noMax } = ask("hi");
    const res = await messages(noMax);
    expect([res.status, (await json(res)).error]).toEqual([400, { type: "invalid_request_error", message: "max_tokens: Field required" }]);
    expect((await json(await messages({ ...ask("hi"), messages: [] }))).error.message).toMatch(/at least one message/);
    expect((await messages("{nope")).status).toBe(400);
  });
});
