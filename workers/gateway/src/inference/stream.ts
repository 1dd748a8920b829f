import { encodeSse, SseEventTooLarge, type StreamEvent, type TokenUsage, type UpstreamFailure } from "@switchyard/providers";
import type { ChatCompletionChunk, ChatCompletionRequest, FinishReason } from "@switchyard/schemas";
import { withinReservation } from "../accounts/charges.ts";
import type { Committed } from "./failover.ts";
import { emptyDelta, excludesReasoning, withoutReasoning } from "./exclude-reasoning.ts";
import { eventsOf, eventTooLarge } from "./first-event.ts";
import { GeneratedUsage } from "./generated-usage.ts";
import { costOf, type GenerationOutcome, type GenerationStart, usageBody } from "./generation.ts";
import type { ChatPrompt } from "./prompt-size.ts";
import { countedPromptTokens } from "./relayed-tokens.ts";

const encoder = new TextEncoder();

/**
 * A streamed answer, forwarded chunk by chunk as the upstream sends it (each
 * write is awaited, so nothing is read from the upstream faster than the client takes it).
 * The stream is complete only when the upstream says so; a cut or an in-stream
 * error ends it with an OpenRouter error event, and the outcome is an error,
 * which is never billed. A client that goes away cancels the upstream read and
 * pays for what was generated up to then (generated-usage.ts): `cancelled`, 499.
 * An upstream that sends nothing for `idleTimeoutMs` (a stalled stream) is
 * abandoned the same way: error event, upstream read cancelled, not billed.
 */
