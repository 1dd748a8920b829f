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
  createdAt: createdAt(),
});

/** The billing entity: credits belong to an account, shared by its workspaces. */
export const accounts = sqliteTable("accounts", {
  id: text("id").primaryKey(),
  name: text("name").notNull(),
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
