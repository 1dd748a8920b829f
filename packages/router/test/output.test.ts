import { GatewayError } from "@switchyard/schemas";
import { describe, expect, it } from "vitest";
import { planRoute, seededRandom } from "../src/index.ts";

// The real catalog: its embedding models are openai/text-embedding-3-* and mock/embed.
const plan = (model: string, output?: "text" | "embeddings", zdr = false) =>
  planRoute({ request: { model, messages: [{ role: "user", content: "" }] }, workspace: { zdr, euOnly: false }, now: 0, random: seededRandom(1), output });

const refusal = (fn: () => unknown) => {
  try {
    fn();
  } catch (e) {
    if (e instanceof GatewayError) return { status: e.status, message: e.message };
  }
  throw new Error("expected a GatewayError");
};

describe("what the model must produce", () => {
  it("embeddings plans only embedding models, with the same workspace rules", () => {
    expect(plan("openai/text-embedding-3-small", "embeddings").map((a) => a.endpoint.provider)).toEqual(["openai"]);
    expect(refusal(() => plan("mock/echo", "embeddings"))).toEqual({ status: 404, message: "mock/echo is not an embedding model" });
    // mock/embed's only endpoint keeps prompts: a ZDR workspace gets none
    expect(refusal(() => plan("mock/embed", "embeddings", true)).status).toBe(404);
  });

  it("chat (the default) refuses embedding models", () => {
    expect(refusal(() => plan("mock/embed"))).toEqual({ status: 404, message: "mock/embed is not a chat model" });
  });
});
