/** The unmodified `openai` SDK against the Node server: proof the wire format is the real one. */
import OpenAI from "openai";
import type { ChatCompletionMessageParam, ChatCompletionTool } from "openai/resources/chat/completions";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { LOREM_TEXT } from "../src/index.ts";
import { startMockUpstream, type MockUpstreamServer } from "../src/node-server.ts";

let server: MockUpstreamServer;
let client: OpenAI;

beforeAll(async () => {
  server = await startMockUpstream();
  client = new OpenAI({ baseURL: server.url, apiKey: "x", maxRetries: 0 });
});
afterAll(async () => {
  await server.close();
});

const tools: ChatCompletionTool[] = [
  {
    type: "function",
    function: {
      name: "lookup",
      parameters: { type: "object", properties: { query: { type: "string" }, limit: { type: "integer" } }, required: ["query"] },
    },
  },
];

describe("openai SDK", () => {
  it("plain completion", async () => {
    const res = await client.chat.completions.create({ model: "mock-model", messages: [{ role: "user", content: "hi sdk" }] });
    expect(res.choices[0]?.message.content).toBe("Echo: hi sdk");
    expect(res.model).toBe("mock-model");
    expect(res.usage?.total_tokens).toBe((res.usage?.prompt_tokens ?? 0) + (res.usage?.completion_tokens ?? 0));
  });

  it("streaming assembles to the plain answer, with usage", async () => {
    const stream = await client.chat.completions.create({
      model: "mock-model",
      messages: [{ role: "user", content: "lorem" }],
      stream: true,
      stream_options: { include_usage: true },
    });
    let text = "";
    let finish: string | null | undefined;
    let usage: OpenAI.CompletionUsage | null | undefined;
    for await (const chunk of stream) {
      text += chunk.choices[0]?.delta.content ?? "";
      finish = chunk.choices[0]?.finish_reason ?? finish;
      if (chunk.usage) usage = chunk.usage;
    }
    expect(text).toBe(LOREM_TEXT);
    expect(finish).toBe("stop");
    expect(usage?.completion_tokens).toBe(LOREM_TEXT.split(" ").length);
  });

  it("tool call round trip (plain and via the stream helper)", async () => {
    const messages: ChatCompletionMessageParam[] = [{ role: "user", content: "find cats" }];
    const first = await client.chat.completions.create({ model: "mock-model", messages, tools });
    const msg = first.choices[0]!.message;
    expect(first.choices[0]?.finish_reason).toBe("tool_calls");
    const call = msg.tool_calls![0]!;
    expect(call.type).toBe("function");
    if (call.type !== "function") throw new Error("expected a function call");
    expect(JSON.parse(call.function.arguments)).toEqual({ query: "mock", limit: 42 });

    const streamed = await client.chat.completions.stream({ model: "mock-model", messages, tools }).finalMessage();
    expect(streamed.tool_calls).toEqual(msg.tool_calls);

    messages.push(msg, { role: "tool", tool_call_id: call.id, content: "3 cats" });
    const second = await client.chat.completions.create({ model: "mock-model", messages, tools });
    expect(second.choices[0]?.message.content).toBe("Tool result: 3 cats");
  });

  it("json mode parses", async () => {
    const res = await client.chat.completions.create({
      model: "mock-model",
      messages: [{ role: "user", content: "as json" }],
      response_format: { type: "json_object" },
    });
    expect(JSON.parse(res.choices[0]!.message.content!)).toEqual({ echo: "as json" });
  });

  it("errors map to the SDK's error classes", async () => {
    const rate = await client.chat.completions
      .create({ model: "m", messages: [{ role: "user", content: "x [mock:status=429,retry_after=3]" }] })
      .catch((e: unknown) => e);
    expect(rate).toBeInstanceOf(OpenAI.RateLimitError);
    expect((rate as InstanceType<typeof OpenAI.RateLimitError>).headers.get("retry-after")).toBe("3");
    expect((rate as InstanceType<typeof OpenAI.RateLimitError>).code).toBe("rate_limit_exceeded");

    const boom = await client.chat.completions.create({ model: "m", messages: [{ role: "user", content: "[mock:status=500]" }] }).catch((e: unknown) => e);
    expect(boom).toBeInstanceOf(OpenAI.InternalServerError);

    const bad = new OpenAI({ baseURL: server.url, apiKey: "bad-key", maxRetries: 0 });
    await expect(bad.models.list()).rejects.toBeInstanceOf(OpenAI.AuthenticationError);
  });

  it("a cut stream makes the SDK iteration throw", async () => {
    const stream = await client.chat.completions.create({
      model: "m",
      messages: [{ role: "user", content: "a b c [mock:cut=1]" }],
      stream: true,
    });
    const seen: string[] = [];
    await expect(
      (async () => {
        for await (const chunk of stream) seen.push(chunk.choices[0]?.delta.content ?? "");
      })(),
    ).rejects.toThrow();
    expect(seen.join("")).toBe("Echo:");
  });

  it("the SDK retries through a scripted failure", async () => {
    server.setScript([{ status: 500 }]);
    const before = server.requests.length;
    const retrying = new OpenAI({ baseURL: server.url, apiKey: "x", maxRetries: 1 });
    const res = await retrying.chat.completions.create({ model: "m", messages: [{ role: "user", content: "retry" }] });
    expect(res.choices[0]?.message.content).toBe("Echo: retry");
    expect(server.requests.length - before).toBe(2);
  });

  it("lists models", async () => {
    const ids: string[] = [];
    for await (const model of client.models.list()) ids.push(model.id);
    expect(ids).toContain("mock-model");
  });
});
