/**
 * An answer as a GenerateContentResponse and as `streamGenerateContent?alt=sse`
 * chunks: one chunk per text piece with cumulative usageMetadata, then a last
 * chunk carrying finishReason; a function call comes whole, with its finishReason.
 */
import { type CompletionMeta, type StreamPlan, contentPieces, withFaults } from "../stream.ts";
import type { Answer, MockScenario, Usage } from "../types.ts";
import { completionTokens } from "../usage.ts";
import { googleError } from "./errors.ts";

const sse = (data: unknown): string => `data: ${JSON.stringify(data)}\n\n`;

function finishReason(answer: Answer): string {
  return answer.finishReason === "length" ? "MAX_TOKENS" : "STOP";
}

/** promptTokenCount includes cachedContentTokenCount, as Google's does. */
function usageMetadata(usage: Usage, candidates?: number) {
  const prompt = usage.prompt_tokens;
  const cached = usage.prompt_tokens_details.cached_tokens;
  return {
    promptTokenCount: prompt,
    ...(cached ? { cachedContentTokenCount: cached } : {}),
    ...(candidates !== undefined ? { candidatesTokenCount: candidates } : {}),
    totalTokenCount: prompt + (candidates ?? 0),
    promptTokensDetails: [{ modality: "TEXT", tokenCount: prompt }],
  };
}

/** A thought summary part (`thought: true`) before the answer, when the request asked for thoughts. */
const thoughtParts = (answer: Answer): Array<Record<string, unknown>> => (answer.thinking ? [{ text: answer.thinking, thought: true }] : []);

function parts(answer: Answer): Array<Record<string, unknown>> {
  return [...thoughtParts(answer), ...answerParts(answer)];
}

function answerParts(answer: Answer): Array<Record<string, unknown>> {
  if (answer.toolCall) {
    const args = (() => {
      try {
        return JSON.parse(answer.toolCall.function.arguments);
      } catch {
        return {}; // arguments cut by max_tokens
      }
    })();
    return [{ functionCall: { name: answer.toolCall.function.name, args } }];
  }
  return [{ text: answer.content ?? "" }];
}

/** A refused prompt: no candidates, only the reason. */
function blockedBody(usage: Usage, meta: CompletionMeta) {
  return {
    promptFeedback: {
      blockReason: "SAFETY",
      safetyRatings: [{ category: "HARM_CATEGORY_DANGEROUS_CONTENT", probability: "HIGH", blocked: true }],
    },
    usageMetadata: usageMetadata(usage),
    modelVersion: meta.model,
    responseId: meta.id,
  };
}

function responseBody(answer: Answer, usage: Usage, meta: CompletionMeta, candidateParts = parts(answer), candidates = usage.completion_tokens, finish = true) {
  return {
    candidates: [{ content: { parts: candidateParts, role: "model" }, ...(finish ? { finishReason: finishReason(answer) } : {}), index: 0 }],
    usageMetadata: usageMetadata(usage, candidates),
    modelVersion: meta.model,
    responseId: meta.id,
  };
}

export function generateContentBody(answer: Answer, usage: Usage, meta: CompletionMeta): string {
  return JSON.stringify(answer.finishReason === "content_filter" ? blockedBody(usage, meta) : responseBody(answer, usage, meta));
}

export function planGenerateContentStream(answer: Answer, usage: Usage, meta: CompletionMeta, scenario: MockScenario): StreamPlan {
  const content: string[] = [];
  let tail: string[];
  if (answer.finishReason === "content_filter") {
    tail = [sse(blockedBody(usage, meta))];
  } else if (answer.toolCall) {
    tail = [sse(responseBody(answer, usage, meta))];
  } else {
    let soFar = "";
    if (answer.thinking) content.push(sse(responseBody(answer, usage, meta, thoughtParts(answer), 0, false)));
    for (const text of contentPieces(answer.content ?? "", scenario.chunks)) {
      soFar += text;
      content.push(sse(responseBody(answer, usage, meta, [{ text }], completionTokens({ ...answer, content: soFar }), false)));
    }
    tail = [sse(responseBody(answer, usage, meta, [{ text: "" }]))];
  }
  return withFaults({ head: [], content, tail }, scenario, {
    malformed: `data: {"candidates": [{"content": {"parts": [{"text": \n\n`,
    error: sse(googleError(500)),
  });
}
