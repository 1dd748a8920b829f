import type { ProviderInfo } from "@switchyard/catalog";
import { adapterFor, type EmbeddingsAdapter, type UpstreamFailure } from "@switchyard/providers";
import type { PlannedAttempt } from "@switchyard/router";
import { type EmbeddingsRequest, noProviderAvailable } from "@switchyard/schemas";
import type { Attempt } from "../byok/targets.ts";
import type { Env } from "../env.ts";
import { fetchUpstream } from "./call-upstream.ts";
import { type AttemptRecord, failureToError } from "./failover.ts";
import { resolveTarget } from "./targets.ts";

export interface CommittedEmbeddings {
  planned: PlannedAttempt;
  provider: ProviderInfo;
  embeddings: EmbeddingsAdapter;
  response: Response;
  attempts: AttemptRecord[];
  /** Served with the workspace's own provider key: billed as BYOK. */
  byok: boolean;
}

/**
 * The planned endpoints tried in order until one answers, with the chat path's
 * rules: retryable failures (429, 5xx, timeouts) move on, the caller's own
 * mistakes are reported at once. Endpoints whose format has no embeddings
 * endpoint are skipped.
 */
export async function firstEmbeddingEndpoint(
  env: Env,
  plan: Attempt[],
  request: EmbeddingsRequest,
  options: { signal: AbortSignal; firstByteTimeoutMs: number },
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
    const result = await fetchUpstream(() => embeddings.buildRequest(request, resolved.target), adapter.parseError, options.signal, options.firstByteTimeoutMs);
    if (result.ok) {
      attempts.push({ provider: resolved.provider.slug, model: planned.model.id, status: 200, ...byok });
      return { planned, provider: resolved.provider, embeddings, response: result.response, attempts, byok: Boolean(planned.byok) };
    }
    const failure = result.failure;
    attempts.push({ provider: resolved.provider.slug, model: planned.model.id, status: failure.upstreamStatus ?? failure.status, message: failure.message, ...byok });
    lastFailure = failure;
    if (!failure.retryable) throw failureToError(failure, attempts);
  }
  if (!lastFailure) throw noProviderAvailable("No provider is available for this model: none of its providers is configured", { attempts });
  throw failureToError(lastFailure, attempts);
}
