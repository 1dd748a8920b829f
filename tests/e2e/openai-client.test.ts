import { startMockUpstream } from "@switchyard/mock-upstream/node";
import OpenAI from "openai";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type RunningGateway, startGateway } from "./gateway-process.ts";
import { readChatStream } from "./setup/read-chat-stream.ts";

/**
 * The whole path: the unmodified `openai` npm client → wrangler dev (workerd,
 * local D1) → the mock provider as a real HTTP server on loopback.
 */
const HOSTED_KEY = "sk-hosted-secret-e2e-0123456789abcdef";
let gateway: RunningGateway;
let upstream: Awaited<ReturnType<typeof startMockUpstream>>;
let client: OpenAI;

beforeAll(async () => {
  upstream = await startMockUpstream();
  gateway = await startGateway({
    // openai's base URL points at the mock too, so a hosted key travels a real path
    PROVIDER_BASE_URLS: JSON.stringify({ mock: upstream.url, "mock-eu": upstream.url, openai: upstream.url }),
    OPENAI_API_KEY: HOSTED_KEY,
  });
  client = new OpenAI({ baseURL: `${gateway.url}/api/v1`, apiKey: gateway.apiKey, maxRetries: 0 });
});

afterAll(async () => {
  await gateway?.stop();
  await upstream?.close();
});

describe("the openai client through the gateway", () => {
  it("non-streaming", async () => {
    const completion = await client.chat.completions.create({ model: "mock/echo", messages: [{ role: "user", content: "hi" }] });
    expect(completion.choices[0]!.message.content).toBe("Echo: hi");
    expect(completion.usage!.total_tokens).toBeGreaterThan(0);
    expect((completion.usage as any).cost).toBeGreaterThan(0);
    // the request reached the mock server over HTTP, with the gateway's own fields stripped
    const seen = upstream.requests.at(-1)!.body as any;
    expect(seen.model).toBe("echo");
    expect(seen).not.toHaveProperty("provider");
  });

  it("streaming", async () => {
    const stream = await client.chat.completions.create({
      model: "mock/echo",
      messages: [{ role: "user", content: "stream this answer" }],
      stream: true,
    });
    const { text, usage } = await readChatStream(stream);
    expect(text).toBe("Echo: stream this answer");
    expect(usage.cost).toBeGreaterThan(0);
  });

  it("a streamed answer read to its end hands its provider connection to the next request", async () => {
    // the provider's last bytes come 50 ms after [DONE], as they may over a real network
    const content = "again [mock:end_delay=50]";
    const stream = async () => (await readChatStream(await client.chat.completions.create({ model: "mock/echo", messages: [{ role: "user", content }], stream: true }))).text;
    expect(await stream()).toBe("Echo: again");
    const before = upstream.connections;
    for (let i = 0; i < 5; i++) {
      await new Promise((ok) => setTimeout(ok, 100)); // the previous body has ended by now
      expect(await stream()).toBe("Echo: again");
    }
    // a body cut after [DONE] would close its connection: one new connection per stream
    expect(upstream.connections - before).toBeLessThanOrEqual(1);
  });

  it("a tool call round trip", async () => {
    const tools: OpenAI.ChatCompletionTool[] = [
      { type: "function", function: { name: "lookup_order", parameters: { type: "object", properties: { order_id: { type: "string" } }, required: ["order_id"] } } },
    ];
    const messages: OpenAI.ChatCompletionMessageParam[] = [{ role: "user", content: "where is my order?" }];
    const first = await client.chat.completions.create({ model: "mock/echo", messages, tools });
    const call = first.choices[0]!.message.tool_calls![0]! as OpenAI.ChatCompletionMessageFunctionToolCall;
    expect(first.choices[0]!.finish_reason).toBe("tool_calls");
    expect(call.function.name).toBe("lookup_order");
    messages.push(first.choices[0]!.message, { role: "tool", tool_call_id: call.id, content: "shipped yesterday" });
    const second = await client.chat.completions.create({ model: "mock/echo", messages, tools });
    expect(second.choices[0]!.message.content).toContain("shipped yesterday");
  });

  it("response_format json_schema", async () => {
    const completion = await client.chat.completions.create({
      model: "mock/echo",
      messages: [{ role: "user", content: "a city" }],
      response_format: {
        type: "json_schema",
        json_schema: { name: "city", schema: { type: "object", properties: { name: { type: "string" }, population: { type: "number" } }, required: ["name"] } },
      },
    });
    const parsed = JSON.parse(completion.choices[0]!.message.content!);
    expect(typeof parsed.name).toBe("string");
  });

  it("surfaces gateway errors as the client's typed errors", async () => {
    await expect(client.chat.completions.create({ model: "nobody/nothing", messages: [{ role: "user", content: "x" }] })).rejects.toMatchObject({ status: 404 });
    const badKey = new OpenAI({ baseURL: `${gateway.url}/api/v1`, apiKey: "sk-sy-v1-not-a-real-key-000000", maxRetries: 0 });
    await expect(badKey.chat.completions.create({ model: "mock/echo", messages: [{ role: "user", content: "x" }] })).rejects.toMatchObject({ status: 401 });
  });
});

describe("secrets", () => {
  it("sends the hosted provider key upstream, and never shows it or the caller's key in responses or logs", async () => {
    const completion = await client.chat.completions.create({ model: "openai/gpt-4o-mini", messages: [{ role: "user", content: "hi" }] });
    expect(completion.choices[0]!.message.content).toBe("Echo: hi");
    const seen = upstream.requests.at(-1)!;
    expect(seen.headers.authorization).toBe(`Bearer ${HOSTED_KEY}`);
    expect(JSON.stringify(completion)).not.toContain(HOSTED_KEY);

    // an upstream failure that echoes nothing secret back either
    await expect(
      client.chat.completions.create({ model: "openai/gpt-4o-mini", messages: [{ role: "user", content: "fail [mock:status=500]" }] }),
    ).rejects.toSatisfy((e: any) => !JSON.stringify(e.error ?? {}).includes(HOSTED_KEY));

    const logs = gateway.output();
    expect(logs).not.toContain(HOSTED_KEY);
    expect(logs).not.toContain(gateway.apiKey);
  });
});
