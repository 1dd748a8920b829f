import type { ChatCompletionRequest } from "@switchyard/schemas";
import { describe, expect, it } from "vitest";
import { anthropicAdapter } from "../src/anthropic/index.ts";
import { geminiAdapter } from "../src/gemini/index.ts";
import { openaiAdapter } from "../src/openai/index.ts";
import type { UpstreamTarget } from "../src/types.ts";
import { ask, built, runStream } from "./helpers.ts";

/** Prompt-cache breakpoints and the reasoning field, per wire format (issue 21). */
const target: UpstreamTarget = { baseUrl: "https://upstream.test/v1", apiKey: "k", upstreamModel: "m", maxOutput: 8192 };
const ephemeral = { type: "ephemeral" };
const signed = { type: "reasoning.text", text: "I should read it.", signature: "sig-1", format: "anthropic-claude-v1", index: 0 };

const conversation: ChatCompletionRequest = {
  model: "x/y",
  messages: [
    { role: "system", content: [{ type: "text", text: "rules", cache_control: ephemeral }] },
    { role: "user", content: [{ type: "text", text: "read a.txt", cache_control: ephemeral }] },
    { role: "assistant", content: null, tool_calls: [{ id: "t1", type: "function", function: { name: "read", arguments: "{}" } }], reasoning: "I should read it.", reasoning_details: [signed, { type: "reasoning.text", text: "unsigned" }] },
    { role: "tool", tool_call_id: "t1", content: [{ type: "text", text: "body", cache_control: ephemeral }] },
  ],
  tools: [{ type: "function", function: { name: "read", parameters: { type: "object" } }, cache_control: ephemeral }],
  reasoning: { max_tokens: 2048 },
  temperature: 0.5,
};

describe("Anthropic: cache breakpoints and thinking", () => {
  it("cache_control reaches the system, user, tool-result blocks and the tool; signed reasoning goes back as its thinking block first; reasoning is a thinking budget", async () => {
    const { body } = await built(anthropicAdapter, conversation, target);
    expect(body.system).toEqual([{ type: "text", text: "rules", cache_control: ephemeral }]);
    expect(body.messages[0].content).toEqual([{ type: "text", text: "read a.txt", cache_control: ephemeral }]);
    expect(body.messages[1].content).toEqual([
      { type: "thinking", thinking: "I should read it.", signature: "sig-1" },
      { type: "tool_use", id: "t1", name: "read", input: {} },
    ]);
    expect(body.messages[2].content).toEqual([{ type: "tool_result", tool_use_id: "t1", content: "body", cache_control: ephemeral }]);
    expect(body.tools[0].cache_control).toEqual(ephemeral);
    expect(body.thinking).toEqual({ type: "enabled", budget_tokens: 2048 });
    expect(body).not.toHaveProperty("temperature"); // Anthropic refuses temperature with thinking
  });

  it("a tool loop whose last assistant turn has no signed thinking block (answered elsewhere, or reasoning excluded) goes without thinking instead of a 400", async () => {
    const unsigned = conversation.messages.map((m) => (m.role === "assistant" ? { ...m, reasoning_details: [{ type: "reasoning.text" as const, text: "from another provider" }] } : m));
    const { body } = await built(anthropicAdapter, { ...conversation, messages: unsigned }, target);
    expect(body.messages[1].content).toEqual([{ type: "tool_use", id: "t1", name: "read", input: {} }]);
    expect(body).not.toHaveProperty("thinking");
    expect(body.temperature).toBe(0.5); // allowed again without thinking
    // a plain conversation (no tool turn to resume) keeps its thinking
    expect((await built(anthropicAdapter, ask("hi", { reasoning: { max_tokens: 2048 } }), target)).body.thinking).toEqual({ type: "enabled", budget_tokens: 2048 });
  });

  it("an effort becomes a share of max_tokens (at least 1024, under max_tokens); no room, no thinking", async () => {
    expect((await built(anthropicAdapter, ask("hi", { max_tokens: 10_000, reasoning: { effort: "high" } }), target)).body.thinking).toEqual({ type: "enabled", budget_tokens: 8000 });
    expect((await built(anthropicAdapter, ask("hi", { max_tokens: 500, reasoning: { effort: "high" } }), target)).body).not.toHaveProperty("thinking");
    expect((await built(anthropicAdapter, ask("hi", { reasoning: { effort: "none" } }), target)).body).not.toHaveProperty("thinking");
  });

  it("an answer's thinking comes back as reasoning and signed reasoning_details; streamed as reasoning deltas then the signature", () => {
    const parsed = anthropicAdapter.parseCompletion({
      content: [{ type: "thinking", thinking: "hmm", signature: "s1" }, { type: "redacted_thinking", data: "enc" }, { type: "text", text: "hi" }],
      stop_reason: "end_turn",
      usage: { input_tokens: 1, output_tokens: 2 },
    });
    expect(parsed.message).toMatchObject({ content: "hi", reasoning: "hmm" });
    expect(parsed.message.reasoning_details).toEqual([
      { type: "reasoning.text", text: "hmm", signature: "s1", format: "anthropic-claude-v1", index: 0 },
      { type: "reasoning.encrypted", data: "enc", format: "anthropic-claude-v1", index: 1 },
    ]);
    const sse = [
      ["message_start", { message: { usage: { input_tokens: 1 } } }],
      ["content_block_start", { index: 0, content_block: { type: "thinking", thinking: "" } }],
      ["content_block_delta", { index: 0, delta: { type: "thinking_delta", thinking: "hm" } }],
      ["content_block_delta", { index: 0, delta: { type: "signature_delta", signature: "s1" } }],
      ["message_stop", {}],
    ]
      .map(([t, d]) => `event: ${t}\ndata: ${JSON.stringify({ type: t, ...(d as object) })}\n\n`)
      .join("");
    const deltas = runStream(anthropicAdapter, sse).flatMap((e) => (e.type === "delta" ? [e.delta] : []));
    expect(deltas).toContainEqual({ reasoning: "hm", reasoning_details: [{ type: "reasoning.text", text: "hm", format: "anthropic-claude-v1", index: 0 }] });
    expect(deltas).toContainEqual({ reasoning_details: [{ type: "reasoning.text", signature: "s1", format: "anthropic-claude-v1", index: 0 }] });
  });
});

