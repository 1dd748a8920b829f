import { MalformedUpstreamResponse } from "@switchyard/providers";
import { type ChatCompletion, upstreamError } from "@switchyard/schemas";
import type { Committed } from "./failover.ts";
import { answeredOutcome, type GenerationOutcome, usageBody } from "./generation.ts";

/**
 * A non-streamed answer: the upstream body translated to OpenAI's shape, with
 * the gateway's id, the public model id, the provider and the cost.
 */
export async function completeResponse(
  committed: Committed,
  outcome: Pick<GenerationOutcome, "id" | "startedAt">,
): Promise<{ body: ChatCompletion; outcome: GenerationOutcome }> {
  const { planned, adapter, provider, response, byok } = committed;
  let parsed = committed.completion;
  try {
    parsed ??= adapter.parseCompletion(await response.json());
  } catch (e) {
    const reason = e instanceof MalformedUpstreamResponse ? e.message : "upstream answer is not valid JSON";
    throw upstreamError(`Provider ${provider.name} sent an invalid answer: ${reason}`, { provider: provider.slug });
  }
  const settled = answeredOutcome(committed, outcome, parsed.usage, parsed.finishReason);
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
    usage: usageBody(parsed.usage, settled.costNanos, byok),
  };
  return { body, outcome: settled };
}
