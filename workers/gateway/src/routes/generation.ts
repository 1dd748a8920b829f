import { nanosToUsdNumber, providerFor } from "@switchyard/catalog";
import { badRequest, clip, notFound } from "@switchyard/schemas";
import { Hono } from "hono";
import { ANY_KEY, requireKey } from "../accounts/auth.ts";
import { spendFor } from "../accounts/spend/client.ts";
import { legacyGeneration } from "../accounts/spend/legacy-generations.ts";
import type { AppEnv } from "../env.ts";
import { settlementsArrived } from "../middleware/settled-first.ts";

/**
 * GET /api/v1/generation?id=: the stats of one generation (never its text), only
 * to a key of the workspace that made it; any other caller gets the same 404 as
 * for an id that does not exist. Read from the caller's account's spend object (the
 * key names the account: another account's id is simply not there), else from D1's
 * generations of before the move (legacy-generations.ts).
 */
export const generation = new Hono<AppEnv>().get("/", requireKey(ANY_KEY), settlementsArrived, async (c) => {
  const id = c.req.query("id");
  if (!id) throw badRequest("Missing query parameter: id (the generation id, e.g. from the x-generation-id header)");
  const { accountId, workspaceId } = c.var.auth;
  const g = (await spendFor(c.env, accountId).generation(id)) ?? (await legacyGeneration(c.env.DB, id));
  if (!g || g.workspaceId !== workspaceId) throw notFound(`Generation ${clip(id)} not found`);
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
      user: g.endUser,
      cache_hit: g.cacheHit,
      redactions: g.redactions,
    },
  });
});
