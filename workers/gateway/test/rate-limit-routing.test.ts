import { handleMockUpstream } from "@switchyard/mock-upstream";
import { afterEach, beforeAll, beforeEach, describe, expect, it, vi } from "vitest";
import { inFlightByEndpoint, resetInFlight } from "../src/routing/in-flight.ts";
import { nearLimitEndpoints, nearLimitFromHeaders, observeRateLimit, resetRateLimits } from "../src/routing/rate-limits.ts";
import { call } from "./setup/call.ts";
import { clearHealth } from "./setup/health.ts";
import { seedTenant, type SeededTenant } from "./setup/seed.ts";
import { clearStats } from "./setup/stats.ts";
import { type RawAnswer, type ScriptedUpstreams, scriptedUpstreams } from "./setup/upstreams.ts";

let tenant: SeededTenant;
let upstreams: ScriptedUpstreams;

beforeAll(async () => {
  tenant = await seedTenant("rate-limit-routing");
});
beforeEach(async () => {
  await clearHealth();
  await clearStats();
  resetRateLimits();
  resetInFlight();
  upstreams = scriptedUpstreams({ mock: [], "mock-eu": [] });
});
afterEach(() => upstreams.restore());

function chat(provider: Record<string, unknown>, extra: Record<string, unknown> = {}) {
  return call("/api/v1/chat/completions", {
    method: "POST",
    key: tenant.key,
    json: { model: "mock/echo", messages: [{ role: "user", content: "hi" }], provider, ...extra },
    env: upstreams.env,
  });
}

/** The mock's normal answer, with the provider's rate-limit headers added. */
function withHeaders(headers: Record<string, string>): RawAnswer {
  return {
    raw: async (request) => {
      const answer = await handleMockUpstream(request, {});
      const out = new Headers(answer.headers);
      for (const [k, v] of Object.entries(headers)) out.set(k, v);
      return new Response(answer.body, { status: answer.status, headers: out });
    },
  };
}

describe("rate-limit-aware routing", () => {
  it("an endpoint whose answer says it is under 5 % of its limit is tried after the others, and back in front once it has headroom", async () => {
    upstreams.script("mock", [withHeaders({ "x-ratelimit-limit-requests": "1000", "x-ratelimit-remaining-requests": "12" })]);
    expect((await chat({ sort: "price" })).headers.get("x-switchyard-provider")).toBe("mock");
    expect((await chat({ sort: "price" })).headers.get("x-switchyard-provider")).toBe("mock-eu");
    // asked for by name it still answers, and says it has headroom again
    upstreams.script("mock", [withHeaders({ "x-ratelimit-limit-tokens": "100000", "x-ratelimit-remaining-tokens": "90000" })]);
    expect((await chat({ order: ["mock"] })).headers.get("x-switchyard-provider")).toBe("mock");
    expect((await chat({ sort: "price" })).headers.get("x-switchyard-provider")).toBe("mock");
  });

  it("reads OpenAI's and Anthropic's header names; 5 % of the limit is the line", () => {
    const near = (h: Record<string, string>) => nearLimitFromHeaders(new Headers(h));
    expect(near({})).toBeUndefined();
    expect(near({ "x-ratelimit-limit-tokens": "1000", "x-ratelimit-remaining-tokens": "49" })).toBe(true);
    expect(near({ "x-ratelimit-limit-tokens": "1000", "x-ratelimit-remaining-tokens": "50" })).toBe(false);
    expect(near({ "anthropic-ratelimit-requests-limit": "50", "anthropic-ratelimit-requests-remaining": "2" })).toBe(true);
    expect(near({ "anthropic-ratelimit-tokens-limit": "80000", "anthropic-ratelimit-tokens-remaining": "79000" })).toBe(false);
    expect(near({ "x-ratelimit-remaining-requests": "0" })).toBe(true); // no limit sent: only none left counts
    expect(near({ "x-ratelimit-remaining-requests": "junk" })).toBeUndefined();
  });

  it("a workspace's own (BYOK) key near its limit moves the endpoint back for that workspace only; it is forgotten after a minute", () => {
    const T = 1_800_000_000_000;
    observeRateLimit("mock/echo", new Headers({ "x-ratelimit-remaining-requests": "0" }), "ws-a", T);
    expect([...nearLimitEndpoints("ws-a", T + 1_000)]).toEqual(["mock/echo"]);
    expect([...nearLimitEndpoints("ws-b", T + 1_000)]).toEqual([]);
    expect([...nearLimitEndpoints("ws-a", T + 60_000)]).toEqual([]);
  });
});

describe("least-busy routing", () => {
  it("prefers the endpoint with the fewest requests in flight from this isolate", async () => {
    // a stream on mock that stays open until the test ends it
    let end!: () => void;
    const ended = new Promise<void>((resolve) => (end = resolve));
    const chunk = (delta: object, finish: string | null, usage?: object) =>
      `data: ${JSON.stringify({ id: "c1", object: "chat.completion.chunk", created: 1, model: "echo", choices: [{ index: 0, delta, finish_reason: finish }], ...(usage ? { usage } : {}) })}\n\n`;
    upstreams.script("mock", [
      {
        raw: () =>
          new Response(
            new ReadableStream({
              async start(controller) {
                const enc = new TextEncoder();
                controller.enqueue(enc.encode(chunk({ role: "assistant", content: "hel" }, null)));
                await ended;
                controller.enqueue(enc.encode(chunk({ content: "lo" }, "stop", { prompt_tokens: 1, completion_tokens: 2, total_tokens: 3 })));
                controller.enqueue(enc.encode("data: [DONE]\n\n"));
                controller.close();
              },
            }),
            { headers: { "content-type": "text/event-stream" } },
          ),
      },
    ]);
    const open = chat({ order: ["mock"] }, { stream: true });
    await vi.waitFor(() => expect(inFlightByEndpoint().get("mock/echo")).toBe(1), { timeout: 20_000 });
    // the cheaper mock is busy: least-busy picks mock-eu
    expect((await chat({ sort: "least-busy" })).headers.get("x-switchyard-provider")).toBe("mock-eu");
    end();
    expect((await open).status).toBe(200);
    expect(inFlightByEndpoint().get("mock/echo")).toBeUndefined();
    expect((await chat({ sort: "least-busy" })).headers.get("x-switchyard-provider")).toBe("mock");
  });
});
