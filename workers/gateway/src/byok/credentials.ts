import { type Keyring, keyringFromEnv, openProviderKey } from "@switchyard/byok";
import { byokKeys } from "@switchyard/db";
import { eq } from "drizzle-orm";
import { drizzle } from "drizzle-orm/d1";
import type { Env } from "../env.ts";

/** A workspace's own key for one provider, sealed as stored. */
export interface SealedCredential {
  provider: string;
  ciphertext: string;
  iv: string;
  keyVersion: number;
  alwaysUse: boolean;
}

/**
 * BYOK rows cached per workspace in the isolate, like API keys: a request does
 * not wait on D1 for them, and a changed or deleted key takes effect within
 * BYOK_CACHE_TTL_MS. The rows stay sealed in the cache; a key is decrypted only
 * when a request is about to use it.
 */
export const BYOK_CACHE_TTL_MS = 10_000;
const MAX_ENTRIES = 10_000;
const cache = new Map<string, { rows: SealedCredential[]; expires: number }>();

export async function workspaceCredentials(db: D1Database, workspaceId: string, now = Date.now()): Promise<SealedCredential[]> {
  const hit = cache.get(workspaceId);
  if (hit && hit.expires > now) return hit.rows;
  const rows = await drizzle(db)
    .select({ provider: byokKeys.provider, ciphertext: byokKeys.ciphertext, iv: byokKeys.iv, keyVersion: byokKeys.keyVersion, alwaysUse: byokKeys.alwaysUse })
    .from(byokKeys)
    .where(eq(byokKeys.workspaceId, workspaceId));
  if (cache.size >= MAX_ENTRIES) cache.delete(cache.keys().next().value!);
  cache.set(workspaceId, { rows, expires: now + BYOK_CACHE_TTL_MS });
  return rows;
}

export function clearByokCache(): void {
  cache.clear();
}

let keyringFor: { source: string; keyring: Promise<Keyring | null> } | undefined;

/** The master keys, imported once per isolate (re-imported only if the secrets change). */
export function gatewayKeyring(env: Env): Promise<Keyring | null> {
  const masters = Object.fromEntries(Object.entries(env).filter(([name]) => name.startsWith("BYOK_MASTER_KEY")));
  const source = JSON.stringify(masters);
  if (keyringFor?.source !== source) keyringFor = { source, keyring: keyringFromEnv(masters) };
  return keyringFor.keyring;
}

/** Opens one sealed key; a key that will not open (rotated-away master key, corrupt row) is skipped, never fatal. */
export async function openCredential(keyring: Keyring, workspaceId: string, row: SealedCredential): Promise<string | null> {
  try {
    return await openProviderKey(keyring, { workspaceId, provider: row.provider }, row);
  } catch (error) {
    console.error("BYOK key could not be opened", { workspaceId, provider: row.provider, reason: error instanceof Error ? error.name : "unknown" });
    return null;
  }
}
