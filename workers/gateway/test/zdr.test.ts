import { createExecutionContext, env, waitOnExecutionContext } from "cloudflare:test";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import worker from "../src/index.ts";
import { call, records } from "./setup/call.ts";
import { capturedLogs } from "./setup/capture-logs.ts";
import { clearHealth } from "./setup/health.ts";
import { seedTenant, type SeededTenant } from "./setup/seed.ts";
import { dumpAllStorage } from "./setup/storage-dump.ts";
import { type RawAnswer, type ScriptedUpstreams, scriptedUpstreams } from "./setup/upstreams.ts";

/**
 * Zero data retention: after a ZDR workspace's requests — answered, streamed,
 * failed over, failed in every way the gateway knows — no prompt or completion
 * text is anywhere in D1 (every row of every table), in the Durable Objects'
 * storage, or in the logs. The same requests from a workspace without ZDR are
 * the control: there the providers' error text (which quotes the prompt) is
 * kept in the attempt records, so the scan below can see such text when it exists.
 */
let upstreams: ScriptedUpstreams | undefined;
beforeEach(clearHealth);
afterEach(() => {
  upstreams?.restore();
  upstreams = undefined;
});

const marker = () => `ZDRMARK${crypto.randomUUID().replaceAll("-", "")}`;

/** An error from the provider that quotes the prompt back, as providers' validation errors do. */
const quotePrompt = (status: number): RawAnswer => ({
  raw: async (request) => {
    const { messages } = (await request.json()) as { messages: Array<{ content: string }> };
    const prompt = messages.at(-1)!.content;
    return new Response(JSON.stringify({ error: { message: `Invalid content in message: "${prompt}"`, type: "invalid_request_error" } }), {
      status,
      headers: { "content-type": "application/json" },
    });
  },
});

/** A streamed answer with its own (completion) text, then an in-stream error quoting it. */
const completionThenError = (completion: string): RawAnswer => ({
  raw: () => {
    const chunk = (delta: object) => `data: ${JSON.stringify({ id: "c", object: "chat.completion.chunk", created: 1, model: "echo", choices: [{ index: 0, delta, finish_reason: null }] })}\n\n`;
    const body = chunk({ role: "assistant", content: "" }) + chunk({ content: completion }) + `data: ${JSON.stringify({ error: { message: `moderation flagged "${completion}"` } })}\n\n`;
    return new Response(body, { headers: { "content-type": "text/event-stream" } });
  },
});

/** A non-streamed answer with its own (completion) text, cut in the middle. */
const completionCut = (completion: string): RawAnswer => ({
  raw: () => new Response(`{"id":"c","object":"chat.completion","choices":[{"index":0,"message":{"role":"assistant","content":"${completion}`, { headers: { "content-type": "application/json" } }),
});

interface Traffic {
  prompts: string[];
  completions: string[];
}

/**
 * Every path a request can take, each with its own marker in the prompt (and,
 * where the provider writes its own text, in the completion).
 */
