import { env } from "cloudflare:test";
import fc from "fast-check";
import Stripe from "stripe";
import { beforeAll, describe, expect, it } from "vitest";
import { countingBody, expectNoServerError, withinHangLimit } from "../../gateway/test/setup/answers.ts";
import { everyJsonType } from "../../gateway/test/setup/fuzz-values.ts";
import { type Buyer, call, seedBuyer } from "./setup/helpers.ts";

/**
 * Property: whatever reaches the billing worker's public endpoints — arbitrary
 * JSON, wrong types, bytes that are not UTF-8, deep nesting, huge strings,
 * forged or missing signatures, junk cookies and CSRF tokens — the answer is a
 * 4xx JSON error in the gateway's shape (or a real checkout for a valid
 * request), never a 500, never a hang, and the ledger does not move.
 */
let buyer: Buyer;
beforeAll(async () => {
  buyer = await seedBuyer("fuzzbilling");
});

const send = (path: string, init: Parameters<typeof call>[1]) => withinHangLimit(call(path, init), `${init?.method} ${path}`);

const ledgerRows = async () => (await env.DB.prepare("SELECT COUNT(*) AS n FROM ledger_entries").first<{ n: number }>())!.n;

const anything = everyJsonType(fc.constantFrom(500, 500.5, -500, 0, 1e308, Number.MAX_SAFE_INTEGER + 2, 1_000_001, "1000", "", "x".repeat(10_000)));

const rawBody = fc.oneof(
  fc.jsonValue().map((v) => JSON.stringify(v)),
  fc.uint8Array({ minLength: 1, maxLength: 200 }),
  fc.constantFrom("[".repeat(100_000) + "]".repeat(100_000), "{", "", "null", "\uFEFF{}"),
);

describe("POST /billing/checkout", () => {
  it("request-shaped bodies with wrong types from a signed-in owner: a checkout or a 4xx", async () => {
    const body = fc.record({ workspace_id: fc.oneof(fc.constant(buyer.workspaceId), anything), amount_cents: fc.oneof(fc.integer({ min: 400, max: 1_100_000 }), anything) }, { requiredKeys: [] });
    await fc.assert(
      fc.asyncProperty(body, async (json) => {
        const res = await send("/billing/checkout", { method: "POST", json, headers: { cookie: `sy_session=${buyer.cookie}`, "x-csrf-token": buyer.csrf } });
        await expectNoServerError(res, JSON.stringify(json).slice(0, 200));
      }),
      { numRuns: 60 },
    );
  });

  it("any bytes, cookies and CSRF tokens: never a 500, no credits granted", async () => {
    const ledgerBefore = await ledgerRows();
    const cookie = fc.oneof(fc.constant(`sy_session=${buyer.cookie}`), fc.constant(""), fc.string({ maxLength: 80 }).filter((s) => /^[\x20-\x7e]*$/.test(s)).map((s) => `sy_session=${s}`), fc.constant("sy_session=a; sy_session=b"));
    const csrf = fc.oneof(fc.constant(buyer.csrf), fc.constant(""), fc.string({ maxLength: 80 }).filter((s) => /^[\x20-\x7e]*$/.test(s)));
    await fc.assert(
      fc.asyncProperty(rawBody, cookie, csrf, async (body, c, token) => {
        const res = await send("/billing/checkout", { method: "POST", body: body as BodyInit, headers: { cookie: c, "x-csrf-token": token, "content-type": "application/json" } });
        await expectNoServerError(res, `cookie=${c.slice(0, 40)} body=${String(body).slice(0, 80)}`);
      }),
      { numRuns: 80 },
    );
    expect(await ledgerRows()).toBe(ledgerBefore);
  });
});

