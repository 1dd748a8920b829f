import { findModel } from "@switchyard/catalog";
import { chatCompletionRequestSchema } from "@switchyard/schemas";
import { describe, expect, it } from "vitest";
import { costBoundNanos } from "../src/accounts/spend/cost-bound.ts";

/** Every endpoint of the model, as a failover plan. */
const plan = (id: string) => {
  const model = findModel(id)!;
  return model.endpoints.map((endpoint) => ({ model, endpoint }));
};
const request = (fields: Record<string, unknown>) => chatCompletionRequestSchema.parse({ model: "mock/echo", messages: [{ role: "user", content: "hello" }], ...fields });
const promptBytes = (r: ReturnType<typeof request>) => new TextEncoder().encode(JSON.stringify(r.messages)).byteLength;

describe("the reserve: the most a request can cost", () => {
  it("prompt bytes × prompt price + max_tokens × completion price, at the dearest endpoint of the plan", () => {
    const r = request({ max_tokens: 50 });
    // mock/echo: mock ($1/$2 per M) and mock-eu ($1.5/$3 per M): the EU endpoint is dearer
    expect(costBoundNanos(plan("mock/echo"), r)).toBe(BigInt(promptBytes(r) * 1500 + 50 * 3000));
    expect(costBoundNanos(plan("mock/echo-us-only"), r)).toBe(BigInt(promptBytes(r) * 1000 + 50 * 2000));
  });

  it("without max_tokens, the endpoint's max output; a max_tokens above it is capped there", () => {
    const unbounded = request({ model: "mock/echo-us-only" });
    expect(costBoundNanos(plan("mock/echo-us-only"), unbounded)).toBe(BigInt(promptBytes(unbounded) * 1000 + 16_384 * 2000));
    expect(costBoundNanos(plan("mock/echo-us-only"), request({ max_completion_tokens: 10_000_000 }))).toBe(costBoundNanos(plan("mock/echo-us-only"), unbounded));
  });

  it("a prompt with an image is bounded by the whole context length (an image URL is short, its tokens are not)", () => {
    const r = request({
      max_tokens: 1,
      messages: [{ role: "user", content: [{ type: "text", text: "what is this?" }, { type: "image_url", image_url: { url: "https://x.test/a.png" } }] }],
    });
    expect(costBoundNanos(plan("mock/echo-us-only"), r)).toBe(BigInt(131_072 * 1000 + 1 * 2000));
  });

  it("an attempt with the workspace's own key (BYOK) can cost at most the 5 % fee on its bound", () => {
    const r = request({ max_tokens: 50 });
    const hosted = plan("mock/echo-us-only");
    const byok = hosted.map((p) => ({ ...p, byok: { apiKey: "sk-own" } }));
    expect(costBoundNanos(byok, r)).toBe((costBoundNanos(hosted, r) * 5n + 50n) / 100n);
    expect(costBoundNanos([...byok, ...hosted], r)).toBe(costBoundNanos(hosted, r)); // may fall back to hosted credits
  });

  it("stays an upper bound with prompt caching: never the cache-read discount, the cache-write price where that is dearer", () => {
    const r = request({ max_tokens: 50 });
    // mock: prompt $1, cached $0.25 per M: the bound keeps the full prompt price
    expect(costBoundNanos(plan("mock/echo-us-only"), r)).toBe(BigInt(promptBytes(r) * 1000 + 50 * 2000));
    // mock-anthropic: prompt $1, cache write $1.25 per M: a prompt written to cache costs more
    expect(costBoundNanos(plan("mock/claude-echo"), r)).toBe(BigInt(promptBytes(r) * 1250 + 50 * 2000));
  });

  it("tools and response_format count towards the prompt", () => {
    const plain = request({ max_tokens: 1 });
    const withTools = request({ max_tokens: 1, tools: [{ type: "function", function: { name: "lookup", parameters: { type: "object" } } }] });
    expect(costBoundNanos(plan("mock/echo-us-only"), withTools)).toBeGreaterThan(costBoundNanos(plan("mock/echo-us-only"), plain));
  });
});
