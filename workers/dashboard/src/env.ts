import type { Role } from "@switchyard/dashboards";

/** Bindings and configuration of the dashboard worker (see workers/dashboard/wrangler.toml). */
export interface Env {
  DB: D1Database;
  /** The gateway's per-account spend objects (script_name binding): the Activity list reads their per-request records. */
  ACCOUNT_SPEND: DurableObjectNamespace<import("../../gateway/src/accounts/spend/account-spend.ts").AccountSpend>;
  /** Where the API is, shown in the examples on the keys page. */
  GATEWAY_URL?: string;
  /** Credit purchase bounds in cents (as the billing worker reads them). */
  PURCHASE_MIN_CENTS?: string;
  PURCHASE_MAX_CENTS?: string;
  /** Secret. Without it the credits page says payments are not configured. Webhooks go to the billing worker. */
  STRIPE_SECRET_KEY?: string;
  /** "http://127.0.0.1:12111" in tests: a fake Stripe API. Unset = Stripe itself. */
  STRIPE_API_BASE?: string;
  /**
   * Secret, shared with the gateway: base64 of 32 bytes, encrypts BYOK provider keys (@switchyard/byok; _V2… for rotation).
   * The sign-in device cookies' HMAC key is derived from it (HKDF, auth/device-cookie.ts); without it none is issued.
   */
  BYOK_MASTER_KEY?: string;
}

export interface SignedInUser {
  id: string;
  email: string;
  sessionId: string;
  csrfToken: string;
}

export interface WorkspaceAccess {
  id: string;
  name: string;
  accountId: string;
  role: Role;
}

export interface Variables {
  /** Set by loadSession when the request carries a live session cookie. */
  user: SignedInUser | undefined;
  /** Set by loadWorkspace on /w/:workspaceId routes, after the membership check. */
  workspace: WorkspaceAccess;
  /** Every workspace the user belongs to, for the switcher. */
  workspaces: WorkspaceAccess[];
}

export type AppEnv = { Bindings: Env; Variables: Variables };
