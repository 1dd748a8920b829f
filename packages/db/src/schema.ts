import { sql } from "drizzle-orm";
import { index, integer, primaryKey, sqliteTable, text, uniqueIndex } from "drizzle-orm/sqlite-core";

/**
 * The D1 schema. Money columns are INTEGER nano-dollars (1e-9 USD); SQLite
 * stores them as 64-bit integers. Times are unix milliseconds.
 */

const createdAt = () => integer("created_at").notNull().default(sql`(unixepoch() * 1000)`);
const bool = (name: string) => integer(name, { mode: "boolean" }).notNull().default(false);

export const users = sqliteTable("users", {
  id: text("id").primaryKey(),
  email: text("email").notNull().unique(),
  passwordHash: text("password_hash").notNull(),
  emailVerifiedAt: integer("email_verified_at"),
  /** TOTP secret (RFC 6238), AES-GCM sealed like BYOK keys; set while enrolling, live once `totpEnabledAt` is. */
  totpCiphertext: text("totp_ciphertext"),
  totpIv: text("totp_iv"),
  totpKeyVersion: integer("totp_key_version"),
  totpEnabledAt: integer("totp_enabled_at"),
  /** Set when the user's personal data was removed (account deletion): the row stays for the ledger's references. */
  deletedAt: integer("deleted_at"),
  createdAt: createdAt(),
});

/** The billing entity: credits belong to an account, shared by its workspaces. */
export const accounts = sqliteTable("accounts", {
  id: text("id").primaryKey(),
  name: text("name").notNull(),
  /** An owner requires every member to sign in with a second factor. */
  requireTotp: bool("require_totp"),
  /** Deleted accounts keep their ledger (money records the law requires); everything else is gone. */
  deletedAt: integer("deleted_at"),
  createdAt: createdAt(),
});

export const workspaces = sqliteTable(
  "workspaces",
  {
    id: text("id").primaryKey(),
    accountId: text("account_id").notNull().references(() => accounts.id),
    name: text("name").notNull(),
    zdr: bool("zdr"),
    euOnly: bool("eu_only"),
    monthlyBudgetNanos: integer("monthly_budget_nanos"),
    /** JSON of the `provider` preferences object applied to every request. */
    providerPreferences: text("provider_preferences"),
    /** Rate limits over the whole workspace (null: none); LiteLLM's names. */
    rpmLimit: integer("rpm_limit"),
    tpmLimit: integer("tpm_limit"),
    maxParallelRequests: integer("max_parallel_requests"),
    /** The exact-match response cache is on for every request of the workspace (a request can also opt in). */
    responseCache: bool("response_cache"),
    responseCacheTtlSeconds: integer("response_cache_ttl_seconds"),
    /** JSON guardrails: model allow/deny lists, a max_tokens cap, prompt redaction. Null: none. */
    guardrails: text("guardrails"),
    /** Spend limit per end user (`user`) per UTC month, in nano-dollars. Null: none. */
    userMonthlyLimitNanos: integer("user_monthly_limit_nanos"),
    deletedAt: integer("deleted_at"),
    createdAt: createdAt(),
  },
  (t) => [index("workspaces_account_idx").on(t.accountId)],
);

export const members = sqliteTable(
  "members",
  {
    workspaceId: text("workspace_id").notNull().references(() => workspaces.id),
    userId: text("user_id").notNull().references(() => users.id),
    role: text("role", { enum: ["owner", "admin", "member"] }).notNull(),
    createdAt: createdAt(),
  },
  (t) => [primaryKey({ columns: [t.workspaceId, t.userId] }), index("members_user_idx").on(t.userId)],
);

/** Only the SHA-256 of a key is stored; the key itself is shown once, at creation. */
export const apiKeys = sqliteTable(
  "api_keys",
  {
    id: text("id").primaryKey(),
    hash: text("hash").notNull().unique(),
    prefix: text("prefix").notNull(),
    name: text("name").notNull(),
    workspaceId: text("workspace_id").notNull().references(() => workspaces.id),
    kind: text("kind", { enum: ["inference", "management"] }).notNull().default("inference"),
    limitNanos: integer("limit_nanos"),
    limitReset: text("limit_reset", { enum: ["none", "daily", "weekly", "monthly"] }).notNull().default("none"),
    /** Rate limits of this key (null: none); LiteLLM's names. */
    rpmLimit: integer("rpm_limit"),
    tpmLimit: integer("tpm_limit"),
    maxParallelRequests: integer("max_parallel_requests"),
    disabled: bool("disabled"),
    expiresAt: integer("expires_at"),
    lastUsedAt: integer("last_used_at"),
    createdAt: createdAt(),
    updatedAt: integer("updated_at"),
  },
  (t) => [index("api_keys_workspace_idx").on(t.workspaceId)],
);

