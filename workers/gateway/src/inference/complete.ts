import type { ChatCompletion, ChatCompletionRequest } from "@switchyard/schemas";
import { excludesReasoning, withoutReasoning } from "./exclude-reasoning.ts";
import type { Committed } from "./failover.ts";
import type { GenerationOutcome } from "./generation.ts";
import { chargedNanos } from "../accounts/charges.ts";
import { answeredOutcome, type GenerationStart, usageBody } from "./generation.ts";

/**
 * A non-streamed answer: the completion read and checked during failover
 * (readCompletion), in OpenAI's shape, with the gateway's id, the public model
 * id, the provider and the cost.
 */
export function completeResponse(
  committed: Committed,
  outcome: GenerationStart,
  request: Pick<ChatCompletionRequest, "reasoning">,
): { body: ChatCompletion; outcome: GenerationOutcome } {
  const { planned, provider, byok, completion: parsed } = committed;
  if (!parsed) throw new Error("completeResponse needs the answer read during failover");
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
        message: excludesReasoning(request) ? withoutReasoning(parsed.message) : parsed.message,
        finish_reason: parsed.finishReason,
        native_finish_reason: parsed.nativeFinishReason,
        logprobs: null,
      },
    ],
    usage: usageBody(parsed.usage, chargedNanos(settled), byok), // what is charged (never above the reservation)
  };
  return { body, outcome: settled };
}
