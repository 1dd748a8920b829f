import { describe, expect, it } from "vitest";
import { countingBody } from "../../gateway/test/setup/answers.ts";
import { MAX_BODY_BYTES, MAX_WEBHOOK_BYTES } from "../src/lib/body-limit.ts";
import { call } from "./setup/helpers.ts";

/**
 * One body cap for every billing route, known or not, before any session lookup
 * or signature check: the webhook's (1 MiB) and everything else's (16 KiB). The
 * stream below counts what the worker pulls from it.
 */
const { chunk: CHUNK } = countingBody(0);

describe("the billing worker's body cap", () => {
  it.each([
    ["/billing/webhook", MAX_WEBHOOK_BYTES],
    ["/billing/checkout", MAX_BODY_BYTES],
    ["/health", MAX_BODY_BYTES],
    ["/billing/no-such-route", MAX_BODY_BYTES],
  ] as const)("POST %s: a 64 MiB stream with no Content-Length is a 413 once past %i bytes, not read further", async (path, limit) => {
    const body = countingBody(64 * 1024 * 1024);
    const res = await call(path, { method: "POST", body: body.stream, headers: { "content-type": "application/json", "stripe-signature": "t=1,v1=0" }, duplex: "half" } as RequestInit);
    expect(res.status).toBe(413);
    expect(await res.json()).toEqual({ error: { code: 413, message: `Request body is larger than the limit of ${limit} bytes` } });
    expect(body.pulled()).toBeGreaterThan(limit);
    expect(body.pulled()).toBeLessThanOrEqual(limit + 2 * CHUNK);
  });

  it.each(["/billing/webhook", "/billing/checkout", "/health", "/billing/no-such-route"])("PUT %s: a declared Content-Length over the cap is refused before a byte is read", async (path) => {
    const body = countingBody(64 * 1024 * 1024);
    const headers = { "content-type": "application/json", "content-length": String(64 * 1024 * 1024) };
    const res = await call(path, { method: "PUT", body: body.stream, headers, duplex: "half" } as RequestInit);
    expect(res.status).toBe(413);
    expect(body.pulled()).toBeLessThanOrEqual(CHUNK);
  });

  it("a checkout body just under its cap is read and judged on its content (not a 413)", async () => {
    const res = await call("/billing/checkout", { method: "POST", body: JSON.stringify({ pad: "p".repeat(MAX_BODY_BYTES - 100) }), headers: { "content-type": "application/json" } });
    expect(res.status).toBe(401); // signed out: the cap let it through to the session check
  });
});
