import { keyringFromEnv, sealProviderKey } from "@switchyard/byok";
import { env } from "cloudflare:test";
import { clearByokCache } from "../../src/byok/credentials.ts";
import type { SeededTenant } from "./seed.ts";

/** Stores a workspace's own key for a provider, sealed as the dashboard would. */
export async function giveByokKey(tenant: SeededTenant, provider: string, apiKey: string, alwaysUse = false) {
  const keyring = (await keyringFromEnv(env))!;
  const sealed = await sealProviderKey(keyring, { workspaceId: tenant.workspaceId, provider }, apiKey);
  await env.DB.prepare("INSERT INTO byok_keys (id, workspace_id, provider, ciphertext, iv, key_version, last4, always_use) VALUES (?, ?, ?, ?, ?, ?, ?, ?)")
    .bind(`byok_${tenant.workspaceId}_${provider}`, tenant.workspaceId, provider, sealed.ciphertext, sealed.iv, sealed.keyVersion, sealed.last4, alwaysUse ? 1 : 0)
    .run();
  clearByokCache();
}
