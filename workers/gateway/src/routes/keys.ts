import { parseUsdToNanos } from "@switchyard/catalog";
import { apiKeys, ledgerEntries } from "@switchyard/db";
import { badRequest, notFound, parseOrThrow } from "@switchyard/schemas";
import { and, desc, eq, type SQL } from "drizzle-orm";
import { drizzle } from "drizzle-orm/d1";
import { Hono } from "hono";
import { z } from "zod";
import { MANAGEMENT, requireKey } from "../accounts/auth.ts";
import { forgetKey } from "../accounts/key-cache.ts";
import { keyUsageFields, NO_USAGE, spentBy } from "../accounts/key-usage.ts";
import { keyView } from "../accounts/key-view.ts";
import { keyLimitProblem, newApiKey } from "@switchyard/keys";
import type { AppEnv } from "../env.ts";
import { randomId } from "../lib/ids.ts";
import { now } from "../lib/clock.ts";
import { DEFAULT_MAX_BODY_BYTES, readJsonBody } from "../middleware/json-body.ts";
import { settledFirst } from "../middleware/settled-first.ts";

const PAGE_SIZE = 100;

const keyFields = {
  name: z.string().trim().min(1).max(100),
  /** USD; null = no limit. The bound is the one the dashboard applies too (@switchyard/keys). */
  limit: z
    .number()
    .nonnegative()
    .superRefine((usd, ctx) => {
      if (!(usd >= 0)) return; // nonnegative() has said so (zod runs refinements after a failed check too)
      const problem = keyLimitProblem(parseUsdToNanos(usd));
      if (problem) ctx.addIssue({ code: "custom", message: problem });
    })
    .nullable(),
  /** null = the limit never resets. */
  limit_reset: z.enum(["daily", "weekly", "monthly"]).nullable(),
  /** ISO 8601 in UTC ("…Z"); null = never expires. */
  expires_at: z.iso.datetime({ message: "expires_at must be an ISO 8601 UTC timestamp, e.g. 2027-12-31T23:59:59Z" }).nullable(),
};
const createSchema = z.object({ ...keyFields, limit: keyFields.limit.optional(), limit_reset: keyFields.limit_reset.optional(), expires_at: keyFields.expires_at.optional() });
const updateSchema = z.object({ ...keyFields, disabled: z.boolean() }).partial();

/**
 * The provisioning API, OpenRouter's shape: a management key creates, lists,
 * reads, changes and deletes the inference keys of its own workspace, addressed
 * by `hash` (the SHA-256 of the key). A created key is returned in full once,
 * as `key`; only its hash is stored. Keys of other workspaces and management
 * keys are invisible here (404).
 */
