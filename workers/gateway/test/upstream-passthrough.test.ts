import { afterEach, beforeAll, describe, expect, it } from "vitest";
import { balanceOf, call } from "./setup/call.ts";
import { seedTenant, type SeededTenant } from "./setup/seed.ts";
import { type ScriptedUpstreams, scriptedUpstreams } from "./setup/upstreams.ts";

/**
 * Issue 19 (low): what an upstream says is not passed on blindly. A Retry-After of three
 * years reached the client unchanged; a 302 reached it as a 400 (the caller's fault) though
 * the provider is the one that answered wrongly.
 */
let tenant: SeededTenant;
let upstreams: ScriptedUpstreams | undefined;
beforeAll(async () => {
  tenant = await seedTenant("passthrough");
});
afterEach(() => {
  upstreams?.restore();
  upstreams = undefined;
});

const chat = (model: string, content: string, env?: Partial<Cloudflare.Env>) =>
  call("/api/v1/chat/completions", { method: "POST", key: tenant.key, json: { model, messages: [{ role: "user", content }], provider: { sort: "price" } }, ...(env ? { env } : {}) });

describe("an upstream Retry-After is capped at a day", () => {
  it.each(["mock/echo-us-only", "mock/claude-echo", "mock/gemini-echo"])("%s: Retry-After 99999999 → 86400, in the header and metadata", async (model) => {
    const res = await chat(model, "wait [mock:status=429,retry_after=99999999]");
    expect(res.status).toBe(429);
    expect(res.headers.get("retry-after")).toBe("86400");
    expect(((await res.json()) as any).error.metadata.retry_after_seconds).toBe(86_400);
  });

  it("an HTTP date decades away is capped too; a short wait is passed as it is", async () => {
    upstreams = scriptedUpstreams({
      mock: [{ raw: () => new Response('{"error":{"message":"slow down"}}', { status: 429, headers: { "retry-after": "Fri, 01 Jan 2100 00:00:00 GMT" } }) }],
      "mock-eu": ["status=429,retry_after=3"],
    });
    const far = await chat("mock/echo-us-only", "wait", upstreams.env);
    expect(far.headers.get("retry-after")).toBe("86400");
    const near = await chat("mock/echo-eu-only", "wait", upstreams.env);
    expect(near.headers.get("retry-after")).toBe("3");
    expect(((await near.json()) as any).error.metadata.retry_after_seconds).toBe(3);
  });
});

describe("an upstream redirect is the provider's fault", () => {
  it("a 302 from every endpoint is a 502, not a 400; nothing is charged", async () => {
    const before = await balanceOf(tenant.accountId);
    const res = await chat("mock/echo", "go elsewhere [mock:status=302]");
    expect(res.status).toBe(502);
    const body = (await res.json()) as any;
    expect(body.error.code).toBe(502);
    expect(body.error.message).toMatch(/redirect/);
    expect(body.error.metadata.attempts.map((a: any) => [a.provider, a.status])).toEqual([["mock", 302], ["mock-eu", 302]]);
    expect(await balanceOf(tenant.accountId)).toBe(before);
  });

  it("is never followed (the prompt and key would go to the host it names), and the next endpoint serves", async () => {
    const redirectModes: string[] = [];
    upstreams = scriptedUpstreams({
      mock: [{ raw: (request) => (redirectModes.push(request.redirect), new Response(null, { status: 307, headers: { location: "http://elsewhere.upstream.test/steal" } })) }],
      "mock-eu": ["ok"],
      elsewhere: ["ok"],
    });
    const res = await chat("mock/echo", "hello", upstreams.env);
    expect(res.status).toBe(200);
    expect(res.headers.get("x-switchyard-attempts")).toBe("mock mock/echo 307, mock-eu mock/echo 200");
    expect(redirectModes).toEqual(["manual"]);
    expect(upstreams.log).toEqual(["mock", "mock-eu"]); // nothing sent to elsewhere
  });
});
