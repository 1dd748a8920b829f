/**
 * The master keys BYOK provider keys are encrypted under, from Worker secrets:
 * BYOK_MASTER_KEY is version 1, BYOK_MASTER_KEY_V2 version 2, and so on, each a
 * base64 string of 32 random bytes (`openssl rand -base64 32`). New keys are
 * encrypted under the highest version; old rows decrypt with the version they
 * name until they are re-encrypted (see `rotateProviderKey`).
 */
export interface Keyring {
  currentVersion: number;
  /** Imported AES-256-GCM keys by version. */
  keys: Map<number, CryptoKey>;
}

export class ByokConfigError extends Error {
  override name = "ByokConfigError";
}

const VERSIONED = /^BYOK_MASTER_KEY(?:_V(\d+))?$/;

/** Reads every BYOK_MASTER_KEY* secret of `env`; null when none is set (BYOK disabled). */
export async function keyringFromEnv(env: Record<string, unknown>): Promise<Keyring | null> {
  const keys = new Map<number, CryptoKey>();
  for (const [name, value] of Object.entries(env)) {
    const match = VERSIONED.exec(name);
    if (!match || typeof value !== "string" || !value) continue;
    const version = match[1] ? Number(match[1]) : 1;
    keys.set(version, await importMasterKey(value, name));
  }
  if (keys.size === 0) return null;
  return { currentVersion: Math.max(...keys.keys()), keys };
}

async function importMasterKey(base64: string, name: string): Promise<CryptoKey> {
  let raw: Uint8Array<ArrayBuffer>;
  try {
    raw = fromBase64(base64.trim());
  } catch {
    throw new ByokConfigError(`${name} is not valid base64`);
  }
  if (raw.byteLength !== 32) throw new ByokConfigError(`${name} must be 32 bytes of base64 (got ${raw.byteLength})`);
  return crypto.subtle.importKey("raw", raw, "AES-GCM", false, ["encrypt", "decrypt"]);
}

export function toBase64(bytes: Uint8Array): string {
  let binary = "";
  for (const b of bytes) binary += String.fromCharCode(b);
  return btoa(binary);
}

export function fromBase64(text: string): Uint8Array<ArrayBuffer> {
  const binary = atob(text);
  const out = new Uint8Array(binary.length);
  for (let i = 0; i < binary.length; i++) out[i] = binary.charCodeAt(i);
  return out;
}