describe("POST /billing/webhook", () => {
  const signed = async (payload: string, secret = env.STRIPE_WEBHOOK_SECRET) =>
    Stripe.webhooks.generateTestHeaderStringAsync({ payload, secret, cryptoProvider: Stripe.createSubtleCryptoProvider() });

  it("garbage bodies with garbage, missing or duplicated signatures: 400, nothing changes", async () => {
    const ledgerBefore = await ledgerRows();
    const signature = fc.oneof(
      fc.constant(undefined),
      fc.string({ maxLength: 200 }).filter((s) => /^[\x20-\x7e]*$/.test(s)),
      fc.constantFrom("t=1,v1=abc", `t=${Math.floor(Date.now() / 1000)},v1=${"0".repeat(64)}`, "t=,v1=", "v1=,t=", "t=1,t=2,v1=a,v1=b", "t=99999999999999999999,v1=x"),
    );
    await fc.assert(
      fc.asyncProperty(rawBody, signature, async (body, sig) => {
        const res = await send("/billing/webhook", { method: "POST", body: body as BodyInit, headers: { "content-type": "application/json", ...(sig === undefined ? {} : { "stripe-signature": sig }) } });
        expect(res.status).toBe(400);
        await expectNoServerError(res, `sig=${sig} body=${String(body).slice(0, 80)}`);
      }),
      { numRuns: 80 },
    );
    expect(await ledgerRows()).toBe(ledgerBefore);
  });

  it("validly signed events of any shape: never a 500, no credits granted", async () => {
    const ledgerBefore = await ledgerRows();
    const eventLike = fc.record(
      {
        id: fc.oneof(fc.string({ minLength: 1, maxLength: 40 }).map((s) => `evt_${s}`), anything),
        type: fc.oneof(fc.constantFrom("checkout.session.completed", "checkout.session.async_payment_succeeded", "charge.refunded", "charge.dispute.funds_withdrawn", "charge.dispute.funds_reinstated", "customer.created"), anything),
        data: fc.oneof(
          fc.record({ object: fc.oneof(fc.record({ id: anything, metadata: fc.oneof(fc.dictionary(fc.string(), fc.string()), anything), amount_total: anything, currency: anything, payment_status: anything, amount_refunded: anything, amount: anything, payment_intent: anything }, { requiredKeys: [] }), anything) }, { requiredKeys: [] }),
          anything,
        ),
        object: fc.constant("event"),
      },
      { requiredKeys: ["id", "type"] },
    );
    await fc.assert(
      fc.asyncProperty(eventLike, async (event) => {
        const payload = JSON.stringify(event);
        const res = await send("/billing/webhook", { method: "POST", body: payload, headers: { "content-type": "application/json", "stripe-signature": await signed(payload) } });
        await expectNoServerError(res, payload.slice(0, 200));
      }),
      { numRuns: 80 },
    );
    // nothing here names a real purchase (no purchase metadata with an account that matches), so nothing is credited
    expect(await ledgerRows()).toBe(ledgerBefore);
  });
});

describe("bodies over the limit", () => {
  it.each([
    ["/billing/webhook", { "stripe-signature": "t=1,v1=0" }],
    ["/billing/checkout", {}],
  ] as const)("%s: a 64 MiB stream gets a 413 without being read whole", async (path, headers) => {
    const body = countingBody(64 * 1024 * 1024);
    const res = await call(path, {
      method: "POST",
      body: body.stream,
      headers: { "content-type": "application/json", cookie: `sy_session=${buyer.cookie}`, "x-csrf-token": buyer.csrf, ...headers },
      duplex: "half",
    } as RequestInit);
    expect(res.status).toBe(413);
    expect(((await res.json()) as any).error.code).toBe(413);
    expect(body.pulled()).toBeLessThanOrEqual(2 * 1024 * 1024);
  });

  it.each(["/billing/webhook", "/billing/checkout"])("%s: a declared Content-Length over the limit gets a 413", async (path) => {
    const res = await call(path, { method: "POST", body: "x".repeat(2 * 1024 * 1024), headers: { "stripe-signature": "t=1,v1=0", cookie: `sy_session=${buyer.cookie}`, "x-csrf-token": buyer.csrf } });
    expect(res.status).toBe(413);
  });
});

describe("other methods and paths", () => {
  it("404 in the gateway's shape, never a 500", async () => {
    for (const [method, path] of [
      ["GET", "/billing/checkout"],
      ["GET", "/billing/webhook"],
      ["PUT", "/billing/webhook"],
      ["DELETE", "/billing/checkout"],
      ["GET", "/billing"],
      ["POST", "/billing/webhook/extra"],
      ["GET", `/${"x".repeat(100_000)}`],
    ] as const) {
      const res = await send(path, { method });
      expect(res.status, `${method} ${path.slice(0, 40)}`).toBe(404);
      await expectNoServerError(res, `${method} ${path.slice(0, 40)}`);
    }
  });
});
