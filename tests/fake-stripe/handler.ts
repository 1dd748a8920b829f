/**
 * A fake of the slice of Stripe's API the dashboard uses: POST /v1/checkout/sessions
 * (form-encoded, as the `stripe` SDK sends it) answers a Checkout Session object,
 * and GET /pay/<id> plays the hosted checkout page. Web Request → Response, so it
 * runs as a Node server (browser tests) or as miniflare's outbound service.
 */
export interface FakeCheckoutSession {
  id: string;
  object: "checkout.session";
  mode: string;
  url: string;
  amount_total: number;
  currency: string;
  client_reference_id: string | null;
  customer_email: string | null;
  metadata: Record<string, string>;
  payment_status: "unpaid" | "paid";
  status: "open" | "complete";
  success_url: string;
  cancel_url: string;
  line_items: Array<{ name: string; unit_amount: number; quantity: number }>;
}

export interface FakeStripe {
  sessions: Map<string, FakeCheckoutSession>;
  /** Raw form bodies of the create calls, with their headers. */
  calls: Array<{ form: URLSearchParams; authorization: string | null; idempotencyKey: string | null }>;
  handle(request: Request): Promise<Response>;
  /** The webhook event Stripe sends once the session is paid. */
  completedEvent(sessionId: string): object;
}

const randomHex = (n: number) => Array.from(crypto.getRandomValues(new Uint8Array(n)), (b) => b.toString(16).padStart(2, "0")).join("");

function lineItems(form: URLSearchParams): FakeCheckoutSession["line_items"] {
  const items: FakeCheckoutSession["line_items"] = [];
  for (let i = 0; form.has(`line_items[${i}][quantity]`); i++) {
    items.push({
      name: form.get(`line_items[${i}][price_data][product_data][name]`) ?? "",
      unit_amount: Number(form.get(`line_items[${i}][price_data][unit_amount]`)),
      quantity: Number(form.get(`line_items[${i}][quantity]`)),
    });
  }
  return items;
}

function metadata(form: URLSearchParams): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of form) {
    const m = /^metadata\[(.+)\]$/.exec(k);
    if (m) out[m[1]!] = v;
  }
  return out;
}

export function createFakeStripe(publicBase: string): FakeStripe {
  const sessions = new Map<string, FakeCheckoutSession>();
  const calls: FakeStripe["calls"] = [];
  return {
    sessions,
    calls,
    async handle(request) {
      const url = new URL(request.url);
      if (request.method === "POST" && url.pathname === "/v1/checkout/sessions") {
        const form = new URLSearchParams(await request.text());
        calls.push({ form, authorization: request.headers.get("authorization"), idempotencyKey: request.headers.get("idempotency-key") });
        const items = lineItems(form);
        const id = `cs_test_${randomHex(12)}`;
        const session: FakeCheckoutSession = {
          id,
          object: "checkout.session",
          mode: form.get("mode") ?? "",
          url: `${publicBase}/pay/${id}`,
          amount_total: items.reduce((sum, item) => sum + item.unit_amount * item.quantity, 0),
          currency: form.get("line_items[0][price_data][currency]") ?? "usd",
          client_reference_id: form.get("client_reference_id"),
          customer_email: form.get("customer_email"),
          metadata: metadata(form),
          payment_status: "unpaid",
          status: "open",
          // Stripe fills in the template in the success URL.
          success_url: (form.get("success_url") ?? "").replace("{CHECKOUT_SESSION_ID}", id),
          cancel_url: form.get("cancel_url") ?? "",
          line_items: items,
        };
        sessions.set(id, session);
        return Response.json(session);
      }
      const pay = /^\/pay\/(cs_test_\w+)$/.exec(url.pathname);
      if (request.method === "GET" && pay && sessions.has(pay[1]!)) {
        const s = sessions.get(pay[1]!)!;
        const rows = s.line_items.map((i) => `<tr><td>${i.name}</td><td>$${(i.unit_amount / 100).toFixed(2)}</td></tr>`).join("");
        return new Response(
          `<!DOCTYPE html><title>Fake Stripe Checkout</title><body style="font-family:sans-serif;max-width:480px;margin:4rem auto">` +
            `<h1>Fake Stripe Checkout</h1><p>${s.customer_email}</p><table>${rows}</table>` +
            `<p id="total">Total: $${(s.amount_total / 100).toFixed(2)}</p></body>`,
          { headers: { "content-type": "text/html" } },
        );
      }
      return Response.json({ error: { type: "invalid_request_error", message: `No fake for ${request.method} ${url.pathname}` } }, { status: 404 });
    },
    completedEvent(sessionId) {
      const s = sessions.get(sessionId);
      if (!s) throw new Error(`unknown session ${sessionId}`);
      s.payment_status = "paid";
      s.status = "complete";
      const { line_items: _items, ...object } = s;
      return {
        id: `evt_${randomHex(12)}`,
        object: "event",
        type: "checkout.session.completed",
        api_version: "2026-10-28.endive",
        created: Math.floor(Date.now() / 1000),
        livemode: false,
        data: { object: { ...object, payment_intent: `pi_${randomHex(12)}` } },
      };
    },
  };
}
