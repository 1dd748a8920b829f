/** The unmodified Anthropic SDK against the Node server: proof the mock's Messages API is the real wire format. */
import Anthropic from "@anthropic-ai/sdk";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startMockUpstream, type MockUpstreamServer } from "../src/node-server.ts";

let server: MockUpstreamServer;
let client: Anthropic;

beforeAll(async () => {
  server = await startMockUpstream();
  // The SDK appends /v1/messages itself.
  client = new Anthropic({ baseURL: server.url.replace(/\/v1$/, ""), apiKey: "sk-ant-mock", maxRetries: 0 });
});
afterAll(async () => {
  await server.close();
});

const tools: Anthropic.Tool[] = [
  { name: "lookup", input_schema: { type: "object", properties: { query: { type: "string" }, limit: { type: "integer" } }, required: ["query"] } },
];
const ask = (text: string) => ({ model: "claude-echo", max_tokens: 256, messages: [{ role: "user" as const, content: text }] });

describe("Anthropic SDK", () => {
  it("creates a message", async () => {
    const message = await client.messages.create({ ...ask("hello"), system: "be brief" });
    expect(message.content).toEqual([{ type: "text", text: "Echo: hello" }]);
    expect(message.stop_reason).toBe("end_turn");
    expect(message.usage.output_tokens).toBe(2);
    const seen = server.requests.at(-1)!;
    expect(seen.path).toBe("/v1/messages");
    // This SDK sends its key as a bearer token and its own API version; the mock takes both.
    expect(seen.headers.authorization).toBe("Bearer sk-ant-mock");
    expect(seen.headers["anthropic-version"]).toBeTruthy();
  });

  it("streams: the SDK's accumulator rebuilds the same message", async () => {
    const stream = client.messages.stream(ask("stream me please"));
    let text = "";
    stream.on("text", (delta) => (text += delta));
    const final = await stream.finalMessage();
    expect(text).toBe("Echo: stream me please");
    expect(final.content).toEqual([{ type: "text", text: "Echo: stream me please" }]);
    expect(final.stop_reason).toBe("end_turn");
    expect(final.usage.output_tokens).toBe(4);
  });

  it("tool use, plain and streamed, then a tool_result round trip", async () => {
    const plain = await client.messages.create({ ...ask("find cats"), tools });
    expect(plain.stop_reason).toBe("tool_use");
    const use = plain.content[0] as Anthropic.ToolUseBlock;
    expect(use).toMatchObject({ type: "tool_use", name: "lookup", input: { query: "mock", limit: 42 } });
    const streamed = await client.messages.stream({ ...ask("find cats"), tools }).finalMessage();
    expect(streamed.content).toEqual(plain.content);
    const after = await client.messages.create({
      model: "claude-echo",
      max_tokens: 256,
      tools,
      messages: [
        { role: "user", content: "find cats" },
        { role: "assistant", content: plain.content },
        { role: "user", content: [{ type: "tool_result", tool_use_id: use.id, content: "3 cats" }] },
      ],
    });
    expect(after.content).toEqual([{ type: "text", text: "Tool result: 3 cats" }]);
  });

  it("errors are the SDK's typed errors: 529 overloaded, 429 with retry-after, 401", async () => {
    await expect(client.messages.create(ask("x [mock:status=529]"))).rejects.toMatchObject({ status: 529, error: { type: "error", error: { type: "overloaded_error" } } });
    const limited = await client.messages.create(ask("x [mock:status=429,retry_after=3]")).catch((e) => e);
    expect(limited).toBeInstanceOf(Anthropic.RateLimitError);
    expect(limited.headers.get("retry-after")).toBe("3");
    const badKey = new Anthropic({ baseURL: client.baseURL, apiKey: "bad-key", maxRetries: 0 });
    await expect(badKey.messages.create(ask("x"))).rejects.toBeInstanceOf(Anthropic.AuthenticationError);
  });

  it("an error event mid-stream makes the SDK throw", async () => {
    const stream = client.messages.stream(ask("a b c [mock:error_event=1]"));
    await expect(stream.finalMessage()).rejects.toThrow(/Overloaded/);
  });
});
