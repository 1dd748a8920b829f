import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { startMockUpstream, type MockUpstreamServer } from "../src/node-server.ts";
import { chatBody, chunksOf, contentChunks, contentOf, json, readAll, sseData, waitFor } from "./helpers.ts";

let server: MockUpstreamServer;

beforeAll(async () => {
  server = await startMockUpstream();
});
afterAll(async () => {
  await server.close();
});
beforeEach(() => {
  server.setScript([]);
});

function send(body: unknown, init: RequestInit & { headers?: Record<string, string> } = {}): Promise<Response> {
  return fetch(`${server.url}/chat/completions`, {
    method: "POST",
    ...init,
    headers: { "content-type": "application/json", ...init.headers },
    body: JSON.stringify(body),
  });
}

describe("node server", () => {
  it("listens on a random port and serves a completion", async () => {
    expect(server.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/v1$/);
    expect(server.port).toBeGreaterThan(0);
    const res = await send(chatBody("over the wire"));
    expect(res.status).toBe(200);
    expect((await json(res)).choices[0].message.content).toBe("Echo: over the wire");
  });

  it("records requests with parsed bodies and lower-cased headers", async () => {
    const before = server.requests.length;
    await send(chatBody("record me"), { headers: { authorization: "Bearer sk-x", "X-Custom": "1" } });
    const rec = server.requests[before]!;
    expect(rec).toMatchObject({ method: "POST", path: "/v1/chat/completions", body: chatBody("record me") });
    expect(rec.headers.authorization).toBe("Bearer sk-x");
    expect(rec.headers["x-custom"]).toBe("1");
    const models = await fetch(`${server.url}/models`);
    expect((await json(models)).data.length).toBeGreaterThan(0);
    expect(server.requests.at(-1)).toMatchObject({ method: "GET", path: "/v1/models", body: null });
  });

  it("streams chunks as they are produced, not buffered", async () => {
    // role, "Echo:", " a", " b", finish, [DONE]: 5 gaps of 50 ms
    const start = Date.now();
    const res = await send(chatBody("a b [mock:chunk_delay=50]", { stream: true }));
    const reader = res.body!.getReader();
    await reader.read();
    const firstAt = Date.now() - start;
    let text = "";
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      text += new TextDecoder().decode(value);
    }
    const total = Date.now() - start;
    expect(total).toBeGreaterThanOrEqual(240);
    expect(firstAt).toBeLessThan(total / 2);
    expect(sseData(text).at(-1)).toBe("[DONE]");
  });

  it("streamed text equals the plain answer", async () => {
    const plain = await json(await send(chatBody("lorem")));
    const streamed = chunksOf(await (await send(chatBody("lorem", { stream: true }))).text());
    expect(contentOf(streamed)).toBe(plain.choices[0].message.content);
  });

  it("status=429 carries retry-after; x-mock-scenario header works too", async () => {
    const res = await send(chatBody("hi [mock:status=429,retry_after=2]"));
    expect(res.status).toBe(429);
    expect(res.headers.get("retry-after")).toBe("2");
    expect((await json(res)).error.code).toBe("rate_limit_exceeded");
    const viaHeader = await send(chatBody("hi"), { headers: { "x-mock-scenario": "status=500" } });
    expect(viaHeader.status).toBe(500);
    expect((await json(viaHeader)).error.type).toBe("server_error");
  });

  it("latency delays the headers", async () => {
    const start = Date.now();
    const res = await send(chatBody("hi [mock:latency=120]"));
    expect(Date.now() - start).toBeGreaterThanOrEqual(115);
    expect(res.status).toBe(200);
  });

  it("chunks=20 gives 20 content chunks", async () => {
    const chunks = chunksOf(await (await send(chatBody("twenty [mock:chunks=20]", { stream: true }))).text());
    expect(contentChunks(chunks)).toHaveLength(20);
  });

  it("cut drops the connection: the body errors, no [DONE], not counted as a client abort", async () => {
    const abortedBefore = server.aborted;
    const res = await send(chatBody("a b c d e [mock:cut=2]", { stream: true }));
    expect(res.status).toBe(200);
    const { text, error } = await readAll(res.body!);
    expect(error).toBeDefined();
    expect(text).not.toContain("[DONE]");
    expect(text).not.toContain("finish_reason\":\"stop");
    expect(contentChunks(chunksOf(text))).toHaveLength(2);
    expect(server.aborted).toBe(abortedBefore);
  });

  it("stall: client abort is detected and counted", async () => {
    const before = server.aborted;
    const controller = new AbortController();
    const res = await send(chatBody("a b c [mock:stall=1]", { stream: true }), { signal: controller.signal });
    const reader = res.body!.getReader();
    const decoder = new TextDecoder();
    let text = "";
    // Events may be coalesced into one network read, so read until the one content chunk is in.
    while (!text.includes('"content":"Echo:"')) text += decoder.decode((await reader.read()).value);
    expect(text).not.toContain("[DONE]");
    controller.abort();
    await waitFor(() => server.aborted === before + 1);
  });

  it("hang: no headers until the client aborts, which is counted", async () => {
    const before = server.aborted;
    const controller = new AbortController();
    const pending = send(chatBody("hi [mock:hang]"), { signal: controller.signal });
    const early = await Promise.race([pending.then(() => "answered"), new Promise((r) => setTimeout(() => r("hung"), 60))]);
    expect(early).toBe("hung");
    controller.abort();
    await expect(pending).rejects.toThrow();
    await waitFor(() => server.aborted === before + 1);
  });

  it("script queue: first fails with 500, then 429, then succeeds", async () => {
    server.setScript([{ status: 500 }, { status: 429, retryAfter: 2 }, "ok"]);
    const r1 = await send(chatBody("hi"));
    const r2 = await send(chatBody("hi"));
    const r3 = await send(chatBody("hi"));
    const r4 = await send(chatBody("hi"));
    expect([r1.status, r2.status, r3.status, r4.status]).toEqual([500, 429, 200, 200]);
    expect(r2.headers.get("retry-after")).toBe("2");
  });

  it("a second server can start with a script", async () => {
    const other = await startMockUpstream({ script: ["status=503"] });
    try {
      expect(other.port).not.toBe(server.port);
      const res = await fetch(`${other.url}/chat/completions`, { method: "POST", body: JSON.stringify(chatBody("x")) });
      expect(res.status).toBe(503);
    } finally {
      await other.close();
    }
  });
});
