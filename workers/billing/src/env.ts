/** Bindings and configuration of the billing worker (see workers/billing/wrangler.toml). */
export interface Env {
  DB: D1Database;
  STRIPE_SECRET_KEY: string;
  STRIPE_WEBHOOK_SECRET: string;
  /** Only to point the SDK at a fake or stripe-mock: "http://127.0.0.1:12111". */
  STRIPE_API_BASE?: string;
  PURCHASE_MIN_CENTS?: string;
  PURCHASE_MAX_CENTS?: string;
  /** Name of the dashboard's session cookie. */
  SESSION_COOKIE_NAME?: string;
  CHECKOUT_SUCCESS_URL: string;
  CHECKOUT_CANCEL_URL: string;
}

export type AppEnv = { Bindings: Env };
