import { describe, expect, it } from "vitest";
import { GeneratedUsage } from "../src/inference/generated-usage.ts";
import { countedPromptTokens, deltaBytes, tokensOfBytes, utf8Bytes } from "../src/inference/relayed-tokens.ts";

/** The counting method a hung-up stream is billed by when the provider reported nothing (README, Money). */
describe("the gateway's own token count: UTF-8 bytes / 4, rounded up", () => {
  it("counts UTF-8 bytes exactly, for every script and for emoji (surrogate pairs) and lone surrogates", () => {
    for (const text of ["", "hello world", "café", "日本語のテキスト", "emoji 🎉 and 👩‍👩‍👧", "lone \ud800 surrogate", "\udc00 low"]) {
      expect(utf8Bytes(text)).toBe(new TextEncoder().encode(text).byteLength);
    }
  });

  it("a delta's generated text: content, reasoning, refusal, tool-call names and arguments; a role chunk is nothing", () => {
    expect(deltaBytes({ role: "assistant", content: "" })).toBe(0);
    expect(deltaBytes({ content: "abcd", reasoning: "ef" })).toBe(6);
    expect(deltaBytes({ refusal: "no" })).toBe(2);
    expect(deltaBytes({ tool_calls: [{ index: 0, id: "call_1", type: "function", function: { name: "get", arguments: '{"a":1}' } }] })).toBe(10);
    expect([0, 1, 4, 5, 8].map(tokensOfBytes)).toEqual([0, 1, 1, 2, 2]);
  });

  it("the prompt: its messages, tools and response format as JSON", () => {
    const messages = [{ role: "user" as const, content: "hello" }];
    expect(countedPromptTokens({ messages })).toBe(Math.ceil(JSON.stringify(messages).length / 4));
  });
});

describe("what a stream generated before the client left", () => {
  const prompt = () => 7;

  it("nothing relayed: nothing to bill, whatever the provider reported", () => {
    const g = new GeneratedUsage();
    g.report({ promptTokens: 50, completionTokens: 1 });
    g.add({ content: "not yet written" });
    expect(g.usage(prompt)).toBeNull();
  });

  it("no report: the counted prompt and the relayed text; text not yet written is not counted", () => {
    const g = new GeneratedUsage();
    g.add({ content: "12345678" });
    g.relayed();
    g.add({ content: "never reached the client" });
    expect(g.usage(prompt)).toEqual({ promptTokens: 7, completionTokens: 2 });
  });

  it("a report (Anthropic's message_start): its prompt, its completion plus the text relayed after it", () => {
    const g = new GeneratedUsage();
    g.report({ promptTokens: 50, completionTokens: 1, cachedTokens: 20 });
    g.add({ content: "12345678" });
    g.relayed();
    expect(g.usage(prompt)).toEqual({ promptTokens: 50, completionTokens: 3, cachedTokens: 20 });
  });

  it("a cumulative report after the text it covers (Gemini) is the whole count; a report without prompt tokens takes the counted prompt", () => {
    const g = new GeneratedUsage();
    g.add({ content: "one two three" });
    g.report({ promptTokens: 0, completionTokens: 3 });
    g.relayed();
    expect(g.usage(prompt)).toEqual({ promptTokens: 7, completionTokens: 3 });
  });
});