/** Append-only. Credits are positive, debits negative; the balance is the sum. */
export const ledgerEntries = sqliteTable(
  "ledger_entries",
  {
    id: integer("id").primaryKey({ autoIncrement: true }),
    accountId: text("account_id").notNull().references(() => accounts.id),
    workspaceId: text("workspace_id"),
    apiKeyId: text("api_key_id"),
    kind: text("kind", { enum: ["purchase", "usage", "byok_fee", "refund", "dispute", "adjustment"] }).notNull(),
    amountNanos: integer("amount_nanos").notNull(),
    /** One entry per business event: a webhook replayed or a settlement retried writes nothing. */
    idempotencyKey: text("idempotency_key").notNull().unique(),
    generationId: text("generation_id"),
    description: text("description"),
    createdAt: createdAt(),
    // ── usage roll-ups only (idempotency key `rollup:…[#count]`): per account, workspace, key, model and UTC minute, append-only deltas,
    // written by the account's spend object from its per-request records (docs/accounts-and-spend.md) ──
    model: text("model"),
    /** Requests in this entry (a bucket's requests are the sum of its entries; a retry or a replay appends nothing). */
    requestCount: integer("request_count"),
    promptTokens: integer("prompt_tokens"),
    completionTokens: integer("completion_tokens"),
    /** JSON: the successful requests per provider (activity), and the BYOK fees inside amount_nanos. */
    detail: text("detail"),
  },
  (t) => [
    index("ledger_account_idx").on(t.accountId, t.createdAt),
    index("ledger_key_idx").on(t.apiKeyId, t.createdAt),
    // a workspace's monthly spend (its budget) is summed over this
    index("ledger_workspace_idx").on(t.workspaceId, t.createdAt),
    // an account's credits (purchases, refunds, disputes, adjustments: few rows) without reading its usage rows
    index("ledger_account_kind_idx").on(t.accountId, t.kind),
  ],
);

/** Running balance, updated in the same batch as each ledger insert; reconcile proves it equals the ledger sum. */
export const accountBalances = sqliteTable("account_balances", {
  accountId: text("account_id").primaryKey().references(() => accounts.id),
  balanceNanos: integer("balance_nanos").notNull().default(0),
  updatedAt: integer("updated_at").notNull().default(sql`(unixepoch() * 1000)`),
});

/** Provider keys a workspace brings, AES-GCM encrypted under a master key held as a Worker secret. */
export const byokKeys = sqliteTable(
  "byok_keys",
  {
    id: text("id").primaryKey(),
    workspaceId: text("workspace_id").notNull().references(() => workspaces.id),
    provider: text("provider").notNull(),
    ciphertext: text("ciphertext").notNull(),
    iv: text("iv").notNull(),
    keyVersion: integer("key_version").notNull(),
    last4: text("last4").notNull(),
    alwaysUse: bool("always_use"),
    createdAt: createdAt(),
  },
  (t) => [uniqueIndex("byok_workspace_provider_idx").on(t.workspaceId, t.provider)],
);

/** Successful BYOK requests per account and UTC month: the first 1,000,000 are free of the fee. */
export const byokMonthlyUsage = sqliteTable(
  "byok_monthly_usage",
  {
    accountId: text("account_id").notNull(),
    month: text("month").notNull(), // "YYYY-MM", UTC
    requests: integer("requests").notNull().default(0),
  },
  (t) => [primaryKey({ columns: [t.accountId, t.month] })],
);

