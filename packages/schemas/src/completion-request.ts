import { z } from "zod";

/**
 * The legacy `POST /completions` request. Only what differs from chat is checked
 * here; every other field is the chat request's and is validated as one, since
 * the gateway serves a completion as a one-message chat.
 */
export const completionRequestSchema = z.looseObject({
  prompt: z
    .union([z.string(), z.array(z.string())], "prompt must be a string")
    .refine((p) => typeof p === "string" || p.length === 1, "prompt must be one string (batches of prompts are not supported)"),
  echo: z.literal(false, "echo is not supported").optional(),
  suffix: z.null("suffix (insertion) is not supported").optional(),
  best_of: z.literal(1, "only best_of=1 is supported").optional(),
  // Legacy logprobs is a count of top tokens; log probabilities are not passed on for completions.
  logprobs: z.number().int().min(0).max(5).nullable().optional(),
});
export type CompletionRequest = z.infer<typeof completionRequestSchema>;

/** A legacy completion as the chat request the gateway routes: the prompt becomes one user message. */
export function chatRequestFromCompletion(req: CompletionRequest): Record<string, unknown> {
  const { prompt, echo: _echo, suffix: _suffix, best_of: _bestOf, logprobs: _logprobs, messages: _messages, ...rest } = req;
  return { ...rest, messages: [{ role: "user", content: typeof prompt === "string" ? prompt : prompt[0] }] };
}

export interface TextCompletionChoice {
  text: string;
  index: number;
  logprobs: null;
  finish_reason: string | null;
  native_finish_reason?: string | null;
}
