import { findModel } from "@switchyard/catalog";
import { afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { attemptUpstream, type UpstreamCall } from "../src/inference/call-upstream.ts";
import { countsAgainstHealth } from "../src/inference/failover.ts";
import { readCompletion } from "../src/inference/read-completion.ts";
import { MAX_JSON_DEPTH } from "../src/middleware/json-depth.ts";
import { geminiAdapter, openaiAdapter, type UpstreamFailure } from "@switchyard/providers";
import { balanceOf, call } from "./setup/call.ts";
import { clearHealth, healthDetails } from "./setup/health.ts";
import { seedKey, seedTenant, type SeededTenant } from "./setup/seed.ts";
import { REFUSE, type ScriptedUpstreams, scriptedUpstreams } from "./setup/upstreams.ts";

/**
 * Issue 19: one tenant's bad input marked a provider down for everyone. A tool schema nested
 * 2,400 deep overflowed the stack in the Gemini schema conversion; the catch-all took that for
 * a connection failure (502 "Could not connect", retryable), and ProviderHealth recorded it
 * against mock-gemini for every tenant. Now: nesting past the limit is the caller's 400 naming
 * the field, on every endpoint, and every step of an upstream call has its failure classified
 * as what it is (only a fetch that fails is "Could not connect").
 */
let tenant: SeededTenant;
let upstreams: ScriptedUpstreams | undefined;
beforeAll(async () => {
  tenant = await seedTenant("caller-faults");
});
beforeEach(clearHealth);
afterEach(() => {
  upstreams?.restore();
  upstreams = undefined;
});

/** A JSON schema `levels` deep: {type: object, properties: {a: {…}}}. */
function deepSchema(levels: number): Record<string, unknown> {
  let schema: Record<string, unknown> = { type: "string" };
  for (let i = 0; i < levels; i++) schema = { type: "object", properties: { a: schema } };
  return schema;
}

const post = (path: string, json: unknown) => call(path, { method: "POST", key: tenant.key, json });
const tool = (parameters: unknown) => ({ type: "function", function: { name: "lookup", parameters } });

async function expectDepthError(res: Response, field: string): Promise<void> {
  const body = (await res.json()) as any;
  expect(res.status, JSON.stringify(body).slice(0, 300)).toBe(400);
  expect(body.error.code).toBe(400);
  expect(body.error.message).toContain(`${field}`);
  expect(body.error.message).toContain(`deeper than ${MAX_JSON_DEPTH} levels`);
  expect(body.error.message.length).toBeLessThan(500);
}

describe("nesting deeper than the limit is the caller's 400, naming the field, and blames no provider", () => {
  it.each(["mock/gemini-echo", "mock/echo", "mock/claude-echo"])("%s: a tool's parameters nested 2,400 deep", async (model) => {
    const before = await balanceOf(tenant.accountId);
    await expectDepthError(await post("/api/v1/chat/completions", { model, messages: [{ role: "user", content: "hi" }], tools: [tool(deepSchema(1_200))] }), "tools.0.function.parameters.properties.a");
    expect(await healthDetails()).toEqual([]);
    expect(await balanceOf(tenant.accountId)).toBe(before);
  });

  it("a response_format JSON schema nested 2,400 deep, streamed or not, on mock/gemini-echo", async () => {
    for (const stream of [false, true]) {
      const res = await post("/api/v1/chat/completions", {
        model: "mock/gemini-echo",
        stream,
        messages: [{ role: "user", content: "hi" }],
        response_format: { type: "json_schema", json_schema: { name: "deep", schema: deepSchema(1_200) } },
      });
      await expectDepthError(res, "response_format.json_schema.schema.properties.a");
    }
    expect(await healthDetails()).toEqual([]);
    // the limit is generous: a schema 50 levels deep is served
    const res = await post("/api/v1/chat/completions", { model: "mock/gemini-echo", messages: [{ role: "user", content: "hi" }], tools: [tool(deepSchema(25))] });
    expect(res.status).toBe(200);
  });

  it("legacy completions, embeddings and the keys API refuse it the same way", async () => {
    const deepList = JSON.parse("[".repeat(2_400) + "]".repeat(2_400));
    await expectDepthError(await post("/api/v1/completions", { model: "mock/gemini-echo", prompt: "hi", tools: [tool(deepSchema(1_200))] }), "tools.0.function.parameters");
    await expectDepthError(await post("/api/v1/embeddings", { model: "mock/embed", input: deepList }), "input.0.0.0");
    const management = await seedKey(tenant.workspaceId, "caller-faults-mgmt", { kind: "management" });
    const keys = await call("/api/v1/keys", { method: "POST", key: management.key, json: { name: "k", limit: deepList } });
    await expectDepthError(keys, "limit.0.0");
    expect(await healthDetails()).toEqual([]);
  });
});

describe("each step of an upstream call fails as what it is", () => {
  const gemini = findModel("mock/gemini-echo")!;
  const planned = { model: gemini, endpoint: gemini.endpoints[0]! };
  const signal = () => new AbortController().signal;
  const upstreamUrl = "http://mock.upstream.test/v1/chat/completions";
  const callWith = (overrides: Partial<UpstreamCall>): UpstreamCall => ({
    build: () => ({ url: upstreamUrl, headers: { "content-type": "application/json" }, body: JSON.stringify({ model: "echo", messages: [{ role: "user", content: "hi" }] }) }),
    parseError: openaiAdapter.parseError,
    accept: (response) => readCompletion(response, openaiAdapter),
    ...overrides,
  });
  const failureOf = async (upstreamCall: UpstreamCall): Promise<UpstreamFailure> => {
    const result = await attemptUpstream(upstreamCall, signal(), 30_000);
    if (result.ok) throw new Error("expected a failure");
    return result.failure;
  };

  it("a throw while building the request (a gateway bug) is a 500, not retried, never the provider's", async () => {
    upstreams = scriptedUpstreams({ mock: ["ok"] });
    const failure = await failureOf(callWith({ build: () => { throw new RangeError("Maximum call stack size exceeded"); } }));
    expect(failure).toMatchObject({ status: 500, retryable: false });
    expect(failure.message).not.toMatch(/connect/i);
    expect(countsAgainstHealth(failure, planned)).toBe(false);
    expect(upstreams.log).toEqual([]); // nothing was sent
  });

  it("the Gemini adapter itself refuses a schema past its depth as the caller's (400), not by overflowing", () => {
    const request = { model: "mock/gemini-echo", messages: [{ role: "user" as const, content: "hi" }], tools: [tool(deepSchema(2_400)) as any] };
    expect(() => geminiAdapter.buildRequest(request, { baseUrl: "http://x.test", upstreamModel: "echo" }, false)).toThrow(/deeper than 64 levels/);
  });

  it("only a fetch that fails is 'Could not connect'; a body that breaks while read is the connection's too, but not that", async () => {
    const broken = () => {
      let sent = false;
      const body = new ReadableStream<Uint8Array>({
        pull(controller) {
          if (sent) return controller.error(new TypeError("Network connection lost."));
          sent = true;
          controller.enqueue(new TextEncoder().encode('{"choices":['));
        },
      });
      return new Response(body, { headers: { "content-type": "application/json" } });
    };
    upstreams = scriptedUpstreams({ mock: [REFUSE, { raw: broken }] });
    const refused = await failureOf(callWith({}));
    expect(refused).toMatchObject({ status: 502, message: "Could not connect to the provider", retryable: true });
    expect(countsAgainstHealth(refused, planned)).toBe(true);
    const failure = await failureOf(callWith({}));
    expect(failure).toMatchObject({ status: 502, retryable: true });
    expect(failure.message).toMatch(/broke while its answer was being read/);
    expect(countsAgainstHealth(failure, planned)).toBe(true);
  });

  it("an answer that is not JSON is the provider's invalid answer; a throw translating a valid one is a gateway 500", async () => {
    upstreams = scriptedUpstreams({ mock: [{ raw: () => new Response("<html>oops</html>") }, "ok"] });
    const invalid = await failureOf(callWith({}));
    expect(invalid).toMatchObject({ status: 502, message: "Provider sent an invalid answer: the answer is not valid JSON", retryable: true });
    const buggy = { ...openaiAdapter, parseCompletion: () => { throw new TypeError("Cannot read properties of undefined"); } };
    const fault = await failureOf(callWith({ accept: (response) => readCompletion(response, buggy) }));
    expect(fault).toMatchObject({ status: 500, retryable: false });
    expect(countsAgainstHealth(fault, planned)).toBe(false);
  });

  it("a throw from a stream parser before the first answer is a gateway 500 through the whole gateway, and no provider is marked", async () => {
    upstreams = scriptedUpstreams({ mock: ["ok"] });
    const realParser = openaiAdapter.createStreamParser;
    openaiAdapter.createStreamParser = () => ({ push: () => { throw new TypeError("parser bug"); } });
    try {
      const res = await call("/api/v1/chat/completions", {
        method: "POST",
        key: tenant.key,
        json: { model: "mock/echo-us-only", stream: true, messages: [{ role: "user", content: "hi" }] },
        env: upstreams.env,
      });
      expect(res.status).toBe(500);
      expect(((await res.json()) as any).error.message).not.toMatch(/connect/i);
    } finally {
      openaiAdapter.createStreamParser = realParser;
    }
    expect(await healthDetails()).toEqual([]);
  });
});
