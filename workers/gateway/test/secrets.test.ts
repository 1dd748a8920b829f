import { env } from "cloudflare:test";
import { afterEach, describe, expect, it } from "vitest";
import { call, sseData } from "./setup/call.ts";
import { giveByokKey } from "./setup/byok.ts";
import { capturedLogs } from "./setup/capture-logs.ts";
import { linesWithSecrets } from "./setup/secret-patterns.ts";
import { clearHealth } from "./setup/health.ts";
import { seedTenant } from "./setup/seed.ts";
import { dumpAllStorage } from "./setup/storage-dump.ts";
import { type ScriptedUpstreams, scriptedUpstreams } from "./setup/upstreams.ts";

/**
 * Secrets — API keys, the workspaces' own provider keys, hosted provider keys —
 * appear in no response, no stored row and no log line, even when a provider
 * echoes the key it was sent. Every test file's logs are also checked after it
 * runs (setup/capture-logs.ts); the first tests here prove that capture sees
 * the worker's and its Durable Objects' own lines.
 */
let upstreams: ScriptedUpstreams | undefined;
afterEach(async () => {
  upstreams?.restore();
  upstreams = undefined;
  await clearHealth();
});

const HOSTED_KEY = "sk-hosted-secret-reliability-0123456789";
const OWN_KEY = "sk-own-reliability-secret-key-9876543210";

/** A provider that quotes the key it was sent in its error, as some do. */
const echoKey = (status: number) => ({
  raw: (request: Request) =>
    new Response(JSON.stringify({ error: { message: `Incorrect API key provided: ${request.headers.get("authorization")?.slice(7)}`, type: "invalid_request_error", code: "invalid_api_key" } }), {
      status,
      headers: { "content-type": "application/json" },
    }),
});

/** A stream that starts, then reports an in-stream error quoting the key. */
const echoKeyMidStream = {
  raw: (request: Request) => {
    const key = request.headers.get("authorization")?.slice(7);
    const chunk = (delta: object) => `data: ${JSON.stringify({ id: "c", object: "chat.completion.chunk", created: 1, model: "echo", choices: [{ index: 0, delta, finish_reason: null }] })}\n\n`;
    const body = chunk({ role: "assistant", content: "" }) + chunk({ content: "Hello" }) + `data: ${JSON.stringify({ error: { message: `key ${key} was revoked`, type: "server_error" } })}\n\n`;
    return new Response(body, { headers: { "content-type": "text/event-stream" } });
  },
};

describe("log capture sees what the worker logs", () => {
  it("lines logged by the worker itself are captured", async () => {
    const t = await seedTenant("capture-worker");
    const from = capturedLogs().length;
    await call("/api/v1/chat/completions", { method: "POST", key: t.key, json: { model: "mock/echo", messages: [{ role: "user", content: "x" }], max_tokens: 5 }, env: { PROVIDER_BASE_URLS: "{not json" } });
    expect(capturedLogs().slice(from).join("\n")).toContain("PROVIDER_BASE_URLS is not valid JSON");
  });

  it("lines logged inside a Durable Object are captured", async () => {
    const t = await seedTenant("capture-do", 10_000);
    const spend = env.ACCOUNT_SPEND.get(env.ACCOUNT_SPEND.idFromName(t.accountId));
    const at = Date.now();
    await spend.reserve({ accountId: t.accountId, reservationId: "gen-refused", amountNanos: 1_000, keyId: t.keyId, keyLimitNanos: null, keyLimitReset: "none", workspaceId: t.workspaceId, workspaceBudgetNanos: null, now: at });
    const from = capturedLogs().length;
    // a generation record the object's SQLite refuses (NOT NULL status): the object logs it
    const generation = { id: "gen-refused", accountId: t.accountId, workspaceId: t.workspaceId, apiKeyId: t.keyId, model: "mock/echo", status: null, costNanos: 0, createdAt: at };
    await spend.settle({ reservationId: "gen-refused", accountId: t.accountId, keyId: t.keyId, usedAt: at, byok: null, generation: generation as never, entries: [] });
    expect(capturedLogs().slice(from).join("\n")).toContain("settlement not recorded");
  });

  it("the secret patterns catch a key", () => {
    expect(linesWithSecrets([`error: oops ${HOSTED_KEY}`, `log: ${OWN_KEY}`, "warn: sk-sy-v1-test-abcdef0123456789", "info: label sk-sy-v1-abc..."])).toHaveLength(3);
  });
});

