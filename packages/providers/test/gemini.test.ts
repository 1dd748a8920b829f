import { describe, expect, it } from "vitest";
import { geminiAdapter } from "../src/gemini/index.ts";
import { toGeminiSchema } from "../src/gemini/schema.ts";
import { MalformedUpstreamResponse } from "../src/openai/response.ts";
import { UntranslatableRequest } from "../src/shared/untranslatable.ts";
import type { UpstreamTarget } from "../src/types.ts";
import { ask, built, fixture, fixtureText, openaiRequest, runStream, summarise } from "./helpers.ts";

const target: UpstreamTarget = {
  baseUrl: "https://generativelanguage.googleapis.com/v1beta",
  apiKey: "AIza-test",
  upstreamModel: "gemini-2.5-flash",
  maxOutput: 65_536,
};

describe("Gemini request", () => {
  it("translates a tool round trip with an image into generateContent (golden)", async () => {
    const { request, body } = await built(geminiAdapter, openaiRequest(), target);
    expect(request.url).toBe("https://generativelanguage.googleapis.com/v1beta/models/gemini-2.5-flash:generateContent");
    // the key goes in a header, so it never lands in a URL or a log line
    expect(request.headers["x-goog-api-key"]).toBe("AIza-test");
    expect(request.url).not.toContain("AIza");
    expect(body).toEqual(fixture("gemini/request-tool-round-trip.json"));
  });

  it("streams from streamGenerateContent?alt=sse; Vertex base URLs work the same way", async () => {
    const vertex = "https://europe-west4-aiplatform.googleapis.com/v1/projects/p/locations/europe-west4/publishers/google";
    const { request } = await built(geminiAdapter, ask("hi"), { ...target, baseUrl: vertex }, true);
    expect(request.url).toBe(`${vertex}/models/gemini-2.5-flash:streamGenerateContent?alt=sse`);
    expect(request.headers["accept"]).toBe("text/event-stream");
  });

  it("maps sampling to generationConfig, and sends no max when the caller gives none", async () => {
    const { body } = await built(geminiAdapter, ask("hi", { temperature: 1.5, top_p: 0.8, top_k: 20, max_completion_tokens: 99, stop: "END", seed: 7, presence_penalty: 0.1 }), target);
    expect(body.generationConfig).toEqual({ temperature: 1.5, topP: 0.8, topK: 20, maxOutputTokens: 99, stopSequences: ["END"], seed: 7, presencePenalty: 0.1 });
    expect((await built(geminiAdapter, ask("hi"), target)).body).toEqual({ contents: [{ role: "user", parts: [{ text: "hi" }] }] });
  });

  it("JSON mode: json_object → responseMimeType; json_schema → responseSchema in Gemini's dialect", async () => {
    expect((await built(geminiAdapter, ask("hi", { response_format: { type: "json_object" } }), target)).body.generationConfig).toEqual({
      responseMimeType: "application/json",
    });
    const schema = {
      $schema: "http://json-schema.org/draft-07/schema#",
      type: "object",
      additionalProperties: false,
      properties: {
        name: { type: "string", format: "email" },
        when: { type: "string", format: "date-time" },
        nick: { type: ["string", "null"] },
        tags: { type: "array", items: { type: "string", const: "x" } },
        meta: { anyOf: [{ type: "object", properties: { a: { type: "integer" } } }, { type: "null" }] },
        empty: { type: "object", properties: {} },
      },
      required: ["name"],
    };
    const { body } = await built(geminiAdapter, ask("hi", { response_format: { type: "json_schema", json_schema: { name: "p", schema } } }), target);
    expect(body.generationConfig).toEqual({
      responseMimeType: "application/json",
      responseSchema: {
        type: "object",
        properties: {
          name: { type: "string" },
          when: { type: "string", format: "date-time" },
          nick: { type: "string", nullable: true },
          tags: { type: "array", items: { type: "string", enum: ["x"] } },
          meta: { nullable: true, type: "object", properties: { a: { type: "integer" } } },
          empty: { type: "object" },
        },
        required: ["name"],
      },
    });
  });

  it.each([
    ["auto", { mode: "AUTO" }],
    ["none", { mode: "NONE" }],
    ["required", { mode: "ANY" }],
    [{ type: "function", function: { name: "get_time" } }, { mode: "ANY", allowedFunctionNames: ["get_time"] }],
  ] as const)("maps tool_choice %j to functionCallingConfig", async (choice, expected) => {
    const tools = [{ type: "function" as const, function: { name: "get_time", parameters: { type: "object", properties: {} } } }];
    const { body } = await built(geminiAdapter, ask("hi", { tools, tool_choice: choice as never }), target);
    expect(body.toolConfig).toEqual({ functionCallingConfig: expected });
    // Gemini rejects an object schema without properties: the parameters are left out
    expect(body.tools).toEqual([{ functionDeclarations: [{ name: "get_time" }] }]);
  });

  it("image URLs become fileData, audio becomes inlineData", async () => {
    const req = ask("x");
    req.messages = [
      {
        role: "user",
        content: [
          { type: "image_url", image_url: { url: "https://example.com/cat.png" } },
          { type: "input_audio", input_audio: { data: "UklGRg==", format: "wav" } },
        ],
      },
    ];
    expect((await built(geminiAdapter, req, target)).body.contents[0].parts).toEqual([
      { fileData: { mimeType: "image/png", fileUri: "https://example.com/cat.png" } },
      { inlineData: { mimeType: "audio/wav", data: "UklGRg==" } },
    ]);
  });

  it("a tool result whose call it cannot find cannot be named, so it is refused", () => {
    const req = ask("x");
    req.messages.push({ role: "tool", tool_call_id: "call_nowhere", content: "42" });
    expect(() => geminiAdapter.buildRequest(req, target, false)).toThrow(UntranslatableRequest);
    // …unless the message names the function itself
    req.messages[1] = { role: "tool", tool_call_id: "call_nowhere", content: "42", name: "answer" };
    expect(() => geminiAdapter.buildRequest(req, target, false)).not.toThrow();
  });

  it("schema conversion leaves non-objects alone", () => {
    expect(toGeminiSchema(undefined)).toBeUndefined();
    expect(toGeminiSchema([1])).toBeUndefined();
  });
});

