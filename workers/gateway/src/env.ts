/** Bindings and configuration of the gateway worker (see wrangler.toml). */
export interface Env {
  DB: D1Database;
  /** JSON map provider slug → base URL, overriding the catalog (tests, benchmarks, self-hosted upstreams). */
  PROVIDER_BASE_URLS?: string;
  /** Largest request body accepted, in bytes. */
  MAX_BODY_BYTES?: string;
  /** Milliseconds to wait for an upstream's response headers before trying the next endpoint. */
  FIRST_BYTE_TIMEOUT_MS?: string;
  /** Base64 of 32 bytes: the master key BYOK provider keys are sealed under; BYOK_MASTER_KEY_V2, _V3… rotate it. */
  BYOK_MASTER_KEY?: string;
  /** Hosted provider keys, as secrets: OPENAI_API_KEY, ANTHROPIC_API_KEY, … */
  [secret: string]: unknown;
}

export interface Variables {
  auth: import("./accounts/auth.ts").AuthContext;
}

export type AppEnv = { Bindings: Env; Variables: Variables };
