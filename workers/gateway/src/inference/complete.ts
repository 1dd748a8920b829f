import { MalformedUpstreamResponse } from "@switchyard/providers";
import { type ChatCompletion, upstreamError } from "@switchyard/schemas";
import type { Committed } from "./failover.ts";
import { costOf, type GenerationOutcome, usageBody } from "./generation.ts";

/**
 * A non-streamed answer: the upstream body translated to OpenAI's shape, with
 * the gateway's id, the public model id, the provider and the cost.
 */
export async function completeResponse(
  committed: Committed,
  outcome: Pick<GenerationOutcome, "id" | "startedAt">,
): Promise<{ body: ChatCompletion; outcome: GenerationOutcome }> {
  const { planned, adapter, provider, response, attempts, byok } = committed;
  let parsed;
  try {
    parsed = adapter.parseCompletion(await response.json());
  } catch (e) {
    const reason = e instanceof MalformedUpstreamResponse ? e.message : "upstream answer is not valid JSON";
    throw upstreamError(`Provider ${provider.name} sent an invalid answer: ${reason}`, { provider: provider.slug });
  }
  const costNanos = costOf(planned.endpoint, parsed.usage);
  const now = Date.now();
  const body: ChatCompletion = {
    id: outcome.id,
    object: "chat.completion",
    created: Math.floor(outcome.startedAt / 1000),
    model: planned.model.id,
    provider: provider.name,
    system_fingerprint: null,
    choices: [
      {
        index: 0,
        message: parsed.message,
        finish_reason: parsed.finishReason,
        native_finish_reason: parsed.nativeFinishReason,
        logprobs: null,
      },
    ],
    usage: usageBody(parsed.usage, costNanos, byok),
  };
  return {
    body,
    outcome: {
      ...outcome,
      model: planned.model,
      endpoint: planned.endpoint,
      provider,
      status: "success",
      usage: parsed.usage,
      costNanos,
      byok,
      finishReason: parsed.finishReason,
      streamed: false,
      firstTokenAt: now,
      endedAt: now,
      attempts,
    },
  };
}