describe("a provider that echoes the key it was sent", () => {
  it("the hosted key reaches the provider, and never the client, the generation record or the logs", async () => {
    const t = await seedTenant("echo-hosted");
    upstreams = scriptedUpstreams({ openai: [echoKey(401)] }, { OPENAI_API_KEY: HOSTED_KEY });
    const res = await call("/api/v1/chat/completions", { method: "POST", key: t.key, json: { model: "openai/gpt-4o-mini", messages: [{ role: "user", content: "hi" }] }, env: upstreams.env });
    expect(res.status).toBe(502);
    const text = await res.text();
    expect(text).toContain("Incorrect API key provided: [redacted]");
    expect(text).not.toContain(HOSTED_KEY);
    expect(await dumpAllStorage([t.accountId])).not.toContain(HOSTED_KEY);
    expect(capturedLogs().join("\n")).not.toContain(HOSTED_KEY);
  });

  it("a workspace's own key, refused with an echo, falls back to hosted credits: the key is in no response, row or log", async () => {
    const t = await seedTenant("echo-byok");
    await giveByokKey(t, "mock", OWN_KEY);
    upstreams = scriptedUpstreams({ mock: [echoKey(401)], "mock-eu": [] });
    const res = await call("/api/v1/chat/completions", { method: "POST", key: t.key, json: { model: "mock/echo", messages: [{ role: "user", content: "hi" }], provider: { sort: "price" } }, env: upstreams.env });
    expect(res.status).toBe(200);
    expect(res.headers.get("x-switchyard-attempts")).toMatch(/^mock mock\/echo 401, mock mock\/echo 200/);
    const stored = await dumpAllStorage([t.accountId]);
    expect(stored).toContain("Incorrect API key provided: [redacted]"); // the attempt's message is kept, without the key
    expect(stored).not.toContain(OWN_KEY);
    expect(await res.text()).not.toContain(OWN_KEY);
    expect(capturedLogs().join("\n")).not.toContain(OWN_KEY);
  });

  it("an in-stream error quoting the key reaches the client without it", async () => {
    const t = await seedTenant("echo-stream");
    upstreams = scriptedUpstreams({ openai: [echoKeyMidStream] }, { OPENAI_API_KEY: HOSTED_KEY });
    const res = await call("/api/v1/chat/completions", { method: "POST", key: t.key, json: { model: "openai/gpt-4o-mini", messages: [{ role: "user", content: "hi" }], stream: true }, env: upstreams.env });
    const text = await res.text();
    const last = JSON.parse(sseData(text).at(-2)!);
    expect(last.error.message).toContain("key [redacted] was revoked");
    expect(text).not.toContain(HOSTED_KEY);
    expect(await dumpAllStorage([t.accountId])).not.toContain(HOSTED_KEY);
  });
});

describe("the caller's own key", () => {
  it("is stored only as its hash, and never echoed by any endpoint, even in errors", async () => {
    const t = await seedTenant("own-key");
    const answers = await Promise.all([
      call("/api/v1/key", { key: t.key }),
      call("/api/v1/credits", { key: t.key }),
      call("/api/v1/keys", { key: t.key }), // 403: wrong kind
      call("/api/v1/chat/completions", { method: "POST", key: t.key, body: "{broken" }),
      call("/api/v1/chat/completions", { method: "POST", key: t.key, json: { model: "nobody/nothing", messages: [{ role: "user", content: t.key }] } }),
      call("/api/v1/chat/completions", { method: "POST", key: `${t.key}x` }),
    ]);
    for (const res of answers) expect(await res.text()).not.toContain(t.key);
    expect(await dumpAllStorage([t.accountId])).not.toContain(t.key);
    const row = await env.DB.prepare("SELECT prefix FROM api_keys WHERE id = ?").bind(t.keyId).first<{ prefix: string }>();
    expect(t.key.startsWith(row!.prefix)).toBe(true);
    expect(row!.prefix.length).toBeLessThanOrEqual(14);
  });
});
