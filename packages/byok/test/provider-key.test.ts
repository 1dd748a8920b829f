import { describe, expect, it } from "vitest";
import { ByokConfigError, ByokDecryptError, keyringFromEnv, maskedProviderKey, openProviderKey, rotateProviderKey, sealProviderKey, toBase64 } from "../src/index.ts";

const masterKey = (fill: number) => toBase64(new Uint8Array(32).fill(fill));
const owner = { workspaceId: "ws_1", provider: "openai" };
const secret = "sk-proj-abcdefghijklmnop-WXYZ";

describe("BYOK provider keys, AES-GCM under a versioned master key", () => {
  it("seals and opens a key; the row holds no plaintext and only the last 4 are shown", async () => {
    const keyring = (await keyringFromEnv({ BYOK_MASTER_KEY: masterKey(1) }))!;
    const sealed = await sealProviderKey(keyring, owner, secret);
    expect(sealed.keyVersion).toBe(1);
    expect(sealed.last4).toBe("WXYZ");
    expect(maskedProviderKey(sealed.last4)).toBe("••••WXYZ");
    expect(JSON.stringify(sealed)).not.toContain("abcdefghijklmnop");
    expect(await openProviderKey(keyring, owner, sealed)).toBe(secret);
  });

  it("uses a fresh IV every time", async () => {
    const keyring = (await keyringFromEnv({ BYOK_MASTER_KEY: masterKey(1) }))!;
    const a = await sealProviderKey(keyring, owner, secret);
    const b = await sealProviderKey(keyring, owner, secret);
    expect(a.iv).not.toBe(b.iv);
    expect(a.ciphertext).not.toBe(b.ciphertext);
  });

  it("refuses a row moved to another workspace or provider, a tampered row, and a wrong master key", async () => {
    const keyring = (await keyringFromEnv({ BYOK_MASTER_KEY: masterKey(1) }))!;
    const sealed = await sealProviderKey(keyring, owner, secret);
    await expect(openProviderKey(keyring, { ...owner, workspaceId: "ws_2" }, sealed)).rejects.toThrow(ByokDecryptError);
    await expect(openProviderKey(keyring, { ...owner, provider: "anthropic" }, sealed)).rejects.toThrow(ByokDecryptError);
    const flipped = sealed.ciphertext.startsWith("A") ? `B${sealed.ciphertext.slice(1)}` : `A${sealed.ciphertext.slice(1)}`;
    await expect(openProviderKey(keyring, owner, { ...sealed, ciphertext: flipped })).rejects.toThrow(ByokDecryptError);
    const other = (await keyringFromEnv({ BYOK_MASTER_KEY: masterKey(2) }))!;
    await expect(openProviderKey(other, owner, sealed)).rejects.toThrow("provider key could not be decrypted");
  });

  it("rotates: new keys go under the highest version, old rows still open and re-seal", async () => {
    const v1 = (await keyringFromEnv({ BYOK_MASTER_KEY: masterKey(1) }))!;
    const old = await sealProviderKey(v1, owner, secret);
    const both = (await keyringFromEnv({ BYOK_MASTER_KEY: masterKey(1), BYOK_MASTER_KEY_V2: masterKey(2), OTHER: "x" }))!;
    expect(both.currentVersion).toBe(2);
    expect(await openProviderKey(both, owner, old)).toBe(secret);
    const rotated = (await rotateProviderKey(both, owner, old))!;
    expect(rotated.keyVersion).toBe(2);
    expect(await rotateProviderKey(both, owner, rotated)).toBeNull();
    const v2only = (await keyringFromEnv({ BYOK_MASTER_KEY_V2: masterKey(2) }))!;
    expect(await openProviderKey(v2only, owner, rotated)).toBe(secret);
    await expect(openProviderKey(v2only, owner, old)).rejects.toThrow("master key version 1 is not configured");
  });

  it("is off without a master key and refuses a malformed one", async () => {
    expect(await keyringFromEnv({})).toBeNull();
    await expect(keyringFromEnv({ BYOK_MASTER_KEY: toBase64(new Uint8Array(16)) })).rejects.toThrow(ByokConfigError);
    await expect(keyringFromEnv({ BYOK_MASTER_KEY: "not base64!!" })).rejects.toThrow("BYOK_MASTER_KEY is not valid base64");
  });
});
