/**
 * Turns a list of pre-rendered body pieces into a pull-driven ReadableStream:
 * nothing is produced ahead of the reader (highWaterMark 0), so delays are
 * observed by the client chunk by chunk and a cancelled stream stops at once.
 * The `end` action is how faults finish the body.
 */
import { childController, sleep, waitForAbort } from "./sleep.ts";

/** Errors a body stream in cutMode "error", telling a transport adapter to drop the connection. */
export class MockCutError extends Error {
  override name = "MockCutError";
  constructor() {
    super("mock upstream cut the connection");
  }
}

export type StreamEnd =
  /** Normal end of body. */
  | "close"
  /** Abrupt end: close (in-process) or error with MockCutError (transport drops the socket). */
  | "cut"
  /** Keep the body open and silent until the client aborts. */
  | "stall";

export interface PacedStreamOptions {
  /** Milliseconds between pieces (not before the first). */
  delay?: number;
  /** Milliseconds after the last piece before a normal end. */
  endDelay?: number | undefined;
  /** Request abort signal; stops timers and stalls. */
  signal?: AbortSignal;
  cutMode?: "close" | "error";
}

const encoder = new TextEncoder();

export function pacedStream(pieces: string[], end: StreamEnd, opts: PacedStreamOptions = {}): ReadableStream<Uint8Array> {
  const stop = childController(opts.signal);
  let i = 0;
  return new ReadableStream<Uint8Array>(
    {
      async pull(controller) {
        if (i < pieces.length) {
          if (i > 0 && opts.delay) await sleep(opts.delay, stop.signal);
          controller.enqueue(encoder.encode(pieces[i++]));
          return;
        }
        if (end === "stall") {
          await waitForAbort(stop.signal);
        } else if (end === "cut" && opts.cutMode === "error") {
          controller.error(new MockCutError());
        } else {
          if (opts.endDelay) await sleep(opts.endDelay, stop.signal);
          controller.close();
        }
      },
      cancel(reason) {
        stop.abort(reason);
      },
    },
    { highWaterMark: 0 },
  );
}