async function sendEverything(tenant: SeededTenant): Promise<Traffic> {
  const prompts: string[] = [];
  const completions: string[] = [];
  const next = () => {
    const m = marker();
    prompts.push(m);
    return m;
  };
  const completion = () => {
    const m = marker();
    completions.push(m);
    return m;
  };
  const send = async (content: string, extra: Record<string, unknown> = {}, vars: Partial<Cloudflare.Env> = {}) => {
    const res = await call("/api/v1/chat/completions", {
      method: "POST",
      key: tenant.key,
      json: { model: "mock/echo", messages: [{ role: "system", content: `system ${content}` }, { role: "user", content }], ...extra },
      env: { ...upstreams!.env, ...vars },
    });
    await res.text();
    return res;
  };

  // answered, plain and streamed (the mock echoes the prompt: it is the completion too)
  upstreams!.script("mock-eu", []);
  upstreams!.script("mock", []);
  expect((await send(next())).status).toBe(200);
  expect((await send(next(), { stream: true })).status).toBe(200);
  // a tool call and JSON mode
  expect((await send(next(), { tools: [{ type: "function", function: { name: "lookup", parameters: { type: "object", properties: { q: { type: "string" } } } } }] })).status).toBe(200);
  expect((await send(next(), { response_format: { type: "json_object" } })).status).toBe(200);
  // failed over: the first endpoint's error quotes the prompt, the fallback model answers
  upstreams!.script("mock-eu", [quotePrompt(500)]);
  upstreams!.script("mock", [quotePrompt(500)]);
  expect((await send(next(), { models: ["mock/echo-eu-only"] })).status).toBe(200);
  // every endpoint fails, the caller's fault (400) and the providers' (503)
  upstreams!.script("mock-eu", [quotePrompt(400)]);
  upstreams!.script("mock", [quotePrompt(400)]);
  expect((await send(next())).status).toBe(400);
  upstreams!.script("mock-eu", [quotePrompt(503), quotePrompt(503)]);
  upstreams!.script("mock", [quotePrompt(503), quotePrompt(503)]);
  expect((await send(next())).status).toBeGreaterThanOrEqual(500);
  // a stream cut, a stream with an in-stream error quoting its own completion, a stall
  upstreams!.script("mock-eu", ["cut=2"]);
  upstreams!.script("mock", ["cut=2"]);
  await send(next(), { stream: true });
  upstreams!.script("mock-eu", [completionThenError(completion())]);
  upstreams!.script("mock", [completionThenError(completions.at(-1)!)]);
  await send(next(), { stream: true });
  upstreams!.script("mock-eu", ["stall=2"]);
  upstreams!.script("mock", ["stall=2"]);
  await send(next(), { stream: true }, { STREAM_IDLE_TIMEOUT_MS: "100" });
  // a non-streamed answer cut half-way, then answered by the fallback model
  upstreams!.script("mock-eu", [completionCut(completion())]);
  upstreams!.script("mock", [completionCut(completions.at(-1)!)]);
  await send(next(), { models: ["mock/echo-eu-only"] });
  // a client that leaves mid-stream
  upstreams!.script("mock-eu", ["chunk_delay=50,chunks=10"]);
  upstreams!.script("mock", ["chunk_delay=50,chunks=10"]);
  const ctx = createExecutionContext();
  const content = next();
  const res = await worker.fetch(
    new Request("http://gateway.test/api/v1/chat/completions", {
      method: "POST",
      headers: { authorization: `Bearer ${tenant.key}`, "content-type": "application/json" },
      body: JSON.stringify({ model: "mock/echo", messages: [{ role: "user", content }], stream: true }),
    }),
    { ...env, ...upstreams!.env },
    ctx,
  );
  const reader = res.body!.getReader();
  await reader.read();
  await reader.cancel();
  await waitOnExecutionContext(ctx);
  // bad input quoting the prompt: not JSON, and a wrong type
  await call("/api/v1/chat/completions", { method: "POST", key: tenant.key, body: `{"messages":[{"role":"user","content":"${next()}"}` });
  await call("/api/v1/chat/completions", { method: "POST", key: tenant.key, json: { model: "mock/echo", messages: [{ role: "user", content: next() }], temperature: "hot" } });
  return { prompts, completions };
}

const found = (text: string, traffic: Traffic) => [...traffic.prompts, ...traffic.completions].filter((m) => text.includes(m));

describe("zero data retention", () => {
  it("a ZDR workspace's prompts and completions are in no table, no Durable Object and no log line afterwards", async () => {
    const zdr = await seedTenant("zdr-on", 10_000_000_000, { zdr: true });
    upstreams = scriptedUpstreams({ "mock-eu": [], mock: [] });
    const logsFrom = capturedLogs().length;
    const traffic = await sendEverything(zdr);

    expect(found(await dumpAllStorage([zdr.accountId]), traffic)).toEqual([]);
    expect(found(capturedLogs().slice(logsFrom).join("\n"), traffic)).toEqual([]);
    // and the requests were recorded, as numbers only
    const rows = await records(zdr.accountId, "SELECT status, COUNT(*) AS n FROM generations WHERE workspace_id = ? GROUP BY status ORDER BY status", zdr.workspaceId);
    expect(rows).toEqual([
      { status: "cancelled", n: 1 },
      { status: "error", n: 5 }, // the two that nothing answered (400, 503) too: their attempts carry no provider text
      { status: "success", n: 6 },
    ]);
  });

  it("control: without ZDR, the same traffic leaves the providers' quoted text in the attempt records, where the scan finds it", async () => {
    const open = await seedTenant("zdr-off");
    upstreams = scriptedUpstreams({ "mock-eu": [], mock: [] });
    const traffic = await sendEverything(open);
    const stored = found(await dumpAllStorage([open.accountId]), traffic);
    expect(stored.length).toBeGreaterThan(0);
  });
});
