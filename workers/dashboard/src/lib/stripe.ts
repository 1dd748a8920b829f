import Stripe from "stripe";
import type { Env } from "../env.ts";

/**
 * The Stripe client, over fetch (the Workers runtime has no Node http). Tests point
 * STRIPE_API_BASE at a local fake Stripe API; unset, it is api.stripe.com.
 */
export function stripeClient(env: Env): Stripe | null {
  if (!env.STRIPE_SECRET_KEY) return null;
  const base = env.STRIPE_API_BASE ? new URL(env.STRIPE_API_BASE) : null;
  return new Stripe(env.STRIPE_SECRET_KEY, {
    httpClient: Stripe.createFetchHttpClient(),
    maxNetworkRetries: 1,
    ...(base ? { host: base.hostname, port: base.port || (base.protocol === "https:" ? 443 : 80), protocol: base.protocol.replace(":", "") as "http" | "https" } : {}),
  });
}
