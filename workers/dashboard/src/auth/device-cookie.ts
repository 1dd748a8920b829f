import type { Context } from "hono";
import { getCookie, setCookie } from "hono/cookie";
import { decodeBase64Url, encodeBase64Url } from "hono/utils/encode";
import type { AppEnv } from "../env.ts";
import { randomToken, sha256Hex } from "../lib/encoding.ts";

/**
 * Device cookies (OWASP, "Slow Down Online Guessing Attacks with Device
 * Cookies"): a successful sign-in leaves the browser a signed cookie naming
 * that email. A sign-in attempt that carries a valid one for the email typed is
 * limited per device cookie, not by the email's lockout, so five wrong
 * passwords sent by a stranger do not lock the owner's own browser out.
 *
 * The cookie is `<nonce>.<issued at, ms>.<HMAC-SHA256>`, the MAC over the
 * email's SHA-256, the nonce and the time: it names no email, cannot be made
 * for another one, and is trusted for DEVICE_COOKIE_DAYS. The HMAC key is derived
 * (HKDF) from the dashboard's BYOK_MASTER_KEY, so nothing new is configured and
 * the master key itself never signs anything; without that secret no device
 * cookie is issued or trusted, and the email's limit applies to everyone.
 */
export const DEVICE_COOKIE = "sy_device";
export const DEVICE_COOKIE_DAYS = 90;
const MAX_AGE_MS = DEVICE_COOKIE_DAYS * 24 * 3600 * 1000;

/** A device cookie's identity, for its own attempt counter. */
export interface TrustedDevice {
  id: string;
}

/** The device a valid cookie names for `email`, or null (none, forged, for another email, expired, no secret). */
export async function trustedDevice(c: Context<AppEnv>, email: string, now = Date.now()): Promise<TrustedDevice | null> {
  const cookie = getCookie(c, DEVICE_COOKIE);
  const key = await deviceKey(c.env.BYOK_MASTER_KEY);
  if (!cookie || !key) return null;
  const [nonce, issued, mac, extra] = cookie.split(".");
  if (!nonce || !issued || !mac || extra !== undefined || !/^\d{1,15}$/.test(issued)) return null;
  const issuedAt = Number(issued);
  if (issuedAt > now || now - issuedAt > MAX_AGE_MS) return null;
  let signature: Uint8Array<ArrayBuffer>;
  try {
    signature = decodeBase64Url(mac) as Uint8Array<ArrayBuffer>;
  } catch {
    return null;
  }
  // verify() compares in constant time
  const ok = await crypto.subtle.verify("HMAC", key, signature, await signedText(email, nonce, issued));
  return ok ? { id: nonce } : null;
}

/** After a successful sign-in (or sign-up): this browser is now trusted for `email`. */
export async function rememberDevice(c: Context<AppEnv>, email: string, now = Date.now()): Promise<void> {
  const key = await deviceKey(c.env.BYOK_MASTER_KEY);
  if (!key) return;
  const nonce = randomToken(16);
  const issued = String(now);
  const mac = encodeBase64Url(await crypto.subtle.sign("HMAC", key, await signedText(email, nonce, issued))).replace(/=+$/, "");
  // Path=/signin: only the sign-in form ever needs it
  setCookie(c, DEVICE_COOKIE, `${nonce}.${issued}.${mac}`, { httpOnly: true, secure: true, sameSite: "Lax", path: "/signin", maxAge: MAX_AGE_MS / 1000 });
}

const utf8 = new TextEncoder();

async function signedText(email: string, nonce: string, issued: string): Promise<Uint8Array<ArrayBuffer>> {
  return utf8.encode(`sy-device-v1|${await sha256Hex(email)}|${nonce}|${issued}`);
}

/** One derived key per secret, per isolate. */
const keys = new Map<string, Promise<CryptoKey>>();

function deviceKey(secret: string | undefined): Promise<CryptoKey | null> {
  if (!secret) return Promise.resolve(null);
  let key = keys.get(secret);
  if (!key) {
    key = crypto.subtle
      .importKey("raw", utf8.encode(secret), "HKDF", false, ["deriveKey"])
      .then((material) =>
        crypto.subtle.deriveKey(
          { name: "HKDF", hash: "SHA-256", salt: new Uint8Array(0), info: utf8.encode("switchyard dashboard sign-in device cookie v1") },
          material,
          { name: "HMAC", hash: "SHA-256", length: 256 },
          false,
          ["sign", "verify"],
        ),
      );
    keys.set(secret, key);
  }
  return key;
}
