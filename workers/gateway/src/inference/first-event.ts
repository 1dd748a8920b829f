import { type ProviderAdapter, SseDecoder, SseEventTooLarge, type StreamEvent, type StreamParser, type UpstreamFailure } from "@switchyard/providers";
import { withUsageReports } from "./usage-reports.ts";

/**
 * A stream read up to its first event worth sending: the reader and the decoding
 * state carry on from there, and the events parsed so far (sent to no one yet)
 * are handed over parsed, so nothing is decoded twice.
 */
export interface StreamStart {
  reader: ReadableStreamDefaultReader<Uint8Array>;
  decoder: TextDecoder;
  sse: SseDecoder;
  parser: StreamParser;
  events: StreamEvent[];
}

/** The events one upstream read completes (all that is left, at the end); throws SseEventTooLarge. */
export function eventsOf(start: StreamStart, read: ReadableStreamReadResult<Uint8Array>): StreamEvent[] {
  const { decoder, sse, parser } = start;
  return (read.done ? sse.flush() : sse.push(decoder.decode(read.value, { stream: true }))).flatMap((e) => parser.push(e));
}

export type FirstEventResult = { ok: true; response: Response; stream: StreamStart } | { ok: false; failure: UpstreamFailure };

/**
 * Reads a streamed answer up to its first event worth sending (content, a tool
 * call, a finish reason or the end; not usage alone: Anthropic reports it first). Until then nothing has reached the
 * client, so a stream that errors, ends or stalls before it can still fail
 * over. Rejects with the signal's reason if it aborts (first-byte timeout, client gone).
 */
export async function awaitFirstEvent(response: Response, adapter: ProviderAdapter, signal: AbortSignal): Promise<FirstEventResult> {
  if (!response.body) return { ok: false, failure: emptyStream() };
  const start: StreamStart = { reader: response.body.getReader(), decoder: new TextDecoder(), sse: new SseDecoder(), parser: withUsageReports(adapter.createStreamParser()), events: [] };
  const { reader, events } = start;
  for (;;) {
    const read = await reader.read();
    if (signal.aborted) throw signal.reason;
    let parsed: StreamEvent[];
    try {
      parsed = eventsOf(start, read);
    } catch (error) {
      if (!(error instanceof SseEventTooLarge)) throw error;
      void reader.cancel().catch(() => {});
      return { ok: false, failure: eventTooLarge(error) };
    }
    events.push(...parsed);
    for (const event of parsed) {
      // an error before anything worth sending can still fail over; one after it is the stream's to report
      if (worthSending(event)) return { ok: true, response, stream: start };
      if (event.type === "error") {
        void reader.cancel().catch(() => {});
        return { ok: false, failure: event.failure };
      }
    }
    if (read.done) return { ok: false, failure: emptyStream() };
  }
}

/**
 * A bare role chunk is not an answer yet: OpenAI sends one before anything else.
 * Reasoning is: a reasoning model may think for longer than the first-byte timeout,
 * and its client sees the reasoning stream meanwhile.
 */
function worthSending(event: StreamEvent): boolean {
  if (event.type === "error" || event.type === "usage") return false;
  if (event.type !== "delta") return true;
  const { delta } = event;
  return Boolean(delta.content) || Boolean(delta.reasoning) || Boolean(delta.tool_calls?.length) || Boolean(event.finishReason);
}

/** A provider that sends an endless line: refused rather than buffered (a failure like a 5xx, so it can fail over). */
export function eventTooLarge(error: SseEventTooLarge): UpstreamFailure {
  return { status: 502, message: `Provider sent a stream event over ${error.limit} characters`, retryable: true };
}

function emptyStream(): UpstreamFailure {
  return { status: 502, message: "Provider closed the stream before sending an answer", retryable: true };
}
