import { startMockUpstream } from "@switchyard/mock-upstream/node";
import OpenAI from "openai";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type RunningGateway, startGateway } from "./gateway-process.ts";
import { readChatStream } from "./setup/read-chat-stream.ts";

/**
 * The whole path through each native adapter: the unmodified `openai` client →
 * wrangler dev → the Anthropic or Gemini adapter → the mock provider as a real HTTP
 * server speaking that provider's wire format → back. Also the legacy completions
 * and the embeddings endpoints.
 */
let gateway: RunningGateway;
let upstream: Awaited<ReturnType<typeof startMockUpstream>>;
let client: OpenAI;

beforeAll(async () => {
  upstream = await startMockUpstream();
  const urls = { mock: upstream.url, "mock-eu": upstream.url, "mock-anthropic": upstream.url, "mock-gemini": upstream.url };
  gateway = await startGateway({ PROVIDER_BASE_URLS: JSON.stringify(urls) });
  client = new OpenAI({ baseURL: `${gateway.url}/api/v1`, apiKey: gateway.apiKey, maxRetries: 0 });
});

afterAll(async () => {
  await gateway?.stop();
  await upstream?.close();
});

const lastUpstream = () => upstream.requests.at(-1)!;
const tools: OpenAI.ChatCompletionTool[] = [
  { type: "function", function: { name: "lookup_order", parameters: { type: "object", properties: { order_id: { type: "string" } }, required: ["order_id"] } } },
];

describe.each([
  ["Anthropic", "mock/claude-echo", "/v1/messages"],
  ["Gemini", "mock/gemini-echo", "/v1/models/gemini-echo:generateContent"],
])("the openai client through the %s adapter", (_name, model, path) => {
  it("non-streaming: the answer, usage and cost come back in OpenAI's shape", async () => {
    const completion = await client.chat.completions.create({
      model,
      messages: [
        { role: "system", content: "be brief" },
        { role: "user", content: "hi" },
      ],
    });
    expect(completion.choices[0]!.message.content).toBe("Echo: hi");
    expect(completion.choices[0]!.finish_reason).toBe("stop");
    expect((completion.usage as any).cost).toBeGreaterThan(0);
    expect(lastUpstream().path).toBe(path);
  });

  it("streaming", async () => {
    const stream = await client.chat.completions.create({ model, messages: [{ role: "user", content: "stream this answer" }], stream: true });
    const { text, usage } = await readChatStream(stream);
    expect(text).toBe("Echo: stream this answer");
    expect(usage.cost).toBeGreaterThan(0);
  });

  it("a tool call round trip", async () => {
    const messages: OpenAI.ChatCompletionMessageParam[] = [{ role: "user", content: "where is my order?" }];
    const first = await client.chat.completions.create({ model, messages, tools });
    expect(first.choices[0]!.finish_reason).toBe("tool_calls");
    const call = first.choices[0]!.message.tool_calls![0]! as OpenAI.ChatCompletionMessageFunctionToolCall;
    expect(call.function.name).toBe("lookup_order");
    messages.push(first.choices[0]!.message, { role: "tool", tool_call_id: call.id, content: "shipped yesterday" });
    const second = await client.chat.completions.create({ model, messages, tools });
    expect(second.choices[0]!.message.content).toBe("Tool result: shipped yesterday");
  });

  it("a streamed tool call assembles into valid arguments", async () => {
    const stream = await client.chat.completions.create({ model, messages: [{ role: "user", content: "order?" }], tools, stream: true });
    let args = "";
    let name = "";
    for await (const chunk of stream) {
      const tc = chunk.choices[0]?.delta?.tool_calls?.[0];
      name ||= tc?.function?.name ?? "";
      args += tc?.function?.arguments ?? "";
    }
    expect(name).toBe("lookup_order");
    expect(JSON.parse(args)).toEqual({ order_id: "mock" });
  });

  it("errors arrive as the client's typed errors, a stream cut as a thrown error", async () => {
    await expect(client.chat.completions.create({ model, messages: [{ role: "user", content: "x [mock:status=429,retry_after=2]" }] })).rejects.toMatchObject({
      status: 429,
    });
    await expect(client.chat.completions.create({ model, messages: [{ role: "user", content: "x [mock:status=500]" }] })).rejects.toMatchObject({ status: 502 });
    const cut = await client.chat.completions.create({ model, messages: [{ role: "user", content: "a b c d [mock:cut=1]" }], stream: true });
    await expect(
      (async () => {
        for await (const _ of cut);
      })(),
    ).rejects.toThrow();
  });
});

