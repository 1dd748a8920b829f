import { describe, expect, it } from "vitest";
import { anthropicAdapter } from "../src/anthropic/index.ts";
import { MalformedUpstreamResponse } from "../src/openai/response.ts";
import { UntranslatableRequest } from "../src/shared/untranslatable.ts";
import type { UpstreamTarget } from "../src/types.ts";
import { ask, built, fixture, fixtureText, openaiRequest, runStream, summarise } from "./helpers.ts";

const target: UpstreamTarget = {
  baseUrl: "https://api.anthropic.com/v1/",
  apiKey: "sk-ant-test",
  upstreamModel: "claude-sonnet-4-20250514",
  maxOutput: 64_000,
};

describe("Anthropic request", () => {
  it("translates a tool round trip with an image into the Messages API body (golden)", async () => {
    const { request, body } = await built(anthropicAdapter, openaiRequest(), target);
    expect(request.url).toBe("https://api.anthropic.com/v1/messages");
    expect(request.headers["x-api-key"]).toBe("sk-ant-test");
    expect(request.headers["anthropic-version"]).toBe("2023-06-01");
    expect(request.headers["authorization"]).toBeUndefined();
    // frequency_penalty has no Messages API counterpart and is left out
    expect(body).toEqual(fixture("anthropic/request-tool-round-trip.json"));
  });

  it("defaults max_tokens from the catalog, prefers max_completion_tokens, and maps sampling fields", async () => {
    expect((await built(anthropicAdapter, ask("hi"), target)).body.max_tokens).toBe(64_000);
    expect((await built(anthropicAdapter, ask("hi"), { ...target, maxOutput: undefined })).body.max_tokens).toBe(4096);
    const { body } = await built(anthropicAdapter, ask("hi", { max_tokens: 100, max_completion_tokens: 50, temperature: 1.7, top_p: 0.9, top_k: 40, stop: "###", user: "u-42" }), target);
    expect(body).toMatchObject({ max_tokens: 50, temperature: 1, top_p: 0.9, top_k: 40, stop_sequences: ["###"], metadata: { user_id: "u-42" } });
    expect(body).not.toHaveProperty("stream");
  });

  it("asks for a stream with stream: true and an SSE accept header", async () => {
    const { request, body } = await built(anthropicAdapter, ask("hi"), target, true);
    expect(body.stream).toBe(true);
    expect(request.headers["accept"]).toBe("text/event-stream");
  });

  it.each([
    ["auto", undefined, { type: "auto" }],
    ["none", undefined, { type: "none" }],
    ["required", undefined, { type: "any" }],
    [{ type: "function", function: { name: "get_weather" } }, undefined, { type: "tool", name: "get_weather" }],
    ["required", false, { type: "any", disable_parallel_tool_use: true }],
    [undefined, false, { type: "auto", disable_parallel_tool_use: true }],
  ] as const)("maps tool_choice %j (parallel %s)", async (choice, parallel, expected) => {
    const tools = [{ type: "function" as const, function: { name: "get_weather" } }];
    const { body } = await built(anthropicAdapter, ask("hi", { tools, tool_choice: choice as never, parallel_tool_calls: parallel }), target);
    expect(body.tool_choice).toEqual(expected);
    // a tool without parameters still gets the object schema Anthropic requires
    expect(body.tools).toEqual([{ name: "get_weather", input_schema: { type: "object" } }]);
  });

  it("sends no tool_choice without tools, and none when the caller says nothing", async () => {
    expect((await built(anthropicAdapter, ask("hi", { tool_choice: "required" }), target)).body).not.toHaveProperty("tool_choice");
    const tools = [{ type: "function" as const, function: { name: "t" } }];
    expect((await built(anthropicAdapter, ask("hi", { tools }), target)).body).not.toHaveProperty("tool_choice");
  });

  it("passes image URLs and PDFs as sources; merges system messages", async () => {
    const { body } = await built(
      anthropicAdapter,
      {
        model: "x",
        messages: [
          { role: "system", content: "one" },
          { role: "developer", content: [{ type: "text", text: "two" }] },
          {
            role: "user",
            content: [
              { type: "image_url", image_url: { url: "https://example.com/cat.jpg" } },
              { type: "file", file: { filename: "a.pdf", file_data: "data:application/pdf;base64,JVBERi0=" } },
            ],
          },
        ],
      },
      target,
    );
    expect(body.system).toEqual([{ type: "text", text: "one" }, { type: "text", text: "two" }]);
    expect(body.messages).toEqual([
      {
        role: "user",
        content: [
          { type: "image", source: { type: "url", url: "https://example.com/cat.jpg" } },
          { type: "document", source: { type: "base64", media_type: "application/pdf", data: "JVBERi0=" } },
        ],
      },
    ]);
  });

  it("refuses what the Messages API cannot carry, naming where", () => {
    const audio = ask("x");
    audio.messages = [{ role: "user", content: [{ type: "input_audio", input_audio: { data: "AAAA", format: "wav" } }] }];
    expect(() => anthropicAdapter.buildRequest(audio, target, false)).toThrow(UntranslatableRequest);
    expect(() => anthropicAdapter.buildRequest(audio, target, false)).toThrow(/messages\[0\]\.content\[0\].*audio/);
    const badArgs = ask("x");
    badArgs.messages.push({ role: "assistant", content: null, tool_calls: [{ id: "t1", type: "function", function: { name: "f", arguments: "{oops" } }] });
    expect(() => anthropicAdapter.buildRequest(badArgs, target, false)).toThrow(/messages\[1\]\.tool_calls\[0\].*not valid JSON/);
  });

  it("sends no key header when the endpoint has none (the in-process mock)", async () => {
    const { request } = await built(anthropicAdapter, ask("hi"), { ...target, apiKey: undefined });
    expect(request.headers["x-api-key"]).toBeUndefined();
  });
});

