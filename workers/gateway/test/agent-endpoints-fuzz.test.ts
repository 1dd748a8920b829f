import fc from "fast-check";
import { beforeAll, describe, expect, it } from "vitest";
import { HANG_MS, MAX_MESSAGE_CHARS, withinHangLimit } from "./setup/answers.ts";
import { call } from "./setup/call.ts";
import { everyJsonType } from "./setup/fuzz-values.ts";
import { seedTenant } from "./setup/seed.ts";

/**
 * Property: whatever body reaches /messages or /responses — any JSON, or a valid request with
 * one field (top level or nested) replaced by a value of any type — the answer is never a 5xx
 * and never a hang; an error is JSON in that endpoint's own shape with a short message.
 */
let key: string;
beforeAll(async () => {
  key = (await seedTenant("agent-fuzz")).key;
});

const validMessages = {
  model: "mock/echo",
  max_tokens: 50,
  system: [{ type: "text", text: "s", cache_control: { type: "ephemeral" } }],
  messages: [
    { role: "user", content: [{ type: "text", text: "hi" }] },
    { role: "assistant", content: [{ type: "thinking", thinking: "t", signature: "s" }, { type: "tool_use", id: "t1", name: "f", input: {} }] },
    { role: "user", content: [{ type: "tool_result", tool_use_id: "t1", content: [{ type: "text", text: "r" }] }] },
  ],
  tools: [{ name: "f", input_schema: { type: "object" } }],
  tool_choice: { type: "auto" },
  thinking: { type: "enabled", budget_tokens: 1024 },
  metadata: { user_id: "u" },
};
const validResponses = {
  model: "mock/echo",
  instructions: "be brief",
  input: [
    { type: "message", role: "user", content: [{ type: "input_text", text: "hi" }] },
    { type: "reasoning", id: "rs_1", summary: [{ type: "summary_text", text: "x" }], encrypted_content: "sy1.bm90IGpzb24=" },
    { type: "function_call", call_id: "c1", name: "f", arguments: "{}" },
    { type: "function_call_output", call_id: "c1", output: "r" },
  ],
  tools: [{ type: "function", name: "f", parameters: { type: "object" } }, { type: "web_search" }],
  text: { format: { type: "json_schema", name: "o", schema: { type: "object" } } },
  reasoning: { effort: "low" },
  max_output_tokens: 50,
};

/** Every path to a value inside a JSON value. */
function paths(value: unknown, prefix: (string | number)[] = []): (string | number)[][] {
  if (!value || typeof value !== "object") return [prefix];
  const keys = Array.isArray(value) ? value.map((_, i) => i) : Object.keys(value);
  return [prefix, ...keys.flatMap((k) => paths((value as Record<string | number, unknown>)[k], [...prefix, k]))];
}

function replaced(value: unknown, path: (string | number)[], by: unknown): unknown {
  if (!path.length) return by;
  const copy: any = Array.isArray(value) ? [...value] : { ...(value as object) };
  copy[path[0]!] = replaced(copy[path[0]!], path.slice(1), by);
  return copy;
}

const mutated = (valid: object) => fc.tuple(fc.constantFrom(...paths(valid).filter((p) => p.length)), everyJsonType()).map(([path, by]) => replaced(valid, path, by));

async function expectOwnShape(path: string, body: unknown, shape: (error: any, status: number) => void) {
  const res = await withinHangLimit(call(path, { method: "POST", key, json: body }), path);
  const text = await res.text();
  expect(res.status, `${JSON.stringify(body).slice(0, 300)} → ${res.status} ${text.slice(0, 300)}`).toBeLessThan(500);
  if (res.status < 400) return;
  const error = JSON.parse(text);
  shape(error, res.status);
}

const anthropicShape = (e: any) => {
  expect(e.type).toBe("error");
  expect(typeof e.error.type).toBe("string");
  expect(e.error.message.length).toBeLessThanOrEqual(MAX_MESSAGE_CHARS);
};
const openaiShape = (e: any) => {
  expect(typeof e.error.type).toBe("string");
  expect(e.error.message.length).toBeLessThanOrEqual(MAX_MESSAGE_CHARS);
};

describe("agent endpoints under fuzzed input", () => {
  it("the valid requests are answered (the fuzz starts from requests that work)", async () => {
    expect((await call("/api/v1/messages", { method: "POST", key, json: { ...validMessages, thinking: undefined } })).status).toBe(200);
    expect((await call("/api/v1/responses", { method: "POST", key, json: validResponses })).status).toBe(200);
  });

  it("POST /messages: any JSON, or one field of a valid request of any type → < 500, Anthropic's shape", async () => {
    await fc.assert(fc.asyncProperty(fc.oneof(mutated(validMessages), everyJsonType()), (body) => expectOwnShape("/api/v1/messages", body, anthropicShape)), { numRuns: 120 });
  }, HANG_MS * 20);

  it("POST /responses: any JSON, or one field of a valid request of any type → < 500, OpenAI's shape", async () => {
    await fc.assert(fc.asyncProperty(fc.oneof(mutated(validResponses), everyJsonType()), (body) => expectOwnShape("/api/v1/responses", body, openaiShape)), { numRuns: 120 });
  }, HANG_MS * 20);
});
