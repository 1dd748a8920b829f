/** The mock speaking Google's Gemini API: same brain as the OpenAI format, Google's wire shapes. */
import { describe, expect, it } from "vitest";
import { handleMockUpstream } from "../src/index.ts";
import { call as callOpenAI, chatBody, json, sseData, type Json } from "./helpers.ts";

const BASE = "http://mock.local/v1beta/models/gemini-echo";

function generate(body: unknown, { stream = false, headers = {} as Record<string, string>, query = "" } = {}): Promise<Response> {
  const url = stream ? `${BASE}:streamGenerateContent?alt=sse${query}` : `${BASE}:generateContent${query ? `?${query.slice(1)}` : ""}`;
  return handleMockUpstream(
    new Request(url, { method: "POST", headers: { "content-type": "application/json", "x-goog-api-key": "AIza-mock", ...headers }, body: JSON.stringify(body) }),
  );
}

const ask = (text: string, extra: Record<string, unknown> = {}) => ({ contents: [{ role: "user", parts: [{ text }] }], ...extra });
const chunks = async (res: Response): Promise<Json[]> => sseData(await res.text()).map((d) => JSON.parse(d));

const weather = { functionDeclarations: [{ name: "get_weather", parameters: { type: "object", properties: { city: { type: "string" } }, required: ["city"] } }] };

