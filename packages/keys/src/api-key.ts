import { sha256Hex } from "./sha256.ts";

/** Every hosted key starts with this. */
export const KEY_PREFIX = "sk-sy-v1-";
/** How much of a key stays visible (prefix + 3 random characters), e.g. in the label "sk-sy-v1-3fa...". */
const VISIBLE_CHARS = KEY_PREFIX.length + 3;

export interface NewKey {
  /** The key itself: shown once, to its creator, and never stored. */
  key: string;
  hash: string;
  prefix: string;
}

/** A new API key: 256 random bits, stored only as its SHA-256. One maker for the gateway and the dashboard. */
export async function newApiKey(): Promise<NewKey> {
  const bytes = crypto.getRandomValues(new Uint8Array(32));
  const key = KEY_PREFIX + Array.from(bytes, (b) => b.toString(16).padStart(2, "0")).join("");
  return { key, hash: await sha256Hex(key), prefix: key.slice(0, VISIBLE_CHARS) };
}
