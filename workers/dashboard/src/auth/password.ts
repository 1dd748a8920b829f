import { decodeBase64, encodeBase64 } from "hono/utils/encode";
import { constantTimeEqual, randomBytes } from "../lib/encoding.ts";

/**
 * Password hashing with PBKDF2-HMAC-SHA256 from WebCrypto and a 16-byte salt per user.
 * 100,000 iterations is the most the Workers runtime allows for PBKDF2.
 * Stored as "pbkdf2-sha256$<iterations>$<salt b64>$<hash b64>" so the cost can rise later.
 */
export const PBKDF2_ITERATIONS = 100_000;
const HASH_BITS = 256;

async function derive(password: string, salt: Uint8Array<ArrayBuffer>, iterations: number): Promise<ArrayBuffer> {
  const key = await crypto.subtle.importKey("raw", new TextEncoder().encode(password), "PBKDF2", false, ["deriveBits"]);
  return crypto.subtle.deriveBits({ name: "PBKDF2", hash: "SHA-256", salt, iterations }, key, HASH_BITS);
}

export async function hashPassword(password: string): Promise<string> {
  const salt = randomBytes(16);
  const hash = await derive(password, salt, PBKDF2_ITERATIONS);
  return `pbkdf2-sha256$${PBKDF2_ITERATIONS}$${encodeBase64(salt.buffer)}$${encodeBase64(hash)}`;
}

export async function verifyPassword(password: string, stored: string): Promise<boolean> {
  const [scheme, iterations, salt, hash] = stored.split("$");
  if (scheme !== "pbkdf2-sha256" || !iterations || !salt || !hash) return false;
  const candidate = await derive(password, decodeBase64(salt), Number(iterations));
  return constantTimeEqual(encodeBase64(candidate), hash);
}

/** Spent on unknown emails so that "no such user" takes as long as "wrong password". */
export const DUMMY_PASSWORD_HASH = `pbkdf2-sha256$${PBKDF2_ITERATIONS}$AAAAAAAAAAAAAAAAAAAAAA==$AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=`;