describe("Anthropic response", () => {
  it("plain text: content, end_turn → stop, usage", () => {
    const parsed = anthropicAdapter.parseCompletion(fixture("anthropic/message-text.json"));
    expect(parsed).toEqual({
      message: { role: "assistant", content: "Hi! My name is Claude." },
      finishReason: "stop",
      nativeFinishReason: "end_turn",
      usage: { promptTokens: 2095, completionTokens: 503 },
    });
  });

  it("tool_use blocks become tool_calls with JSON arguments, tool_use → tool_calls", () => {
    const parsed = anthropicAdapter.parseCompletion(fixture("anthropic/message-tool-use.json"));
    expect(parsed.message.content).toBe("I'll check the current weather in San Francisco for you.");
    expect(parsed.message.tool_calls).toEqual([
      { id: "toolu_01A09q90qw90lq917835lq9", type: "function", function: { name: "get_weather", arguments: '{"location":"San Francisco, CA","unit":"celsius"}' } },
    ]);
    expect(parsed.finishReason).toBe("tool_calls");
    expect(parsed.usage).toEqual({ promptTokens: 384, completionTokens: 76 });
  });

  it("counts cache writes and reads into the prompt, and reports them apart", () => {
    const written = anthropicAdapter.parseCompletion(fixture("anthropic/message-cached-prompt.json"));
    expect(written.usage).toEqual({ promptTokens: 21 + 188_086, completionTokens: 393, cacheWriteTokens: 188_086 });
    expect(written.finishReason).toBe("length");
    const read = anthropicAdapter.parseCompletion(fixture("anthropic/message-stop-sequence.json"));
    expect(read.usage).toEqual({ promptTokens: 14 + 31, completionTokens: 11, cachedTokens: 31 });
    expect([read.finishReason, read.nativeFinishReason]).toEqual(["stop", "stop_sequence"]);
  });

  it("rejects a body that is not a Message", () => {
    expect(() => anthropicAdapter.parseCompletion({ type: "message" })).toThrow(MalformedUpstreamResponse);
    expect(() => anthropicAdapter.parseCompletion(null)).toThrow(MalformedUpstreamResponse);
  });
});

