import { SseDecoder } from "@switchyard/providers";

/**
 * Rewrites the chat route's SSE stream event by event, for the routes served through it
 * (legacy completions, the agent front doors): `translate` gets each data payload
 * (`[DONE]` included) and returns the text to send for it; `end` what to send if the stream
 * stops without a translator having finished it. One write per upstream read, as the chat
 * stream does. Cancelling the result cancels the chat stream (and so the upstream read).
 */
export function rewriteSse(translate: (data: string) => string, end: () => string): TransformStream<Uint8Array, Uint8Array> {
  const decoder = new TextDecoder();
  const encoder = new TextEncoder();
  const sse = new SseDecoder();
  const send = (events: { data: string }[], controller: TransformStreamDefaultController<Uint8Array>) => {
    let out = "";
    for (const { data } of events) out += translate(data);
    if (out) controller.enqueue(encoder.encode(out));
  };
  return new TransformStream({
    transform(bytes, controller) {
      send(sse.push(decoder.decode(bytes, { stream: true })), controller);
    },
    flush(controller) {
      send(sse.flush(), controller);
      const last = end();
      if (last) controller.enqueue(encoder.encode(last));
    },
  });
}
