import { unauthorized } from "@switchyard/schemas";
import type { MiddlewareHandler } from "hono";
import type { AppEnv } from "../env.ts";
import { sha256Hex } from "../lib/hash.ts";
import { cachedKey } from "./key-cache.ts";
import { type KeyRecord, lookupKey } from "./key-lookup.ts";

export type AuthContext = KeyRecord & { keyHash: string };

/** Hosted keys look like sk-sy-v1-<64 hex>; anything else is refused before a lookup. */
const KEY_PATTERN = /^sk-sy-[A-Za-z0-9_-]{8,128}$/;

export function bearerToken(header: string | undefined): string | null {
  if (!header) return null;
  const match = /^Bearer\s+(\S+)\s*$/i.exec(header);
  return match?.[1] ?? null;
}

/** Resolves the caller's key and checks it may act; `kind` says which kind of key the route wants. */
export async function authenticate(db: D1Database, header: string | undefined, kind: KeyRecord["kind"]): Promise<AuthContext> {
  const token = bearerToken(header);
  if (!token) throw unauthorized("Missing API key: send Authorization: Bearer <key>");
  if (!KEY_PATTERN.test(token)) throw unauthorized("Invalid API key");
  const keyHash = await sha256Hex(token);
  const record = await cachedKey(keyHash, () => lookupKey(db, keyHash));
  if (!record) throw unauthorized("Invalid API key");
  if (record.disabled) throw unauthorized("This API key is disabled");
  if (record.expiresAt !== null && record.expiresAt <= Date.now()) throw unauthorized("This API key has expired");
  if (record.kind !== kind) {
    throw unauthorized(kind === "inference" ? "Management keys cannot call inference endpoints" : "A management key is required");
  }
  return { ...record, keyHash };
}

export const requireInferenceKey: MiddlewareHandler<AppEnv> = async (c, next) => {
  c.set("auth", await authenticate(c.env.DB, c.req.header("authorization"), "inference"));
  await next();
};
