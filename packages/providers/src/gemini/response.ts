import type { AssistantMessage, FinishReason, ToolCall } from "@switchyard/schemas";
import { MalformedUpstreamResponse } from "../openai/response.ts";
import type { ParsedCompletion, TokenUsage } from "../types.ts";

export interface GeminiUsageMetadata {
  promptTokenCount?: number;
  candidatesTokenCount?: number;
  cachedContentTokenCount?: number;
  thoughtsTokenCount?: number;
  toolUsePromptTokenCount?: number;
}

export interface GeminiPart {
  text?: string;
  thought?: boolean;
  functionCall?: { id?: string; name?: string; args?: unknown };
}

export interface GeminiCandidate {
  content?: { parts?: GeminiPart[] };
  finishReason?: string;
}

export interface GeminiResponse {
  candidates?: GeminiCandidate[];
  promptFeedback?: { blockReason?: string };
  usageMetadata?: GeminiUsageMetadata;
  responseId?: string;
}

/** Finish reasons that mean Google's filters ended (or withheld) the answer. */
const FILTERED = new Set(["SAFETY", "RECITATION", "BLOCKLIST", "PROHIBITED_CONTENT", "SPII", "IMAGE_SAFETY", "LANGUAGE"]);

/** Gemini says STOP after a function call too; OpenAI says tool_calls. */
export function geminiFinishReason(reason: string | undefined, calledTools: boolean): FinishReason | null {
  if (!reason) return null;
  if (reason === "MAX_TOKENS") return "length";
  if (FILTERED.has(reason)) return "content_filter";
  return calledTools ? "tool_calls" : "stop";
}

/**
 * Thinking tokens are billed as output but reported apart from the candidates;
 * the prompt count already includes cached tokens, as OpenAI's does.
 */
export function geminiUsage(usage: GeminiUsageMetadata | undefined): TokenUsage | null {
  if (!usage || typeof usage.promptTokenCount !== "number") return null;
  const thoughts = usage.thoughtsTokenCount ?? 0;
  const cached = usage.cachedContentTokenCount ?? 0;
  return {
    promptTokens: usage.promptTokenCount + (usage.toolUsePromptTokenCount ?? 0),
    completionTokens: (usage.candidatesTokenCount ?? 0) + thoughts,
    ...(cached ? { cachedTokens: cached } : {}),
    ...(thoughts ? { reasoningTokens: thoughts } : {}),
  };
}

/** A prompt Google refused to answer at all. */
export function blockedPromptRefusal(reason: string): string {
  return `The prompt was blocked by Google's safety filters (${reason})`;
}

/**
 * Gemini has no tool-call ids (the API matches results to calls by name); the
 * gateway makes ids that are unique per response and stable within it.
 */
export function geminiToolCall(call: NonNullable<GeminiPart["functionCall"]>, responseId: string | undefined, n: number): ToolCall {
  return {
    id: call.id ?? `call_${responseId ?? "gemini"}_${n}`,
    type: "function",
    function: { name: call.name ?? "", arguments: JSON.stringify(call.args ?? {}) },
  };
}

/** Answer text, thought summaries (the reasoning) and function calls of a candidate's parts. */
export function readParts(
  parts: GeminiPart[] | undefined,
  responseId: string | undefined,
  firstToolIndex = 0,
): { text: string; reasoning: string; toolCalls: ToolCall[] } {
  let text = "";
  let reasoning = "";
  const toolCalls: ToolCall[] = [];
  for (const part of parts ?? []) {
    if (typeof part.text === "string") {
      if (part.thought) reasoning += part.text;
      else text += part.text;
    }
    if (part.functionCall) toolCalls.push(geminiToolCall(part.functionCall, responseId, firstToolIndex + toolCalls.length));
  }
  return { text, reasoning, toolCalls };
}

export function parseGeminiCompletion(body: unknown): ParsedCompletion {
  if (!body || typeof body !== "object") throw new MalformedUpstreamResponse("upstream answer is not an object");
  const res = body as GeminiResponse;
  const usage = geminiUsage(res.usageMetadata);
  const candidate = res.candidates?.[0];
  if (!candidate) {
    const blocked = res.promptFeedback?.blockReason;
    if (!blocked) throw new MalformedUpstreamResponse("upstream answer has no candidates");
    return { message: { role: "assistant", content: null, refusal: blockedPromptRefusal(blocked) }, finishReason: "content_filter", nativeFinishReason: blocked, usage };
  }
  const { text, reasoning, toolCalls } = readParts(candidate.content?.parts, res.responseId);
  const message: AssistantMessage = {
    role: "assistant",
    content: text === "" && toolCalls.length ? null : text,
    ...(toolCalls.length ? { tool_calls: toolCalls } : {}),
    ...(reasoning ? { reasoning } : {}),
  };
  const native = candidate.finishReason ?? null;
  return { message, finishReason: geminiFinishReason(candidate.finishReason, toolCalls.length > 0), nativeFinishReason: native, usage };
}
