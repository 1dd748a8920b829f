import Anthropic from "@anthropic-ai/sdk";
import { startMockUpstream } from "@switchyard/mock-upstream/node";
import OpenAI from "openai";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type RunningGateway, startGateway } from "./gateway-process.ts";

/**
 * Coding agents' APIs through wrangler dev with the unmodified official clients:
 * `@anthropic-ai/sdk` on /messages (an Anthropic-format and an OpenAI-format model,
 * tools and thinking), `openai` on /responses (function tools), and a replayed agent
 * session with prompt caching, thinking signatures and exact cost in the ledger.
 */
let gateway: RunningGateway;
let upstream: Awaited<ReturnType<typeof startMockUpstream>>;
let anthropic: Anthropic;
let openai: OpenAI;

beforeAll(async () => {
  upstream = await startMockUpstream();
  const urls = { mock: upstream.url, "mock-eu": upstream.url, "mock-anthropic": upstream.url, "mock-gemini": upstream.url };
  gateway = await startGateway({ PROVIDER_BASE_URLS: JSON.stringify(urls) });
  // Claude Code's setup: ANTHROPIC_BASE_URL=<gateway>/api, the key as ANTHROPIC_AUTH_TOKEN (a bearer token) or ANTHROPIC_API_KEY.
  anthropic = new Anthropic({ baseURL: `${gateway.url}/api`, apiKey: gateway.apiKey, maxRetries: 0 });
  openai = new OpenAI({ baseURL: `${gateway.url}/api/v1`, apiKey: gateway.apiKey, maxRetries: 0 });
});

afterAll(async () => {
  await gateway?.stop();
  await upstream?.close();
});

const tools: Anthropic.Tool[] = [{ name: "read_file", description: "Read a file", input_schema: { type: "object", properties: { path: { type: "string" } }, required: ["path"] } }];
const thinking = { type: "enabled" as const, budget_tokens: 2048 };

describe.each([
  ["an Anthropic-format model", "mock/claude-echo", true],
  ["an OpenAI-format model", "mock/echo", false],
])("@anthropic-ai/sdk on %s", (_name, model, signs) => {
  it("messages.create with tools and thinking: a tool_use, then the answer to its result", async () => {
    const first = await anthropic.messages.create({ model, max_tokens: 4096, thinking, tools, messages: [{ role: "user", content: "read a.txt" }] });
    expect(first.stop_reason).toBe("tool_use");
    const use = first.content.find((b): b is Anthropic.ToolUseBlock => b.type === "tool_use")!;
    expect(use).toMatchObject({ name: "read_file", input: { path: "mock" } });
    expect(first.content[0]!.type).toBe(signs ? "thinking" : "tool_use");
    const second = await anthropic.messages.create({
      model,
      max_tokens: 4096,
      thinking,
      tools,
      messages: [
        { role: "user", content: "read a.txt" },
        { role: "assistant", content: first.content },
        { role: "user", content: [{ type: "tool_result", tool_use_id: use.id, content: "hello from a.txt" }] },
      ],
    });
    expect(second.content.at(-1)).toEqual({ type: "text", text: "Tool result: hello from a.txt" });
    expect(second.stop_reason).toBe("end_turn");
    expect(second.usage.output_tokens).toBeGreaterThan(0);
  });

  it("messages.stream with tools and thinking: the SDK assembles the tool call (and the signed thinking block)", async () => {
    const stream = anthropic.messages.stream({ model, max_tokens: 4096, thinking, tools, messages: [{ role: "user", content: "read b.txt" }] });
    const final = await stream.finalMessage();
    expect(final.content.map((b) => b.type)).toEqual(signs ? ["thinking", "tool_use"] : ["tool_use"]);
    expect(final.content.at(-1)).toMatchObject({ type: "tool_use", name: "read_file", input: { path: "mock" } });
    if (signs) expect((final.content[0] as Anthropic.ThinkingBlock).signature).toMatch(/^sig_mock_/);
    expect(final.usage.input_tokens).toBeGreaterThan(0);
    const text = await anthropic.messages.stream({ model, max_tokens: 4096, messages: [{ role: "user", content: "stream this" }] }).finalText();
    expect(text).toBe("Echo: stream this");
  });
});