/** One row per request. No prompt or completion text is ever stored. */
export const generations = sqliteTable(
  "generations",
  {
    id: text("id").primaryKey(),
    accountId: text("account_id").notNull(),
    workspaceId: text("workspace_id").notNull(),
    apiKeyId: text("api_key_id").notNull(),
    model: text("model").notNull(),
    provider: text("provider"),
    upstreamModel: text("upstream_model"),
    status: text("status", { enum: ["success", "error", "cancelled"] }).notNull(),
    errorCode: integer("error_code"),
    promptTokens: integer("prompt_tokens").notNull().default(0),
    completionTokens: integer("completion_tokens").notNull().default(0),
    costNanos: integer("cost_nanos").notNull().default(0),
    byok: bool("byok"),
    byokFeeNanos: integer("byok_fee_nanos").notNull().default(0),
    streamed: bool("streamed"),
    finishReason: text("finish_reason"),
    latencyMs: integer("latency_ms"),
    ttftMs: integer("ttft_ms"),
    /** JSON list of {provider, status} for every endpoint tried. */
    attempts: text("attempts"),
    /** The request's end user (`user`, `metadata.user_id`); SHA-256 hex for a ZDR request. */
    endUser: text("end_user"),
    /** Strings the workspace's guardrails redacted from the prompt before it left switchyard. */
    redactions: integer("redactions").notNull().default(0),
    /** Served from the response cache: no upstream call, zero upstream cost. */
    cacheHit: bool("cache_hit"),
    createdAt: createdAt(),
  },
  (t) => [index("generations_workspace_idx").on(t.workspaceId, t.createdAt), index("generations_key_idx").on(t.apiKeyId, t.createdAt)],
);

export const sessions = sqliteTable("sessions", {
  /** SHA-256 of the cookie value. */
  id: text("id").primaryKey(),
  userId: text("user_id").notNull().references(() => users.id),
  csrfToken: text("csrf_token").notNull(),
  expiresAt: integer("expires_at").notNull(),
  createdAt: createdAt(),
});

/**
 * Dashboard sign-in attempts per subject (an email's or a client address's SHA-256), in a fixed
 * window: past the limit, sign-in is refused for that subject until the window ends.
 */
export const signInAttempts = sqliteTable("sign_in_attempts", {
  subject: text("subject").primaryKey(),
  windowStartedAt: integer("window_started_at").notNull(),
  attempts: integer("attempts").notNull(),
});

export const purchases = sqliteTable("purchases", {
  id: text("id").primaryKey(),
  accountId: text("account_id").notNull().references(() => accounts.id),
  workspaceId: text("workspace_id").notNull(),
  stripeSessionId: text("stripe_session_id").unique(),
  stripePaymentIntentId: text("stripe_payment_intent_id"),
  amountNanos: integer("amount_nanos").notNull(),
  feeNanos: integer("fee_nanos").notNull(),
  status: text("status", { enum: ["pending", "paid", "refunded", "partially_refunded", "disputed"] }).notNull(),
  refundedNanos: integer("refunded_nanos").notNull().default(0),
  /** Credits taken back by a dispute whose funds Stripe withdrew and has not reinstated. */
  disputedNanos: integer("disputed_nanos").notNull().default(0),
  createdAt: createdAt(),
});

/** Stripe events already applied: a replay is recognised and ignored. */
export const stripeEvents = sqliteTable("stripe_events", {
  id: text("id").primaryKey(),
  type: text("type").notNull(),
  processedAt: createdAt(),
});

/** Named request presets of a workspace: `"model": "@preset/name"` or `"preset": "name"`. */
export const presets = sqliteTable(
  "presets",
  {
    id: text("id").primaryKey(),
    workspaceId: text("workspace_id").notNull().references(() => workspaces.id),
    name: text("name").notNull(),
    /** JSON: model, models (fallbacks), provider preferences, system prompt, default parameters. */
    config: text("config").notNull(),
    createdAt: createdAt(),
    updatedAt: integer("updated_at"),
  },
  (t) => [uniqueIndex("presets_workspace_name_idx").on(t.workspaceId, t.name)],
);

/** Single-use tokens sent by email or kept between sign-in steps; only their SHA-256 is stored. */
export const authTokens = sqliteTable(
  "auth_tokens",
  {
    tokenHash: text("token_hash").primaryKey(),
    kind: text("kind", { enum: ["password_reset", "email_verify", "second_factor", "sso_state"] }).notNull(),
    userId: text("user_id"),
    /** JSON the step needs (an SSO login's PKCE verifier and nonce, a pending sign-in's target). */
    data: text("data"),
    expiresAt: integer("expires_at").notNull(),
    usedAt: integer("used_at"),
    createdAt: createdAt(),
  },
  (t) => [index("auth_tokens_user_idx").on(t.userId)],
);

