import { randomBytes, sha256Hex, toHex } from "./encoding.ts";

/**
 * Hosted API keys, made exactly as the gateway's provisioning API makes them
 * (workers/gateway/src/accounts/new-key.ts): "sk-sy-v1-" + 64 hex characters
 * (256 random bits), stored only as the SHA-256 hex the gateway looks up, with a
 * visible prefix of the fixed part + 3 characters for recognising it in lists.
 */
const KEY_PREFIX = "sk-sy-v1-";
const VISIBLE_CHARS = KEY_PREFIX.length + 3;

export async function newApiKey(): Promise<{ key: string; hash: string; prefix: string }> {
  const key = `${KEY_PREFIX}${toHex(randomBytes(32))}`;
  return { key, hash: await sha256Hex(key), prefix: key.slice(0, VISIBLE_CHARS) };
}
