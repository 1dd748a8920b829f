import { purchaseBoundsFrom } from "@switchyard/fees";
import { parseOrThrow, upstreamError } from "@switchyard/schemas";
import { Hono } from "hono";
import Stripe from "stripe";
import { z } from "zod";
import { dashboardUser, purchasingAccount } from "../auth/dashboard-session.ts";
import type { AppEnv } from "../env.ts";
import { readJson } from "../lib/read-json.ts";
import { stripeClient } from "../stripe-client.ts";
import { createCheckout } from "./create-checkout.ts";

const checkoutRequest = z.object({
  workspace_id: z.string().min(1),
  /** Credits to buy, in cents (the fee is added on top). */
  amount_cents: z.number(),
});

/** POST /billing/checkout: the signed-in dashboard user starts a credit purchase (its body is capped in app.ts). */
export const checkout = new Hono<AppEnv>().post("/", async (c) => {
  const userId = await dashboardUser(c, c.env.SESSION_COOKIE_NAME);
  const body = parseOrThrow(checkoutRequest, await readJson(c.req.raw));
  const accountId = await purchasingAccount(c.env.DB, userId, body.workspace_id);
  const result = await createCheckout({
    stripe: stripeClient(c.env),
    db: c.env.DB,
    accountId,
    workspaceId: body.workspace_id,
    amountCents: body.amount_cents,
    successUrl: c.env.CHECKOUT_SUCCESS_URL,
    cancelUrl: c.env.CHECKOUT_CANCEL_URL,
    bounds: purchaseBoundsFrom(c.env.PURCHASE_MIN_CENTS, c.env.PURCHASE_MAX_CENTS),
  }).catch((error: unknown) => {
    // Stripe's own message may name our account or key: log its type, tell the user only that Stripe failed.
    if (error instanceof Stripe.errors.StripeError) {
      console.error("stripe checkout failed", error.type, error.statusCode);
      throw upstreamError("Stripe could not start the checkout: try again in a moment");
    }
    throw error;
  });
  return c.json({
    url: result.url,
    session_id: result.sessionId,
    purchase_id: result.purchaseId,
    amount_cents: result.creditsCents,
    fee_cents: result.feeCents,
    total_cents: result.totalCents,
  });
});
