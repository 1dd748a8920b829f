import { createExecutionContext, env, waitOnExecutionContext } from "cloudflare:test";
import { beforeAll, describe, expect, it } from "vitest";
import { DEFAULT_MAX_BODY_BYTES } from "../src/middleware/json-body.ts";
import worker from "../src/index.ts";
import { countingBody } from "./setup/answers.ts";
import { seedKey, seedTenant } from "./setup/seed.ts";

/**
 * Bodies over the limit get a 413 without being read whole: a streamed body
 * with no Content-Length is counted as it arrives and dropped once past the
 * limit. The source below counts what the gateway pulls from it.
 */
const CHUNK = 64 * 1024; // what countingBody produces per pull

async function send(method: string, path: string, key: string, body: BodyInit, extra: Partial<Cloudflare.Env> = {}, headers: Record<string, string> = {}) {
  const ctx = createExecutionContext();
  const request = new Request(`http://gateway.test${path}`, {
    method,
    body,
    headers: { authorization: `Bearer ${key}`, "content-type": "application/json", ...headers },
    duplex: "half",
  } as RequestInit);
  const res = await worker.fetch(request, { ...env, ...extra }, ctx);
  const json = (await res.json()) as { error: { code: number; message: string } };
  await waitOnExecutionContext(ctx);
  return { status: res.status, json };
}

let inference: string;
let management: string;
let hash: string;
beforeAll(async () => {
  const t = await seedTenant("body-limit");
  inference = t.key;
  management = (await seedKey(t.workspaceId, "body-limit", { kind: "management" })).key;
  hash = (await seedKey(t.workspaceId, "body-limit-target")).hash;
});

describe("413 without reading the body whole", () => {
  const LIMIT = 256 * 1024;

  it.each(["/api/v1/chat/completions", "/api/v1/completions", "/api/v1/embeddings"])("%s: a 64 MiB stream with no Content-Length stops being read just past the limit", async (path) => {
    const body = countingBody(64 * 1024 * 1024);
    const res = await send("POST", path, inference, body.stream, { MAX_BODY_BYTES: String(LIMIT) });
    expect(res.status).toBe(413);
    expect(res.json.error).toEqual({ code: 413, message: `Request body is larger than the limit of ${LIMIT} bytes` });
    expect(body.pulled()).toBeGreaterThan(LIMIT);
    expect(body.pulled()).toBeLessThanOrEqual(LIMIT + 2 * CHUNK); // the limit, plus what was in flight
    expect(body.cancelled()).toBe(true);
  });

  it("chat completions: the same without a valid key (the limit applies before auth)", async () => {
    const body = countingBody(64 * 1024 * 1024);
    const res = await send("POST", "/api/v1/chat/completions", "sk-sy-v1-nobody-000000000000", body.stream, { MAX_BODY_BYTES: String(LIMIT) });
    expect(res.status).toBe(413);
    expect(body.pulled()).toBeLessThanOrEqual(LIMIT + 2 * CHUNK);
  });

  it.each([
    ["POST", () => "/api/v1/keys"],
    ["PATCH", () => `/api/v1/keys/${hash}`],
  ])("%s on the provisioning API: a stream past the default 4 MiB limit", async (method, path) => {
    const body = countingBody(64 * 1024 * 1024);
    const res = await send(method, path(), management, body.stream);
    expect(res.status).toBe(413);
    expect(res.json.error.code).toBe(413);
    expect(body.pulled()).toBeGreaterThan(DEFAULT_MAX_BODY_BYTES);
    expect(body.pulled()).toBeLessThanOrEqual(DEFAULT_MAX_BODY_BYTES + 2 * CHUNK);
    expect(body.cancelled()).toBe(true);
  });

  it("a declared Content-Length over the limit is refused before a byte is read", async () => {
    const res = await send("POST", "/api/v1/chat/completions", inference, "x".repeat(LIMIT + 1), { MAX_BODY_BYTES: String(LIMIT) });
    expect(res.status).toBe(413);
    const keys = await send("POST", "/api/v1/keys", management, "x".repeat(DEFAULT_MAX_BODY_BYTES + 1));
    expect(keys.status).toBe(413);
  });

  it("a body just under the limit is read and judged on its content", async () => {
    const padded = JSON.stringify({ model: "mock/echo", messages: [{ role: "user", content: "hi" }], max_tokens: 5, pad: "p".repeat(LIMIT - 200) });
    expect(padded.length).toBeLessThanOrEqual(LIMIT);
    const res = await send("POST", "/api/v1/chat/completions", inference, padded, { MAX_BODY_BYTES: String(LIMIT) });
    expect(res.status).not.toBe(413);
    expect(res.status).toBeLessThan(500);
  });
});
