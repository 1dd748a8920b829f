import type { Role } from "@switchyard/dashboards";

/** Bindings and configuration of the dashboard worker (see workers/dashboard/wrangler.toml). */
export interface Env {
  DB: D1Database;
  /** Where the API is, shown in the examples on the keys page. */
  GATEWAY_URL?: string;
  /** Credit purchase bounds in whole USD. */
  CREDIT_PURCHASE_MIN_USD?: string;
  CREDIT_PURCHASE_MAX_USD?: string;
  /** Secrets. Without STRIPE_SECRET_KEY the credits page says payments are not configured. */
  STRIPE_SECRET_KEY?: string;
  STRIPE_WEBHOOK_SECRET?: string;
  /** "http://127.0.0.1:12111" in tests: a fake Stripe API. Unset = Stripe itself. */
  STRIPE_API_BASE?: string;
  /** Base64 of 32 random bytes: the AES-256-GCM key that encrypts BYOK provider keys. */
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
