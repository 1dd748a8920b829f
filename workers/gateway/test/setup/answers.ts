import { expect } from "vitest";

/** The longest a fuzzed request may take before it counts as a hang. */
export const HANG_MS = 10_000;
/** An error message names what was wrong; it does not reflect the client's input back whole. */
export const MAX_MESSAGE_CHARS = 1_000;

/** `answer`, or a failure if it takes longer than HANG_MS. */
export async function withinHangLimit<T>(answer: Promise<T>, what: string): Promise<T> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const hang = new Promise<never>((_, reject) => (timer = setTimeout(() => reject(new Error(`no answer within ${HANG_MS} ms: ${what.slice(0, 200)}`)), HANG_MS)));
  try {
    return await Promise.race([answer, hang]);
  } finally {
    clearTimeout(timer);
  }
}

/** Never a 5xx; always JSON; an error has OpenRouter's shape with code = status and a short message. Returns the body. */
export async function expectNoServerError(res: Response, what: string): Promise<any> {
  const text = await res.text();
  expect(res.status, `${what} → ${res.status} ${text.slice(0, 300)}`).toBeLessThan(500);
  expect(res.headers.get("content-type") ?? "", what).toContain("application/json");
  const body = JSON.parse(text);
  if (res.status >= 400) {
    expect(body.error?.code, what).toBe(res.status);
    expect(typeof body.error?.message, what).toBe("string");
    expect(body.error.message.length, what).toBeLessThanOrEqual(MAX_MESSAGE_CHARS);
  }
  return body;
}

const CHUNK = 64 * 1024;

/** A request body of `total` bytes, produced only as the reader pulls it, counting what was pulled. */
export function countingBody(total: number): { stream: ReadableStream<Uint8Array>; pulled: () => number; cancelled: () => boolean; chunk: number } {
  let pulled = 0;
  let cancelled = false;
  const chunk = new TextEncoder().encode(" ".repeat(CHUNK));
  const stream = new ReadableStream<Uint8Array>(
    {
      pull(controller) {
        if (pulled >= total) return controller.close();
        pulled += chunk.byteLength;
        controller.enqueue(chunk.slice());
      },
      cancel() {
        cancelled = true;
      },
    },
    { highWaterMark: 0 },
  );
  return { stream, pulled: () => pulled, cancelled: () => cancelled, chunk: CHUNK };
}