describe("OpenAI format: what it cannot carry is left out", () => {
  it("no cache_control, reasoning or reasoning_details upstream; reasoning as reasoning_effort", async () => {
    const { body } = await built(openaiAdapter, conversation, target);
    expect(JSON.stringify(body)).not.toContain("cache_control");
    expect(body.messages[2]).toEqual({ role: "assistant", content: null, tool_calls: conversation.messages[2]!.role === "assistant" ? conversation.messages[2]!.tool_calls : [] });
    expect(body).not.toHaveProperty("reasoning");
    expect(body.reasoning_effort).toBe("low");
    expect((await built(openaiAdapter, ask("hi", { reasoning: { effort: "high" } }), target)).body.reasoning_effort).toBe("high");
  });

  it("a request without them goes as it came (no copies)", async () => {
    const req = ask("hi");
    const { body } = await built(openaiAdapter, req, target);
    expect(body.messages).toEqual(req.messages);
    expect(body).not.toHaveProperty("reasoning_effort");
  });
});

describe("Gemini: thinkingConfig and thought summaries", () => {
  it("reasoning → thinkingConfig with thought summaries unless excluded; effort none → budget 0", async () => {
    expect((await built(geminiAdapter, ask("hi", { max_tokens: 10_000, reasoning: { effort: "medium" } }), target)).body.generationConfig.thinkingConfig).toEqual({ thinkingBudget: 5000, includeThoughts: true });
    expect((await built(geminiAdapter, ask("hi", { reasoning: { max_tokens: 3000, exclude: true } }), target)).body.generationConfig.thinkingConfig).toEqual({ thinkingBudget: 3000, includeThoughts: false });
    expect((await built(geminiAdapter, ask("hi", { reasoning: { effort: "none" } }), target)).body.generationConfig.thinkingConfig).toEqual({ thinkingBudget: 0 });
  });

  it("thought parts come back as reasoning, apart from the answer", () => {
    const parsed = geminiAdapter.parseCompletion({ candidates: [{ content: { parts: [{ text: "thinking…", thought: true }, { text: "answer" }] }, finishReason: "STOP" }] });
    expect(parsed.message).toMatchObject({ content: "answer", reasoning: "thinking…" });
  });
});
