import { createHash } from "node:crypto";
import { startMockUpstream } from "@switchyard/mock-upstream/node";
import OpenAI from "openai";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { queryD1, type RunningGateway, startGateway } from "./gateway-process.ts";
import { readChatStream } from "./setup/read-chat-stream.ts";

/**
 * Routing and failover end to end: the unmodified `openai` client → wrangler
 * dev → two mock providers on loopback, "mock" (US) and "mock-eu" (EU, ZDR),
 * each a real HTTP server with its own script of failures.
 */
type MockServer = Awaited<ReturnType<typeof startMockUpstream>>;
let us: MockServer;
let eu: MockServer;
let gateway: RunningGateway;
let client: OpenAI;
let zdrClient: OpenAI;
let euClient: OpenAI;

const FIRST_BYTE_TIMEOUT_MS = 1500;
const ZDR_KEY = "sk-sy-v1-e2e-zdr-key-00000000000000000000";
const EU_KEY = "sk-sy-v1-e2e-eu-key-000000000000000000000";

/** Two more workspaces of the demo account: one with ZDR on, one EU-only. */
function tenantsSql(): string {
  const hash = (key: string) => createHash("sha256").update(key).digest("hex");
  return `
INSERT INTO workspaces (id, account_id, name, zdr) VALUES ('ws_zdr', 'acct_demo', 'ZDR workspace', 1);
INSERT INTO workspaces (id, account_id, name, eu_only) VALUES ('ws_eu', 'acct_demo', 'EU workspace', 1);
INSERT INTO api_keys (id, hash, prefix, name, workspace_id, kind) VALUES ('key_zdr', '${hash(ZDR_KEY)}', '${ZDR_KEY.slice(0, 14)}', 'ZDR key', 'ws_zdr', 'inference');
INSERT INTO api_keys (id, hash, prefix, name, workspace_id, kind) VALUES ('key_eu', '${hash(EU_KEY)}', '${EU_KEY.slice(0, 14)}', 'EU key', 'ws_eu', 'inference');
`;
}

beforeAll(async () => {
  [us, eu] = await Promise.all([startMockUpstream(), startMockUpstream()]);
  gateway = await startGateway(
    { PROVIDER_BASE_URLS: JSON.stringify({ mock: us.url, "mock-eu": eu.url }), FIRST_BYTE_TIMEOUT_MS: String(FIRST_BYTE_TIMEOUT_MS) },
    tenantsSql(),
  );
  const make = (apiKey: string) => new OpenAI({ baseURL: `${gateway.url}/api/v1`, apiKey, maxRetries: 0 });
  client = make(gateway.apiKey);
  zdrClient = make(ZDR_KEY);
  euClient = make(EU_KEY);
});

afterAll(async () => {
  await gateway?.stop();
  await Promise.all([us?.close(), eu?.close()]);
});

beforeEach(() => {
  us.setScript([]);
  eu.setScript([]);
});

/** OpenRouter's routing fields, which the openai client sends as they are. */
type Routed = OpenAI.ChatCompletionCreateParamsNonStreaming & { provider?: Record<string, unknown>; models?: string[] };
type RoutedStream = OpenAI.ChatCompletionCreateParamsStreaming & { provider?: Record<string, unknown>; models?: string[] };
const ask = (content: string, provider: Record<string, unknown> = { order: ["mock", "mock-eu"] }): Routed => ({
  model: "mock/echo",
  messages: [{ role: "user", content }],
  provider,
});
const chatRequests = (server: MockServer) => server.requests.filter((r) => r.path.endsWith("/chat/completions")).length;

/** The generation's record, as the API reads it from the account's spend object (D1 no longer holds per-request rows). */
async function generation(id: string) {
  const res = await fetch(`${gateway.url}/api/v1/generation?id=${encodeURIComponent(id)}`, { headers: { authorization: `Bearer ${gateway.apiKey}` } });
  if (res.status !== 200) return undefined;
  const { data } = (await res.json()) as { data: { provider_slug: string; status: string; total_cost: number; attempts: unknown[] } };
  return { provider: data.provider_slug, status: data.status, cost_nanos: Math.round(data.total_cost * 1e9), attempts: JSON.stringify(data.attempts) };
}

/** The generation record, once settlement (after the response) has stored it. */
async function settled(id: string) {
  for (let i = 0; i < 30; i++) {
    const row = await generation(id);
    if (row) return row;
    await new Promise((ok) => setTimeout(ok, 100));
  }
  return undefined;
}

async function waitFor(check: () => boolean, ms = 5000) {
  const deadline = Date.now() + ms;
  while (!check() && Date.now() < deadline) await new Promise((ok) => setTimeout(ok, 50));
  return check();
}

