import { env } from "cloudflare:test";
import { clearKeyCache } from "../../src/accounts/key-cache.ts";
import type { LimitReset } from "../../src/accounts/windows.ts";
import { sha256Hex } from "@switchyard/keys";

export interface SeededTenant {
  accountId: string;
  workspaceId: string;
  key: string;
  keyId: string;
}

export interface SeededKey {
  key: string;
  keyId: string;
  hash: string;
}

export interface WorkspaceOptions {
  zdr?: boolean;
  euOnly?: boolean;
  monthlyBudgetNanos?: number | null;
  /** The workspace's default `provider` preferences (stored as JSON). */
  providerPreferences?: unknown;
}

export interface KeyOptions {
  kind?: "inference" | "management";
  limitNanos?: number | null;
  limitReset?: LimitReset;
  disabled?: boolean;
  expiresAt?: number | null;
}

/** A fresh account + workspace + inference key with `balanceNanos` of credits. */
export async function seedTenant(
  name: string,
  balanceNanos = 10_000_000_000,
  opts: WorkspaceOptions & Omit<KeyOptions, "kind"> = {},
): Promise<SeededTenant> {
  const accountId = `acct_${name}`;
  await env.DB.prepare("INSERT INTO accounts (id, name) VALUES (?, ?)").bind(accountId, name).run();
  const workspaceId = await seedWorkspace(accountId, name, opts);
  const { key, keyId } = await seedKey(workspaceId, name, opts);
  if (balanceNanos !== 0) await addCredits(accountId, balanceNanos, `seed:${accountId}`);
  clearKeyCache();
  return { accountId, workspaceId, key, keyId };
}

/** Another workspace under an existing account (it shares the account's credits). */
export async function seedWorkspace(accountId: string, name: string, opts: WorkspaceOptions = {}): Promise<string> {
  const workspaceId = `ws_${name}`;
  await env.DB.prepare("INSERT INTO workspaces (id, account_id, name, zdr, eu_only, monthly_budget_nanos, provider_preferences) VALUES (?, ?, ?, ?, ?, ?, ?)")
    .bind(
      workspaceId, accountId, name, opts.zdr ? 1 : 0, opts.euOnly ? 1 : 0, opts.monthlyBudgetNanos ?? null,
      opts.providerPreferences === undefined ? null : JSON.stringify(opts.providerPreferences),
    )
    .run();
  return workspaceId;
}

/** A key in a workspace, written straight to D1 (as the dashboard would). */
export async function seedKey(workspaceId: string, name: string, opts: KeyOptions = {}): Promise<SeededKey> {
  const kind = opts.kind ?? "inference";
  const keyId = kind === "inference" ? `key_${name}` : `key_${name}_management`;
  const key = `sk-sy-v1-test-${name}-${crypto.randomUUID().replaceAll("-", "")}`;
  const hash = await sha256Hex(key);
  await env.DB.prepare(
    "INSERT INTO api_keys (id, hash, prefix, name, workspace_id, kind, limit_nanos, limit_reset, disabled, expires_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
  )
    .bind(keyId, hash, key.slice(0, 12), kind === "inference" ? `${name} key` : `${name} management key`, workspaceId, kind, opts.limitNanos ?? null, opts.limitReset ?? "none", opts.disabled ? 1 : 0, opts.expiresAt ?? null)
    .run();
  return { key, keyId, hash };
}

/**
 * Credits (or, negative, a refund) written straight into D1 the way the billing
 * worker does: ledger entry + running balance in one batch, no gateway involved.
 */
export async function addCredits(accountId: string, nanos: number, idempotencyKey: string, kind: "adjustment" | "purchase" | "refund" | "dispute" = "adjustment", at?: number): Promise<void> {
  await env.DB.batch([
    env.DB.prepare("INSERT INTO ledger_entries (account_id, kind, amount_nanos, idempotency_key, created_at) VALUES (?, ?, ?, ?, COALESCE(?, unixepoch() * 1000))").bind(
      accountId, kind, nanos, idempotencyKey, at ?? null,
    ),
    env.DB.prepare(
      "INSERT INTO account_balances (account_id, balance_nanos) VALUES (?, ?) ON CONFLICT (account_id) DO UPDATE SET balance_nanos = balance_nanos + excluded.balance_nanos",
    ).bind(accountId, nanos),
  ]);
}
