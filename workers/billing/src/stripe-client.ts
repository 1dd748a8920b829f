import Stripe from "stripe";

let cached: { key: string; base: string; client: Stripe } | undefined;

/**
 * The Stripe SDK over fetch (workerd has no Node http). STRIPE_API_BASE points it
 * at a fake or stripe-mock in tests; unset, it talks to api.stripe.com.
 * One client per isolate, rebuilt only if the configuration changes.
 */
export function stripeClient(env: { STRIPE_SECRET_KEY: string; STRIPE_API_BASE?: string }): Stripe {
  const base = env.STRIPE_API_BASE ?? "";
  if (cached?.key === env.STRIPE_SECRET_KEY && cached.base === base) return cached.client;
  const client = new Stripe(env.STRIPE_SECRET_KEY, {
    httpClient: Stripe.createFetchHttpClient(),
    maxNetworkRetries: 2,
    ...(base ? hostOptions(base) : {}),
  });
  cached = { key: env.STRIPE_SECRET_KEY, base, client };
  return client;
}

function hostOptions(base: string) {
  const url = new URL(base);
  const protocol = url.protocol === "http:" ? "http" : "https";
  return { host: url.hostname, port: url.port || (protocol === "http" ? 80 : 443), protocol } as const;
}

/** Verifies webhook signatures with WebCrypto (the synchronous Node provider does not exist in workerd). */
export const webhookCrypto = Stripe.createSubtleCryptoProvider();
