import { forbidden, unauthorized } from "@switchyard/schemas";
import type { MiddlewareHandler } from "hono";
import type { AppEnv } from "../env.ts";
import { now } from "../lib/clock.ts";
import { sha256Hex } from "@switchyard/keys";
import { cachedKey } from "./key-cache.ts";
import { type KeyKind, type KeyRecord, lookupKey } from "./key-lookup.ts";

/** Shared by every request made with the key while it is cached: read it, never change it. */
export type AuthContext = Readonly<KeyRecord & { keyHash: string }>;

/** Hosted keys look like sk-sy-v1-<64 hex>; anything else is refused before a lookup. */
const KEY_PATTERN = /^sk-sy-[A-Za-z0-9_-]{8,128}$/;

export function bearerToken(header: string | undefined): string | null {
  if (!header) return null;
  const match = /^Bearer\s+(\S+)\s*$/i.exec(header);
  return match?.[1] ?? null;
}

/**
 * Resolves the caller's key and checks it may act. 401: no key, unknown,
 * disabled or expired. 403: a real key of the wrong kind for the route
 * (management keys cannot call inference; inference keys cannot manage keys).
 */
export async function authenticate(db: D1Database, header: string | undefined, kinds: readonly KeyKind[], at = now()): Promise<AuthContext> {
  const token = bearerToken(header);
  if (!token) throw unauthorized("Missing API key: send Authorization: Bearer <key>");
  if (!KEY_PATTERN.test(token)) throw unauthorized("Invalid API key");
  const record = await cachedKey(token, () => loadKey(db, token), at);
  if (!record || record.deleted) throw unauthorized("Invalid API key");
  if (record.disabled) throw unauthorized("This API key is disabled");
  if (record.expiresAt !== null && record.expiresAt <= at) throw unauthorized("This API key has expired");
  if (!kinds.includes(record.kind)) {
    throw forbidden(record.kind === "management" ? "Management keys cannot call inference endpoints" : "A management key is required for this endpoint");
  }
  return record;
}

/** Keys are stored by their SHA-256, never as sent. */
async function loadKey(db: D1Database, token: string): Promise<AuthContext | null> {
  const keyHash = await sha256Hex(token);
  const record = await lookupKey(db, keyHash);
  return record && { ...record, keyHash };
}

export const INFERENCE: readonly KeyKind[] = ["inference"];
export const MANAGEMENT: readonly KeyKind[] = ["management"];
export const ANY_KEY: readonly KeyKind[] = ["inference", "management"];

/** Route middleware: sets `c.var.auth` or answers 401/403. */
export function requireKey(kinds: readonly KeyKind[]): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    c.set("auth", await authenticate(c.env.DB, c.req.header("authorization"), kinds));
    await next();
  };
}