describe("Anthropic clients: auth and errors", () => {
  it("a bearer token (ANTHROPIC_AUTH_TOKEN) works; a bad key is an AuthenticationError; bad input a BadRequestError naming the field", async () => {
    const bearer = new Anthropic({ baseURL: `${gateway.url}/api`, authToken: gateway.apiKey, apiKey: null, maxRetries: 0 });
    const ok = await bearer.messages.create({ model: "mock/echo", max_tokens: 100, messages: [{ role: "user", content: "hi" }] });
    expect(ok.content).toEqual([{ type: "text", text: "Echo: hi" }]);
    const bad = new Anthropic({ baseURL: `${gateway.url}/api`, apiKey: "sk-sy-v1-not-a-real-key-000000000000", maxRetries: 0 });
    await expect(bad.messages.create({ model: "mock/echo", max_tokens: 100, messages: [{ role: "user", content: "hi" }] })).rejects.toBeInstanceOf(Anthropic.AuthenticationError);
    const error = await anthropic.messages.create({ model: "mock/echo", max_tokens: -1, messages: [{ role: "user", content: "hi" }] }).catch((e) => e);
    expect(error).toBeInstanceOf(Anthropic.BadRequestError);
    expect(error.message).toContain("max_tokens");
  });
});

describe("openai on /responses", () => {
  const fnTools: OpenAI.Responses.FunctionTool[] = [
    { type: "function", name: "read_file", description: "Read a file", strict: false, parameters: { type: "object", properties: { path: { type: "string" } }, required: ["path"] } },
  ];

  it("responses.create with function tools: a function_call, then the answer to its output", async () => {
    const first = await openai.responses.create({ model: "mock/echo", input: "read a.txt", tools: fnTools, store: false });
    const call = first.output.find((i): i is OpenAI.Responses.ResponseFunctionToolCall => i.type === "function_call")!;
    expect(call.name).toBe("read_file");
    expect(JSON.parse(call.arguments)).toEqual({ path: "mock" });
    const second = await openai.responses.create({
      model: "mock/echo",
      tools: fnTools,
      input: [{ role: "user", content: "read a.txt" }, call, { type: "function_call_output", call_id: call.call_id, output: "body of a" }],
    });
    expect(second.output_text).toBe("Tool result: body of a");
    expect(second.usage?.input_tokens).toBeGreaterThan(0);
  });

  it("responses.stream with function tools: the SDK's events and final response", async () => {
    const stream = openai.responses.stream({ model: "mock/claude-echo", input: "read c.txt", tools: fnTools });
    let args = "";
    stream.on("response.function_call_arguments.delta", (e) => (args += e.delta));
    const final = await stream.finalResponse();
    expect(JSON.parse(args)).toEqual({ path: "mock" });
    expect(final.status).toBe("completed");
    expect(final.output.at(-1)).toMatchObject({ type: "function_call", name: "read_file" });
    const text = await openai.responses.stream({ model: "mock/echo", input: "stream it" }).finalResponse();
    expect(text.output_text).toBe("Echo: stream it");
  });

  it("previous_response_id is a clear BadRequestError", async () => {
    const error = await openai.responses.create({ model: "mock/echo", input: "hi", previous_response_id: "resp_x" }).catch((e) => e);
    expect(error).toBeInstanceOf(OpenAI.BadRequestError);
    expect(error.message).toContain("whole conversation");
  });
});

