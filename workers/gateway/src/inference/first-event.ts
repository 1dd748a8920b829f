import { type ProviderAdapter, SseDecoder, type StreamEvent, type UpstreamFailure } from "@switchyard/providers";

export type FirstEventResult = { ok: true; response: Response } | { ok: false; failure: UpstreamFailure };

/**
 * Reads a streamed answer up to its first event worth sending (content, a tool
 * call, a finish reason, usage or the end). Until then nothing has reached the
 * client, so a stream that errors, ends or stalls before it can still fail
 * over. What was read is replayed in front of the rest of the body.
 * Rejects with the signal's reason if it aborts (first-byte timeout, client gone).
 */
export async function awaitFirstEvent(response: Response, adapter: ProviderAdapter, signal: AbortSignal): Promise<FirstEventResult> {
  if (!response.body) return { ok: false, failure: emptyStream() };
  const reader = response.body.getReader();
  const decoder = new TextDecoder();
  const sse = new SseDecoder();
  const parser = adapter.createStreamParser();
  const seen: Uint8Array[] = [];
  for (;;) {
    const read = await reader.read();
    if (signal.aborted) throw signal.reason;
    if (!read.done) seen.push(read.value);
    const events = (read.done ? sse.flush() : sse.push(decoder.decode(read.value, { stream: true }))).flatMap((e) => parser.push(e));
    for (const event of events) {
      if (event.type === "error") {
        void reader.cancel().catch(() => {});
        return { ok: false, failure: event.failure };
      }
      if (worthSending(event)) return { ok: true, response: replay(seen, reader, response) };
    }
    if (read.done) return { ok: false, failure: emptyStream() };
  }
}

/** A bare role chunk is not an answer yet: OpenAI sends one before anything else. */
function worthSending(event: StreamEvent): boolean {
  if (event.type !== "delta") return true;
  return Boolean(event.delta.content) || Boolean(event.delta.tool_calls?.length) || Boolean(event.finishReason);
}

function emptyStream(): UpstreamFailure {
  return { status: 502, message: "Provider closed the stream before sending an answer", retryable: true };
}

/** The bytes already read, then the rest of the upstream body; cancelling it cancels the upstream read. */
function replay(prefix: Uint8Array[], reader: ReadableStreamDefaultReader<Uint8Array>, original: Response): Response {
  const body = new ReadableStream<Uint8Array>({
    async pull(controller) {
      const next = prefix.shift();
      if (next) return controller.enqueue(next);
      const { done, value } = await reader.read();
      if (done) controller.close();
      else controller.enqueue(value);
    },
    cancel(reason) {
      return reader.cancel(reason);
    },
  });
  return new Response(body, { status: original.status, headers: original.headers });
}
