import { describe, expect, it } from "vitest";
import { findModel, parseModelId } from "../src/lookup.ts";

describe("parseModelId", () => {
  it.each([
    ["openai/gpt-4o", { base: "openai/gpt-4o" }],
    ["meta-llama/llama-3.3-70b-instruct:free", { base: "meta-llama/llama-3.3-70b-instruct", variant: "free" }],
    ["openai/gpt-4o:nitro", { base: "openai/gpt-4o", variant: "nitro" }],
    ["openai/gpt-4o:floor", { base: "openai/gpt-4o", variant: "floor" }],
    ["openai/gpt-4o:online", { base: "openai/gpt-4o", variant: "online" }],
    ["openai/gpt-4o:thinking", { base: "openai/gpt-4o:thinking" }], // unknown suffix stays
    ["openai/gpt-4o:FREE", { base: "openai/gpt-4o:FREE" }], // suffixes are case-sensitive
    [":free", { base: ":free" }], // nothing before the colon
  ])("%s", (id, parsed) => {
    expect(parseModelId(id)).toEqual(parsed);
  });
});

describe("findModel", () => {
  it("finds exact ids", () => {
    expect(findModel("anthropic/claude-sonnet-4")?.name).toBe("Anthropic: Claude Sonnet 4");
    expect(findModel("mock/echo")?.id).toBe("mock/echo");
  });

  it("strips variant suffixes to the base model", () => {
    expect(findModel("meta-llama/llama-3.3-70b-instruct:free")?.id).toBe("meta-llama/llama-3.3-70b-instruct");
    expect(findModel("openai/gpt-4o-mini:nitro")?.id).toBe("openai/gpt-4o-mini");
  });

  it("returns undefined for unknown ids", () => {
    expect(findModel("openai/gpt-9")).toBeUndefined();
    expect(findModel("openai/gpt-4o:bogus")).toBeUndefined();
    expect(findModel("")).toBeUndefined();
  });
});
