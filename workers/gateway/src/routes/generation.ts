import { nanosToUsdNumber, providerFor } from "@switchyard/catalog";
import { generations } from "@switchyard/db";
import { badRequest, clip, notFound } from "@switchyard/schemas";
import { and, eq } from "drizzle-orm";
import { drizzle } from "drizzle-orm/d1";
import { Hono } from "hono";
import { ANY_KEY, requireKey } from "../accounts/auth.ts";
import type { AppEnv } from "../env.ts";
import { settledFirst } from "../middleware/settled-first.ts";

/**
 * GET /api/v1/generation?id=: the stats of one generation (never its text), only
 * to a key of the workspace that made it; any other caller gets the same 404 as
 * for an id that does not exist.
 */
export const generation = new Hono<AppEnv>().get("/", requireKey(ANY_KEY), settledFirst, async (c) => {
  const id = c.req.query("id");
  if (!id) throw badRequest("Missing query parameter: id (the generation id, e.g. from the x-generation-id header)");
  const rows = await drizzle(c.env.DB)
    .select()
    .from(generations)
    .where(and(eq(generations.id, id), eq(generations.workspaceId, c.var.auth.workspaceId)))
    .limit(1);
  const g = rows[0];
  if (!g) throw notFound(`Generation ${clip(id)} not found`);
  const charged = g.costNanos + g.byokFeeNanos;
  return c.json({
    data: {
      id: g.id,
      model: g.model,
      provider_name: g.provider ? (providerFor(g.provider)?.name ?? g.provider) : null,
      provider_slug: g.provider,
      upstream_model: g.upstreamModel,
      created_at: new Date(g.createdAt).toISOString(),
      status: g.status,
      error_code: g.errorCode,
      streamed: g.streamed,
      cancelled: g.status === "cancelled",
      finish_reason: g.finishReason,
      tokens_prompt: g.promptTokens,
      tokens_completion: g.completionTokens,
      native_tokens_prompt: g.promptTokens,
      native_tokens_completion: g.completionTokens,
      total_cost: nanosToUsdNumber(charged),
      usage: nanosToUsdNumber(charged),
      is_byok: g.byok,
      // milliseconds: time to the first token, and the whole request
      latency: g.ttftMs,
      generation_time: g.latencyMs,
      attempts: g.attempts ? JSON.parse(g.attempts) : [],
    },
  });
});
