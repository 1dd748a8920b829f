/** Bindings and configuration of the gateway worker (see wrangler.toml). */
export interface Env {
  DB: D1Database;
  /** Recent failures of every provider endpoint, shared by all isolates (health/provider-health.ts). */
  PROVIDER_HEALTH: DurableObjectNamespace<import("./health/provider-health.ts").ProviderHealth>;
  /** Measured latency, throughput and uptime of every endpoint, per minute (health/endpoint-stats.ts). */
  ENDPOINT_STATS: DurableObjectNamespace<import("./health/endpoint-stats.ts").EndpointStats>;
  /** Milliseconds between an isolate's stats batches to ENDPOINT_STATS (default 10 000; tests use 0). */
  STATS_FLUSH_MS?: string;
  /** `:free` request counters, one object per API key (routing/free-tier-limiter.ts). */
  FREE_TIER_LIMITER: DurableObjectNamespace<import("./routing/free-tier-limiter.ts").FreeTierLimiter>;
  /** One AccountSpend per account: reserves and settles spend (accounts/spend/account-spend.ts). */
  ACCOUNT_SPEND: DurableObjectNamespace<import("./accounts/spend/account-spend.ts").AccountSpend>;
  /** Where per-request records go once past retention (NDJSON, gzip, one object per account per UTC day). */
  RECORDS_ARCHIVE?: R2Bucket;
  /** Whole UTC days a per-request record stays in its account's spend object (default 30). */
  RECORD_RETENTION_DAYS?: string;
  /** JSON map provider slug → base URL, overriding the catalog (tests, benchmarks, self-hosted upstreams). */
  PROVIDER_BASE_URLS?: string;
  /** Largest request body accepted, in bytes. */
  MAX_BODY_BYTES?: string;
  /** Milliseconds to wait for an upstream's response headers before trying the next endpoint. */
  FIRST_BYTE_TIMEOUT_MS?: string;
  /** Milliseconds a committed stream may go without a byte from the upstream before it is ended with an error event. */
  STREAM_IDLE_TIMEOUT_MS?: string;
  /** `:free` requests allowed per key per minute / per UTC day (defaults 20 / 1000). */
  FREE_REQUESTS_PER_MINUTE?: string;
  FREE_REQUESTS_PER_DAY?: string;
  /** Base64 of 32 bytes: the master key BYOK provider keys are sealed under; BYOK_MASTER_KEY_V2, _V3… rotate it. */
  BYOK_MASTER_KEY?: string;
  /** Hosted provider keys, as secrets: OPENAI_API_KEY, ANTHROPIC_API_KEY, … */
  [secret: string]: unknown;
}

export interface Variables {
  auth: import("./accounts/auth.ts").AuthContext;
}

export type AppEnv = { Bindings: Env; Variables: Variables };