export function streamResponse(
  committed: Committed,
  start: GenerationStart,
  onEnd: (outcome: GenerationOutcome) => Promise<void>,
  options: {
    request: ChatPrompt & Pick<ChatCompletionRequest, "reasoning">;
    idleTimeoutMs?: number | undefined;
    /** The client's request signal: its disconnect also aborts the upstream read, which is then the client's leaving, not a provider failure. */
    signal?: AbortSignal;
  },
): { body: ReadableStream<Uint8Array>; ended: Promise<void> } {
  const idleTimeoutMs = options.idleTimeoutMs ?? DEFAULT_STREAM_IDLE_TIMEOUT_MS;
  const { planned, provider, attempts, byok } = committed;
  // carry on where the first answer was found (its events parsed, not yet sent)
  const started = committed.stream;
  if (!started) throw new Error("streamResponse needs the stream read up to its first answer");
  const { reader } = started;
  let pending: StreamEvent[] = started.events;
  const created = Math.floor(start.startedAt / 1000);

  let usage: TokenUsage | null = null;
  /** For a client that leaves: what it was sent, and what the provider reported meanwhile. */
  const generated = new GeneratedUsage();
  let finishReason: FinishReason | null = null;
  /** Set once the upstream failed: its stream is then an error, never charged, even if the client leaves meanwhile. */
  let upstreamFailure: UpstreamFailure | null = null;
  const upstreamFailed = (f: UpstreamFailure) => {
    upstreamFailure = f;
    committed.reportFailure(f);
  };
  let firstTokenAt: number | undefined;
  const excludeReasoning = excludesReasoning(options.request);

  // The fields every chunk repeats are serialised once per stream, not once per chunk.
  const head = `data: {"id":${JSON.stringify(start.id)},"object":"chat.completion.chunk","created":${created},"model":${JSON.stringify(planned.model.id)},"provider":${JSON.stringify(provider.name)},`;
  const chunk = (fields: Pick<ChatCompletionChunk, "choices"> & Partial<ChatCompletionChunk>): Uint8Array =>
    encoder.encode(`${head}${JSON.stringify(fields).slice(1)}\n\n`);

  // async: runs at once up to settlement's first await, and a throw is a rejection, never a stream left open
  const finish = async (status: GenerationOutcome["status"], errorCode?: number): Promise<void> => {
    // complete: the provider's usage; a client that left: what was generated up to then; an upstream failure: nothing
    if (status === "cancelled") usage = generated.usage(() => countedPromptTokens(options.request));
    return onEnd({
      ...start,
      model: planned.model,
      endpoint: planned.endpoint,
      provider,
      status,
      ...(errorCode ? { errorCode } : {}),
      usage,
      costNanos: status === "error" ? 0n : costOf(planned.endpoint, usage),
      byok,
      finishReason,
      streamed: true,
      ...(firstTokenAt ? { firstTokenAt } : {}),
      endedAt: Date.now(),
      attempts,
    });
  };

  /** Translates upstream events; says whether the upstream declared the stream complete or failed. */
  const translate = (events: StreamEvent[], out: Uint8Array[]): "done" | "error" | "more" => {
    for (const event of events) {
      if (event.type === "delta") {
        firstTokenAt ??= Date.now();
        if (event.finishReason) finishReason = event.finishReason;
        generated.add(event.delta); // reasoning excluded or not, it was generated: a client that leaves pays for it
        const delta = excludeReasoning ? withoutReasoning(event.delta) : event.delta;
        if (delta !== event.delta && emptyDelta(delta, event.finishReason)) continue;
        out.push(
          chunk({
            choices: [{ index: 0, delta, finish_reason: event.finishReason ?? null, native_finish_reason: event.nativeFinishReason ?? null, logprobs: null }],
          }),
        );
      } else if (event.type === "usage") {
        usage = event.usage;
        generated.report(event.usage);
      } else if (event.type === "error") {
        upstreamFailed(event.failure);
        out.push(errorChunk(event.failure.status, event.failure.message));
        return "error";
      } else {
        return "done";
      }
    }
    return "more";
  };

  const errorChunk = (code: number, message: string) =>
    chunk({ error: { code, message }, choices: [{ index: 0, delta: { content: "" }, finish_reason: "error", native_finish_reason: null }] });

  const { readable, writable } = new IdentityTransformStream();
  const writer = writable.getWriter();

  // One watchdog per stream (not a timer per chunk): it cancels the upstream read once a
  // read has waited idleTimeoutMs. Time spent writing to a slow client does not count.
  let waitingSince: number | null = null;
  let stalled = false;
  let watchdog: ReturnType<typeof setTimeout> | undefined;
  const watch = () => {
    const waited = waitingSince === null ? 0 : Date.now() - waitingSince;
    if (waited >= idleTimeoutMs) {
      stalled = true;
      void reader.cancel("stream idle").catch(() => {});
      return;
    }
    watchdog = setTimeout(watch, idleTimeoutMs - waited);
  };
  watchdog = setTimeout(watch, idleTimeoutMs);

  const endStalled = async () => {
    upstreamFailed({ status: 408, message: "stream stalled", retryable: true });
    await writer.write(errorChunk(408, `Provider ${provider.name} sent nothing for ${idleTimeoutMs} ms; the stream was ended`));
    return { status: "error", code: 408 } as const;
  };

  const pump = async (): Promise<{ status: GenerationOutcome["status"]; code?: number }> => {
    for (;;) {
      let events: StreamEvent[];
      let upstreamDone = false;
      if (pending.length > 0) {
        events = pending; // parsed while the first answer was awaited
        pending = [];
      } else {
        let read: ReadableStreamReadResult<Uint8Array>;
        try {
          waitingSince = Date.now();
          read = await reader.read();
        } catch {
          if (stalled) return endStalled();
          if (options.signal?.aborted) return { status: "cancelled", code: 499 };
          upstreamFailed({ status: 502, message: "stream failed", retryable: true });
          await writer.write(errorChunk(502, `Provider ${provider.name} stream failed before it was complete`));
          return { status: "error", code: 502 };
        } finally {
          waitingSince = null;
        }
        if (stalled) return endStalled();
        upstreamDone = read.done;
        try {
          events = eventsOf(started, read);
        } catch (error) {
          if (!(error instanceof SseEventTooLarge)) throw error;
          const failure = eventTooLarge(error);
          upstreamFailed(failure);
          await writer.write(errorChunk(failure.status, failure.message));
          return { status: "error", code: failure.status };
        }
      }
      const out: Uint8Array[] = [];
      const state = translate(events, out);
      // One write per upstream read: chunks reach the client as they arrive, and
      // waiting on each write is the backpressure that paces the upstream read.
      if (out.length) await writer.write(out.length === 1 ? out[0]! : concat(out));
      generated.relayed();
      if (state === "done") {
        await writer.write(concat([chunk({ choices: [], usage: usageBody(usage, withinReservation(costOf(planned.endpoint, usage), start.reservedNanos), byok) }), DONE]));
        return { status: "success" };
      }
      if (state === "error") return { status: "error", code: 502 };
      if (upstreamDone) {
        upstreamFailed({ status: 502, message: "stream ended early", retryable: true });
        await writer.write(errorChunk(502, `Provider ${provider.name} ended the stream before it was complete`));
        return { status: "error", code: 502 };
      }
    }
  };

  const ended = pump().then(
    async ({ status, code }) => {
      clearTimeout(watchdog);
      if (status === "error") await writer.write(DONE).catch(() => {});
      // Settled before the client can see the end: settlement marks the request ended at once (its
      // hold drops to its cost for this isolate's next reserve) and sends its round trip a turn later,
      // after the last bytes. A client sending its next request the moment this one's stream closes
      // is then never refused for the bound of a request that has already ended.
      const settled = finish(status, code);
      await writer.close().catch(() => {});
      // Nothing after the end matters. A complete answer's body is read to its end (what is left is
      // the transfer's last bytes), so its connection goes back to the pool: a cancelled body closes
      // it, and the next request would open a new one. Anything else is cancelled.
      const freed = status === "success" ? drain(reader) : reader.cancel();
      await Promise.all([freed.catch(() => {}), settled]);
    },
    // A write failed: the client went away. Stop reading from the provider; it pays for what was generated.
    async () => {
      clearTimeout(watchdog);
      void reader.cancel().catch(() => {});
      await (upstreamFailure ? finish("error", upstreamFailure.status) : finish("cancelled", 499));
    },
  );
  return { body: readable, ended };
}

const DONE = encoder.encode(encodeSse("[DONE]"));

/** Reads an ended answer's body to its end; a provider still sending after a few reads, or silent for DRAIN_MS, is cut. */
async function drain(reader: ReadableStreamDefaultReader<Uint8Array>): Promise<void> {
  const timer = setTimeout(() => void reader.cancel().catch(() => {}), DRAIN_MS);
  try {
    for (let reads = 0; reads < DRAIN_READS; reads++) if ((await reader.read()).done) return;
    await reader.cancel();
  } finally {
    clearTimeout(timer);
  }
}
const DRAIN_READS = 4;
const DRAIN_MS = 1_000;

/** How long a committed stream may wait for a byte from the upstream (SSE comments count: they are keep-alives). */
export const DEFAULT_STREAM_IDLE_TIMEOUT_MS = 60_000;

function concat(parts: Uint8Array[]): Uint8Array {
  let size = 0;
  for (const p of parts) size += p.byteLength;
  const out = new Uint8Array(size);
  let offset = 0;
  for (const p of parts) {
    out.set(p, offset);
    offset += p.byteLength;
  }
  return out;
}
