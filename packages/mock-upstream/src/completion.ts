/** The non-streaming `chat.completion` object. */
import { type CompletionMeta, reasoningPieces } from "./stream.ts";
import type { Answer, MockScenario, Usage } from "./types.ts";

export function completionBody(answer: Answer, usage: Usage, meta: CompletionMeta, scenario: MockScenario): Record<string, unknown> {
  const reasoning = reasoningPieces(scenario.reasoning).join("");
  return {
    id: meta.id,
    object: "chat.completion",
    created: meta.created,
    model: meta.model,
    system_fingerprint: "fp_mock",
    choices: [
      {
        index: 0,
        message: {
          role: "assistant",
          content: answer.content,
          refusal: null,
          ...(reasoning ? { reasoning_content: reasoning } : {}),
          ...(answer.toolCall ? { tool_calls: [answer.toolCall] } : {}),
        },
        logprobs: null,
        finish_reason: answer.finishReason,
      },
    ],
    usage,
  };
}
