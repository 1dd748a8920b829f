import { findModel } from "@switchyard/catalog";
import type { ChatCompletionRequest } from "@switchyard/schemas";
import { describe, expect, it } from "vitest";
import { AUTO_MODEL_ID, AUTO_TIERS, autoTier, CHARS_PER_TOKEN, LARGE_PROMPT_TOKENS, LONG_CONTEXT_TOKENS, planRoute } from "../src/index.ts";

const ask = (content: ChatCompletionRequest["messages"][number]["content"], extra: Partial<ChatCompletionRequest> = {}): ChatCompletionRequest => ({
  model: AUTO_MODEL_ID,
  messages: [{ role: "user", content: content as string }],
  ...extra,
});
const tools = [{ type: "function" as const, function: { name: "lookup", parameters: { type: "object" } } }];
const image = [{ type: "text" as const, text: "what is this?" }, { type: "image_url" as const, image_url: { url: "https://example.com/cat.png" } }];
const chars = (tokens: number) => "x".repeat(tokens * CHARS_PER_TOKEN);

describe("switchyard/auto picks a tier by the first matching rule", () => {
  it.each<[string, ChatCompletionRequest, keyof typeof AUTO_TIERS]>([
    ["a short question → small", ask("What is the capital of France?"), "small"],
    ["an image → vision, even with tools", ask(image, { tools }), "vision"],
    ["an image in an earlier message → vision", { model: AUTO_MODEL_ID, messages: [{ role: "user", content: image }, { role: "assistant", content: "a cat" }, { role: "user", content: "and now?" }] }, "vision"],
    ["tools → tools", ask("weather?", { tools }), "tools"],
    ["tool_choice alone → tools", ask("weather?", { tool_choice: "none" }), "tools"],
    ["a JSON schema → tools", ask("a city", { response_format: { type: "json_schema", json_schema: { name: "city" } } }), "tools"],
    ["JSON mode without schema → small", ask("a city", { response_format: { type: "json_object" } }), "small"],
    ["just over the large threshold → large", ask(chars(LARGE_PROMPT_TOKENS + 1)), "large"],
    ["exactly at the large threshold → small", ask(chars(LARGE_PROMPT_TOKENS)), "small"],
    ["a large prompt with tools → tools", ask(chars(LARGE_PROMPT_TOKENS * 2), { tools }), "tools"],
    ["over the long-context threshold → longContext, even with tools", ask(chars(LONG_CONTEXT_TOKENS + 1), { tools }), "longContext"],
    ["long text spread over messages counts in total", { model: AUTO_MODEL_ID, messages: [{ role: "system", content: chars(3000) }, { role: "user", content: chars(3000) }] }, "large"],
  ])("%s", (_name, request, tier) => {
    expect(autoTier(request)).toBe(tier);
  });
});

describe("the auto tiers", () => {
  it.each(Object.entries(AUTO_TIERS))("%s: every model exists, is a chat model, and EU and ZDR workspaces keep a choice", (_tier, ids) => {
    const models = ids.map((id) => findModel(id));
    expect(models.every((m) => m?.outputModalities.includes("text"))).toBe(true);
    expect(models.some((m) => m!.endpoints.some((e) => e.region === "eu"))).toBe(true);
    expect(models.some((m) => m!.endpoints.some((e) => e.dataPolicy.zdr))).toBe(true);
  });

  it("vision and long-context models accept images or a 1M context", () => {
    expect(AUTO_TIERS.vision.every((id) => findModel(id)!.inputModalities.includes("image"))).toBe(true);
    expect(AUTO_TIERS.longContext.every((id) => findModel(id)!.contextLength >= 1_000_000)).toBe(true);
  });

  it("tools-tier models support tools on every endpoint", () => {
    expect(AUTO_TIERS.tools.every((id) => findModel(id)!.endpoints.every((e) => e.supportedParameters.includes("tools")))).toBe(true);
  });
});

describe("auto in the planner", () => {
  const open = { zdr: false, euOnly: false };

  it("expands into the tier's models, in order, as model fallbacks", () => {
    const plan = planRoute({ request: ask("hi"), workspace: open, now: 0 });
    const models = [...new Set(plan.map((a) => a.model.id))];
    expect(models).toEqual([...AUTO_TIERS.small]);
  });

  it("an EU-only ZDR workspace gets only EU ZDR endpoints of the tier's models", () => {
    const plan = planRoute({ request: ask("hi", { tools }), workspace: { zdr: true, euOnly: true }, now: 0 });
    expect(plan.length).toBeGreaterThan(0);
    expect(plan.every((a) => a.endpoint.region === "eu" && a.endpoint.dataPolicy.zdr)).toBe(true);
    expect(plan[0]!.model.id).toBe("google/gemini-2.5-flash");
  });

  it("explicit fallbacks after auto follow the tier's models", () => {
    const plan = planRoute({ request: { ...ask("hi"), models: ["mock/echo"] }, workspace: open, now: 0 });
    expect(plan.at(-1)!.model.id).toBe("mock/echo");
  });
});
