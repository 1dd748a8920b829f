import { findModel, nanosToUsdNumber } from "@switchyard/catalog";
import { MalformedUpstreamResponse } from "@switchyard/providers";
import { planRoute } from "@switchyard/router";
import {
  badRequest,
  type EmbeddingsResponse,
  embeddingsRequestSchema,
  notFound,
  parseOrThrow,
  paymentRequired,
  upstreamError,
} from "@switchyard/schemas";
import { Hono } from "hono";
import { authenticate } from "../accounts/auth.ts";
import { readBalanceNanos } from "../accounts/key-lookup.ts";
import { settleGeneration } from "../accounts/settle.ts";
import { byokTargets } from "../byok/targets.ts";
import type { AppEnv } from "../env.ts";
import { firstEmbeddingEndpoint } from "../inference/embeddings.ts";
import { costOf } from "../inference/generation.ts";
import { newGenerationId } from "../lib/ids.ts";
import { DEFAULT_MAX_BODY_BYTES, readJsonBody } from "../middleware/json-body.ts";

const DEFAULT_FIRST_BYTE_TIMEOUT_MS = 30_000;

/**
 * `POST /embeddings` in OpenAI's shape, for catalog models that embed. The chat
 * path's steps: validate → authenticate → plan → fail over → respond → settle
 * (billed per input token, after the response).
 */
export const embeddings = new Hono<AppEnv>().post("/", async (c) => {
  const startedAt = Date.now();
  const env = c.env;

  const request = parseOrThrow(embeddingsRequestSchema, await readJsonBody(c.req.raw, Number(env.MAX_BODY_BYTES) || DEFAULT_MAX_BODY_BYTES));

  const auth = await authenticate(env.DB, c.req.header("authorization"), "inference");
  if ((await readBalanceNanos(env.DB, auth.accountId)) <= 0) throw paymentRequired();

  const model = findModel(request.model);
  if (!model) throw notFound(`Model ${request.model} does not exist. See GET /api/v1/models for the list.`, { model: request.model });
  if (!model.outputModalities.includes("embeddings")) {
    throw badRequest(`Model ${model.id} does not produce embeddings; use an embedding model such as openai/text-embedding-3-small`, { model: model.id });
  }

  const plan = await byokTargets(env, planRoute(model), auth.workspaceId);
  const committed = await firstEmbeddingEndpoint(env, plan, request, {
    signal: c.req.raw.signal,
    firstByteTimeoutMs: Number(env.FIRST_BYTE_TIMEOUT_MS) || DEFAULT_FIRST_BYTE_TIMEOUT_MS,
  });
  const { planned, provider, attempts, byok } = committed;
  let parsed;
  try {
    parsed = committed.embeddings.parseResponse(await committed.response.json());
  } catch (e) {
    const reason = e instanceof MalformedUpstreamResponse ? e.message : "upstream answer is not valid JSON";
    throw upstreamError(`Provider ${provider.name} sent an invalid answer: ${reason}`, { provider: provider.slug });
  }

  const id = newGenerationId();
  const costNanos = costOf(planned.endpoint, parsed.usage);
  const endedAt = Date.now();
  c.executionCtx.waitUntil(
    settleGeneration(env.DB, auth, {
      id,
      model,
      endpoint: planned.endpoint,
      provider,
      status: "success",
      usage: parsed.usage,
      costNanos,
      byok,
      finishReason: null,
      streamed: false,
      startedAt,
      firstTokenAt: endedAt,
      endedAt,
      attempts,
    }),
  );
  const tokens = parsed.usage?.promptTokens ?? 0;
  const body: EmbeddingsResponse = {
    id,
    object: "list",
    model: model.id,
    provider: provider.name,
    data: parsed.data,
    // A BYOK answer costs no credits for usage; its BYOK fee shows in the ledger.
    usage: { prompt_tokens: tokens, total_tokens: tokens, cost: nanosToUsdNumber(byok ? 0n : costNanos), is_byok: byok },
  };
  return c.json(body, 200, { "x-generation-id": id, "x-switchyard-provider": provider.slug });
});
