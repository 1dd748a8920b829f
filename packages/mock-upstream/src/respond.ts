/** Builds the successful (HTTP 200) answer, streamed or not, in the dialect's format, with body faults applied. */
import { BLOCKED_ANSWER, buildAnswer } from "./answer.ts";
import { CREATED } from "./constants.ts";
import type { Dialect } from "./dialect.ts";
import { fnv1a } from "./hash.ts";
import { pacedStream } from "./paced-stream.ts";
import type { CompletionMeta } from "./stream.ts";
import type { ChatMessage, ChatRequest, MockScenario } from "./types.ts";
import { buildUsage } from "./usage.ts";

export interface AnswerContext {
  dialect: Dialect;
  body: ChatRequest;
  messages: ChatMessage[];
  /** Last user message text with directives stripped. */
  userText: string;
  /** Raw request body; hashed into the ids so identical requests get identical responses. */
  raw: string;
  scenario: MockScenario;
  signal?: AbortSignal;
  cutMode?: "close" | "error";
}

export function answerResponse(ctx: AnswerContext): Response {
  const { body, scenario, dialect } = ctx;
  const hash = fnv1a(ctx.raw);
  const meta: CompletionMeta = { id: `${dialect.idPrefix}${hash}`, created: CREATED, model: body.model as string };
  const answer = scenario.blocked ? { ...BLOCKED_ANSWER } : buildAnswer(body, ctx.userText);
  const usage = buildUsage(ctx.messages, answer, scenario);
  const headers = new Headers({ "x-request-id": `req_mock_${hash}` });

  if (dialect.wantsStream(body)) {
    const plan = dialect.planStream(answer, usage, meta, body, scenario);
    headers.set("content-type", "text/event-stream");
    headers.set("cache-control", "no-cache");
    const stream = pacedStream(plan.pieces, plan.end, { delay: scenario.chunkDelay, endDelay: scenario.endDelay, signal: ctx.signal, cutMode: ctx.cutMode });
    return new Response(stream, { status: 200, headers });
  }

  headers.set("content-type", "application/json");
  const json = dialect.renderBody(answer, usage, meta, scenario);
  // Non-streaming faults: half a body, then a clean end (malformed), a dropped
  // connection (cut) or silence (stall). error_event only applies to streams.
  const half = json.slice(0, Math.floor(json.length / 2));
  if (scenario.cut !== undefined || scenario.stall !== undefined) {
    const end = scenario.cut !== undefined ? "cut" : "stall";
    return new Response(pacedStream([half], end, { signal: ctx.signal, cutMode: ctx.cutMode }), { status: 200, headers });
  }
  if (scenario.malformed) return new Response(half, { status: 200, headers });
  return new Response(json, { status: 200, headers });
}
