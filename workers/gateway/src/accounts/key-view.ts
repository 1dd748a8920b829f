import { nanosToUsdNumber } from "@switchyard/catalog";
import type { apiKeys } from "@switchyard/db";
import { storedKeyLimitNanos } from "@switchyard/keys";
import { type KeyUsage, usageInWindow } from "./key-usage.ts";

type KeyRow = Pick<
  typeof apiKeys.$inferSelect,
  "hash" | "name" | "prefix" | "disabled" | "limitNanos" | "limitReset" | "expiresAt" | "createdAt" | "updatedAt" | "lastUsedAt"
>;

/** The label shown for a key: its visible prefix (the key itself is never stored). */
export const keyLabel = (prefix: string) => `${prefix}...`;

const iso = (ms: number | null) => (ms === null ? null : new Date(ms).toISOString());
const usd = nanosToUsdNumber;

/** A key as the provisioning API shows it (OpenRouter's shape; money in USD). */
export function keyView(key: KeyRow, usage: KeyUsage) {
  return {
    hash: key.hash,
    name: key.name,
    label: keyLabel(key.prefix),
    disabled: key.disabled,
    ...limitFields(key, usage),
    usage: usd(usage.total),
    usage_daily: usd(usage.daily),
    usage_weekly: usd(usage.weekly),
    usage_monthly: usd(usage.monthly),
    created_at: iso(key.createdAt),
    updated_at: iso(key.updatedAt),
    expires_at: iso(key.expiresAt),
    last_used_at: iso(key.lastUsedAt),
  };
}

/**
 * limit (USD or null), limit_remaining in the current reset window, limit_reset (null = never).
 * In bigint: a limit stored before today's bound can be past a safe integer, and is shown as it is.
 */
export function limitFields(key: Pick<KeyRow, "limitNanos" | "limitReset">, usage: KeyUsage) {
  const limit = storedKeyLimitNanos(key.limitNanos);
  const remaining = limit === null ? null : limit - BigInt(usageInWindow(usage, key.limitReset));
  return {
    limit: limit === null ? null : usd(limit),
    limit_remaining: remaining === null ? null : usd(remaining > 0n ? remaining : 0n),
    limit_reset: key.limitReset === "none" ? null : key.limitReset,
  };
}
