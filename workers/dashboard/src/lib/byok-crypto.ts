import { fromBase64, toBase64, randomBytes } from "./encoding.ts";

/**
 * BYOK provider keys at rest: AES-256-GCM (WebCrypto) under the BYOK_MASTER_KEY
 * secret (base64 of 32 bytes). A fresh 12-byte IV per key; the row's identity
 * ("<workspace id>:<provider>") is bound as additional authenticated data, so a
 * ciphertext copied onto another workspace's row does not decrypt.
 *
 * Self-contained on purpose (WebCrypto + base64 only): the gateway will share it
 * to decrypt keys at request time. key_version names the master key, for rotation.
 */
export const BYOK_KEY_VERSION = 1;

export interface SealedKey {
  ciphertext: string;
  iv: string;
  keyVersion: number;
}

async function masterKey(masterKeyBase64: string): Promise<CryptoKey> {
  const raw = fromBase64(masterKeyBase64);
  if (raw.length !== 32) throw new Error("BYOK_MASTER_KEY must be base64 of 32 bytes");
  return crypto.subtle.importKey("raw", raw, "AES-GCM", false, ["encrypt", "decrypt"]);
}

const aad = (workspaceId: string, provider: string) => new TextEncoder().encode(`${workspaceId}:${provider}`);

export async function sealProviderKey(masterKeyBase64: string, workspaceId: string, provider: string, plaintext: string): Promise<SealedKey> {
  const iv = randomBytes(12);
  const sealed = await crypto.subtle.encrypt(
    { name: "AES-GCM", iv, additionalData: aad(workspaceId, provider) },
    await masterKey(masterKeyBase64),
    new TextEncoder().encode(plaintext),
  );
  return { ciphertext: toBase64(sealed), iv: toBase64(iv), keyVersion: BYOK_KEY_VERSION };
}

export async function openProviderKey(masterKeyBase64: string, workspaceId: string, provider: string, sealed: SealedKey): Promise<string> {
  if (sealed.keyVersion !== BYOK_KEY_VERSION) throw new Error(`No master key for BYOK key version ${sealed.keyVersion}`);
  const plain = await crypto.subtle.decrypt(
    { name: "AES-GCM", iv: fromBase64(sealed.iv), additionalData: aad(workspaceId, provider) },
    await masterKey(masterKeyBase64),
    fromBase64(sealed.ciphertext),
  );
  return new TextDecoder().decode(plain);
}

/** Whether the secret is usable, so the page can say so instead of failing on save. */
export function masterKeyConfigured(masterKeyBase64: string | undefined): masterKeyBase64 is string {
  if (!masterKeyBase64) return false;
  try {
    return fromBase64(masterKeyBase64).length === 32;
  } catch {
    return false;
  }
}
