/**
 * Decides what the mock model answers: a tool call, a tool-result
 * acknowledgement, a JSON object, or echoed text, then applies `stop` and
 * `max_tokens` the way a real model's sampler would end generation.
 */
import { asMessages, contentText, priorToolCallCount } from "./messages.ts";
import { sampleFromSchema, sampleObject } from "./schema-fill.ts";
import { thoughtsAbout } from "./thinking.ts";
import type { Answer, ChatMessage, ChatRequest, ToolCall } from "./types.ts";
import { CHARS_PER_TOKEN, charTokens, countWords, wordPieces } from "./usage.ts";

/** ~100 words, long enough for streaming benchmarks to see many chunks. */
export const LOREM_TEXT =
  "Lorem ipsum dolor sit amet, consectetur adipiscing elit, sed do eiusmod tempor incididunt ut labore et dolore magna aliqua. " +
  "Ut enim ad minim veniam, quis nostrud exercitation ullamco laboris nisi ut aliquip ex ea commodo consequat. " +
  "Duis aute irure dolor in reprehenderit in voluptate velit esse cillum dolore eu fugiat nulla pariatur. " +
  "Excepteur sint occaecat cupidatat non proident, sunt in culpa qui officia deserunt mollit anim id est laborum. " +
  "Curabitur pretium tincidunt lacus, nulla gravida orci a odio, nullam varius turpis et commodo pharetra. " +
  "Est eros bibendum elit, nec luctus magna felis sollicitudin mauris, integer in mauris eu nibh euismod gravida.";

/**
 * @param userText text of the last user message with directives already stripped
 */
export function buildAnswer(request: ChatRequest, userText: string): Answer {
  const answer = plainAnswer(request, userText);
  if ((request.thinking as { type?: unknown } | undefined)?.type !== "enabled") return answer;
  const last = asMessages(request.messages).at(-1);
  return { ...answer, thinking: thoughtsAbout(userText, last?.role === "tool") };
}

function plainAnswer(request: ChatRequest, userText: string): Answer {
  const messages = asMessages(request.messages);
  const last = messages[messages.length - 1];
  const maxTokens = readMaxTokens(request);

  const toolCall = wantsToolCall(request, last) ? makeToolCall(request, messages) : undefined;
  if (toolCall) {
    // Arguments are counted in 4-character units (see usage.ts), so truncate in those units.
    if (maxTokens !== undefined && charTokens(toolCall.function.arguments) > maxTokens) {
      toolCall.function.arguments = toolCall.function.arguments.slice(0, maxTokens * CHARS_PER_TOKEN);
      return { kind: "tool", content: null, toolCall, finishReason: "length" };
    }
    return { kind: "tool", content: null, toolCall, finishReason: "tool_calls" };
  }

  let kind: Answer["kind"] = "text";
  let content: string;
  if (last?.role === "tool") {
    content = `Tool result: ${contentText(last.content)}`;
  } else if (jsonFormat(request) === "json_object") {
    kind = "json";
    content = JSON.stringify({ echo: userText });
  } else if (jsonFormat(request) === "json_schema") {
    kind = "json";
    const schema = (request.response_format as { json_schema?: { schema?: unknown } }).json_schema?.schema;
    const value = schema && typeof schema === "object" && !("properties" in schema) ? sampleFromSchema(schema) : sampleObject(schema);
    content = JSON.stringify(value);
  } else if (/lorem/i.test(userText)) {
    content = LOREM_TEXT;
  } else {
    content = `Echo: ${userText}`.trimEnd();
  }

  let finishReason: Answer["finishReason"] = "stop";
  const stop = firstStop(content, request.stop);
  if (stop) content = content.slice(0, stop.at);
  if (maxTokens !== undefined) {
    if (kind === "json" && charTokens(content) > maxTokens) {
      content = content.slice(0, maxTokens * CHARS_PER_TOKEN);
      finishReason = "length";
    } else if (kind === "text" && countWords(content) > maxTokens) {
      content = wordPieces(content).slice(0, maxTokens).join("");
      finishReason = "length";
    }
  }
  return { kind, content, finishReason, ...(stop && finishReason === "stop" ? { stopSequence: stop.sequence } : {}) };
}

/** What a provider's safety filter answers instead. */
export const BLOCKED_ANSWER: Answer = { kind: "text", content: null, finishReason: "content_filter" };

function wantsToolCall(request: ChatRequest, last: ChatMessage | undefined): boolean {
  return Array.isArray(request.tools) && request.tools.length > 0 && request.tool_choice !== "none" && last?.role === "user";
}

interface ToolDef {
  function?: { name?: unknown; parameters?: unknown };
}

function makeToolCall(request: ChatRequest, messages: ChatMessage[]): ToolCall {
  const tools = (request.tools as unknown[]).filter((t): t is ToolDef => !!t && typeof t === "object");
  const forced = (request.tool_choice as { function?: { name?: unknown } } | null | undefined)?.function?.name;
  const name = typeof forced === "string" ? forced : String(tools[0]?.function?.name ?? "mock_tool");
  const tool = tools.find((t) => t.function?.name === name);
  return {
    // Numbered by the tool calls already in the conversation: stable for a given request.
    id: `call_mock_${priorToolCallCount(messages)}`,
    type: "function",
    function: { name, arguments: JSON.stringify(sampleObject(tool?.function?.parameters)) },
  };
}

function jsonFormat(request: ChatRequest): string | undefined {
  const type = (request.response_format as { type?: unknown } | null | undefined)?.type;
  return type === "json_object" || type === "json_schema" ? type : undefined;
}

function readMaxTokens(request: ChatRequest): number | undefined {
  const v = request.max_completion_tokens ?? request.max_tokens;
  return typeof v === "number" && Number.isFinite(v) && v >= 0 ? Math.floor(v) : undefined;
}

/** The earliest stop sequence in the text and where it starts, if any. */
function firstStop(text: string, stop: unknown): { at: number; sequence: string } | undefined {
  const list = typeof stop === "string" ? [stop] : Array.isArray(stop) ? stop : [];
  let best: { at: number; sequence: string } | undefined;
  for (const s of list) {
    if (typeof s !== "string" || s === "") continue;
    const i = text.indexOf(s);
    if (i !== -1 && (!best || i < best.at)) best = { at: i, sequence: s };
  }
  return best;
}