/** One-time TOTP recovery codes; only their SHA-256 is stored. */
export const recoveryCodes = sqliteTable(
  "recovery_codes",
  {
    userId: text("user_id").notNull().references(() => users.id),
    codeHash: text("code_hash").notNull(),
    usedAt: integer("used_at"),
    createdAt: createdAt(),
  },
  (t) => [primaryKey({ columns: [t.userId, t.codeHash] })],
);

export const invitations = sqliteTable(
  "invitations",
  {
    id: text("id").primaryKey(),
    workspaceId: text("workspace_id").notNull().references(() => workspaces.id),
    email: text("email").notNull(),
    role: text("role", { enum: ["owner", "admin", "member"] }).notNull(),
    /** SHA-256 of the link's token. */
    tokenHash: text("token_hash").notNull().unique(),
    invitedBy: text("invited_by").notNull(),
    expiresAt: integer("expires_at").notNull(),
    acceptedAt: integer("accepted_at"),
    revokedAt: integer("revoked_at"),
    createdAt: createdAt(),
  },
  (t) => [index("invitations_workspace_idx").on(t.workspaceId)],
);

/** The local mail sink: written only where no `send_email` binding is configured (wrangler dev, tests). */
export const mailSink = sqliteTable("mail_sink", {
  id: integer("id").primaryKey({ autoIncrement: true }),
  to: text("to").notNull(),
  subject: text("subject").notNull(),
  text: text("text").notNull(),
  createdAt: createdAt(),
});

/** An account's OpenID Connect identity provider; the client secret is sealed like BYOK keys. */
export const ssoConnections = sqliteTable("sso_connections", {
  accountId: text("account_id").primaryKey().references(() => accounts.id),
  issuer: text("issuer").notNull(),
  clientId: text("client_id").notNull(),
  secretCiphertext: text("secret_ciphertext").notNull(),
  secretIv: text("secret_iv").notNull(),
  secretKeyVersion: integer("secret_key_version").notNull(),
  defaultRole: text("default_role", { enum: ["admin", "member"] }).notNull().default("member"),
  /** Users of the claimed domains must sign in through the identity provider. */
  passwordSignInForbidden: bool("password_sign_in_forbidden"),
  createdAt: createdAt(),
  updatedAt: integer("updated_at"),
});

/** Email domains claimed by an account's SSO: one account per domain. */
export const ssoDomains = sqliteTable(
  "sso_domains",
  {
    domain: text("domain").primaryKey(),
    accountId: text("account_id").notNull().references(() => accounts.id),
    createdAt: createdAt(),
  },
  (t) => [index("sso_domains_account_idx").on(t.accountId)],
);

/** Append-only record of every settings change: who, when, from where, before and after. Never prompt data. */
export const auditLog = sqliteTable(
  "audit_log",
  {
    id: integer("id").primaryKey({ autoIncrement: true }),
    accountId: text("account_id").notNull(),
    workspaceId: text("workspace_id"),
    actorUserId: text("actor_user_id"),
    /** The actor as shown: a user's email at the time, or "api key sk-…abcd". */
    actor: text("actor").notNull(),
    ipAddress: text("ip_address"),
    action: text("action").notNull(),
    target: text("target"),
    before: text("before"),
    after: text("after"),
    createdAt: createdAt(),
  },
  (t) => [index("audit_log_account_idx").on(t.accountId, t.createdAt)],
);

/** Where a workspace's request logs are sent (OTLP/HTTP JSON or an HMAC-signed webhook). */
export const broadcastDestinations = sqliteTable(
  "broadcast_destinations",
  {
    id: text("id").primaryKey(),
    workspaceId: text("workspace_id").notNull().references(() => workspaces.id),
    kind: text("kind", { enum: ["otlp", "webhook"] }).notNull(),
    url: text("url").notNull(),
    /** Sealed like BYOK keys: the webhook's HMAC secret, or OTLP headers as JSON. */
    secretCiphertext: text("secret_ciphertext"),
    secretIv: text("secret_iv"),
    secretKeyVersion: integer("secret_key_version"),
    /** Off by default: only metadata is sent. Never honoured for a ZDR workspace. */
    includeContent: bool("include_content"),
    enabled: integer("enabled", { mode: "boolean" }).notNull().default(true),
    createdAt: createdAt(),
  },
  (t) => [index("broadcast_workspace_idx").on(t.workspaceId)],
);
