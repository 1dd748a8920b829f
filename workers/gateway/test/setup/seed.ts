import { env } from "cloudflare:test";
import { clearKeyCache } from "../../src/accounts/key-cache.ts";
import { sha256Hex } from "../../src/lib/hash.ts";

export interface SeededTenant {
  accountId: string;
  workspaceId: string;
  key: string;
  keyId: string;
}

/** A fresh account + workspace + inference key with `balanceNanos` of credits. */
export async function seedTenant(name: string, balanceNanos = 10_000_000_000, opts: { zdr?: boolean; euOnly?: boolean; providerPreferences?: unknown } = {}): Promise<SeededTenant> {
  const accountId = `acct_${name}`;
  const workspaceId = `ws_${name}`;
  const keyId = `key_${name}`;
  const key = `sk-sy-v1-test-${name}-${crypto.randomUUID().replaceAll("-", "")}`;
  const hash = await sha256Hex(key);
  await env.DB.batch([
    env.DB.prepare("INSERT INTO accounts (id, name) VALUES (?, ?)").bind(accountId, name),
    env.DB.prepare("INSERT INTO workspaces (id, account_id, name, zdr, eu_only, provider_preferences) VALUES (?, ?, ?, ?, ?, ?)").bind(
      workspaceId, accountId, name, opts.zdr ? 1 : 0, opts.euOnly ? 1 : 0,
      opts.providerPreferences === undefined ? null : JSON.stringify(opts.providerPreferences),
    ),
    env.DB.prepare("INSERT INTO api_keys (id, hash, prefix, name, workspace_id, kind) VALUES (?, ?, ?, ?, ?, 'inference')").bind(
      keyId, hash, key.slice(0, 14), `${name} key`, workspaceId,
    ),
    env.DB.prepare("INSERT INTO ledger_entries (account_id, kind, amount_nanos, idempotency_key) VALUES (?, 'adjustment', ?, ?)").bind(
      accountId, balanceNanos, `seed:${accountId}`,
    ),
    env.DB.prepare("INSERT INTO account_balances (account_id, balance_nanos) VALUES (?, ?)").bind(accountId, balanceNanos),
  ]);
  clearKeyCache();
  return { accountId, workspaceId, key, keyId };
}