export const keys = new Hono<AppEnv>()
  .use(requireKey(MANAGEMENT))
  .use(settledFirst)
  .get("/", async (c) => {
    const offset = pageOffset(c.req.query("offset"));
    const includeDisabled = c.req.query("include_disabled") === "true";
    const rows = await selectKeys(c.env.DB, and(ownKeys(c.var.auth.workspaceId), includeDisabled ? undefined : eq(apiKeys.disabled, false)), offset);
    return c.json({ data: rows.map(({ usage, ...key }) => keyView(key, usage)) });
  })
  .post("/", async (c) => {
    const body = parseOrThrow(createSchema, await readJsonBody(c.req.raw, DEFAULT_MAX_BODY_BYTES));
    const at = now();
    const created = await newApiKey();
    const row = {
      id: randomId("key_"),
      hash: created.hash,
      prefix: created.prefix,
      name: body.name,
      workspaceId: c.var.auth.workspaceId,
      kind: "inference" as const,
      limitNanos: body.limit == null ? null : usdToNanos(body.limit),
      limitReset: body.limit_reset ?? ("none" as const),
      expiresAt: body.expires_at == null ? null : futureTime(body.expires_at, at),
      createdAt: at,
    };
    await drizzle(c.env.DB).insert(apiKeys).values(row);
    return c.json({ data: keyView({ ...row, disabled: false, updatedAt: null, lastUsedAt: null }, NO_USAGE), key: created.key }, 201);
  })
  .get("/:hash", async (c) => {
    return c.json({ data: await findKey(c.env.DB, c.var.auth.workspaceId, c.req.param("hash")) });
  })
  .patch("/:hash", async (c) => {
    const body = parseOrThrow(updateSchema, await readJsonBody(c.req.raw, DEFAULT_MAX_BODY_BYTES));
    const hash = c.req.param("hash");
    const at = now();
    const changes = {
      ...(body.name !== undefined ? { name: body.name } : {}),
      ...(body.disabled !== undefined ? { disabled: body.disabled } : {}),
      ...(body.limit !== undefined ? { limitNanos: body.limit === null ? null : usdToNanos(body.limit) } : {}),
      ...(body.limit_reset !== undefined ? { limitReset: body.limit_reset ?? ("none" as const) } : {}),
      ...(body.expires_at !== undefined ? { expiresAt: body.expires_at === null ? null : futureTime(body.expires_at, at) } : {}),
      updatedAt: at,
    };
    const updated = await drizzle(c.env.DB)
      .update(apiKeys)
      .set(changes)
      .where(and(ownKeys(c.var.auth.workspaceId), eq(apiKeys.hash, hash)))
      .returning({ id: apiKeys.id });
    if (updated.length === 0) throw keyNotFound(hash);
    forgetKey(hash); // at once here; other isolates within KEY_CACHE_TTL_MS
    return c.json({ data: await findKey(c.env.DB, c.var.auth.workspaceId, hash) });
  })
  .delete("/:hash", async (c) => {
    const hash = c.req.param("hash");
    const deleted = await drizzle(c.env.DB)
      .delete(apiKeys)
      .where(and(ownKeys(c.var.auth.workspaceId), eq(apiKeys.hash, hash)))
      .returning({ id: apiKeys.id });
    if (deleted.length === 0) throw keyNotFound(hash);
    forgetKey(hash);
    return c.json({ deleted: true });
  });

/** Every query here is limited to the inference keys of the caller's workspace. */
function ownKeys(workspaceId: string): SQL {
  return and(eq(apiKeys.workspaceId, workspaceId), eq(apiKeys.kind, "inference"))!;
}

async function selectKeys(db: D1Database, where: SQL | undefined, offset = 0) {
  const rows = await drizzle(db)
    .select({
      hash: apiKeys.hash,
      name: apiKeys.name,
      prefix: apiKeys.prefix,
      disabled: apiKeys.disabled,
      limitNanos: apiKeys.limitNanos,
      limitReset: apiKeys.limitReset,
      expiresAt: apiKeys.expiresAt,
      createdAt: apiKeys.createdAt,
      updatedAt: apiKeys.updatedAt,
      lastUsedAt: apiKeys.lastUsedAt,
      ...keyUsageFields(now()),
    })
    .from(apiKeys)
    .leftJoin(ledgerEntries, spentBy)
    .where(where)
    .groupBy(apiKeys.id)
    .orderBy(desc(apiKeys.createdAt), apiKeys.id)
    .limit(PAGE_SIZE)
    .offset(offset);
  return rows.map(({ total, daily, weekly, monthly, ...key }) => ({ ...key, usage: { total, daily, weekly, monthly } }));
}

async function findKey(db: D1Database, workspaceId: string, hash: string) {
  const [row] = await selectKeys(db, and(ownKeys(workspaceId), eq(apiKeys.hash, hash)));
  if (!row) throw keyNotFound(hash);
  const { usage, ...key } = row;
  return keyView(key, usage);
}

const keyNotFound = (hash: string) => notFound(`No API key with hash ${hash.slice(0, 64)} in this workspace`);

function pageOffset(raw: string | undefined): number {
  if (raw === undefined) return 0;
  if (!/^\d{1,9}$/.test(raw)) throw badRequest("offset must be a non-negative integer");
  return Number(raw);
}

function usdToNanos(usd: number): number {
  return Number(parseUsdToNanos(usd));
}

function futureTime(iso: string, at: number): number {
  const t = Date.parse(iso);
  if (t <= at) throw badRequest("expires_at must be in the future");
  return t;
}