describe("native wire formats on the wire", () => {
  it("Anthropic: anthropic-version, system lifted, max_tokens from the catalog, image as a block", async () => {
    await client.chat.completions.create({
      model: "mock/claude-echo",
      messages: [
        { role: "system", content: "be brief" },
        { role: "user", content: [{ type: "text", text: "what is this?" }, { type: "image_url", image_url: { url: "data:image/png;base64,iVBORw0KGgo=" } }] },
      ],
    });
    const seen = lastUpstream();
    expect(seen.headers["anthropic-version"]).toBe("2023-06-01");
    expect(seen.body).toMatchObject({
      model: "claude-echo",
      max_tokens: 16_384,
      system: [{ type: "text", text: "be brief" }],
      messages: [
        {
          role: "user",
          content: [
            { type: "text", text: "what is this?" },
            { type: "image", source: { type: "base64", media_type: "image/png", data: "iVBORw0KGgo=" } },
          ],
        },
      ],
    });
  });

  it("Gemini: systemInstruction, contents with inlineData, streamGenerateContent?alt=sse for streams", async () => {
    await client.chat.completions.create({
      model: "mock/gemini-echo",
      messages: [
        { role: "system", content: "be brief" },
        { role: "user", content: [{ type: "text", text: "what is this?" }, { type: "image_url", image_url: { url: "data:image/jpeg;base64,/9j/4AAQ" } }] },
      ],
      temperature: 0.3,
    });
    expect(lastUpstream().body).toEqual({
      contents: [{ role: "user", parts: [{ text: "what is this?" }, { inlineData: { mimeType: "image/jpeg", data: "/9j/4AAQ" } }] }],
      systemInstruction: { parts: [{ text: "be brief" }] },
      generationConfig: { temperature: 0.3 },
    });
    const stream = await client.chat.completions.create({ model: "mock/gemini-echo", messages: [{ role: "user", content: "x" }], stream: true });
    for await (const _ of stream);
    expect(lastUpstream().path).toBe("/v1/models/gemini-echo:streamGenerateContent?alt=sse");
  });
});

describe("legacy completions and embeddings through the openai client", () => {
  it("completions, plain and streamed", async () => {
    const completion = await client.completions.create({ model: "mock/claude-echo", prompt: "Say this is a test" });
    expect(completion.object).toBe("text_completion");
    expect(completion.choices[0]!.text).toBe("Echo: Say this is a test");
    expect((completion.usage as any).cost).toBeGreaterThan(0);
    const stream = await client.completions.create({ model: "mock/gemini-echo", prompt: "stream it", stream: true });
    let text = "";
    for await (const chunk of stream) text += chunk.choices[0]?.text ?? "";
    expect(text).toBe("Echo: stream it");
  });

  it("embeddings: the SDK's default base64 decodes to the same vectors as floats", async () => {
    const viaBase64 = await client.embeddings.create({ model: "mock/embed", input: ["hello", "world"] });
    expect(lastUpstream().body).toMatchObject({ model: "embed", encoding_format: "base64" });
    const viaFloats = await client.embeddings.create({ model: "mock/embed", input: ["hello", "world"], encoding_format: "float" });
    expect(viaBase64.data.map((d) => d.embedding)).toEqual(viaFloats.data.map((d) => d.embedding));
    expect(viaFloats.data[0]!.embedding).toHaveLength(16);
    expect(viaFloats.usage.prompt_tokens).toBe(4);
    expect((viaFloats.usage as any).cost).toBeGreaterThan(0);
  });
});
