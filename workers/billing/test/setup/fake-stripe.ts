import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import type { TestProject } from "vitest/node";

/**
 * A local fake of the Stripe API, just wide enough for Checkout: the worker's
 * real `stripe` SDK talks to it over HTTP (STRIPE_API_BASE). It parses the
 * form-encoded body the SDK sends, answers a realistic Checkout Session, honours
 * Idempotency-Key like Stripe, and records every request for the tests to read
 * (GET /__requests). A secret key other than the test one gets Stripe's 401.
 */
export const TEST_SECRET_KEY = "sk_test_switchyard_fake_0000000000000000";

interface Recorded {
  method: string;
  path: string;
  authorization: string | undefined;
  idempotencyKey: string | undefined;
  body: Record<string, unknown>;
}

declare module "vitest" {
  interface ProvidedContext {
    fakeStripeUrl: string;
  }
}

export default async function startFakeStripe(project: TestProject) {
  const recorded: Recorded[] = [];
  const byIdempotencyKey = new Map<string, unknown>();
  let sessions = 0;

  const server = createServer(async (req, res) => {
    const body = await readBody(req);
    const url = new URL(req.url ?? "/", "http://fake");
    if (req.method === "GET" && url.pathname === "/__requests") return send(res, 200, recorded);
    if (req.method === "DELETE" && url.pathname === "/__requests") {
      recorded.length = 0;
      return send(res, 200, {});
    }
    const params = parseStripeForm(body);
    const idempotencyKey = header(req, "idempotency-key");
    recorded.push({ method: req.method ?? "", path: url.pathname, authorization: header(req, "authorization"), idempotencyKey, body: params });
    if (header(req, "authorization") !== `Bearer ${TEST_SECRET_KEY}`) {
      return send(res, 401, { error: { message: "Invalid API Key provided", type: "invalid_request_error" } });
    }
    if (req.method === "POST" && url.pathname === "/v1/checkout/sessions") {
      const replay = idempotencyKey && byIdempotencyKey.get(idempotencyKey);
      if (replay) return send(res, 200, replay);
      const session = checkoutSession(params, ++sessions);
      if (idempotencyKey) byIdempotencyKey.set(idempotencyKey, session);
      return send(res, 200, session);
    }
    return send(res, 404, { error: { message: `Unrecognized request URL (${req.method}: ${url.pathname})`, type: "invalid_request_error" } });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  project.provide("fakeStripeUrl", `http://127.0.0.1:${port}`);
  return () => new Promise<void>((resolve) => server.close(() => resolve()));
}

function checkoutSession(params: Record<string, any>, n: number) {
  const id = `cs_test_${String(n).padStart(4, "0")}${Math.random().toString(36).slice(2, 12)}`;
  const items: any[] = Object.values(params.line_items ?? {});
  const total = items.reduce((sum, item) => sum + Number(item.price_data?.unit_amount ?? 0) * Number(item.quantity ?? 1), 0);
  return {
    id,
    object: "checkout.session",
    amount_subtotal: total,
    amount_total: total,
    cancel_url: params.cancel_url ?? null,
    client_reference_id: params.client_reference_id ?? null,
    created: Math.floor(Date.now() / 1000),
    currency: "usd",
    customer: null,
    expires_at: Math.floor(Date.now() / 1000) + 86_400,
    livemode: false,
    metadata: params.metadata ?? {},
    mode: params.mode,
    payment_intent: null,
    payment_status: "unpaid",
    status: "open",
    success_url: params.success_url ?? null,
    url: `https://checkout.stripe.com/c/pay/${id}`,
  };
}

/** `a[b][0][c]=1` → { a: { b: { "0": { c: "1" } } } }, as Stripe reads it. */
export function parseStripeForm(body: string): Record<string, any> {
  const out: Record<string, any> = {};
  for (const [key, value] of new URLSearchParams(body)) {
    const path = key.split(/\[|\]\[|\]/).filter(Boolean);
    let node = out;
    for (const part of path.slice(0, -1)) node = node[part] ??= {};
    node[path.at(-1)!] = value;
  }
  return out;
}

function header(req: IncomingMessage, name: string): string | undefined {
  const v = req.headers[name];
  return Array.isArray(v) ? v[0] : v;
}

async function readBody(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString("utf8");
}

function send(res: ServerResponse, status: number, body: unknown) {
  res.writeHead(status, { "content-type": "application/json", "request-id": `req_fake_${Date.now()}` });
  res.end(JSON.stringify(body));
}