describe("failover across real upstream servers", () => {
  it("a 500 from the first provider is answered by the second, which alone is charged", async () => {
    us.setScript(["status=500"]);
    const [usBefore, euBefore] = [chatRequests(us), chatRequests(eu)];
    const { data, response } = await client.chat.completions.create(ask("hello failover")).withResponse();
    expect(data.choices[0]!.message.content).toBe("Echo: hello failover");
    expect((data as any).provider).toBe("Mock (EU)");
    expect(response.headers.get("x-switchyard-attempts")).toBe("mock mock/echo 500, mock-eu mock/echo 200");
    expect([chatRequests(us) - usBefore, chatRequests(eu) - euBefore]).toEqual([1, 1]);

    const expected = data.usage!.prompt_tokens * 1500 + data.usage!.completion_tokens * 3000; // mock-eu's prices
    expect((data.usage as any).cost).toBe(expected / 1e9);
    const gen = await settled(response.headers.get("x-generation-id")!);
    expect(gen).toMatchObject({ provider: "mock-eu", status: "success", cost_nanos: expected });
    expect(JSON.parse(gen!.attempts).map((a: any) => a.status)).toEqual([500, 200]);
  });

  it("the failed provider is then tried last for 30 seconds (health shared through the Durable Object)", async () => {
    const usBefore = chatRequests(us);
    const { response } = await client.chat.completions.create(ask("cheapest please", { sort: "price" })).withResponse();
    expect(response.headers.get("x-switchyard-provider")).toBe("mock-eu");
    expect(chatRequests(us)).toBe(usBefore);
  });

  it("a provider that never answers is abandoned after the first-byte timeout", async () => {
    us.setScript(["hang"]);
    const started = Date.now();
    const { response } = await client.chat.completions.create(ask("are you there?")).withResponse();
    const elapsed = Date.now() - started;
    expect(response.headers.get("x-switchyard-attempts")).toBe("mock mock/echo 408, mock-eu mock/echo 200");
    expect(elapsed).toBeGreaterThanOrEqual(FIRST_BYTE_TIMEOUT_MS - 100);
    expect(elapsed).toBeLessThan(FIRST_BYTE_TIMEOUT_MS + 5000);
  });

  it("a stream cut before its first byte fails over; the client sees one clean stream", async () => {
    us.setScript(["cut=0"]);
    const stream = await client.chat.completions.create({ ...ask("stream through a cut"), stream: true } as RoutedStream);
    const { text } = await readChatStream(stream);
    expect(text).toBe("Echo: stream through a cut");
  });

  it("a stream cut after its first byte ends with an error event and is not charged", async () => {
    us.setScript(["cut=2"]);
    const { data: stream, response } = await client.chat.completions
      .create({ ...ask("a long answer that the provider will cut"), stream: true } as RoutedStream)
      .withResponse();
    let text = "";
    const consume = async () => {
      for await (const chunk of stream) text += chunk.choices[0]?.delta?.content ?? "";
    };
    await expect(consume()).rejects.toMatchObject({ error: { code: 502 } });
    expect(text.length).toBeGreaterThan(0);
    const gen = await settled(response.headers.get("x-generation-id")!);
    expect(gen).toMatchObject({ status: "error", cost_nanos: 0, provider: "mock" });
  });

  it("a client that disconnects mid-stream aborts the upstream call", async () => {
    const abortedBefore = us.aborted;
    const controller = new AbortController();
    const stream = await client.chat.completions.create(
      { ...ask("slow words arrive one by one [mock:chunk_delay=300]"), stream: true } as RoutedStream,
      { signal: controller.signal },
    );
    const iterate = (async () => {
      for await (const _chunk of stream) controller.abort();
    })();
    await iterate.catch(() => {});
    expect(await waitFor(() => us.aborted > abortedBefore)).toBe(true);
  });
});

describe("ZDR and EU-only workspaces", () => {
  it("a ZDR workspace never reaches the non-ZDR provider, even when every ZDR endpoint fails", async () => {
    eu.setScript(["status=500", "status=503"]);
    const usBefore = chatRequests(us);
    const err = await zdrClient.chat.completions
      .create({ ...ask("private", { order: ["mock", "mock-eu"] }), models: ["mock/echo-us-only", "mock/echo-eu-only"] } as Routed)
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(OpenAI.APIError);
    expect((err as InstanceType<typeof OpenAI.APIError>).status).toBe(503);
    expect(chatRequests(us)).toBe(usBefore);
  });

  it("an EU-only workspace gets a 404 naming the rule for a US-only model", async () => {
    const err = await euClient.chat.completions.create({ model: "mock/echo-us-only", messages: [{ role: "user", content: "x" }] }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(OpenAI.NotFoundError);
    expect((err as InstanceType<typeof OpenAI.APIError>).message).toContain("No endpoint of mock/echo-us-only is in the EU region (workspace EU-only routing is on)");
  });

  it("an EU-only workspace is served from the EU endpoint", async () => {
    const { response } = await euClient.chat.completions.create({ model: "mock/echo", messages: [{ role: "user", content: "bonjour" }] }).withResponse();
    expect(response.headers.get("x-switchyard-provider")).toBe("mock-eu");
  });
});
