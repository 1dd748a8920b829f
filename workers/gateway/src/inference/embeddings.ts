import type { ProviderInfo } from "@switchyard/catalog";
import { adapterFor, MalformedUpstreamResponse, type ParsedEmbeddings, type UpstreamFailure } from "@switchyard/providers";
import type { PlannedAttempt } from "@switchyard/router";
import { type EmbeddingsRequest, noProviderAvailable } from "@switchyard/schemas";
import type { Attempt } from "../byok/targets.ts";
import type { Env } from "../env.ts";
import { attemptUpstream, type UpstreamResult } from "./call-upstream.ts";
import { type AttemptRecord, countsAgainstHealth, type FailoverOptions, failureToError } from "./failover.ts";
import { resolveTarget } from "./targets.ts";

export interface CommittedEmbeddings {
  planned: PlannedAttempt;
  provider: ProviderInfo;
  parsed: ParsedEmbeddings;
  attempts: AttemptRecord[];
  /** Served with the workspace's own provider key: billed as BYOK. */
  byok: boolean;
}

/**
 * The planned endpoints tried in order until one answers with valid embeddings,
 * by the chat path's rules (see firstAnsweringEndpoint): retryable failures move
 * on and count against health, the caller's own mistakes end the request.
 * Endpoints whose wire format has no embeddings endpoint are skipped.
 */
export async function firstEmbeddingEndpoint(
  env: Env,
  plan: Attempt[],
  request: EmbeddingsRequest,
  options: Omit<FailoverOptions, "stream">,
): Promise<CommittedEmbeddings> {
  const attempts: AttemptRecord[] = [];
  let lastFailure: UpstreamFailure | undefined;
  for (const planned of plan) {
    const resolved = resolveTarget(env, planned.endpoint, planned.byok?.apiKey);
    const byok = planned.byok ? { byok: true as const } : {};
    const adapter = resolved && adapterFor(resolved.provider.apiFormat);
    const embeddings = adapter?.embeddings;
    if (!resolved || !adapter || !embeddings) {
      attempts.push({ provider: planned.endpoint.provider, model: planned.model.id, status: 503, message: "provider not configured for embeddings" });
      continue;
    }
    let parsed: ParsedEmbeddings | undefined;
    const result = await attemptUpstream(
      {
        build: () => embeddings.buildRequest(request, resolved.target),
        parseError: adapter.parseError,
        // Read and checked before committing, so an invalid answer fails over like a 5xx.
        accept: async (response): Promise<UpstreamResult> => {
          try {
            parsed = embeddings.parseResponse(await response.json());
            return { ok: true, response };
          } catch (e) {
            const reason = e instanceof MalformedUpstreamResponse ? e.message : "the answer is not valid JSON";
            return { ok: false, failure: { status: 502, message: `Provider sent an invalid answer: ${reason}`, retryable: true } };
          }
        },
      },
      options.signal,
      options.firstByteTimeoutMs,
    );
    if (result.ok && parsed) {
      attempts.push({ provider: resolved.provider.slug, model: planned.model.id, status: 200, ...byok });
      return { planned, provider: resolved.provider, parsed, attempts, byok: Boolean(planned.byok) };
    }
    const failure = result.ok ? { status: 502, message: "Provider sent no embeddings", retryable: true } : result.failure;
    attempts.push({
      provider: resolved.provider.slug,
      model: planned.model.id,
      status: failure.upstreamStatus ?? failure.status,
      ...(options.zdr ? {} : { message: failure.message }),
      ...byok,
    });
    lastFailure = failure;
    if (!failure.retryable) throw failureToError(failure, attempts);
    if (countsAgainstHealth(failure, planned)) options.onProviderFailure?.(planned, failure);
  }
  if (!lastFailure) throw noProviderAvailable("No provider is available for this model: none of its providers is configured", { attempts });
  throw failureToError(lastFailure, attempts);
}
