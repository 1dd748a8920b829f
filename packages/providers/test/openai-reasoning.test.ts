import { describe, expect, it } from "vitest";
import { openaiAdapter } from "../src/index.ts";
import { runStream } from "./helpers.ts";

const sse = (delta: Record<string, unknown>) => `data: ${JSON.stringify({ id: "x", object: "chat.completion.chunk", choices: [{ index: 0, delta, finish_reason: null }] })}\n\n`;

describe("OpenAI-format reasoning: surfaced as OpenRouter's `reasoning`", () => {
  it("a stream's reasoning_content (DeepSeek) and reasoning (OpenRouter-compatible) deltas become delta.reasoning", () => {
    const body = [
      sse({ role: "assistant", content: null, reasoning_content: "" }),
      sse({ content: null, reasoning_content: "First, " }),
      sse({ reasoning: "then. " }),
      sse({ content: "Answer", reasoning_content: null }),
      "data: [DONE]\n\n",
    ].join("");
    const deltas = runStream(openaiAdapter, body).flatMap((e) => (e.type === "delta" ? [e.delta] : []));
    expect(deltas.map((d) => d.reasoning ?? null)).toEqual([null, "First, ", "then. ", null]);
    expect(deltas.map((d) => d.content ?? null)).toEqual([null, null, null, "Answer"]);
  });

  it("a completion's message.reasoning_content becomes message.reasoning; none stays absent", () => {
    const withReasoning = openaiAdapter.parseCompletion({
      choices: [{ index: 0, message: { role: "assistant", content: "42", reasoning_content: "Six times seven." }, finish_reason: "stop" }],
    });
    expect(withReasoning.message).toEqual({ role: "assistant", content: "42", reasoning: "Six times seven." });
    const without = openaiAdapter.parseCompletion({ choices: [{ index: 0, message: { role: "assistant", content: "42", reasoning_content: null }, finish_reason: "stop" }] });
    expect(without.message).not.toHaveProperty("reasoning");
  });
});