describe("Anthropic stream", () => {
  it("text: role, deltas in order, finish, usage at the end, then done", () => {
    const events = runStream(anthropicAdapter, fixtureText("anthropic/stream-text.txt"));
    expect(events).toEqual([
      { type: "delta", delta: { role: "assistant", content: "" } },
      { type: "delta", delta: { content: "Hello" } },
      { type: "delta", delta: { content: "!" } },
      { type: "delta", delta: {}, finishReason: "stop", nativeFinishReason: "end_turn" },
      { type: "usage", usage: { promptTokens: 25, completionTokens: 15 } },
      { type: "done" },
    ]);
  });

  it("tool use: text, then the tool call opened with id and name and its arguments in fragments", () => {
    const summary = summarise(runStream(anthropicAdapter, fixtureText("anthropic/stream-tool-use.txt"), 11));
    expect(summary.content).toBe("Okay, let's check the weather for San Francisco, CA:");
    expect(summary.toolCalls).toHaveLength(1);
    expect(summary.toolCalls[0]).toMatchObject({ id: "toolu_01T1x1fJ34qAmk2tNTrN7Up6", function: { name: "get_weather" } });
    expect(JSON.parse(summary.toolCalls[0]!.function.arguments)).toEqual({ location: "San Francisco, CA", unit: "fahrenheit" });
    expect(summary).toMatchObject({ finishReason: "tool_calls", usage: { promptTokens: 472, completionTokens: 89 }, complete: true });
  });

  it("numbers tool calls from 0 even when text and thinking blocks come first", () => {
    const events = runStream(anthropicAdapter, fixtureText("anthropic/stream-tool-use.txt"));
    const indices = events.flatMap((e) => (e.type === "delta" ? (e.delta.tool_calls ?? []).map((t) => t.index) : []));
    expect(new Set(indices)).toEqual(new Set([0]));
  });

  it("thinking blocks are left out of the answer", () => {
    const summary = summarise(runStream(anthropicAdapter, fixtureText("anthropic/stream-thinking.txt")));
    expect(summary.content).toBe("27 * 453 = 12,231");
    expect(summary.usage).toEqual({ promptTokens: 46, completionTokens: 121 });
    expect(summary.complete).toBe(true);
  });

  it("an error event mid-stream (overloaded_error) ends it as a failure, never as done", () => {
    const events = runStream(anthropicAdapter, fixtureText("anthropic/stream-overloaded.txt"));
    const summary = summarise(events);
    expect(summary.content).toBe("Once upon");
    expect(summary.complete).toBe(false);
    expect(events.at(-1)).toEqual({
      type: "error",
      failure: { status: 503, message: "Upstream error: Overloaded", retryable: true, providerCode: "overloaded_error" },
    });
  });

  it("a stream cut before message_stop never reports done", () => {
    const text = fixtureText("anthropic/stream-text.txt");
    const cut = text.slice(0, text.indexOf("event: message_stop"));
    expect(runStream(anthropicAdapter, cut).some((e) => e.type === "done")).toBe(false);
  });

  it("a malformed event is a failure", () => {
    const [event] = anthropicAdapter.createStreamParser().push({ event: "content_block_delta", data: '{"type":"content_block_delta","index":0,"delta":' });
    expect(event).toMatchObject({ type: "error", failure: { status: 502, retryable: true } });
  });
});

describe("Anthropic errors → gateway errors", () => {
  const parse = (status: number, file: string, headers: Record<string, string> = {}) =>
    anthropicAdapter.parseError(status, fixtureText(`anthropic/${file}`), new Headers(headers));

  it("400 invalid_request_error is the caller's: 400, not retried, message kept", () => {
    expect(parse(400, "error-400.json")).toEqual({
      status: 400,
      retryable: false,
      message: "messages.1.content.0.tool_result.tool_use_id: Field required",
      providerCode: "invalid_request_error",
      upstreamStatus: 400,
    });
  });

  it("401 authentication_error is our key: 502, try another endpoint", () => {
    expect(parse(401, "error-401.json")).toMatchObject({ status: 502, retryable: true, providerCode: "authentication_error", message: "invalid x-api-key" });
  });

  it("429 rate_limit_error keeps the retry-after hint", () => {
    expect(parse(429, "error-429.json", { "retry-after": "17" })).toMatchObject({
      status: 429,
      retryable: true,
      retryAfterSeconds: 17,
      providerCode: "rate_limit_error",
    });
  });

  it("500 api_error → 502, 529 overloaded_error → 503, both retried", () => {
    expect(parse(500, "error-500.json")).toMatchObject({ status: 502, retryable: true, providerCode: "api_error", upstreamStatus: 500 });
    expect(parse(529, "error-529.json")).toMatchObject({ status: 503, retryable: true, providerCode: "overloaded_error", message: "Overloaded", upstreamStatus: 529 });
  });

  it("a body that is not JSON keeps a generic message", () => {
    expect(anthropicAdapter.parseError(413, "<html>Request Entity Too Large</html>", new Headers())).toEqual({
      status: 413,
      retryable: false,
      message: "Upstream returned HTTP 413",
      upstreamStatus: 413,
    });
  });
});
