/** What coding agents lean on: prompt caching of a repeated prefix and signed thinking (Anthropic format), and OpenAI's prompt_cache_key. */
import { beforeEach, describe, expect, it } from "vitest";
import { handleMockUpstream } from "../src/index.ts";
import { clearPromptCache } from "../src/prompt-cache.ts";
import { thinkingSignature } from "../src/thinking.ts";
import { call as callOpenAI, chatBody, json } from "./helpers.ts";

const HEADERS = { "content-type": "application/json", "anthropic-version": "2023-06-01", "x-api-key": "sk-ant-mock" };
const messages = (body: unknown) =>
  handleMockUpstream(new Request("http://mock.local/v1/messages", { method: "POST", headers: HEADERS, body: JSON.stringify(body) }));

const system = [{ type: "text", text: "You are a careful coding agent. Follow the rules.", cache_control: { type: "ephemeral" } }];
const tools = [{ name: "read_file", input_schema: { type: "object", properties: { path: { type: "string" } } } }];

beforeEach(() => clearPromptCache());

describe("the mock's prompt cache (Anthropic format)", () => {
  it("writes the marked prefix on the first request and reads it on the next that shares it", async () => {
    const first = await json(await messages({ model: "claude-echo", max_tokens: 100, system, messages: [{ role: "user", content: "one" }] }));
    expect(first.usage.cache_read_input_tokens).toBe(0);
    expect(first.usage.cache_creation_input_tokens).toBeGreaterThan(0);
    const written = first.usage.cache_creation_input_tokens;
    const second = await json(await messages({ model: "claude-echo", max_tokens: 100, system, messages: [{ role: "user", content: "two, different" }] }));
    expect(second.usage.cache_read_input_tokens).toBe(written);
    expect(second.usage.cache_creation_input_tokens).toBe(0);
  });

  it("without cache_control nothing is cached", async () => {
    const body = { model: "claude-echo", max_tokens: 100, system: "plain", messages: [{ role: "user", content: "x" }] };
    await messages(body);
    const again = await json(await messages(body));
    expect(again.usage).toMatchObject({ cache_read_input_tokens: 0, cache_creation_input_tokens: 0 });
  });

  it("a marker moved to the newest message reads the earlier prefix and writes only the new part", async () => {
    const turn1 = [{ role: "user", content: [{ type: "text", text: "first question", cache_control: { type: "ephemeral" } }] }];
    const a = await json(await messages({ model: "claude-echo", max_tokens: 100, system, messages: turn1 }));
    const turn2 = [
      { role: "user", content: [{ type: "text", text: "first question" }] },
      { role: "assistant", content: "Echo: first question" },
      { role: "user", content: [{ type: "text", text: "second question", cache_control: { type: "ephemeral" } }] },
    ];
    const b = await json(await messages({ model: "claude-echo", max_tokens: 100, system, messages: turn2 }));
    expect(b.usage.cache_read_input_tokens).toBe(a.usage.cache_creation_input_tokens);
    expect(b.usage.input_tokens).toBe(0);
    expect(b.usage.cache_creation_input_tokens).toBeGreaterThan(0);
  });
});

describe("the mock's extended thinking (Anthropic format)", () => {
  const thinking = { type: "enabled", budget_tokens: 1024 };

  it("answers a signed thinking block first, streamed as thinking_delta then signature_delta", async () => {
    const body = await json(await messages({ model: "claude-echo", max_tokens: 2048, thinking, messages: [{ role: "user", content: "hi" }] }));
    expect(body.content[0]).toEqual({ type: "thinking", thinking: body.content[0].thinking, signature: thinkingSignature(body.content[0].thinking) });
    expect(body.content[1]).toEqual({ type: "text", text: "Echo: hi" });
    const text = await (await messages({ model: "claude-echo", max_tokens: 2048, thinking, stream: true, messages: [{ role: "user", content: "hi" }] })).text();
    const types = [...text.matchAll(/"type":"(thinking_delta|signature_delta|text_delta)"/g)].map((m) => m[1]);
    expect(types.indexOf("signature_delta")).toBeGreaterThan(types.lastIndexOf("thinking_delta"));
    expect(types.indexOf("text_delta")).toBeGreaterThan(types.indexOf("signature_delta"));
  });

  it("a tool loop continues only with the signed block sent back unchanged", async () => {
    const first = await json(await messages({ model: "claude-echo", max_tokens: 2048, thinking, tools, messages: [{ role: "user", content: "read a.txt" }] }));
    const [block, toolUse] = first.content;
    const next = (assistant: unknown[]) =>
      messages({
        model: "claude-echo",
        max_tokens: 2048,
        thinking,
        tools,
        messages: [
          { role: "user", content: "read a.txt" },
          { role: "assistant", content: assistant },
          { role: "user", content: [{ type: "tool_result", tool_use_id: toolUse.id, content: "contents" }] },
        ],
      });
    expect((await next([block, toolUse])).status).toBe(200);
    const edited = await next([{ ...block, thinking: `${block.thinking} (edited)` }, toolUse]);
    expect(edited.status).toBe(400);
    expect((await json(edited)).error.message).toContain("Invalid `signature`");
    const dropped = await next([toolUse]);
    expect(dropped.status).toBe(400);
    expect((await json(dropped)).error.message).toContain("must start with a thinking block");
  });
});

describe("the mock's prompt cache (OpenAI format)", () => {
  it("a repeated prefix under one prompt_cache_key is reported as cached_tokens; without a key, never", async () => {
    const first = await json(await callOpenAI(chatBody("a long shared prompt", { prompt_cache_key: "k1" })));
    expect(first.usage.prompt_tokens_details.cached_tokens).toBe(0);
    const body = chatBody("a long shared prompt", { prompt_cache_key: "k1" });
    (body.messages as unknown[]).push({ role: "assistant", content: "ok" }, { role: "user", content: "more" });
    const second = await json(await callOpenAI(body));
    expect(second.usage.prompt_tokens_details.cached_tokens).toBe(first.usage.prompt_tokens);
    const keyless = await json(await callOpenAI(chatBody("a long shared prompt")));
    await callOpenAI(chatBody("a long shared prompt"));
    expect(keyless.usage.prompt_tokens_details.cached_tokens).toBe(0);
  });
});