describe("a replayed agent session: ten tool turns with cache_control on the system prompt, thinking on", () => {
  it("reads the cache from turn two, keeps one endpoint, keeps the signature chain valid, and the ledger holds the exact cost", async () => {
    const system: Anthropic.TextBlockParam[] = [{ type: "text", text: "You are a coding agent. Read files before you answer. ".repeat(30), cache_control: { type: "ephemeral" } }];
    const messages: Anthropic.MessageParam[] = [];
    const ids: string[] = [];
    const providers = new Set<string | null>();
    let expectedNanos = 0;
    // mock/claude-echo prices, nano-dollars per token: prompt 1000, cache read 100, cache write 1250, completion 2000
    const price = (u: Anthropic.Usage) => u.input_tokens * 1000 + (u.cache_read_input_tokens ?? 0) * 100 + (u.cache_creation_input_tokens ?? 0) * 1250 + u.output_tokens * 2000;
    const turn = async () => {
      // Claude Code's pattern: a breakpoint on the system prompt and on the newest message
      const last = messages.at(-1)!;
      const marked = messages.map((m) => (m === last && Array.isArray(m.content) ? { ...m, content: m.content.map((b, i, all) => (i === all.length - 1 ? { ...b, cache_control: { type: "ephemeral" as const } } : b)) } : m)) as Anthropic.MessageParam[];
      const { data, response } = await anthropic.messages.create({ model: "mock/claude-echo", max_tokens: 4096, thinking, tools, system, messages: marked }).withResponse();
      providers.add(response.headers.get("x-switchyard-provider"));
      ids.push(data.id);
      expectedNanos += price(data.usage);
      messages.push({ role: "assistant", content: data.content });
      return data;
    };

    const keyUsage = async () =>
      ((await (await fetch(`${gateway.url}/api/v1/key`, { headers: { authorization: `Bearer ${gateway.apiKey}` } })).json()) as { data: { usage: number } }).data.usage;
    const usageBefore = await keyUsage();
    const reads: number[] = [];
    for (let k = 0; k < 10; k++) {
      messages.push({ role: "user", content: [{ type: "text", text: `step ${k}: read file ${k}` }] });
      const call = await turn();
      reads.push(call.usage.cache_read_input_tokens ?? 0);
      expect(call.content[0]!.type).toBe("thinking");
      const use = call.content.find((b): b is Anthropic.ToolUseBlock => b.type === "tool_use")!;
      messages.push({ role: "user", content: [{ type: "tool_result", tool_use_id: use.id, content: `contents of file ${k}` }] });
      const answer = await turn(); // accepted only with the signed thinking block sent back as it came
      reads.push(answer.usage.cache_read_input_tokens ?? 0);
      expect(answer.content.at(-1)).toEqual({ type: "text", text: `Tool result: contents of file ${k}` });
    }
    expect(reads[0]).toBe(0);
    for (let k = 1; k < reads.length; k++) expect(reads[k]).toBeGreaterThan(reads[k - 1]!); // every turn reads the whole earlier prefix
    expect(providers).toEqual(new Set(["mock-anthropic"]));

    // a tampered signature is refused, as Anthropic refuses it
    const tampered = messages
      .slice(0, 3)
      .map((m, i) => (i === 1 ? { ...m, content: (m.content as Anthropic.ContentBlockParam[]).map((b) => (b.type === "thinking" ? { ...b, thinking: "edited" } : b)) } : m)) as Anthropic.MessageParam[];
    await expect(anthropic.messages.create({ model: "mock/claude-echo", max_tokens: 4096, thinking, tools, system, messages: tampered })).rejects.toBeInstanceOf(Anthropic.BadRequestError);

    // every turn's record holds its exact cost, and the key's usage (the ledger's roll-ups) moved by exactly their sum
    let recorded = 0;
    for (const id of ids) {
      let res = await fetch(`${gateway.url}/api/v1/generation?id=${id}`, { headers: { authorization: `Bearer ${gateway.apiKey}` } });
      // (a settlement still on its way in waitUntil: asked again until recorded)
      for (let waited = 0; res.status === 404 && waited < 20_000; waited += 100) {
        await new Promise((ok) => setTimeout(ok, 100));
        res = await fetch(`${gateway.url}/api/v1/generation?id=${id}`, { headers: { authorization: `Bearer ${gateway.apiKey}` } });
      }
      recorded += Math.round(((await res.json()) as { data: { total_cost: number } }).data.total_cost * 1e9);
    }
    expect(recorded).toBe(expectedNanos);
    expect(Math.round(((await keyUsage()) - usageBefore) * 1e9)).toBe(expectedNanos);
  }, 120_000);
});
