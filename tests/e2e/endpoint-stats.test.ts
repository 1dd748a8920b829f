import { startMockUpstream } from "@switchyard/mock-upstream/node";
import OpenAI from "openai";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type RunningGateway, startGateway } from "./gateway-process.ts";
import { readChatStream } from "./setup/read-chat-stream.ts";

/**
 * Measured endpoint stats end to end: traffic through `wrangler dev` with the
 * default 10 s stats interval (nothing shortened), two mock providers on loopback,
 * then the public endpoints list shows what was measured.
 */
type MockServer = Awaited<ReturnType<typeof startMockUpstream>>;
let us: MockServer;
let eu: MockServer;
let gateway: RunningGateway;
let client: OpenAI;

beforeAll(async () => {
  [us, eu] = await Promise.all([startMockUpstream(), startMockUpstream()]);
  gateway = await startGateway({ PROVIDER_BASE_URLS: JSON.stringify({ mock: us.url, "mock-eu": eu.url }) });
  client = new OpenAI({ baseURL: `${gateway.url}/api/v1`, apiKey: gateway.apiKey, maxRetries: 0 });
});

afterAll(async () => {
  await gateway?.stop();
  await Promise.all([us?.close(), eu?.close()]);
});

type Routed = OpenAI.ChatCompletionCreateParamsNonStreaming & { provider?: Record<string, unknown> };
type RoutedStream = OpenAI.ChatCompletionCreateParamsStreaming & { provider?: Record<string, unknown> };

describe("the endpoints list after traffic", () => {
  it("shows uptime, latency and throughput measured from the requests the gateway served", async () => {
    const before = await endpoints();
    expect(before.mock.uptime_last_30m).toBeNull();
    expect(before.mock.latency_last_30m).toBeNull();

    // mock fails once (the request fails over to mock-eu), then answers three times after 150 ms
    us.setScript(["status=500"]);
    await client.chat.completions.create({ model: "mock/echo", messages: [{ role: "user", content: "fail over" }], provider: { sort: "price" } } as Routed);
    for (let i = 0; i < 3; i++) {
      const stream = await client.chat.completions.create({
        model: "mock/echo",
        messages: [{ role: "user", content: `stream ${i} [mock:latency=150]` }],
        stream: true,
        stream_options: { include_usage: true },
        provider: { order: ["mock"] },
      } as RoutedStream);
      expect((await readChatStream(stream)).text.length).toBeGreaterThan(0);
    }

    const after = await endpoints();
    expect(after.mock).toMatchObject({ uptime_last_5m: 75, uptime_last_30m: 75, uptime_last_1d: 75 });
    expect(after["mock-eu"]).toMatchObject({ uptime_last_5m: 100, uptime_last_30m: 100, uptime_last_1d: 100 });
    expect(after.mock.latency_last_30m.p50).toBeGreaterThanOrEqual(140); // the 150 ms wait, within the histogram's 5 %
    expect(after.mock.throughput_last_30m.p50).toBeGreaterThan(0);
    expect(after["mock-eu"].latency_last_30m).not.toBeNull();
  });
});

/** The public endpoints list of mock/echo, by provider tag. */
async function endpoints(): Promise<Record<string, any>> {
  const res = await fetch(`${gateway.url}/api/v1/models/mock/echo/endpoints`);
  expect(res.status).toBe(200);
  const body = (await res.json()) as any;
  return Object.fromEntries(body.data.endpoints.map((e: any) => [e.tag, e]));
}
