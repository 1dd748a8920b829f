/** Stripe event payloads as Stripe sends them (only the fields the worker and a reader need). */

let n = 0;
const nextId = (prefix: string) => `${prefix}_test_${Date.now().toString(36)}${(++n).toString(36).padStart(4, "0")}`;

export interface PurchaseMeta {
  purchase_id: string;
  account_id: string;
  workspace_id: string;
  credits_cents: string;
  fee_cents: string;
}

export function metaFor(accountId: string, workspaceId: string, creditsCents: number, feeCents: number, purchaseId = nextId("pur")): PurchaseMeta {
  return { purchase_id: purchaseId, account_id: accountId, workspace_id: workspaceId, credits_cents: String(creditsCents), fee_cents: String(feeCents) };
}

export function event(type: string, object: object, id = nextId("evt")) {
  return {
    id,
    object: "event",
    api_version: "2025-01-27.acacia",
    created: Math.floor(Date.now() / 1000),
    livemode: false,
    pending_webhooks: 1,
    request: { id: null, idempotency_key: null },
    type,
    data: { object },
  };
}

export function paidSession(meta: PurchaseMeta, overrides: Record<string, unknown> = {}) {
  const total = Number(meta.credits_cents) + Number(meta.fee_cents);
  return {
    id: nextId("cs"),
    object: "checkout.session",
    amount_subtotal: total,
    amount_total: total,
    currency: "usd",
    client_reference_id: meta.account_id,
    metadata: meta,
    mode: "payment",
    payment_intent: nextId("pi"),
    payment_status: "paid",
    status: "complete",
    ...overrides,
  };
}

export function refundedCharge(meta: PurchaseMeta, amountRefundedCents: number, paymentIntent = nextId("pi"), chargeId = nextId("ch")) {
  const total = Number(meta.credits_cents) + Number(meta.fee_cents);
  return {
    id: chargeId,
    object: "charge",
    amount: total,
    amount_captured: total,
    amount_refunded: amountRefundedCents,
    currency: "usd",
    metadata: meta,
    paid: true,
    payment_intent: paymentIntent,
    refunded: amountRefundedCents >= total,
    status: "succeeded",
  };
}

/** A dispute as Stripe's charge.dispute.* events carry it: it names the payment intent, and has no purchase metadata. */
export function dispute(paymentIntent: string, amountCents: number, id = nextId("dp")) {
  return {
    id,
    object: "dispute",
    amount: amountCents,
    charge: nextId("ch"),
    currency: "usd",
    metadata: {},
    payment_intent: paymentIntent,
    reason: "fraudulent",
    status: "needs_response",
  };
}
