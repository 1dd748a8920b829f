/**
 * Deterministic token accounting. Not a real tokenizer, just stable numbers that
 * tests and billing code can predict:
 *
 *   prompt_tokens     = ceil(C / 4) + 3 × (number of messages), where C is the total
 *                       character count of every message's text (string content or
 *                       joined text parts) plus assistant tool-call arguments, exactly
 *                       as sent (directives included). Tool definitions are not counted.
 *   completion_tokens = text answers: number of whitespace-separated words;
 *                       JSON-mode content and tool-call arguments: ceil(characters / 4),
 *                       since JSON has too few spaces for a word count to mean anything;
 *                       plus the words of an Anthropic thinking block, when there is one.
 *   total_tokens      = prompt_tokens + completion_tokens.
 *   cached_tokens     = the `cached` directive, capped at prompt_tokens; without it, what
 *                       the prompt cache (prompt-cache.ts) served: Anthropic requests with
 *                       cache_control, OpenAI requests with a prompt_cache_key; else 0.
 *                       Like OpenAI's, a part of prompt_tokens, not added to it.
 *
 * max_tokens truncation uses the same units, so a truncated answer reports exactly max_tokens.
 */
import { contentText } from "./messages.ts";
import type { Answer, ChatMessage, MockScenario, Usage } from "./types.ts";

export const CHARS_PER_TOKEN = 4;
export const TOKENS_PER_MESSAGE = 3;

/** Splits text into word pieces, each with its leading whitespace; joining them gives the text back. */
export function wordPieces(text: string): string[] {
  const pieces: string[] = text.match(/\s*\S+/g) ?? [];
  const consumed = pieces.reduce((n, p) => n + p.length, 0);
  if (consumed < text.length) {
    if (pieces.length) pieces[pieces.length - 1] += text.slice(consumed);
    else pieces.push(text);
  }
  return pieces;
}

export function countWords(text: string): number {
  return (text.match(/\S+/g) ?? []).length;
}

export function charTokens(text: string): number {
  return Math.ceil(text.length / CHARS_PER_TOKEN);
}

export function promptTokens(messages: ChatMessage[]): number {
  let chars = 0;
  for (const m of messages) {
    chars += contentText(m.content).length;
    if (Array.isArray(m.tool_calls)) {
      for (const call of m.tool_calls) {
        const args = (call as { function?: { arguments?: unknown } } | null)?.function?.arguments;
        if (typeof args === "string") chars += args.length;
      }
    }
  }
  return Math.ceil(chars / CHARS_PER_TOKEN) + TOKENS_PER_MESSAGE * messages.length;
}

export function completionTokens(answer: Answer): number {
  const thinking = answer.thinking ? countWords(answer.thinking) : 0;
  if (answer.kind === "tool") return thinking + charTokens(answer.toolCall?.function.arguments ?? "");
  if (answer.kind === "json") return thinking + charTokens(answer.content ?? "");
  return thinking + countWords(answer.content ?? "");
}

/** The parts of a prompt the scenario reports as cache reads and writes: reads first, both within the prompt. */
export function cacheSplit(prompt: number, scenario: MockScenario): { cached: number; written: number } {
  const cached = Math.min(scenario.cached ?? 0, prompt);
  return { cached, written: Math.min(scenario.cacheWrite ?? 0, prompt - cached) };
}

export function buildUsage(messages: ChatMessage[], answer: Answer, scenario: MockScenario = {}): Usage {
  const prompt = promptTokens(messages);
  const completion = completionTokens(answer);
  return {
    prompt_tokens: prompt,
    completion_tokens: completion,
    total_tokens: prompt + completion,
    prompt_tokens_details: { cached_tokens: cacheSplit(prompt, scenario).cached, audio_tokens: 0 },
    completion_tokens_details: {
      reasoning_tokens: 0,
      audio_tokens: 0,
      accepted_prediction_tokens: 0,
      rejected_prediction_tokens: 0,
    },
  };
}
