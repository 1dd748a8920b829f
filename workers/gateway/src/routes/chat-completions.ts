import { chatCompletionRequestSchema, parseOrThrow } from "@switchyard/schemas";
import { Hono } from "hono";
import { authenticate, INFERENCE } from "../accounts/auth.ts";
import { settleGeneration } from "../accounts/settle.ts";
import { costBoundNanos } from "../accounts/spend/cost-bound.ts";
import { reserveSpend } from "../accounts/spend/client.ts";
import { byokTargets } from "../byok/targets.ts";
import type { AppEnv } from "../env.ts";
import { completeResponse } from "../inference/complete.ts";
import { attemptsHeader, firstAnsweringEndpoint } from "../inference/failover.ts";
import { type GenerationOutcome, unansweredOutcome } from "../inference/generation.ts";
import { streamResponse } from "../inference/stream.ts";
import { newGenerationId } from "../lib/ids.ts";
import { applyFreeTierLimits } from "../routing/free-tier.ts";
import { healthReporter, planRequest } from "../routing/plan-request.ts";
import { recordOutcome } from "../health/record-outcome.ts";
import { noteCommitted } from "../routing/endpoint-load.ts";
import { DEFAULT_MAX_BODY_BYTES, readJsonBody } from "../middleware/json-body.ts";

const DEFAULT_FIRST_BYTE_TIMEOUT_MS = 30_000;

export const chatCompletions = new Hono<AppEnv>().post("/", async (c) => {
  const startedAt = Date.now();
  const env = c.env;

  // validate
  const body = await readJsonBody(c.req.raw, Number(env.MAX_BODY_BYTES) || DEFAULT_MAX_BODY_BYTES);
  const request = parseOrThrow(chatCompletionRequestSchema, body);

  // authenticate (the key comes from the isolate cache: no D1 round trip)
  const auth = await authenticate(env.DB, c.req.header("authorization"), INFERENCE);

  // plan route (models + fallbacks, workspace ZDR/EU, provider preferences, health; then the workspace's own keys)
  const planned = await applyFreeTierLimits(env, auth.keyId, planRequest(env, c.executionCtx, request, auth));
  const plan = await byokTargets(env, planned, auth.workspaceId);

  // reserve the most this request can cost on any planned attempt (402 credits, 403 key limit or workspace budget)
  const id = newGenerationId();
  const reservedNanos = costBoundNanos(plan, request);
  await reserveSpend(env, auth, id, reservedNanos);
  const start = { id, startedAt, reservedNanos }; // the reservation caps the charge (charges.ts)
  const stream = request.stream === true;
  // settle once the answer has ended (after the response, never before it): the spend object
  // debits the real cost and releases the reservation in one step. A request nothing answered is
  // settled too: recorded with every attempt, charged nothing.
  const settle = (outcome: GenerationOutcome) => (recordOutcome(env, (p) => c.executionCtx.waitUntil(p), outcome), settleGeneration(env, auth, outcome));

  // call adapter, failing over between endpoints
  let committed;
  try {
    committed = await firstAnsweringEndpoint(env, plan, request, {
      stream,
      signal: c.req.raw.signal,
      firstByteTimeoutMs: Number(env.FIRST_BYTE_TIMEOUT_MS) || DEFAULT_FIRST_BYTE_TIMEOUT_MS,
      zdr: auth.zdr,
      onProviderFailure: healthReporter(env, c.executionCtx),
    });
  } catch (error) {
    c.executionCtx.waitUntil(settle(unansweredOutcome(plan[0]!.model, start, error, stream)).catch(() => {}));
    throw error;
  }
  noteCommitted(committed, id, auth.workspaceId);
  const headers = { "x-generation-id": id, "x-switchyard-provider": committed.provider.slug, "x-switchyard-attempts": attemptsHeader(committed.attempts) };

  if (stream) {
    const { body, ended } = streamResponse(committed, start, settle, { request, idleTimeoutMs: Number(env.STREAM_IDLE_TIMEOUT_MS) || undefined, signal: c.req.raw.signal });
    c.executionCtx.waitUntil(ended);
    return new Response(body, {
      headers: { ...headers, "content-type": "text/event-stream; charset=utf-8", "cache-control": "no-cache", connection: "keep-alive" },
    });
  }
  const { body: completion, outcome } = completeResponse(committed, start, request);
  c.executionCtx.waitUntil(settle(outcome));
  // A plain headers object, not c.json: hono copies more than one header into a Headers object of its own first.
  return new Response(JSON.stringify(completion), { headers: { ...headers, "content-type": "application/json" } });
});
