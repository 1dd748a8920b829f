import { describe, expect, it } from "vitest";
import { openaiAdapter } from "../src/index.ts";

const completion = (usage: Record<string, unknown>) => ({
  choices: [{ index: 0, message: { role: "assistant", content: "hi" }, finish_reason: "stop" }],
  usage,
});

describe("OpenAI-format usage: prompt_tokens includes the cached part", () => {
  it("reads OpenAI's prompt_tokens_details.cached_tokens", () => {
    const parsed = openaiAdapter.parseCompletion(completion({ prompt_tokens: 2006, completion_tokens: 300, prompt_tokens_details: { cached_tokens: 1920 } }));
    expect(parsed.usage).toEqual({ promptTokens: 2006, completionTokens: 300, cachedTokens: 1920 });
  });

  it("reads DeepSeek's prompt_cache_hit_tokens when cached_tokens is absent", () => {
    const parsed = openaiAdapter.parseCompletion(completion({ prompt_tokens: 100, completion_tokens: 10, prompt_cache_hit_tokens: 64, prompt_cache_miss_tokens: 36 }));
    expect(parsed.usage).toEqual({ promptTokens: 100, completionTokens: 10, cachedTokens: 64 });
  });

  it("reports no cached tokens when none were cached", () => {
    const parsed = openaiAdapter.parseCompletion(completion({ prompt_tokens: 12, completion_tokens: 3, prompt_tokens_details: { cached_tokens: 0 } }));
    expect(parsed.usage).toEqual({ promptTokens: 12, completionTokens: 3 });
  });
});
