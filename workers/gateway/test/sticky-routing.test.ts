import { beforeAll, describe, expect, it } from "vitest";
import { call } from "./setup/call.ts";
import { seedTenant, type SeededTenant } from "./setup/seed.ts";

/**
 * Sticky routing on the agent front doors: mock/echo has two endpoints, drawn at random
 * (weight 1/price²: "mock" about 69 % of the time, "mock-eu" 31 %). Without stickiness,
 * twenty requests land on one provider about once in a thousand runs; with it, always.
 */
let tenant: SeededTenant;
beforeAll(async () => {
  tenant = await seedTenant("sticky");
});

const providers = async (path: string, body: (i: number) => unknown) => {
  const seen: string[] = [];
  for (let i = 0; i < 20; i++) {
    const res = await call(path, { method: "POST", key: tenant.key, json: body(i) });
    expect(res.status).toBe(200);
    seen.push(res.headers.get("x-switchyard-provider")!);
  }
  return seen;
};

describe("a session's requests stay on the provider that holds its warm cache", () => {
  it("POST /responses: same instructions and tools, twenty turns, one provider", async () => {
    const seen = await providers("/api/v1/responses", (i) => ({ model: "mock/echo", instructions: "You are a coding agent.", input: `turn ${i}` }));
    expect(new Set(seen).size).toBe(1);
  });

  it("POST /messages: same system prompt, twenty turns, one provider; the client's own provider.order still wins", async () => {
    const system = [{ type: "text", text: "You are a coding agent.", cache_control: { type: "ephemeral" } }];
    const seen = await providers("/api/v1/messages", (i) => ({ model: "mock/echo", max_tokens: 50, system, messages: [{ role: "user", content: `turn ${i}` }] }));
    expect(new Set(seen).size).toBe(1);
    const other = seen[0] === "mock" ? "mock-eu" : "mock";
    const res = await call("/api/v1/messages", {
      method: "POST",
      key: tenant.key,
      json: { model: "mock/echo", max_tokens: 50, system, provider: { order: [other] }, messages: [{ role: "user", content: "elsewhere" }] },
    });
    expect(res.headers.get("x-switchyard-provider")).toBe(other);
  });
});