describe("Gemini generateContent", () => {
  it("answers a GenerateContentResponse with the same text and counts as the OpenAI format", async () => {
    const body = await json(await generate(ask("hello there", { systemInstruction: { parts: [{ text: "be brief" }] } })));
    expect(body).toMatchObject({
      candidates: [{ content: { parts: [{ text: "Echo: hello there" }], role: "model" }, finishReason: "STOP", index: 0 }],
      modelVersion: "gemini-echo",
    });
    const openai = await json(await callOpenAI(chatBody("hello there", { messages: [{ role: "system", content: "be brief" }, { role: "user", content: "hello there" }] })));
    expect(body.usageMetadata).toMatchObject({
      promptTokenCount: openai.usage.prompt_tokens,
      candidatesTokenCount: openai.usage.completion_tokens,
      totalTokenCount: openai.usage.total_tokens,
    });
  });

  it("cached=N reports cachedContentTokenCount as a part of promptTokenCount", async () => {
    const text = "cache this prompt please [mock:cached=4]";
    const openai = await json(await callOpenAI(chatBody(text)));
    const body = await json(await generate(ask(text)));
    expect(body.usageMetadata).toMatchObject({ promptTokenCount: openai.usage.prompt_tokens, cachedContentTokenCount: 4 });
    const last = (await chunks(await generate(ask(text), { stream: true }))).at(-1);
    expect(last.usageMetadata).toMatchObject({ promptTokenCount: openai.usage.prompt_tokens, cachedContentTokenCount: 4 });
    expect((await json(await generate(ask("hello")))).usageMetadata).not.toHaveProperty("cachedContentTokenCount");
  });

  it("maps generationConfig: maxOutputTokens → MAX_TOKENS, stopSequences, JSON mode with a schema", async () => {
    const cut = await json(await generate(ask("a b c d", { generationConfig: { maxOutputTokens: 2 } })));
    expect(cut.candidates[0]).toMatchObject({ content: { parts: [{ text: "Echo: a" }] }, finishReason: "MAX_TOKENS" });
    const stopped = await json(await generate(ask("alpha beta", { generationConfig: { stopSequences: [" beta"] } })));
    expect(stopped.candidates[0].content.parts[0].text).toBe("Echo: alpha");
    const schema = { type: "object", properties: { name: { type: "string" }, n: { type: "integer" } } };
    const structured = await json(await generate(ask("x", { generationConfig: { responseMimeType: "application/json", responseSchema: schema } })));
    expect(JSON.parse(structured.candidates[0].content.parts[0].text)).toEqual({ name: "mock", n: 42 });
    const loose = await json(await generate(ask("x", { generationConfig: { responseMimeType: "application/json" } })));
    expect(JSON.parse(loose.candidates[0].content.parts[0].text)).toEqual({ echo: "x" });
  });

  it("calls a function, then acknowledges its functionResponse", async () => {
    const first = await json(await generate(ask("weather in Paris?", { tools: [weather] })));
    expect(first.candidates[0]).toMatchObject({ content: { parts: [{ functionCall: { name: "get_weather", args: { city: "mock" } } }] }, finishReason: "STOP" });
    const second = await json(
      await generate({
        tools: [weather],
        contents: [
          { role: "user", parts: [{ text: "weather in Paris?" }] },
          first.candidates[0].content,
          { role: "user", parts: [{ functionResponse: { name: "get_weather", response: { output: "18C and sunny" } } }] },
        ],
      }),
    );
    expect(second.candidates[0].content.parts[0].text).toBe("Tool result: 18C and sunny");
  });

  it("honours functionCallingConfig ANY with one allowed name, and NONE", async () => {
    const time = { name: "get_time", parameters: { type: "object", properties: { tz: { type: "string" } } } };
    const tools = [{ functionDeclarations: [weather.functionDeclarations[0], time] }];
    const forced = await json(await generate(ask("x", { tools, toolConfig: { functionCallingConfig: { mode: "ANY", allowedFunctionNames: ["get_time"] } } })));
    expect(forced.candidates[0].content.parts[0].functionCall.name).toBe("get_time");
    const none = await json(await generate(ask("x", { tools, toolConfig: { functionCallingConfig: { mode: "NONE" } } })));
    expect(none.candidates[0].content.parts[0].text).toBe("Echo: x");
  });

  it("streams alt=sse chunks with cumulative usage; the last carries finishReason", async () => {
    const res = await generate(ask("stream me please"), { stream: true });
    expect(res.headers.get("content-type")).toBe("text/event-stream");
    const list = await chunks(res);
    expect(list.map((c) => c.candidates[0].content.parts[0].text).join("")).toBe("Echo: stream me please");
    expect(list.slice(0, -1).every((c) => c.candidates[0].finishReason === undefined)).toBe(true);
    expect(list.at(-1).candidates[0].finishReason).toBe("STOP");
    expect(list.map((c) => c.usageMetadata.candidatesTokenCount)).toEqual([1, 2, 3, 4, 4]);
  });

  it("streams a function call whole, in one chunk with its finishReason", async () => {
    const list = await chunks(await generate(ask("w", { tools: [weather] }), { stream: true }));
    expect(list).toHaveLength(1);
    expect(list[0].candidates[0]).toMatchObject({ content: { parts: [{ functionCall: { name: "get_weather" } }] }, finishReason: "STOP" });
  });

  it("blocked → promptFeedback.blockReason and no candidates (plain and streamed)", async () => {
    const body = await json(await generate(ask("bad things [mock:blocked]")));
    expect(body.candidates).toBeUndefined();
    expect(body.promptFeedback.blockReason).toBe("SAFETY");
    const list = await chunks(await generate(ask("bad things [mock:blocked]"), { stream: true }));
    expect(list[0].promptFeedback.blockReason).toBe("SAFETY");
  });

  it("stream faults: error_event sends Google's error object; cut never sends finishReason", async () => {
    const errored = await chunks(await generate(ask("a b c [mock:error_event=1]"), { stream: true }));
    expect(errored.at(-1)).toEqual({ error: { code: 500, message: expect.stringContaining("internal error"), status: "INTERNAL" } });
    const cut = await chunks(await generate(ask("a b c [mock:cut=2]"), { stream: true }));
    expect(cut).toHaveLength(2);
    expect(cut.some((c) => c.candidates[0].finishReason)).toBe(false);
  });

  it("errors in Google's shape: 429 hints in RetryInfo (no header), 503 UNAVAILABLE", async () => {
    const limited = await generate(ask("hi [mock:status=429,retry_after=9]"));
    expect([limited.status, limited.headers.get("retry-after")]).toEqual([429, null]);
    expect(await json(limited)).toEqual({
      error: {
        code: 429,
        message: expect.stringContaining("quota"),
        status: "RESOURCE_EXHAUSTED",
        details: [{ "@type": "type.googleapis.com/google.rpc.RetryInfo", retryDelay: "9s" }],
      },
    });
    expect((await json(await generate(ask("hi [mock:status=503]")))).error).toMatchObject({ code: 503, status: "UNAVAILABLE" });
  });

  it("a bad key is a 400 API_KEY_INVALID, by header or by ?key=; empty contents and non-SSE streams are 400", async () => {
    for (const res of [await generate(ask("hi"), { headers: { "x-goog-api-key": "bad-key" } }), await generate(ask("hi"), { query: "&key=bad-key" })]) {
      expect(res.status).toBe(400);
      expect((await json(res)).error.details[0].reason).toBe("API_KEY_INVALID");
    }
    expect((await json(await generate({ contents: [] }))).error.status).toBe("INVALID_ARGUMENT");
    const noSse = await handleMockUpstream(new Request(`${BASE}:streamGenerateContent`, { method: "POST", body: JSON.stringify(ask("x")) }));
    expect(noSse.status).toBe(400);
  });
});