describe("Gemini response", () => {
  it("plain text: STOP → stop; thinking tokens are billed as output and reported as reasoning", () => {
    expect(geminiAdapter.parseCompletion(fixture("gemini/generate-text.json"))).toEqual({
      message: { role: "assistant", content: "AI learns patterns from data to make predictions or decisions without being explicitly programmed for each task." },
      finishReason: "stop",
      nativeFinishReason: "STOP",
      usage: { promptTokens: 8, completionTokens: 19 + 410, reasoningTokens: 410 },
    });
  });

  it("functionCall parts become tool_calls with ids the gateway makes; STOP → tool_calls", () => {
    const parsed = geminiAdapter.parseCompletion(fixture("gemini/generate-function-call.json"));
    expect(parsed.message).toEqual({
      role: "assistant",
      content: null,
      tool_calls: [
        {
          id: "call_qpc2afWVFJK4vr0Pq6WiyAU_0",
          type: "function",
          function: { name: "schedule_meeting", arguments: '{"attendees":["Bob","Alice"],"date":"2025-03-27","time":"10:00","topic":"Q3 planning"}' },
        },
      ],
    });
    expect(parsed.finishReason).toBe("tool_calls");
    expect(parsed.usage).toEqual({ promptTokens: 118, completionTokens: 36 + 76, cachedTokens: 64, reasoningTokens: 76 });
  });

  it("MAX_TOKENS → length", () => {
    const parsed = geminiAdapter.parseCompletion(fixture("gemini/generate-max-tokens.json"));
    expect([parsed.finishReason, parsed.nativeFinishReason, parsed.message.content]).toEqual(["length", "MAX_TOKENS", "Once upon a time, in a land far"]);
  });

  it("safety: a blocked prompt and a blocked answer both finish with content_filter, saying why", () => {
    const prompt = geminiAdapter.parseCompletion(fixture("gemini/generate-blocked-prompt.json"));
    expect(prompt).toEqual({
      message: { role: "assistant", content: null, refusal: "The prompt was blocked by Google's safety filters (SAFETY)" },
      finishReason: "content_filter",
      nativeFinishReason: "SAFETY",
      usage: { promptTokens: 12, completionTokens: 0 },
    });
    const answer = geminiAdapter.parseCompletion(fixture("gemini/generate-safety-finish.json"));
    expect([answer.finishReason, answer.nativeFinishReason, answer.message.content]).toEqual(["content_filter", "SAFETY", ""]);
  });

  it("rejects a body with neither candidates nor a block reason", () => {
    expect(() => geminiAdapter.parseCompletion({ usageMetadata: {} })).toThrow(MalformedUpstreamResponse);
    expect(() => geminiAdapter.parseCompletion("nope")).toThrow(MalformedUpstreamResponse);
  });
});

