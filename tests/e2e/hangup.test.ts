import { startMockUpstream } from "@switchyard/mock-upstream/node";
import OpenAI from "openai";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type RunningGateway, startGateway } from "./gateway-process.ts";
import { readChatStream } from "./setup/read-chat-stream.ts";

/**
 * Issue 19 over real sockets: a client that hangs up just before a stream's end no longer
 * gets the answer free. The unmodified `openai` client → wrangler dev → the mock provider
 * (OpenAI and Anthropic wire formats) on loopback; the client reads most of the stream,
 * closes the socket, and /api/v1/generation shows what it paid.
 */
let gateway: RunningGateway;
let upstream: Awaited<ReturnType<typeof startMockUpstream>>;
let client: OpenAI;

beforeAll(async () => {
  upstream = await startMockUpstream();
  gateway = await startGateway({ PROVIDER_BASE_URLS: JSON.stringify({ mock: upstream.url, "mock-eu": upstream.url, "mock-anthropic": upstream.url }) });
  client = new OpenAI({ baseURL: `${gateway.url}/api/v1`, apiKey: gateway.apiKey, maxRetries: 0 });
});

afterAll(async () => {
  await gateway?.stop();
  await upstream?.close();
});

/** About 100 words of English (the gateway counts relayed text at 4 UTF-8 bytes a token, the mock a token a word). */
const PANGRAM = "the quick brown fox jumps over the lazy dog".split(" ");
const WORDS = Array.from({ length: 100 }, (_, i) => PANGRAM[i % PANGRAM.length]).join(" ");
const words = (text: string) => (text.match(/\S+/g) ?? []).length;

async function api(path: string): Promise<{ status: number; body: any }> {
  const res = await fetch(`${gateway.url}/api/v1${path}`, { headers: { authorization: `Bearer ${gateway.apiKey}` } });
  return { status: res.status, body: await res.json() };
}

/** The generation once settled (the gateway notices the hang-up at its next write, then settles). */
async function generation(id: string): Promise<any> {
  for (let waited = 0; waited < 20_000; waited += 50) {
    const { status, body } = await api(`/generation?id=${id}`);
    if (status === 200) return body.data;
    await new Promise((ok) => setTimeout(ok, 50));
  }
  throw new Error(`generation ${id} was never recorded`);
}

const keyUsage = async () => Math.round((await api("/key")).body.data.usage * 1e9);

describe.each([
  ["OpenAI format", "mock/echo"],
  ["Anthropic format", "mock/claude-echo"],
])("%s: a client that closes the socket near a stream's end", (_format, model) => {
  it("pays for what was generated: cancelled, a cost above 0 and below the whole answer's, and the key's usage moves by it", async () => {
    const params = { model, messages: [{ role: "user" as const, content: `${WORDS} [mock:chunk_delay=20]` }], stream: true as const, provider: { only: ["mock", "mock-anthropic"] } };
    const full = await readChatStream(await client.chat.completions.create(params));
    expect(words(full.text)).toBe(101); // "Echo:" and the 100 words
    const fullNanos = Math.round(full.usage.cost * 1e9);

    const usageBefore = await keyUsage();
    const controller = new AbortController();
    const stream = await client.chat.completions.create(params, { signal: controller.signal });
    let text = "";
    let id = "";
    const reading = (async () => {
      for await (const chunk of stream) {
        id = chunk.id;
        text += chunk.choices[0]?.delta?.content ?? "";
        if (words(text) >= 60) controller.abort(); // most of it, then the socket closes
      }
    })();
    await reading.catch(() => {});
    expect(words(text)).toBeGreaterThanOrEqual(60);
    expect(words(text)).toBeLessThan(101);

    const gen = await generation(id);
    expect(gen.status).toBe("cancelled");
    expect(gen.total_cost).toBeGreaterThan(0);
    const nanos = Math.round(gen.total_cost * 1e9);
    expect(nanos).toBeLessThan(fullNanos);
    expect(gen.tokens_completion).toBeGreaterThan(0);
    expect(await keyUsage()).toBe(usageBefore + nanos);
  });
});
