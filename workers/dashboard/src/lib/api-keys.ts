import { randomBytes, sha256Hex, toHex } from "./encoding.ts";

/**
 * Hosted API keys: "sk-sy-v1-" + 64 hex characters (256 random bits). The gateway
 * accepts /^sk-sy-[A-Za-z0-9_-]{8,128}$/ and looks keys up by their SHA-256 hex.
 * Only the hash and a short prefix (for recognising a key in lists) are stored.
 */
export const KEY_PREFIX_LENGTH = 14;

export async function newApiKey(): Promise<{ key: string; hash: string; prefix: string }> {
  const key = `sk-sy-v1-${toHex(randomBytes(32))}`;
  return { key, hash: await sha256Hex(key), prefix: key.slice(0, KEY_PREFIX_LENGTH) };
}
