/**
 * Renders an answer as OpenAI's chat.completion.chunk SSE events, byte for byte
 * in OpenAI's order: role chunk, content (or tool-call) deltas, a finish chunk
 * with an empty delta, an optional usage chunk with `choices: []`, then [DONE].
 * Stream faults (cut, stall, error_event, malformed) are applied to that list.
 */
import { streamErrorEvent } from "./errors.ts";
import type { StreamEnd } from "./paced-stream.ts";
import type { Answer, MockScenario, Usage } from "./types.ts";
import { wordPieces } from "./usage.ts";

export interface CompletionMeta {
  id: string;
  created: number;
  model: string;
}

/** Default size of tool-argument fragments, roughly what OpenAI's tokenizer emits. */
const ARG_FRAGMENT_CHARS = 8;

export const sse = (data: string): string => `data: ${data}\n\n`;
export const SSE_DONE = "data: [DONE]\n\n";

/** Exactly `n` pieces (some empty only when the text is shorter than n), evenly by characters. */
export function evenSplit(text: string, n: number): string[] {
  const out: string[] = [];
  for (let k = 0; k < n; k++) out.push(text.slice(Math.floor((k * text.length) / n), Math.floor(((k + 1) * text.length) / n)));
  return out;
}

/** One word (with its leading space) per piece, or exactly `chunks` pieces when set. */
export function contentPieces(text: string, chunks?: number): string[] {
  return chunks ? evenSplit(text, chunks) : wordPieces(text);
}

export function argumentPieces(args: string, chunks?: number): string[] {
  if (chunks) return evenSplit(args, chunks);
  const out: string[] = [];
  for (let k = 0; k < args.length; k += ARG_FRAGMENT_CHARS) out.push(args.slice(k, k + ARG_FRAGMENT_CHARS));
  return out;
}

/** The mock's reasoning: `n` short steps (none when `n` is 0 or unset). */
export function reasoningPieces(n = 0): string[] {
  return Array.from({ length: n }, (_, k) => `Step ${k + 1}. `);
}

export interface StreamPlan {
  pieces: string[];
  end: StreamEnd;
}

export function planChatStream(
  answer: Answer,
  usage: Usage,
  meta: CompletionMeta,
  includeUsage: boolean,
  scenario: MockScenario,
): StreamPlan {
  const chunk = (delta: Record<string, unknown>, finishReason: string | null = null): string =>
    sse(
      JSON.stringify({
        id: meta.id,
        object: "chat.completion.chunk",
        created: meta.created,
        model: meta.model,
        system_fingerprint: "fp_mock",
        choices: [{ index: 0, delta, logprobs: null, finish_reason: finishReason }],
        // OpenAI sends usage:null on every chunk once include_usage is on.
        ...(includeUsage ? { usage: null } : {}),
      }),
    );

  const head: string[] = [];
  const content: string[] = [];
  if (answer.kind === "tool" && answer.toolCall) {
    const call = answer.toolCall;
    // As OpenAI does: the role chunk already opens the tool call, arguments follow in fragments.
    head.push(
      chunk({
        role: "assistant",
        content: null,
        tool_calls: [{ index: 0, id: call.id, type: "function", function: { name: call.function.name, arguments: "" } }],
      }),
    );
    for (const frag of argumentPieces(call.function.arguments, scenario.chunks)) {
      content.push(chunk({ tool_calls: [{ index: 0, function: { arguments: frag } }] }));
    }
  } else {
    head.push(chunk({ role: "assistant", content: "" }));
    // DeepSeek's reasoner: the reasoning streams first, in reasoning_content, with content null
    for (const piece of reasoningPieces(scenario.reasoning)) head.push(chunk({ content: null, reasoning_content: piece }));
    for (const piece of contentPieces(answer.content ?? "", scenario.chunks)) content.push(chunk({ content: piece }));
  }

  const tail = [chunk({}, answer.finishReason)];
  if (includeUsage) {
    tail.push(
      sse(
        JSON.stringify({
          id: meta.id,
          object: "chat.completion.chunk",
          created: meta.created,
          model: meta.model,
          system_fingerprint: "fp_mock",
          choices: [],
          usage,
        }),
      ),
    );
  }
  tail.push(SSE_DONE);
  return withFaults({ head, content, tail }, scenario, {
    // A truncated JSON object: what a broken proxy or a mid-event bug looks like to a parser.
    malformed: sse(`{"id":"${meta.id}","object":"chat.completion.chunk","choices":[{"index":0,"delta":{"content":`),
    error: sse(streamErrorEvent()),
  });
}

/**
 * Applies the scenario's stream faults to a rendered stream, the same way for
 * every wire format: `malformed` adds a broken event after the head; cut, stall
 * and error_event stop after that many content events.
 */
export function withFaults(
  parts: { head: string[]; content: string[]; tail: string[] },
  scenario: MockScenario,
  events: { malformed: string; error: string },
): StreamPlan {
  const head = scenario.malformed ? [...parts.head, events.malformed] : parts.head;
  const fault = earliestFault(scenario);
  if (fault) {
    const pieces = [...head, ...parts.content.slice(0, fault.after)];
    if (fault.kind === "errorEvent") return { pieces: [...pieces, events.error], end: "close" };
    return { pieces, end: fault.kind };
  }
  return { pieces: [...head, ...parts.content, ...parts.tail], end: "close" };
}

/** When several stream faults are set, the one that triggers first wins (ties: error_event, cut, stall). */
function earliestFault(s: MockScenario): { kind: "errorEvent" | "cut" | "stall"; after: number } | undefined {
  const candidates = [
    { kind: "errorEvent" as const, after: s.errorEvent },
    { kind: "cut" as const, after: s.cut },
    { kind: "stall" as const, after: s.stall },
  ].filter((c): c is { kind: "errorEvent" | "cut" | "stall"; after: number } => c.after !== undefined);
  candidates.sort((a, b) => a.after - b.after);
  return candidates[0];
}
