import { chatCompletionRequestSchema, parseOrThrow, paymentRequired } from "@switchyard/schemas";
import { Hono } from "hono";
import { authenticate } from "../accounts/auth.ts";
import { readBalanceNanos } from "../accounts/key-lookup.ts";
import { settleGeneration } from "../accounts/settle.ts";
import { byokTargets } from "../byok/targets.ts";
import type { AppEnv } from "../env.ts";
import { completeResponse } from "../inference/complete.ts";
import { attemptsHeader, firstAnsweringEndpoint } from "../inference/failover.ts";
import type { GenerationOutcome } from "../inference/generation.ts";
import { streamResponse } from "../inference/stream.ts";
import { newGenerationId } from "../lib/ids.ts";
import { applyFreeTierLimits } from "../routing/free-tier.ts";
import { healthReporter, planRequest } from "../routing/plan-request.ts";
import { DEFAULT_MAX_BODY_BYTES, readJsonBody } from "../middleware/json-body.ts";

const DEFAULT_FIRST_BYTE_TIMEOUT_MS = 30_000;

export const chatCompletions = new Hono<AppEnv>().post("/", async (c) => {
  const startedAt = Date.now();
  const env = c.env;

  // validate
  const body = await readJsonBody(c.req.raw, Number(env.MAX_BODY_BYTES) || DEFAULT_MAX_BODY_BYTES);
  const request = parseOrThrow(chatCompletionRequestSchema, body);

  // authenticate
  const auth = await authenticate(env.DB, c.req.header("authorization"), "inference");
  if ((await readBalanceNanos(env.DB, auth.accountId)) <= 0) throw paymentRequired();

  // plan route (models + fallbacks, workspace ZDR/EU, provider preferences, health; then the workspace's own keys)
  const planned = await applyFreeTierLimits(env, auth.keyId, planRequest(env, c.executionCtx, request, auth));
  const plan = await byokTargets(env, planned, auth.workspaceId);

  // call adapter, failing over between endpoints
  const stream = request.stream === true;
  const committed = await firstAnsweringEndpoint(env, plan, request, {
    stream,
    signal: c.req.raw.signal,
    firstByteTimeoutMs: Number(env.FIRST_BYTE_TIMEOUT_MS) || DEFAULT_FIRST_BYTE_TIMEOUT_MS,
    zdr: auth.zdr,
    onProviderFailure: healthReporter(env, c.executionCtx),
  });
  const id = newGenerationId();
  const headers = { "x-generation-id": id, "x-switchyard-provider": committed.provider.slug, "x-switchyard-attempts": attemptsHeader(committed.attempts) };

  // settle cost once the answer has ended (after the response, never before it)
  const settle = (outcome: GenerationOutcome) => settleGeneration(env.DB, auth, outcome);

  if (stream) {
    const { body, ended } = streamResponse(committed, { id, startedAt }, settle);
    c.executionCtx.waitUntil(ended);
    return new Response(body, {
      headers: { ...headers, "content-type": "text/event-stream; charset=utf-8", "cache-control": "no-cache", connection: "keep-alive" },
    });
  }
  const { body: completion, outcome } = await completeResponse(committed, { id, startedAt });
  c.executionCtx.waitUntil(settle(outcome));
  return c.json(completion, 200, headers);
});