describe("Gemini stream", () => {
  it("text: role first, chunks in order, the finishReason chunk ends it with the final usage", () => {
    const events = runStream(geminiAdapter, fixtureText("gemini/stream-text.txt"));
    expect(events).toEqual([
      { type: "delta", delta: { role: "assistant", content: "The" } },
      { type: "delta", delta: { content: " rain in Spain falls mainly on the plain, or so the" } },
      { type: "delta", delta: { content: " song goes.\n" }, finishReason: "stop", nativeFinishReason: "STOP" },
      { type: "usage", usage: { promptTokens: 9, completionTokens: 17 } },
      { type: "done" },
    ]);
  });

  it("function calls arrive whole, each with its own index and id", () => {
    const summary = summarise(runStream(geminiAdapter, fixtureText("gemini/stream-function-call.txt")));
    expect(summary.toolCalls).toEqual([
      { id: "call_qpc2afWVFJK4vr0Pq6WiyAU_0", type: "function", function: { name: "getWeather", arguments: '{"location":"Tokyo"}' } },
      { id: "call_qpc2afWVFJK4vr0Pq6WiyAU_1", type: "function", function: { name: "getTime", arguments: '{"timezone":"Asia/Tokyo"}' } },
    ]);
    expect(summary).toMatchObject({ finishReason: "tool_calls", usage: { promptTokens: 83, completionTokens: 118, reasoningTokens: 104 }, complete: true });
  });

  it("a blocked prompt ends the stream with a refusal and content_filter", () => {
    const summary = summarise(runStream(geminiAdapter, fixtureText("gemini/stream-blocked-prompt.txt")));
    expect(summary).toMatchObject({
      refusal: "The prompt was blocked by Google's safety filters (PROHIBITED_CONTENT)",
      finishReason: "content_filter",
      usage: { promptTokens: 21, completionTokens: 0 },
      complete: true,
    });
  });

  it("an error object mid-stream is a failure, never done", () => {
    const events = runStream(geminiAdapter, fixtureText("gemini/stream-error.txt"));
    expect(summarise(events)).toMatchObject({ content: "Here is", complete: false });
    expect(events.at(-1)).toMatchObject({ type: "error", failure: { status: 502, retryable: true, providerCode: "INTERNAL" } });
  });

  it("a stream that ends without a finishReason never reports done", () => {
    const text = fixtureText("gemini/stream-text.txt");
    const cut = text.slice(0, text.lastIndexOf("data: "));
    expect(runStream(geminiAdapter, cut).some((e) => e.type === "done")).toBe(false);
  });
});

describe("Gemini errors → gateway errors", () => {
  const parse = (status: number, file: string, headers: Record<string, string> = {}) =>
    geminiAdapter.parseError(status, fixtureText(`gemini/${file}`), new Headers(headers));

  it("400 INVALID_ARGUMENT is the caller's: 400, not retried", () => {
    expect(parse(400, "error-400.json")).toEqual({
      status: 400,
      retryable: false,
      message: "* GenerateContentRequest.contents: contents is not specified\n",
      providerCode: "INVALID_ARGUMENT",
      upstreamStatus: 400,
    });
  });

  it("400 API_KEY_INVALID is our key, whatever Google's status says: 502, try another endpoint", () => {
    expect(parse(400, "error-400-api-key.json")).toMatchObject({ status: 502, retryable: true, upstreamStatus: 400, message: "API key not valid. Please pass a valid API key." });
  });

  it("429 RESOURCE_EXHAUSTED takes its retry hint from RetryInfo (rounded up), or from a header when sent", () => {
    expect(parse(429, "error-429.json")).toMatchObject({ status: 429, retryable: true, retryAfterSeconds: 43, providerCode: "RESOURCE_EXHAUSTED" });
    expect(parse(429, "error-429.json", { "retry-after": "5" })).toMatchObject({ retryAfterSeconds: 5 });
  });

  it("500 INTERNAL → 502 and 503 UNAVAILABLE → 503, both retried", () => {
    expect(parse(500, "error-500.json")).toMatchObject({ status: 502, retryable: true, providerCode: "INTERNAL" });
    expect(parse(503, "error-503.json")).toMatchObject({ status: 503, retryable: true, providerCode: "UNAVAILABLE", message: "The model is overloaded. Please try again later." });
  });

  it("reads errors wrapped in an array, and survives a body that is not JSON", () => {
    expect(geminiAdapter.parseError(503, `[${fixtureText("gemini/error-503.json")}]`, new Headers())).toMatchObject({ providerCode: "UNAVAILABLE" });
    expect(geminiAdapter.parseError(502, "Bad Gateway", new Headers())).toEqual({ status: 502, retryable: true, message: "Upstream returned HTTP 502", upstreamStatus: 502 });
  });
});
