import { fromBase64, type Keyring, toBase64 } from "./keyring.ts";

/** What `byok_keys` stores for one provider key: never the key itself. */
export interface SealedProviderKey {
  ciphertext: string; // base64, AES-GCM output (ciphertext + tag)
  iv: string; // base64, 12 random bytes
  keyVersion: number;
  last4: string; // the only part of the key ever shown again
}

/** Whose key it is: bound into the ciphertext, so a row copied to another workspace or provider will not decrypt. */
export interface KeyOwner {
  workspaceId: string;
  provider: string;
}

export class ByokDecryptError extends Error {
  override name = "ByokDecryptError";
}

const encoder = new TextEncoder();
const decoder = new TextDecoder();
const additionalData = (owner: KeyOwner) => encoder.encode(`switchyard-byok:${owner.workspaceId}:${owner.provider}`);

export async function sealProviderKey(keyring: Keyring, owner: KeyOwner, apiKey: string): Promise<SealedProviderKey> {
  const key = keyring.keys.get(keyring.currentVersion)!;
  const iv = crypto.getRandomValues(new Uint8Array(12));
  const sealed = await crypto.subtle.encrypt({ name: "AES-GCM", iv, additionalData: additionalData(owner) }, key, encoder.encode(apiKey));
  return { ciphertext: toBase64(new Uint8Array(sealed)), iv: toBase64(iv), keyVersion: keyring.currentVersion, last4: apiKey.slice(-4) };
}

export async function openProviderKey(keyring: Keyring, owner: KeyOwner, sealed: Omit<SealedProviderKey, "last4">): Promise<string> {
  const key = keyring.keys.get(sealed.keyVersion);
  if (!key) throw new ByokDecryptError(`master key version ${sealed.keyVersion} is not configured`);
  try {
    const plain = await crypto.subtle.decrypt(
      { name: "AES-GCM", iv: fromBase64(sealed.iv), additionalData: additionalData(owner) },
      key,
      fromBase64(sealed.ciphertext),
    );
    return decoder.decode(plain);
  } catch {
    // Never say more: the message must not help anyone probe ciphertexts.
    throw new ByokDecryptError("provider key could not be decrypted");
  }
}

/** Re-seals a key under the current master key; null when it already is (nothing to write). */
export async function rotateProviderKey(keyring: Keyring, owner: KeyOwner, sealed: SealedProviderKey): Promise<SealedProviderKey | null> {
  if (sealed.keyVersion === keyring.currentVersion) return null;
  return sealProviderKey(keyring, owner, await openProviderKey(keyring, owner, sealed));
}

/** How a stored key is shown: only its last four characters. */
export function maskedProviderKey(last4: string): string {
  return `••••${last4}`;
}
