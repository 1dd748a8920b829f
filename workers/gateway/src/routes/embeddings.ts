import { findModel, nanosToUsdNumber } from "@switchyard/catalog";
import { badRequest, clip, type EmbeddingsResponse, embeddingsRequestSchema, notFound, parseOrThrow } from "@switchyard/schemas";
import { Hono } from "hono";
import { authenticate, INFERENCE } from "../accounts/auth.ts";
import { chargedNanos } from "../accounts/charges.ts";
import { settleGeneration } from "../accounts/settle.ts";
import { recordOutcome } from "../health/record-outcome.ts";
import { noteCommitted } from "../routing/endpoint-load.ts";
import { reserveSpend } from "../accounts/spend/client.ts";
import { embeddingsCostBoundNanos } from "../accounts/spend/embeddings-cost-bound.ts";
import { byokTargets } from "../byok/targets.ts";
import type { AppEnv } from "../env.ts";
import { firstEmbeddingEndpoint } from "../inference/embeddings.ts";
import { attemptsHeader } from "../inference/failover.ts";
import { answeredOutcome, unansweredOutcome } from "../inference/generation.ts";
import { newGenerationId } from "../lib/ids.ts";
import { DEFAULT_MAX_BODY_BYTES, readJsonBody } from "../middleware/json-body.ts";
import { healthReporter, planRequest } from "../routing/plan-request.ts";

const DEFAULT_FIRST_BYTE_TIMEOUT_MS = 30_000;

/**
 * `POST /embeddings` in OpenAI's shape, for catalog models that embed. The chat
 * path's steps and rules: validate → authenticate → plan (workspace ZDR/EU,
 * provider preferences, health, BYOK) → fail over → respond → settle (billed per
 * input token, after the response).
 */
export const embeddings = new Hono<AppEnv>().post("/", async (c) => {
  const startedAt = Date.now();
  const env = c.env;

  // validate
  const request = parseOrThrow(embeddingsRequestSchema, await readJsonBody(c.req.raw, Number(env.MAX_BODY_BYTES) || DEFAULT_MAX_BODY_BYTES));

  // authenticate (the key comes from the isolate cache: no D1 round trip)
  const auth = await authenticate(env.DB, c.req.header("authorization"), INFERENCE);

  // plan route: the planner speaks chat requests; an embeddings request routes as its model and provider preferences
  const model = findModel(request.model);
  if (!model) throw notFound(`Model ${clip(request.model)} does not exist. See GET /api/v1/models for the list.`, { model: clip(request.model) });
  if (!model.outputModalities.includes("embeddings")) {
    throw badRequest(`Model ${model.id} does not produce embeddings; use an embedding model such as openai/text-embedding-3-small`, { model: model.id });
  }
  const routing = { model: request.model, messages: [{ role: "user" as const, content: "" }], ...(request.provider ? { provider: request.provider } : {}) };
  const plan = await byokTargets(env, planRequest(env, c.executionCtx, routing, auth, startedAt, "embeddings"), auth.workspaceId);

  // reserve the most this request can cost (402 credits, 403 key limit or workspace budget)
  const id = newGenerationId();
  const reservedNanos = embeddingsCostBoundNanos(plan, request);
  await reserveSpend(env, auth, id, reservedNanos);
  const start = { id, startedAt, reservedNanos }; // the reservation caps the charge (charges.ts)

  // call the provider, failing over between endpoints
  let committed;
  try {
    committed = await firstEmbeddingEndpoint(env, plan, request, {
      signal: c.req.raw.signal,
      firstByteTimeoutMs: Number(env.FIRST_BYTE_TIMEOUT_MS) || DEFAULT_FIRST_BYTE_TIMEOUT_MS,
      zdr: auth.zdr,
      onProviderFailure: healthReporter(env, c.executionCtx),
    });
  } catch (error) {
    // nothing answered: recorded with every attempt, charged nothing (settling releases the reservation)
    c.executionCtx.waitUntil(settleGeneration(env, auth, unansweredOutcome(model, start, error, false)).catch(() => {}));
    throw error;
  }
  noteCommitted(committed, id, auth.workspaceId);
  const { planned, provider, parsed, attempts, byok } = committed;

  // respond, then settle (the spend object debits the real cost and releases the reservation)
  const outcome = answeredOutcome(committed, start, parsed.usage, null);
  c.executionCtx.waitUntil(settleGeneration(env, auth, outcome));
  recordOutcome(env, (p) => c.executionCtx.waitUntil(p), outcome);

  const tokens = parsed.usage?.promptTokens ?? 0;
  const body: EmbeddingsResponse = {
    id,
    object: "list",
    model: planned.model.id,
    provider: provider.name,
    data: parsed.data,
    // A BYOK answer costs no credits for usage; its BYOK fee shows in the ledger.
    usage: { prompt_tokens: tokens, total_tokens: tokens, cost: nanosToUsdNumber(byok ? 0n : chargedNanos(outcome)), is_byok: byok },
  };
  return c.json(body, 200, { "x-generation-id": id, "x-switchyard-provider": provider.slug, "x-switchyard-attempts": attemptsHeader(attempts) });
});
