import fc from "fast-check";
import { beforeAll, describe, expect, it } from "vitest";
import { call } from "./setup/call.ts";
import { seedTenant, type SeededTenant } from "./setup/seed.ts";

/**
 * Property: whatever a client sends, the gateway answers a JSON error in
 * OpenRouter's shape with a 4xx status — never a 500, never a hang.
 */
let tenant: SeededTenant;
beforeAll(async () => {
  tenant = await seedTenant("fuzz");
});

async function expectClientError(res: Response): Promise<void> {
  expect(res.status, await res.clone().text()).toBeGreaterThanOrEqual(400);
  expect(res.status).toBeLessThan(500);
  const body = (await res.json()) as { error: { code: number; message: string } };
  expect(body.error.code).toBe(res.status);
  expect(typeof body.error.message).toBe("string");
}

const post = (body: BodyInit, headers: Record<string, string> = {}) =>
  call("/api/v1/chat/completions", { method: "POST", key: tenant.key, body, headers: { "content-type": "application/json", ...headers } });

describe("bad input never gets a 500", () => {
  it("arbitrary JSON values", async () => {
    await fc.assert(
      fc.asyncProperty(fc.jsonValue(), async (value) => {
        await expectClientError(await post(JSON.stringify(value)));
      }),
      { numRuns: 60 },
    );
  });

  it("request-shaped objects with wrong types in every field", async () => {
    const anything = fc.oneof(fc.string(), fc.integer(), fc.double(), fc.boolean(), fc.constant(null), fc.array(fc.string()), fc.object());
    const request = fc.record(
      {
        model: fc.oneof(fc.constant("mock/echo"), anything),
        messages: fc.oneof(fc.array(fc.record({ role: fc.oneof(fc.constantFrom("user", "system", "tool", "assistant"), anything), content: anything })), anything),
        temperature: anything,
        max_tokens: anything,
        tools: anything,
        tool_choice: anything,
        response_format: anything,
        provider: anything,
        stop: anything,
      },
      { requiredKeys: [] },
    );
    await fc.assert(
      fc.asyncProperty(request, async (body) => {
        const res = await post(JSON.stringify(body));
        if (res.status === 200) return; // the generator happened to build a valid request
        await expectClientError(res);
      }),
      { numRuns: 80 },
    );
  });

  it("bytes that are not UTF-8 or not JSON", async () => {
    await fc.assert(
      fc.asyncProperty(fc.uint8Array({ minLength: 1, maxLength: 256 }), async (bytes) => {
        await expectClientError(await post(bytes));
      }),
      { numRuns: 40 },
    );
  });

  it("deep nesting and huge strings", async () => {
    const deep = "[".repeat(100_000) + "]".repeat(100_000);
    await expectClientError(await post(deep));
    const deepObject = JSON.stringify({ model: "mock/echo", messages: [{ role: "user", content: "x" }], tools: [{ type: "function", function: { name: "f", parameters: JSON.parse("{\"a\":".repeat(500) + "1" + "}".repeat(500)) } }] });
    const res = await post(deepObject);
    expect(res.status).not.toBe(500);
    await expectClientError(await post(JSON.stringify({ model: "m".repeat(1_000_000), messages: [] })));
  });

  it("malformed and duplicated authorization headers", async () => {
    const body = JSON.stringify({ model: "mock/echo", messages: [{ role: "user", content: "hi" }] });
    for (const authorization of ["", "Bearer", "Bearer ", "Basic abc", `Bearer ${tenant.key}, Bearer ${tenant.key}`, "Bearer sk-sy-é-not-ascii-key", `bearer  ${"x".repeat(10_000)}`]) {
      const res = await call("/api/v1/chat/completions", { method: "POST", body, headers: { "content-type": "application/json", authorization } });
      expect(res.status).toBe(401);
      await expectClientError(res);
    }
  });

  it("unknown routes and methods", async () => {
    await expectClientError(await call("/api/v1/nothing"));
    await expectClientError(await call("/api/v1/chat/completions", { method: "GET" }));
  });
});
