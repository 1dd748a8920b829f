import { sha256 } from "hono/utils/crypto";
import { encodeBase64Url } from "hono/utils/encode";

/** Random values and digests for the auth modules (WebCrypto only, no Node APIs). */
export function randomBytes(n: number): Uint8Array<ArrayBuffer> {
  return crypto.getRandomValues(new Uint8Array(n));
}

export function toHex(bytes: Uint8Array): string {
  let hex = "";
  for (const b of bytes) hex += b.toString(16).padStart(2, "0");
  return hex;
}

/** Url- and cookie-safe random token with `bytes` of entropy (no "=" padding, which cookies would escape). */
export const randomToken = (bytes = 32) => encodeBase64Url(randomBytes(bytes).buffer).replace(/=+$/, "");

/** Random ids with a readable prefix ("usr_", "ws_", …). */
export const randomId = (prefix: string) => `${prefix}${crypto.randomUUID().replaceAll("-", "")}`;

export const sha256Hex = async (text: string): Promise<string> => (await sha256(text))!;

/** Compares secrets without an early exit, so timing does not reveal how much matched. */
export function constantTimeEqual(a: string, b: string): boolean {
  const x = new TextEncoder().encode(a);
  const y = new TextEncoder().encode(b);
  let diff = x.length ^ y.length;
  for (let i = 0; i < Math.max(x.length, y.length); i++) diff |= (x[i] ?? 0) ^ (y[i] ?? 0);
  return diff === 0;
}
